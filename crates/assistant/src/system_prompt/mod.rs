//! The system prompt: Claurst's instructions, the starting context and what the session brings, assembled in
//! sections under stable headings.
//!
//! Sections are ordered by how often they change, least first, because a prompt cache only reuses an unchanged
//! prefix: the instructions (and the model family's notes), the environment gathered at start, then the
//! session's fixed additions (memory, project instructions, skills, `--append-system-prompt`). What can change
//! between two requests of one session comes last: the output style, the MCP servers' notes (servers connect
//! while the user works) and the permission mode.

pub(crate) mod context;
mod sections;

pub use context::{Environment, GitContext};
pub use sections::ModelFamily;

use crate::config::ApprovalMode;
use claurst_protocol::PermissionMode;

/// Claurst's own instructions (spec/instructions.md says what they must cover).
const BASE_PROMPT: &str = include_str!("base.md");

/// The parts of the system prompt fixed when the agent is built.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemPrompt {
    /// `--system-prompt` (or a sub-agent's or planner's own instructions) in place of Claurst's; `None` keeps
    /// them. An empty replacement is an empty prompt: only `additions` are sent.
    pub replacement: Option<String>,
    /// The session's additions, in order: memory, project instructions, skills, `--append-system-prompt`.
    pub additions: Vec<String>,
}

/// What the sections after the fixed ones are made from at the time of a request.
#[derive(Debug, Clone, Copy)]
pub struct PromptState<'a> {
    pub family: ModelFamily,
    /// The `# Environment` section ([`Environment::section`]).
    pub environment: &'a str,
    /// The output style's instructions.
    pub style: &'a str,
    /// (server, instructions) of the connected MCP servers that gave any.
    pub mcp_servers: &'a [(String, String)],
    pub mode: PermissionMode,
    pub approval: &'a ApprovalMode,
}

impl SystemPrompt {
    /// Claurst's instructions (or `replacement`, when given) followed by `additions`.
    pub fn new(replacement: Option<&str>, additions: &[String]) -> Self {
        Self {
            replacement: replacement.map(|text| text.trim().to_string()),
            additions: additions.iter().filter(|section| !section.trim().is_empty()).cloned().collect(),
        }
    }

    /// Whether Claurst's own instructions were replaced.
    pub fn is_replaced(&self) -> bool {
        self.replacement.is_some()
    }

    /// The sections of one request, most stable first. A replaced prompt gets no model-family notes and no
    /// output style: its author decides how the model works and writes. An empty one gets nothing but the
    /// additions (no environment, no notes on MCP servers or the permission mode): whoever asked for an empty
    /// prompt wants the model to see only what they wrote.
    pub fn sections(&self, state: &PromptState<'_>) -> Vec<String> {
        let mut sections = Vec::with_capacity(self.additions.len() + 6);
        match self.replacement.as_deref() {
            Some("") => return self.additions.clone(),
            Some(replacement) => sections.push(replacement.to_string()),
            None => {
                sections.push(BASE_PROMPT.trim_end().to_string());
                sections.extend(state.family.notes().map(str::to_string));
            }
        }
        sections.push(state.environment.to_string());
        sections.extend(self.additions.iter().cloned());
        if !self.is_replaced() {
            sections.extend(sections::output_style(state.style));
        }
        sections.extend(sections::mcp_servers(state.mcp_servers));
        sections.push(sections::permission_mode(state.mode, state.approval));
        sections
    }
}

#[cfg(test)]
mod tests;

impl crate::agent::Agent {
    /// Start gathering the environment in the background, once. Without a tokio runtime nothing starts: the
    /// first request gathers it.
    pub(crate) fn start_gathering_environment(&self) {
        if self.environment.initialized() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let cell = std::sync::Arc::clone(&self.environment);
        let root = self.project_root.clone();
        runtime.spawn(async move {
            cell.get_or_init(|| async move { Environment::gather(&root).await.section() }).await;
        });
    }

    /// Wait until the environment is gathered (started here if nothing started it), so that every request of
    /// the session carries the same section. Bounded: each `git` process has its own timeout.
    pub(crate) async fn environment_ready(&self) {
        let root = self.project_root.clone();
        self.environment.get_or_init(|| async move { Environment::gather(&root).await.section() }).await;
    }

    /// The `# Environment` section: as gathered, or (before that finished) without the repository's state.
    pub(crate) fn environment_section(&self) -> String {
        self.environment.get().cloned().unwrap_or_else(|| Environment::basic(&self.project_root).section())
    }
}
