//! The agent: it streams the model's reply, runs the tools the model asks for (after the permission engine
//! and, when needed, the user agree), sends the results back, and repeats until the model ends its turn.
//!
//! Everything it does is reported as typed `AgentEvent`s; front-ends send `Op`s back through a
//! [`SessionHandle`]. The TUI and headless mode consume the same events and never reach into the loop.
//! The library API from the seed also works directly:
//! `Agent::new(AgentConfig { .. }).run(messages).await?.final_response()`.
//!
//! This crate must never depend on a terminal, a front-end or the CLI.

mod add_dir;
mod agent;
mod approval_tool;
mod bug_report;
mod checkpoints;
mod compaction;
mod config;
mod context_usage;
mod conversation;
mod custom_commands;
mod doctor;
mod dream;
mod error;
mod events;
mod hook_callbacks;
mod hook_points;
mod hooks;
mod image_input;
#[cfg(feature = "proactive")]
pub mod kairos;
mod mcp;
mod memory;
mod model_choice;
mod output_style;
mod permission_rules;
mod provider;
mod request;
mod run_scope;
mod sandbox;
mod served_tools;
mod session;
mod store;
mod subagents;
mod system_prompt;
mod tool_calls;
mod turn;
mod ultraplan;
mod user_requests;
mod user_settings;
mod user_shell;
mod web_search;
pub mod worktrees;
mod worktrees_command;

pub use agent::{Agent, AgentRun};
pub use claurst_tools::sandboxed_command;
#[cfg(feature = "proactive")]
pub use config::KairosSettings;
pub use config::{AgentConfig, AgentSettings, ApprovalMode, FlagRules, SandboxSettings};
pub use conversation::{Conversation, Transcript};
pub use dream::{
    DreamError, DreamOutcome, DreamProgress, DreamProgressSink, DreamRunConfig, RecordSource, record_session,
    run_dream,
};
pub use error::AgentError;
pub use hook_callbacks::HookCallbacks;
pub use hooks::{HookSettings, ProjectHooks};
pub use mcp::{McpSettings, McpStart, SdkMcpBridge};
pub use memory::SessionMemory;
pub use provider::{DEFAULT_PROVIDER, model_label, provider_key, split_model_spec};
pub use request::DEFAULT_THINKING_BUDGET;
pub use sandbox::sandbox_workspace;
pub use served_tools::{ServedTools, served_tools};
pub use session::{SessionHandle, SessionOptions, spawn_session, spawn_session_with};
pub use store::{ResumedSession, SessionStore, history_items};
pub use subagents::AgentTool;
pub use system_prompt::{Environment, GitContext, ModelFamily, PromptState, SystemPrompt};
pub use ultraplan::{PlanOutcome, ProgressSink, UltraplanError, UltraplanRun, run_ultraplan};

/// Re-exported so library users can build prompts without naming the protocol crate.
pub use claurst_protocol::Message;
/// Process-wide: adopt what commands abandon at start, kill every descendant at the end of the session.
pub use claurst_tools::{adopt_orphans, kill_descendants};
