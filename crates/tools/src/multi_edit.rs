//! `multi_edit`: several exact replacements in one file, applied in order, all or none.

use crate::context::ToolContext;
use crate::edit::{self, Replacement};
use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ApprovalDetail;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

pub struct MultiEditTool {
    context: Arc<ToolContext>,
}

impl MultiEditTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct MultiEditInput {
    path: String,
    edits: Vec<Replacement>,
}

#[async_trait]
impl Tool for MultiEditTool {
    fn name(&self) -> &str {
        "multi_edit"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Edit
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "path")
    }

    fn description(&self) -> &str {
        "Make several exact-text replacements in one file in a single call. Each edit works like edit_file \
         (old_string must match exactly once unless replace_all is true) and applies to the result of the \
         edits before it, so later edits must match text as earlier edits left it. Either every edit applies \
         or none does: if one fails, the file is left untouched and the error says which edit failed and why. \
         You must have read the file with read_file in this session, and it must not have changed since. \
         Returns one unified diff of all the changes."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "Absolute path, or a path relative to the project root"},
                "edits": {
                    "type": "array",
                    "minItems": 1,
                    "description": "Edits to apply in order",
                    "items": {
                        "type": "object",
                        "properties": {
                            "old_string": {"type": "string", "description": "The exact text to replace"},
                            "new_string": {"type": "string", "description": "The text to put in its place"},
                            "replace_all": {"type": "boolean", "default": false, "description": "Replace every occurrence instead of exactly one"}
                        },
                        "required": ["old_string", "new_string"],
                        "additionalProperties": false
                    }
                }
            },
            "required": ["path", "edits"],
            "additionalProperties": false
        })
    }

    fn access(&self, input: &Value) -> Access {
        let path = input.get("path").and_then(Value::as_str).unwrap_or_default();
        Access::Edit { path: self.context.resolve(path) }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        match serde_json::from_value::<MultiEditInput>(input.clone()) {
            Ok(request) => edit::preview(&self.context, input, &request.edits).await,
            Err(_) => ApprovalDetail::Input { input: input.clone() },
        }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: MultiEditInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        edit::edit_file(&self.context, self.name(), &request.path, &request.edits).await
    }
}
