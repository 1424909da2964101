//! The set of tools a session offers the model.

use crate::apply_patch::ApplyPatchTool;
use crate::bash::BashTool;
use crate::context::ToolContext;
use crate::edit_file::EditFileTool;
use crate::grep::GrepTool;
use crate::list_dir::ListDirTool;
use crate::multi_edit::MultiEditTool;
use crate::notebook::NotebookEditTool;
use crate::read_file::ReadFileTool;
use crate::search_files::SearchFilesTool;
use crate::shell_tools::{BashOutputTool, KillShellTool};
use crate::todo_write::TodoWriteTool;
use crate::tool::Tool;
use crate::web_fetch::WebFetchTool;
use crate::write_file::WriteFileTool;
use claurst_protocol::ToolCallView;
use std::sync::Arc;

/// Tools that come and go while a session runs (an MCP server's, once it has started and whenever it says
/// its list changed).
///
/// Contract: `tools` is cheap (it returns what is ready now, never waits for a server) and its names never
/// collide with built-in tools (MCP tools carry an `mcp__` prefix).
pub trait ToolSource: Send + Sync {
    fn tools(&self) -> Vec<Arc<dyn Tool>>;
}

/// Tools by name, in the order they were registered (the order the model sees them), then those of the
/// dynamic sources.
#[derive(Default)]
pub struct ToolRegistry {
    tools: Vec<Arc<dyn Tool>>,
    sources: Vec<Arc<dyn ToolSource>>,
}

/// The tools of one turn, fixed when the turn starts: a server that starts or changes its list mid-turn
/// is seen by the next turn.
#[derive(Clone, Default)]
pub struct ToolSet {
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
        registry.register(Box::new(crate::ViewImageTool::new(Arc::clone(&context))));
        registry.register(Box::new(WriteFileTool::new(Arc::clone(&context))));
        registry.register(Box::new(EditFileTool::new(Arc::clone(&context))));
        registry.register(Box::new(MultiEditTool::new(Arc::clone(&context))));
        registry.register(Box::new(NotebookEditTool::new(Arc::clone(&context))));
        // Offered to the model only where `[tools] apply_patch` says so (OpenAI models by default).
        registry.register(Box::new(ApplyPatchTool::new(Arc::clone(&context))));
        registry.register(Box::new(ListDirTool::new(Arc::clone(&context))));
        registry.register(Box::new(SearchFilesTool::new(Arc::clone(&context))));
        registry.register(Box::new(GrepTool::new(Arc::clone(&context))));
        registry.register(Box::new(WebFetchTool::new()));
        registry.register(Box::new(TodoWriteTool::new()));
        registry.register(Box::new(crate::ask_user::AskUserQuestionTool::new()));
        registry.register(Box::new(crate::plan_mode::ExitPlanModeTool::new()));
        registry.register(Box::new(crate::plan_mode::EnterPlanModeTool::new()));
        registry.register(Box::new(crate::worktree_tools::EnterWorktreeTool::new()));
        registry.register(Box::new(crate::worktree_tools::ExitWorktreeTool::new()));
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

    /// Add a source of tools that change during the session.
    pub fn add_source(&mut self, source: Arc<dyn ToolSource>) {
        self.sources.push(source);
    }

    /// A fixed tool (built-in or registered; never a source's).
    pub fn get(&self, name: &str) -> Option<Arc<dyn Tool>> {
        self.tools.iter().find(|tool| tool.name() == name).cloned()
    }

    /// The names of the fixed tools.
    pub fn names(&self) -> Vec<String> {
        self.tools.iter().map(|tool| tool.name().to_string()).collect()
    }

