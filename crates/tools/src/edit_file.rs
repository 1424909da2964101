//! `edit_file`: replace one exact piece of text in a file the model has read.

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

pub struct EditFileTool {
    context: Arc<ToolContext>,
}

impl EditFileTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct EditInput {
    path: String,
    #[serde(flatten)]
    replacement: Replacement,
}

#[async_trait]
impl Tool for EditFileTool {
    fn name(&self) -> &str {
        "edit_file"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Edit
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "path")
    }

    fn description(&self) -> &str {
        "Replace exact text in a file. old_string must match the file exactly, including whitespace and \
         indentation (copy it from read_file's output without the line-number prefix), and must occur exactly \
         once unless replace_all is true; include enough surrounding lines to make it unique. You must have \
         read the file with read_file in this session, and it must not have changed since. The file's line \
         endings are kept. Returns a unified diff of the change. For several changes to one file use \
         multi_edit; to create a file use write_file."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "Absolute path, or a path relative to the project root"},
                "old_string": {"type": "string", "description": "The exact text to replace"},
                "new_string": {"type": "string", "description": "The text to put in its place (must differ from old_string)"},
                "replace_all": {"type": "boolean", "default": false, "description": "Replace every occurrence of old_string instead of exactly one"}
            },
            "required": ["path", "old_string", "new_string"],
            "additionalProperties": false
        })
    }

    fn access(&self, input: &Value) -> Access {
        let path = input.get("path").and_then(Value::as_str).unwrap_or_default();
        Access::Edit { path: self.context.resolve(path) }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        match serde_json::from_value::<EditInput>(input.clone()) {
            Ok(request) => edit::preview(&self.context, input, &[request.replacement]).await,
            Err(_) => ApprovalDetail::Input { input: input.clone() },
        }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: EditInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        edit::edit_file(&self.context, self.name(), &request.path, &[request.replacement]).await
    }
}
