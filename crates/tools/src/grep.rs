//! `grep`: search file contents with a regular expression, built on ripgrep's crates and printing what `rg`
//! prints.

mod args;
mod output;
mod search;

use crate::context::ToolContext;
use crate::input;
use crate::tool::{Tool, ToolResult};
use crate::walk::StopFlag;
use args::GrepInput;
use async_trait::async_trait;
use claurst_permissions::Access;
use serde_json::{Value, json};
use std::sync::Arc;

pub struct GrepTool {
    context: Arc<ToolContext>,
}

impl GrepTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[async_trait]
impl Tool for GrepTool {
    fn name(&self) -> &str {
        "grep"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Read
    }

    fn summary(&self, input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::grep(input, result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "pattern")
    }

    fn description(&self) -> &str {
        "Search file contents with a regular expression (ripgrep syntax: escape literal braces, e.g. \
         `interface\\{\\}`). Searches the project root or `path` (a directory or a file), skipping files \
         ignored by .gitignore, hidden files and binary files. Filter files with `glob` (e.g. \"*.rs\", \
         \"*.{ts,tsx}\") or `type` (ripgrep type names: rust, py, js, ts, go, …). output_mode: \
         \"files_with_matches\" (default) lists the files with a match; \"count\" gives path:count; \"content\" \
         gives matching lines as path:line:text, with -A/-B/-C context lines (path-line-text, groups separated \
         by --) and -n line numbers (on by default). -i ignores case; multiline lets a pattern span lines \
         (with . matching newlines). Results are sorted by path; head_limit keeps the first N lines or \
         entries, and output is cut at 30000 characters. Prefer this to running grep or rg with bash."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "description": "Regular expression to search for"},
                "path": {"type": "string", "description": "File or directory to search (absolute or relative to the project root); defaults to the project root"},
                "glob": {"type": "string", "description": "Only search files matching this glob, e.g. \"*.js\" or \"*.{ts,tsx}\""},
                "type": {"type": "string", "description": "Only search files of this type (ripgrep names: rust, py, js, ts, go, java, …)"},
                "output_mode": {"type": "string", "enum": ["content", "files_with_matches", "count"], "description": "What to return; defaults to files_with_matches"},
                "-i": {"type": "boolean", "description": "Case-insensitive search"},
                "-n": {"type": "boolean", "description": "Show line numbers (content mode; default true)"},
                "-A": {"type": "integer", "minimum": 0, "description": "Lines of context after each match (content mode)"},
                "-B": {"type": "integer", "minimum": 0, "description": "Lines of context before each match (content mode)"},
                "-C": {"type": "integer", "minimum": 0, "description": "Lines of context before and after each match (content mode)"},
                "multiline": {"type": "boolean", "description": "Let matches span lines; . also matches newlines"},
                "head_limit": {"type": "integer", "minimum": 1, "description": "Return only the first N lines or entries"}
            },
            "required": ["pattern"],
            "additionalProperties": false
        })
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, input: &Value) -> Access {
        self.context.read_access(input)
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request = match input::parse::<GrepInput>(self.name(), input) {
            Ok(input) => match input.check(&self.context) {
                Ok(request) => request,
                Err(error) => return error,
            },
            Err(error) => return error,
        };
        let walker = match request.walker() {
            Ok(walker) => walker,
            Err(error) => return error,
        };
        let stop = StopFlag::default();
        let _stop_on_drop = stop.on_drop();
        let searched = tokio::task::spawn_blocking(move || {
            let found = search::search(&request, &walker, &stop);
            output::render(&request, found)
        })
        .await;
        searched.unwrap_or_else(|error| ToolResult::error(format!("grep: the search failed: {error}")))
    }
}
