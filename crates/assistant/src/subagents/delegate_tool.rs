//! The `agent` tool as the model sees it: which kinds of sub-agent exist and how to hand one a task.

use super::Task;
use async_trait::async_trait;
use claurst_extensions::agents::AgentDefinition;
use claurst_permissions::{Access, Effect};
use claurst_protocol::ToolFamily;
use claurst_tools::{Tool, ToolOutcome, ToolResult, ToolUpdate};
use serde_json::{Value, json};

/// The tool's name.
pub(crate) const AGENT_TOOL: &str = "agent";

/// Starts a sub-agent. The tool itself only checks the request; the agent loop runs the sub-agent (see
/// `ToolUpdate::Delegate`).
pub(crate) struct DelegateTool {
    types: Vec<String>,
    description: String,
}

impl DelegateTool {
    pub(crate) fn new(definitions: &[AgentDefinition]) -> Self {
        let kinds: Vec<String> = definitions
            .iter()
            .map(|definition| format!("- {}: {}", definition.name, definition.description))
            .collect();
        let description = format!(
            "Hand a self-contained task to a sub-agent, which works in a conversation of its own and returns one \
             final report (you see only that report, not its steps). Use it for broad searches, research or \
             planning whose details would crowd your context, and for independent pieces of work. Several agent \
             calls in one message run in parallel: start independent tasks together.\n\
             The sub-agent knows nothing of this conversation: the prompt must say everything it needs (the \
             goal, the files or names you already know, what to return). Its report is for you, not the user: \
             tell the user what matters.\n\
             Kinds of sub-agent (agent_type):\n{}",
            kinds.join("\n")
        );
        Self { types: definitions.iter().map(|definition| definition.name.clone()).collect(), description }
    }

    /// The task the input describes, or what is wrong with it.
    fn task(&self, input: &Value) -> Result<Task, String> {
        let text = |field: &str| input.get(field).and_then(Value::as_str).map(str::trim).unwrap_or_default();
        let prompt = text("prompt");
        if prompt.is_empty() {
            return Err("The agent tool needs a `prompt`: the complete task for the sub-agent.".into());
        }
        // Models trained on Claude Code name the field `subagent_type`.
        let agent_type = match (text("agent_type"), text("subagent_type")) {
            ("", "") => "general-purpose",
            ("", named) | (named, _) => named,
        };
        if !self.types.iter().any(|name| name == agent_type) {
            return Err(format!(
                "There is no sub-agent type `{agent_type}`. The types are: {}.",
                self.types.join(", ")
            ));
        }
        let description = match text("description") {
            "" => prompt.lines().next().unwrap_or_default().chars().take(60).collect(),
            description => description.to_string(),
        };
        Ok(Task { agent_type: agent_type.to_string(), description, prompt: prompt.to_string() })
    }
}

#[async_trait]
impl Tool for DelegateTool {
    fn name(&self) -> &str {
        AGENT_TOOL
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "description": {
                    "type": "string",
                    "description": "A short (3 to 6 words) summary of the task, shown to the user."
                },
                "prompt": {
                    "type": "string",
                    "description": "The complete task for the sub-agent, with everything it needs to know."
                },
                "agent_type": {
                    "type": "string",
                    "enum": self.types,
                    "description": "Which kind of sub-agent does the task."
                }
            },
            "required": ["description", "prompt", "agent_type"],
            "additionalProperties": false
        })
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        match self.task(&input) {
            Ok(Task { agent_type, description, prompt }) => ToolOutcome {
                result: ToolResult::error(
                    "Sub-agents can only run inside a Claurst agent session; none was started.",
                ),
                update: Some(ToolUpdate::Delegate { agent_type, description, prompt }),
                ..ToolResult::ok("").into()
            },
            Err(problem) => ToolResult::error(problem).into(),
        }
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Agent
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        let task = self.task(input).ok()?;
        Some(format!("{}: {}", task.agent_type, task.description))
    }

    /// Starting one changes nothing: each call the sub-agent makes is judged on its own. Calls of this tool
    /// are also what may run beside each other in one batch.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, _input: &Value) -> Access {
        Access::Other { effect: Effect::ReadOnly }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn tool() -> DelegateTool {
        DelegateTool::new(&claurst_extensions::agents::built_in())
    }

    #[tokio::test]
    async fn a_valid_call_asks_the_loop_to_delegate() {
        let input =
            json!({"description": "Find config", "prompt": "Where is config read?", "agent_type": "explore"});
        let outcome = tool().run(input).await;
        assert_eq!(
            outcome.update,
            Some(ToolUpdate::Delegate {
                agent_type: "explore".into(),
                description: "Find config".into(),
                prompt: "Where is config read?".into()
            })
        );
        assert!(outcome.result.is_error, "a host without a loop says nothing ran");
    }

    #[tokio::test]
    async fn bad_calls_are_answered_without_delegating() {
        let unknown = tool().run(json!({"prompt": "x", "agent_type": "wizard"})).await;
        assert!(unknown.update.is_none());
        assert!(
            unknown.result.output.contains("general-purpose, explore, plan"),
            "{}",
            unknown.result.output
        );
        let empty = tool().run(json!({"agent_type": "explore"})).await;
        assert!(empty.update.is_none() && empty.result.output.contains("`prompt`"));
    }

    #[test]
    fn claude_codes_field_name_and_defaults_are_understood() {
        let task = tool().task(&json!({"prompt": "Review it\nthoroughly", "subagent_type": "plan"})).unwrap();
        assert_eq!((task.agent_type.as_str(), task.description.as_str()), ("plan", "Review it"));
        let task = tool().task(&json!({"prompt": "do it"})).unwrap();
        assert_eq!(task.agent_type, "general-purpose");
        assert!(tool().description().contains("- explore: "));
    }
}
