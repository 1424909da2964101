//! The `skill` tool: the model asks for a skill by name and gets its instructions.

use super::Skill;
use async_trait::async_trait;
use claurst_protocol::ToolFamily;
use claurst_tools::{Tool, ToolOutcome, ToolResult, ToolUpdate, first_line_of};
use serde_json::{Value, json};
use std::sync::Arc;

/// Loads a skill's instructions. Read-only: it returns text the session already holds.
pub struct SkillTool {
    skills: Arc<[Skill]>,
    description: String,
}

impl SkillTool {
    pub fn new(skills: Arc<[Skill]>) -> Self {
        let names: Vec<&str> = skills.iter().map(|skill| skill.name.as_str()).collect();
        let description = format!(
            "Load a skill's instructions and the list of its bundled files. Call it when the task matches a \
skill's description (the system prompt lists them). Skills: {}.",
            names.join(", ")
        );
        Self { skills, description }
    }
}

#[async_trait]
impl Tool for SkillTool {
    fn name(&self) -> &str {
        "skill"
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": { "name": { "type": "string", "description": "The skill's name" } },
            "required": ["name"],
        })
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    /// The instructions, and the skill's tool list for the agent to narrow approvals to.
    async fn run(&self, input: Value) -> ToolOutcome {
        let Some(name) = input.get("name").and_then(Value::as_str) else {
            return ToolResult::error("`name` (the skill's name) is required.").into();
        };
        match self.skills.iter().find(|skill| skill.name == name) {
            Some(skill) => ToolOutcome {
                update: Some(ToolUpdate::SkillLoaded {
                    name: skill.name.clone(),
                    allowed_tools: skill.allowed_tools.clone(),
                }),
                ..ToolResult::ok(skill.instructions()).into()
            },
            None => {
                let names: Vec<&str> = self.skills.iter().map(|skill| skill.name.as_str()).collect();
                ToolResult::error(format!("There is no skill `{name}`. Skills: {}.", names.join(", "))).into()
            }
        }
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Other
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        first_line_of(input, "name")
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }
}
