//! `write_file`: create a file, or replace the whole content of one the model has read.

use crate::context::ToolContext;
use crate::edit::{check_current, refuse_unread, unified_diff, write_and_record};
use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ApprovalDetail;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

pub struct WriteFileTool {
    context: Arc<ToolContext>,
}

impl WriteFileTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct WriteInput {
    path: String,
    content: String,
}

#[async_trait]
impl Tool for WriteFileTool {
    fn name(&self) -> &str {
        "write_file"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Edit
    }

    fn summary(&self, _input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::first_line(result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "path")
    }

    fn description(&self) -> &str {
        "Write a file, replacing its whole content, creating it and its parent directories if needed. The path \
         may be absolute or relative to the project root. An existing file can only be overwritten after you \
         have read it with read_file in this session and it has not changed since. Prefer edit_file or \
         multi_edit to change part of an existing file: they send only the change."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "Absolute path, or a path relative to the project root"},
                "content": {"type": "string", "description": "The complete new content of the file"}
            },
            "required": ["path", "content"],
            "additionalProperties": false
        })
    }

    fn access(&self, input: &Value) -> Access {
        let path = input.get("path").and_then(Value::as_str).unwrap_or_default();
        Access::Edit { path: self.context.resolve(path) }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        let (Some(path), Some(content)) =
            (input.get("path").and_then(Value::as_str), input.get("content").and_then(Value::as_str))
        else {
            return ApprovalDetail::Input { input: input.clone() };
        };
        let path = self.context.resolve(path);
        let old = tokio::fs::read(&path).await.ok().map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        let shown = self.context.display(&path);
        ApprovalDetail::Diff { diff: unified_diff(&shown, old.as_deref(), content), path: shown }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: WriteInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        if request.path.trim().is_empty() {
            return ToolResult::error("write_file: the path is empty. Pass the file to write in `path`.");
        }
        let path = self.context.resolve(&request.path);
        match self.write(&path, &request.content).await {
            Ok(result) | Err(result) => result,
        }
    }
}

impl WriteFileTool {
    async fn write(&self, path: &Path, content: &str) -> Result<ToolResult, ToolResult> {
        let shown = self.context.display(path);
        if path.is_dir() {
            return Err(ToolResult::error(format!(
                "write_file: {shown} is a directory. Pass the path of a file inside it."
            )));
        }
        refuse_unread(&self.context, self.name(), path)?;
        let existed = match tokio::fs::read(path).await {
            Ok(bytes) => {
                check_current(&self.context, self.name(), path, &bytes)?;
                true
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
            Err(error) => {
                return Err(ToolResult::error(format!("write_file: cannot read {shown}: {error}")));
            }
        };
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(|error| {
                ToolResult::error(format!(
                    "write_file: cannot create the directory {}: {error}",
                    self.context.display(parent)
                ))
            })?;
        }
        write_and_record(&self.context, path, content)
            .await
            .map_err(|error| ToolResult::error(format!("write_file: cannot write {shown}: {error}")))?;
        let lines = content.lines().count();
        let verb = if existed { "Overwrote" } else { "Created" };
        let plural = if lines == 1 { "" } else { "s" };
        let result = ToolResult::ok(format!("{verb} {shown} ({lines} line{plural})."));
        Ok(crate::edit::observed(&self.context, path, result).await)
    }
}
