//! Claurst's full-screen terminal interface.
//!
//! It draws the agent's typed event stream — streamed replies rendered as markdown, tool calls with live
//! status, approvals as keyboard-first modals — and turns keys into `Op`s sent back. It owns the terminal
//! (raw mode, alternate screen, restored on exit, panic and SIGTERM/SIGHUP) and draws only when something
//! changed, at most about 60 frames a second.
//!
//! It depends on the event protocol only: never on the agent loop, tools or the API client.

mod app;
mod clipboard_image;
mod commands;
#[cfg(feature = "buddy")]
mod companion;
mod completion;
mod composer;
pub mod diff;
mod event_loop;
#[cfg(feature = "proactive")]
mod kairos;
pub mod markdown;
mod notify;
mod render;
mod scheduler;
mod statusline_runner;
mod terminal;
mod theme;
pub mod transcript;
mod widgets;

pub use app::{App, Effect};
#[cfg(feature = "buddy")]
pub use companion::{CompanionOptions, NamingHandoff, NamingRequest, naming_channel};
pub use completion::FileIndex;
pub use event_loop::run;
pub use notify::{NotifyChannel, NotifySettings};
pub use render::draw;
pub use theme::{Theme, ThemeName};

use claurst_protocol::PermissionMode;
use std::path::PathBuf;

/// What the interface is told at start.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    /// The project root: `@` completion lists its files.
    pub project_root: PathBuf,
    /// The directory as shown in the status line (`~/code/app`).
    pub display_cwd: String,
    pub git_branch: Option<String>,
    /// `MODEL`, or `PROVIDER/MODEL` when the provider is not Anthropic.
    pub model: String,
    /// The extended-thinking budget at start; `None` is off.
    pub thinking: Option<u32>,
    /// The budget Tab switches thinking on with.
    pub thinking_budget: u32,
    /// What `/model` lists: each provider and the models known for it.
    pub models: Vec<ProviderModels>,
    pub permission_mode: PermissionMode,
    /// `off` is shown in the status line: commands run without the kernel sandbox.
    pub sandbox_mode: claurst_protocol::SandboxMode,
    pub context_window: u64,
    /// Where prompt history is kept; `None` keeps it in memory only.
    pub history_file: Option<PathBuf>,
    /// A prompt to send as soon as the interface is up (`claurst "prompt"`).
    pub initial_prompt: Option<String>,
    /// `/config`: the configuration in force, one line each.
    pub config_lines: Vec<String>,
    /// `[memory] auto_dream`, as `/config` shows and changes it.
    pub auto_dream: bool,
    /// `[ui] editor_mode = "vim"`: the composer starts with Vim-style editing.
    pub vim: bool,
    /// `[ui] statusline`: a command whose first line of output is the status line's left part.
    pub statusline: Option<String>,
    /// Shown as warnings in the transcript at start (unknown config keys, …).
    pub warnings: Vec<String>,
    /// `--resume` without an id: open the session picker at start.
    pub pick_session: bool,
    /// Terminal notifications: how, and after how long a run.
    pub notifications: NotifySettings,
    /// Show the welcome block at the top of the transcript (a new interactive session).
    pub welcome: bool,
    /// Claurst's version, as the welcome block shows it.
    pub version: String,
    /// The user's companion (feature `buddy`); `None` when switched off or its file could not be read.
    #[cfg(feature = "buddy")]
    pub companion: Option<CompanionOptions>,
    /// The palette at start (`[ui] theme`, `CLAURST_THEME`).
    pub theme: ThemeName,
}

/// One provider's models as `/model` lists them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderModels {
    pub provider: String,
    /// As the user names them (`MODEL` or `PROVIDER/MODEL`).
    pub models: Vec<String>,
}

/// Why the interface stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
}
