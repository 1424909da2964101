//! KAIROS, the proactive mode, as front-ends see it.
//!
//! The agent wakes on a timer ("ticks"), looks at what changed since the last tick, and decides whether to act.
//! Front-ends show its state (`KairosView`), the files it pushes to the user (`SentFile`), and the day's log;
//! they ask it to pause, resume or report through `Op::Kairos`. A tick that acts is an ordinary run: it begins
//! with `AgentEvent::RunStarted` (its prompt is the short summary front-ends show, see `TickStarted`) and ends
//! with `RunFinished`, so everything a front-end already renders for a turn works for a tick.

use serde::{Deserialize, Serialize};

/// What a front-end asks of KAIROS (`/kairos …` in the TUI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum KairosRequest {
    /// Answer with `KairosEvent::Status`.
    Status,
    /// No tick starts until `Resume` (a tick running now finishes).
    Pause,
    Resume,
    /// Answer with `KairosEvent::Log` for `day` (`YYYY-MM-DD`, today when absent).
    ReadLog {
        day: Option<String>,
    },
}

/// Everything KAIROS tells a front-end (carried by `AgentEvent::Kairos`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KairosEvent {
    /// The state changed (sent at start, after every tick, on pause/resume, and when asked).
    Status(KairosView),
    /// A tick found something to act on; the run that follows is the tick's.
    TickStarted {
        /// Counts ticks that called the model, from 1 in this process.
        number: u64,
        /// One line per change the tick carries ("2 files changed: src/a.rs, src/b.rs").
        changes: Vec<String>,
    },
    /// A tick came due and made no model call.
    TickSkipped { reason: TickSkip },
    /// A tool call ran past the blocking budget and moved to the background.
    Deferred { job: DeferredJobView },
    /// A deferred tool call finished; its result goes to the model at the next tick.
    DeferredFinished { job: DeferredJobView },
    /// The agent pushed a file to the user (`send_user_file`).
    FileSent(SentFile),
    /// The answer to `KairosRequest::ReadLog`.
    Log { day: String, text: String },
}

/// Why a due tick made no model call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TickSkip {
    /// Nothing changed since the last tick.
    NothingChanged,
    /// The user is typing or a user turn runs; the tick comes again soon.
    UserBusy,
    Paused,
    /// `[kairos] max_ticks_per_hour` ticks already called the model in the last hour.
    HourlyLimit {
        limit: u32,
    },
    /// Today's spend reached `[kairos] daily_budget_usd`.
    DailyBudget {
        limit_usd: f64,
    },
}

/// KAIROS's state as front-ends show it (the KAIROS pane, `/kairos`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KairosView {
    pub paused: bool,
    /// When the next tick comes due, as RFC 3339 UTC; none while paused.
    pub next_tick_at: Option<String>,
    pub tick_interval_secs: u64,
    /// Ticks that called the model in the last hour, and the limit.
    pub ticks_last_hour: u32,
    pub max_ticks_per_hour: u32,
    /// What ticks cost today, and the cap.
    pub spent_today_usd: f64,
    pub daily_budget_usd: f64,
    /// One line: what the last tick that acted did (or why the last one did not).
    pub last_action: Option<String>,
    pub deferred: Vec<DeferredJobView>,
    /// Watched pull requests, as `owner/repo#number`.
    pub subscriptions: Vec<String>,
    /// Today's log file.
    pub log_path: String,
}

/// A tool call running past the blocking budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeferredJobView {
    pub id: String,
    pub tool: String,
    /// What the call does, in one line ("cargo test").
    pub summary: String,
    /// When it started, as RFC 3339 UTC.
    pub started_at: String,
    pub finished: bool,
}

/// A file the agent pushed to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentFile {
    /// The file as the agent named it (absolute).
    pub path: String,
    /// Why the agent sends it, in its words.
    pub message: String,
    /// The first lines of a text file, or a description of a binary one.
    pub preview: String,
    /// The copy kept beside the day's log.
    pub copy_path: String,
}