    /// The fixed tools.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Tool>> {
        self.tools.iter()
    }

    /// The fixed tools and what every source offers now. A source's tool never replaces a fixed one.
    pub fn snapshot(&self) -> ToolSet {
        let mut tools = self.tools.clone();
        for tool in self.sources.iter().flat_map(|source| source.tools()) {
            if !tools.iter().any(|existing| existing.name() == tool.name()) {
                tools.push(tool);
            }
        }
        ToolSet { tools }
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

impl ToolSet {
    /// A call as front-ends show it: described by the tool that will run it (by its name alone when the
    /// set has no tool of that name).
    pub fn describe(&self, id: &str, name: &str, input: &serde_json::Value) -> ToolCallView {
        let mut call = ToolCallView::new(id, name, input.clone());
        if let Some(tool) = self.get(name) {
            call.title = tool.title();
            call.key_argument = tool.key_argument(input).unwrap_or_default();
            call.family = tool.family();
        }
        call
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn Tool>> {
        self.tools.iter().find(|tool| tool.name() == name)
    }

    /// Keep only the tools `keep` accepts (a sub-agent's narrower set).
    pub fn retain(&mut self, mut keep: impl FnMut(&dyn Tool) -> bool) {
        self.tools.retain(|tool| keep(tool.as_ref()));
    }

    pub fn names(&self) -> Vec<String> {
        self.tools.iter().map(|tool| tool.name().to_string()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Tool>> {
        self.tools.iter()
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
        fn name(&self) -> &str {
            "bash"
        }
        fn description(&self) -> &str {
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
                "view_image",
                "write_file",
                "edit_file",
                "multi_edit",
                "notebook_edit",
                "apply_patch",
                "list_dir",
                "search_files",
                "grep",
                "web_fetch",
                "todo_write",
                "ask_user_question",
                "exit_plan_mode",
                "enter_plan_mode",
                "enter_worktree",
                "exit_worktree"
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

    struct Named(String);

    #[async_trait]
    impl Tool for Named {
        fn name(&self) -> &str {
            &self.0
        }
        fn description(&self) -> &str {
            "a tool from a source"
        }
        fn input_schema(&self) -> Value {
            json!({"type": "object"})
        }
        async fn execute(&self, _input: Value) -> ToolResult {
            ToolResult::ok("")
        }
    }

    struct Source(std::sync::Mutex<Vec<Arc<dyn Tool>>>);

    impl ToolSource for Source {
        fn tools(&self) -> Vec<Arc<dyn Tool>> {
            self.0.lock().unwrap().clone()
        }
    }

    #[test]
    fn a_snapshot_holds_what_sources_offer_when_it_is_taken() {
        let context = Arc::new(ToolContext::new("/tmp", "/tmp/s", Duration::from_secs(1)));
        let mut registry = ToolRegistry::standard(context);
        let source = Arc::new(Source(std::sync::Mutex::new(vec![
            Arc::new(Named("mcp__db__query".into())) as Arc<dyn Tool>,
            // A source cannot shadow a built-in tool.
            Arc::new(Named("bash".into())),
        ])));
        registry.add_source(source.clone());
        let before = registry.snapshot();
        source.0.lock().unwrap().push(Arc::new(Named("mcp__db__write".into())));
        assert_eq!(before.len(), 21);
        assert!(before.get("mcp__db__query").is_some());
        assert!(before.get("mcp__db__write").is_none(), "a snapshot does not change");
        assert_eq!(
            before.get("bash").unwrap().description(),
            BashTool::new(Arc::new(ToolContext::new("/tmp", "/tmp/s", Duration::from_secs(1)))).description()
        );
        assert!(registry.snapshot().get("mcp__db__write").is_some());
    }

    #[test]
    fn calls_are_described_by_their_tool() {
        let context = Arc::new(ToolContext::new("/tmp", "/tmp/s", Duration::from_secs(1)));
        let tools = ToolRegistry::standard(context).snapshot();
        let call = tools.describe("t1", "bash", &json!({"command": "cargo test\necho done"}));
        assert_eq!(call.key_argument, "cargo test");
        assert_eq!(call.family, claurst_protocol::ToolFamily::Shell);
        let call = tools.describe("t2", "edit_file", &json!({"new_string": "x", "path": "src/lib.rs"}));
        assert_eq!(call.key_argument, "src/lib.rs");
        assert_eq!(call.family, claurst_protocol::ToolFamily::Edit);
        let call = tools.describe("t3", "teleport", &json!({"to": "mars"}));
        assert_eq!((call.display_title(), call.key_argument.as_str()), ("teleport", ""));
    }
}
