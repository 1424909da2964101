//! The tools the model uses to read, search, edit and run code, and the registry that holds them.
//!
//! Every tool implements [`Tool`]: a name, a description and a JSON schema the model sees, and an async
//! `execute` that never panics and never returns a Rust error — failures become a [`ToolResult`] with
//! `is_error: true` and a message telling the model what to do next. Cancellation is by dropping the future:
//! tools that start processes kill them (and their whole process group) when dropped.
//!
//! This crate must never depend on the agent loop, the API client or anything that knows what a terminal is.

mod bash;
mod context;
mod files;
mod input;
mod read_file;
mod registry;
mod tool;

pub use bash::BashTool;
pub use context::{FileSnapshot, FileTracker, ToolContext};
pub use read_file::ReadFileTool;
pub use registry::ToolRegistry;
pub use tool::{Tool, ToolOutcome, ToolResult, ToolUpdate};
