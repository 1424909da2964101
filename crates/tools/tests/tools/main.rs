#![allow(clippy::unwrap_used)]
// Integration tests of every built-in tool, through the public registry, on real temporary directories.
// Panicking on a broken fixture is the right failure mode here.

mod access;
mod atomic_write;
mod background;
mod edit_file;
mod grep;
mod grep_vs_rg;
mod list_dir;
mod multi_edit;
mod read_file;
mod search_files;
mod todo_write;
mod web_fetch;
mod write_file;

use claurst_tools::{ToolContext, ToolOutcome, ToolRegistry, ToolResult};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A temporary project with the standard tools over it.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub context: Arc<ToolContext>,
    pub tools: ToolRegistry,
}

impl Project {
    #[allow(clippy::new_without_default)] // A fresh temporary directory is not a "default" value.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // Canonical, so paths the tools print match paths the tests build (macOS-style /tmp symlinks).
        let root = dir.path().canonicalize().unwrap();
        let context = Arc::new(ToolContext::new(&root, root.join(".session"), Duration::from_secs(10)));
        let tools = ToolRegistry::standard(Arc::clone(&context));
        Self { dir, context, tools }
    }

    pub fn root(&self) -> PathBuf {
        self.context.project_root()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    pub async fn call(&self, tool: &str, input: Value) -> ToolResult {
        self.run(tool, input).await.result
    }

    pub async fn run(&self, tool: &str, input: Value) -> ToolOutcome {
        self.tools.get(tool).unwrap().run(input).await
    }

    /// Call a tool that must succeed, returning its text.
    pub async fn ok(&self, tool: &str, input: Value) -> String {
        let result = self.call(tool, input).await;
        assert!(!result.is_error, "{tool} failed: {}", result.output);
        result.output
    }

    /// Call a tool that must fail, returning its message.
    pub async fn err(&self, tool: &str, input: Value) -> String {
        let result = self.call(tool, input).await;
        assert!(result.is_error, "{tool} should have failed: {}", result.output);
        result.output
    }
}
