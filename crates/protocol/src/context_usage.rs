//! What fills the model's context window, by category (`/context`): computed by the agent from the parts
//! of the next request, drawn by a front-end as a grid.

use serde::{Deserialize, Serialize};

/// The context window and what the next request would put in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextUsage {
    /// The model the figures are for, as the user names it.
    pub model: String,
    /// The model's context window, in tokens.
    pub window: u64,
    /// What occupies the window, in request order; free space is `window` minus their sum (and minus
    /// `reserved`).
    pub categories: Vec<ContextCategory>,
    /// Tokens kept free for automatic compaction (the window above the threshold); zero when it is off.
    pub reserved: u64,
}

/// One kind of content and the tokens it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextCategory {
    pub kind: ContextKind,
    pub tokens: u64,
}

/// The kinds of content a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextKind {
    /// Claurst's instructions, the environment, the output style, the permission mode.
    SystemPrompt,
    /// Definitions of the built-in tools.
    Tools,
    /// Memory, CLAURST.md and other instruction files, skills' summaries, appended prompts.
    Instructions,
    /// Definitions of MCP servers' tools.
    McpTools,
    /// The conversation.
    Messages,
}

impl ContextKind {
    /// The name a legend shows.
    pub fn label(self) -> &'static str {
        match self {
            ContextKind::SystemPrompt => "System prompt",
            ContextKind::Tools => "System tools",
            ContextKind::Instructions => "Memory files",
            ContextKind::McpTools => "MCP tools",
            ContextKind::Messages => "Messages",
        }
    }
}

impl ContextUsage {
    /// Tokens the categories take together.
    pub fn used(&self) -> u64 {
        self.categories.iter().map(|category| category.tokens).sum()
    }

    /// Tokens left before the window (less the compaction reserve) is full.
    pub fn free(&self) -> u64 {
        self.window.saturating_sub(self.used()).saturating_sub(self.reserved)
    }

    /// `tokens` as a percentage of the window, rounded to one decimal.
    pub fn percent(&self, tokens: u64) -> f64 {
        if self.window == 0 {
            return 0.0;
        }
        (tokens as f64 * 1000.0 / self.window as f64).round() / 10.0
    }
}
