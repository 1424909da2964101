//! `AgentTool`: an agent configured in Rust, offered to another agent as a tool, so library users compose
//! their own orchestrations the way the `agent` tool does for sessions.

use crate::agent::Agent;
use crate::config::AgentConfig;
use async_trait::async_trait;
use claurst_permissions::{Access, Effect};
use claurst_protocol::{Message, ToolFamily};
use claurst_tools::{Tool, ToolResult};
use serde_json::{Value, json};

/// A tool that runs its own agent on the prompt it is given and returns that agent's final answer.
///
/// ```no_run
/// # use claurst_assistant::{Agent, AgentConfig, AgentTool};
/// let reviewer = AgentTool::new(AgentConfig {
///     system_prompt: Some("You review Rust code for unsafe blocks.".into()),
///     tools: vec!["read_file", "grep"],
///     ..AgentConfig::default()
/// })
/// .named("reviewer", "Reviews Rust files for unsafe code and reports each block.");
/// let mut lead = Agent::new(AgentConfig::default());
/// lead.register_tool(Box::new(reviewer));
/// ```
///
/// Each call is a fresh conversation. The inner agent has no front-end: what its own rules do not allow is
/// refused, as in any library run.
pub struct AgentTool {
    agent: Agent,
    name: String,
    description: String,
}

impl AgentTool {
    /// A tool named `agent` running an agent built from `config`.
    pub fn new(config: AgentConfig) -> Self {
        Self {
            agent: Agent::new(config),
            name: super::delegate_tool::AGENT_TOOL.to_string(),
            description:
                "Hand a self-contained task to a sub-agent and get its final report back. The prompt \
                          must say everything the sub-agent needs: it sees nothing of this conversation."
                    .to_string(),
        }
    }

    /// Offer it under another name, with a description that tells the model when to use it.
    pub fn named(mut self, name: impl Into<String>, description: impl Into<String>) -> Self {
        self.name = name.into();
        self.description = description.into();
        self
    }
}

#[async_trait]
impl Tool for AgentTool {
    fn name(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "description": {"type": "string", "description": "A short summary of the task."},
                "prompt": {"type": "string", "description": "The complete task, with everything needed."}
            },
            "required": ["prompt"]
        })
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let prompt = input.get("prompt").and_then(Value::as_str).unwrap_or_default().trim();
        if prompt.is_empty() {
            return ToolResult::error("This tool needs a `prompt`: the complete task.");
        }
        match self.agent.run(vec![Message::user(prompt)]).await {
            Ok(run) => {
                let summary = &run.summary;
                ToolResult::ok(format!(
                    "{}\n\n[{}: {} model requests, {} output tokens]",
                    run.final_response(),
                    self.name,
                    summary.num_turns,
                    summary.usage.output_tokens
                ))
            }
            Err(error) => ToolResult::error(format!("The sub-agent failed: {error}")),
        }
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Agent
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        claurst_tools::first_line_of(input, "description")
            .or_else(|| claurst_tools::first_line_of(input, "prompt"))
    }

    /// Starting it changes nothing by itself: the inner agent's own engine judges each of its calls.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, _input: &Value) -> Access {
        Access::Other { effect: Effect::ReadOnly }
    }
}
