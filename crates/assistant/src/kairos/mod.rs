//! KAIROS, the proactive mode: the agent wakes on ticks, looks at what changed, and acts when acting is cheap
//! and safe (see spec/kairos.md). Compiled only with the `proactive` feature.
//!
//! One job per module: `log` (the append-only daily log), `schedule` (when a tick may call the model),
//! `files`, `git`, `commands` and `watch` (the sources of change), `changes` (gathering them), `prompt`
//! (the `<tick>` text), `defer` (tool calls past the blocking budget) and `runtime` (what the session calls).

pub mod bench;
mod changes;
mod commands;
mod defer;
mod files;
mod git;
pub mod log;
mod prompt;
pub mod pull_requests;
mod runtime;
mod schedule;
pub mod send_file;
pub mod watch;

pub use changes::Pending;
pub use log::{DailyLog, LogEntry, LogKind};
pub use prompt::tick_prompt;
pub use send_file::SendUserFileTool;
pub use watch::Watch;

pub(crate) use commands::tap;
pub(crate) use defer::TickBudget;
pub(crate) use runtime::{Kairos, TickRun};

use std::sync::Arc;

/// The outside sources a session's ticks poll (the pull-request watcher), given to it through
/// `SessionOptions::kairos_watches`; none by default.
#[derive(Clone, Default)]
pub struct Watches(pub Vec<Arc<dyn Watch>>);

impl std::fmt::Debug for Watches {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let watched: Vec<String> = self.0.iter().flat_map(|watch| watch.watched()).collect();
        formatter.debug_tuple("Watches").field(&watched).finish()
    }
}
