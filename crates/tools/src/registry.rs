//! The set of tools a session offers the model.

use crate::bash::BashTool;
use crate::context::ToolContext;
use crate::edit_file::EditFileTool;
use crate::grep::GrepTool;
use crate::list_dir::ListDirTool;
use crate::multi_edit::MultiEditTool;
use crate::read_file::ReadFileTool;
use crate::search_files::SearchFilesTool;
use crate::shell_tools::{BashOutputTool, KillShellTool};
use crate::todo_write::TodoWriteTool;
use crate::tool::Tool;
use crate::web_fetch::WebFetchTool;
use crate::write_file::WriteFileTool;
use std::sync::Arc;

/// Tools by name, in the order they were registered (the order the model sees them).
#[derive(Default)]
pub struct ToolRegistry {
    tools: Vec<Arc<dyn Tool>>,
}

impl ToolRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every built-in tool, sharing one context.
    pub fn standard(context: Arc<ToolContext>) -> Self {
        let mut registry = Self::new();
        registry.register(Box::new(BashTool::new(Arc::clone(&context))));
        registry.register(Box::new(BashOutputTool::new(Arc::clone(&context))));
        registry.register(Box::new(KillShellTool::new(Arc::clone(&context))));
        registry.register(Box::new(ReadFileTool::new(Arc::clone(&context))));
        registry.register(Box::new(WriteFileTool::new(Arc::clone(&context))));
        registry.register(Box::new(EditFileTool::new(Arc::clone(&context))));
        registry.register(Box::new(MultiEditTool::new(Arc::clone(&context))));
        registry.register(Box::new(ListDirTool::new(Arc::clone(&context))));
        registry.register(Box::new(SearchFilesTool::new(Arc::clone(&context))));
        registry.register(Box::new(GrepTool::new(Arc::clone(&context))));
        registry.register(Box::new(WebFetchTool::new()));
        registry.register(Box::new(TodoWriteTool::new()));
        registry
    }

    /// Add a tool. A tool with the same name replaces the earlier one, so callers can override built-ins.
    pub fn register(&mut self, tool: Box<dyn Tool>) {
        let tool: Arc<dyn Tool> = Arc::from(tool);
        match self.tools.iter_mut().find(|existing| existing.name() == tool.name()) {
            Some(slot) => *slot = tool,
            None => self.tools.push(tool),
        }
    }

    pub fn get(&self, name: &str) -> Option<Arc<dyn Tool>> {
        self.tools.iter().find(|tool| tool.name() == name).cloned()
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.tools.iter().map(|tool| tool.name()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Tool>> {
        self.tools.iter()
    }

    /// Keep only the named tools (a sub-agent's tool list). Unknown names are returned so the caller can
    /// report them.
    pub fn retain_named(&mut self, names: &[&str]) -> Vec<String> {
        let unknown =
            names.iter().filter(|name| self.get(name).is_none()).map(|name| name.to_string()).collect();
        self.tools.retain(|tool| names.contains(&tool.name()));
        unknown
    }

    pub fn len(&self) -> usize {
        self.tools.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::ToolResult;
    use async_trait::async_trait;
    use serde_json::{Value, json};
    use std::time::Duration;

    struct Echo(&'static str);

    #[async_trait]
    impl Tool for Echo {
        fn name(&self) -> &'static str {
            "bash"
        }
        fn description(&self) -> &'static str {
            self.0
        }
        fn input_schema(&self) -> Value {
            json!({"type": "object"})
        }
        async fn execute(&self, input: Value) -> ToolResult {
            ToolResult { output: input.to_string(), is_error: false }
        }
    }

    #[test]
    fn registering_a_name_again_replaces_the_tool() {
        let context = Arc::new(ToolContext::new("/tmp", "/tmp/s", Duration::from_secs(1)));
        let mut registry = ToolRegistry::standard(context);
        let standard = registry.names();
        assert_eq!(
            standard,
            [
                "bash",
                "bash_output",
                "kill_shell",
                "read_file",
                "write_file",
                "edit_file",
                "multi_edit",
                "list_dir",
                "search_files",
                "grep",
                "web_fetch",
                "todo_write"
            ]
        );
        registry.register(Box::new(Echo("custom")));
        assert_eq!(registry.names(), standard);
        assert_eq!(registry.get("bash").unwrap().description(), "custom");
    }

    #[test]
    fn retain_reports_unknown_names() {
        let context = Arc::new(ToolContext::new("/tmp", "/tmp/s", Duration::from_secs(1)));
        let mut registry = ToolRegistry::standard(context);
        let unknown = registry.retain_named(&["read_file", "teleport"]);
        assert_eq!(registry.names(), ["read_file"]);
        assert_eq!(unknown, ["teleport"]);
    }
}
