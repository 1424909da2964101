//! MCP servers as front-ends see them, and what front-ends may ask of them.

use serde::{Deserialize, Serialize};

/// One configured MCP server and how it is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpServerView {
    pub name: String,
    /// Where it was defined, as users read it (`user`, `project (.mcp.json)`, …).
    pub scope: String,
    /// What starts or is reached, as written in the definition: the command line, or the URL.
    pub target: String,
    pub status: McpServerStatus,
    /// The names the model sees (`mcp__<server>__<tool>`) while the server is ready.
    pub tools: Vec<String>,
    /// The server's prompts, offered as `/mcp__<server>__<prompt>` commands.
    #[serde(default)]
    pub prompts: Vec<McpPromptView>,
    /// The server's resources, which prompts mention as `@<server>:<uri>`: URI and name.
    #[serde(default)]
    pub resources: Vec<(String, String)>,
}

/// Where a server is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum McpServerStatus {
    /// Defined by the project and not yet approved by the user for this project: it has not started.
    NeedsApproval,
    /// The user refused to start it for this project.
    Denied,
    /// `enabled = false`, or turned off in `/mcp`.
    Disabled,
    /// Its process or connection is being set up.
    Starting,
    Ready,
    /// It could not start, or it stopped; `reason` says why, in the user's words.
    Failed {
        reason: String,
    },
}

impl McpServerStatus {
    /// The word `system/init` and `/mcp` use (`pending`, `connected`, …).
    pub fn label(&self) -> &'static str {
        match self {
            McpServerStatus::NeedsApproval => "needs-approval",
            McpServerStatus::Denied => "denied",
            McpServerStatus::Disabled => "disabled",
            McpServerStatus::Starting => "pending",
            McpServerStatus::Ready => "connected",
            McpServerStatus::Failed { .. } => "failed",
        }
    }
}

/// A prompt a server offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpPromptView {
    /// The prompt's own name (without the `mcp__<server>__` prefix).
    pub name: String,
    pub description: String,
    /// Its arguments in order: name and whether it is required.
    pub arguments: Vec<(String, bool)>,
}

/// What a front-end may ask about MCP servers (carried by `Op::Mcp`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum McpRequest {
    /// Start a project server the user approved for this project (remembered), or refuse it (remembered).
    Trust { server: String, choice: TrustChoice },
    /// Stop and start a server again.
    Reconnect { server: String },
    /// Turn a server on or off for this session.
    SetEnabled { server: String, enabled: bool },
    /// Run a server's prompt with these arguments, and send what it returns as the user's prompt.
    RunPrompt { server: String, prompt: String, arguments: Vec<(String, String)> },
}

/// The user's answer to "may this project's definition run?" (an MCP server, the project's hooks); remembered
/// for the project until the definition changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustChoice {
    Approve,
    Deny,
}
