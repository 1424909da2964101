//! The tools the model uses to read, search, edit and run code, and the registry that holds them.
//!
//! Every tool implements [`Tool`]: a name, a description and a JSON schema the model sees, and an async
//! `execute` that never panics and never returns a Rust error — failures become a [`ToolResult`] with
//! `is_error: true` and a message telling the model what to do next. Cancellation is by dropping the future:
//! tools that start processes kill them (and their whole process group) when dropped; background shells
//! live in the [`ToolContext`] and die with it. `spec/tools.md` is the behavioural contract.
//!
//! This crate must never depend on the agent loop, the API client or anything that knows what a terminal is.

mod apply_patch;
mod ask_user;
mod bash;
mod context;
mod edit;
mod edit_file;
mod files;
mod grep;
mod input;
mod list_dir;
mod long_output;
mod multi_edit;
mod notebook;
mod orphans;
mod plan_mode;
mod read_file;
mod registry;
mod search_files;
mod shell_sandbox;
mod shell_tools;
mod summary;
mod todo_write;
mod tool;
mod view_image;
mod walk;
mod web_fetch;
mod web_search;
mod worktree_tools;
mod write_file;

pub use apply_patch::ApplyPatchTool;
pub use ask_user::{ASK_USER_QUESTION, AskUserQuestionTool, answers_result, parse_questions};
pub use bash::{BackgroundShell, BackgroundShells, BashTool, ShellRead, ShellStatus, StartError};
/// One atomic write for the whole program: it lives with the configuration, the lowest crate that writes files.
pub use claurst_config::write_atomically;
pub use context::{EditObserver, FileSnapshot, FileTracker, ReadFilter, ToolContext};
pub use edit_file::EditFileTool;
pub use grep::GrepTool;
pub use list_dir::ListDirTool;
pub use long_output::present_long_text;
pub use multi_edit::MultiEditTool;
pub use notebook::NotebookEditTool;
pub use orphans::{adopt_orphans, kill_descendants};
pub use plan_mode::{ENTER_PLAN_MODE, EXIT_PLAN_MODE, EnterPlanModeTool, ExitPlanModeTool};
pub use read_file::ReadFileTool;
pub use registry::{ToolRegistry, ToolSet, ToolSource};
pub use search_files::SearchFilesTool;
pub use shell_sandbox::{
    Confinement, PendingNamespaceCheck, SandboxRefusal, ShellSandbox, ShellSandboxSettings,
    credential_variables, sandboxed_command,
};
pub use shell_tools::{BashOutputTool, KillShellTool};
pub use todo_write::TodoWriteTool;
pub use tool::{Tool, ToolOutcome, ToolResult, ToolUpdate, first_line_of};
pub use view_image::ViewImageTool;
pub use web_fetch::WebFetchTool;
pub use web_search::{DomainFilter, SearchHit, WebSearchTool};
pub use worktree_tools::{ENTER_WORKTREE, EXIT_WORKTREE, EnterWorktreeTool, ExitWorktreeTool};
pub use write_file::WriteFileTool;
