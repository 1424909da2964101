//! Claurst as an MCP client: the servers the user configured, started in the background, their tools
//! offered to the model, their resources and prompts reachable from the composer.
//!
//! One `McpManager` owns every server of a session. Each admitted and enabled server gets one background
//! task that connects, lists what the server offers, and follows its life (list changes, crashes). Tool
//! calls run on the caller's task: dropping the call future cancels the request on the server.

mod cache;
mod calls;
mod connection;
mod handler;
mod lifecycle;
mod manager;
mod naming;
mod prompts;
mod resources;
mod results;
mod sdk;
mod sse_legacy;
mod state;
mod stdio;
mod tool;

pub use manager::McpManager;
pub use sdk::SdkMcpBridge;

use std::path::PathBuf;
use std::sync::Arc;

/// Text results longer than this many characters are capped and saved, as bash output is.
pub const DEFAULT_MAX_RESULT_CHARS: usize = 25_000;

/// Where a session's MCP servers work and where their oversized results go.
#[derive(Debug, Clone)]
pub struct McpOptions {
    /// A stdio server's working directory when its definition names none.
    pub project_root: PathBuf,
    /// The folder oversized results are saved in (the session's `tool-output`, which the permission engine
    /// lets the model read); made when first needed.
    pub tool_output: PathBuf,
    /// Text results longer than this many characters are capped; the whole is saved in `tool_output`.
    pub max_result_chars: usize,
    /// Where each server's last tool list is kept, to offer while it starts (`~/.claurst/mcp-cache`);
    /// `None` keeps nothing.
    pub tool_cache: Option<PathBuf>,
    /// The way to servers of `"type": "sdk"`, which the driving program serves in-process; `None`: they
    /// fail to start (no program serves them).
    pub sdk_bridge: Option<Arc<dyn SdkMcpBridge>>,
}

impl McpOptions {
    pub fn new(project_root: impl Into<PathBuf>, tool_output: impl Into<PathBuf>) -> Self {
        Self {
            project_root: project_root.into(),
            tool_output: tool_output.into(),
            max_result_chars: DEFAULT_MAX_RESULT_CHARS,
            tool_cache: None,
            sdk_bridge: None,
        }
    }
}

/// Whether a server may start, as decided by its scope and the user's trust for this project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Trusted (user-scoped, from the command line, or approved for this project).
    Start,
    /// Defined by the project and not yet approved: it does not start until `approve`.
    NeedsApproval,
    /// The user refused it for this project.
    Denied,
}

/// What went wrong with a request about a server; messages are shown to the user as they are.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    #[error("no MCP server is named `{0}`")]
    UnknownServer(String),
    #[error("MCP server `{server}` is not ready ({status})")]
    NotReady { server: String, status: String },
    #[error("MCP server `{server}` has no prompt named `{prompt}`")]
    UnknownPrompt { server: String, prompt: String },
    #[error("MCP server `{server}` did not answer within {seconds} s")]
    Timeout { server: String, seconds: u64 },
    #[error("MCP server `{server}` failed the request: {message}")]
    Request { server: String, message: String },
}
