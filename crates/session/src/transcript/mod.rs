//! Session transcripts: one append-only JSON-lines file per session.
//!
//! The first line is the session's metadata; every later line is one [`TranscriptRecord`] with the time it
//! was written. Replaying the records in order rebuilds the conversation exactly as the model last saw it
//! (see [`LoadedSession::messages`]). The wire format is specified in `spec/sessions.md`.

mod listing;
mod loader;
mod wire;
mod writer;

pub use listing::{SessionSummary, filter_sessions, find_session, latest_session, list_sessions};
pub use loader::{LineProblem, LoadWarning, LoadedSession, load};
pub use writer::TranscriptWriter;

use claurst_protocol::{Message, StopReason, Usage};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use time::OffsetDateTime;

/// Version of the transcript format, written in the metadata line. Readers accept older versions.
pub const FORMAT_VERSION: u32 = 1;

/// Facts about a session, written as the first line of its transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionMeta {
    pub session_id: String,
    /// The directory Claurst was started in.
    pub cwd: PathBuf,
    /// The project root the session belongs to (it names the transcript's directory).
    pub project_root: PathBuf,
    /// The model at the start of the session.
    pub model: String,
    pub created: OffsetDateTime,
    /// The Claurst version that created the session.
    pub claurst_version: String,
    /// [`FORMAT_VERSION`] of the writer that created the file.
    pub format_version: u32,
    /// For a sub-agent's transcript, the id of the session that delegated to it; `None` for a session the
    /// user started (written only when set).
    pub parent_session_id: Option<String>,
}

impl SessionMeta {
    /// Metadata for a new session with a fresh id, created now by this version of Claurst.
    pub fn new(cwd: impl Into<PathBuf>, project_root: impl Into<PathBuf>, model: impl Into<String>) -> Self {
        Self {
            session_id: crate::project::new_session_id(),
            cwd: cwd.into(),
            project_root: project_root.into(),
            model: model.into(),
            created: OffsetDateTime::now_utc(),
            claurst_version: env!("CARGO_PKG_VERSION").to_string(),
            format_version: FORMAT_VERSION,
            parent_session_id: None,
        }
    }

    /// Metadata for a sub-agent's conversation started now by the session `parent_session_id`, with a fresh
    /// id. Its transcript goes to [`subagent_transcript_path`](crate::subagent_transcript_path).
    pub fn for_subagent(
        cwd: impl Into<PathBuf>,
        project_root: impl Into<PathBuf>,
        model: impl Into<String>,
        parent_session_id: impl Into<String>,
    ) -> Self {
        Self { parent_session_id: Some(parent_session_id.into()), ..Self::new(cwd, project_root, model) }
    }
}

/// One event of a session after its metadata line.
///
/// Every message added to the model's history must be recorded, in order, as `User`, `Assistant` or
/// `ToolResults`; consecutive messages of the same role are merged on replay, as the agent's conversation
/// merges them, so recording them one by one is always right.
#[derive(Debug, Clone, PartialEq)]
pub enum TranscriptRecord {
    /// A user message: normally a prompt the user typed; also notes the agent adds for the model (such as
    /// the marker left after an interrupted reply).
    User { message: Message },
    /// A complete assistant message, with thinking blocks and `tool_use` blocks exactly as received.
    Assistant { message: Message, stop_reason: Option<StopReason> },
    /// The user message carrying the results of the previous assistant message's tool calls.
    ToolResults { message: Message },
    /// Tokens and cost of one model request, or of one sub-agent run (see [`UsageRecord::agent`]).
    Usage(UsageRecord),
    /// The conversation was compacted: older messages were replaced by a summary.
    Compaction(CompactionRecord),
    /// Something the user saw happen that does not change the conversation.
    Note(Note),
}

impl TranscriptRecord {
    /// The message this record adds to the history, if any.
    pub fn message(&self) -> Option<&Message> {
        match self {
            Self::User { message } | Self::Assistant { message, .. } | Self::ToolResults { message } => {
                Some(message)
            }
            _ => None,
        }
    }
}

/// A record with the time it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptEntry {
    pub timestamp: OffsetDateTime,
    pub record: TranscriptRecord,
}

/// Usage of one model request of the conversation, or of all the requests of one sub-agent run.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRecord {
    /// The model that served the request(s).
    pub model: String,
    pub usage: Usage,
    /// What the request(s) cost, in US dollars, at the prices in force when they were made; `None` when the
    /// model's price was unknown (written without `cost_usd`).
    pub cost_usd: Option<f64>,
    /// Tokens of the context window the conversation occupied after the request. For a sub-agent's spend,
    /// the conversation's value at the time, unchanged by it (replay ignores it).
    pub context_tokens: u64,
    /// `Some(label)` when this is a sub-agent's spend recorded in the parent's transcript (the label names
    /// the agent and its task, such as `explore: Find the config loader`); `None` for the conversation's own
    /// request. Replay adds sub-agent spend to the ledger without changing the session's model or context.
    pub agent: Option<String>,
    /// Model requests this record covers: 1 for the conversation's own; written only with `agent` (a missing
    /// field reads as 1).
    pub requests: u64,
}

/// A compaction boundary. On replay, the first `replaced_messages` messages of the history so far are
/// replaced by the summary and the rest are kept (see `compaction::apply_summary`).
#[derive(Debug, Clone, PartialEq)]
pub struct CompactionRecord {
    /// The summary text the model wrote.
    pub summary: String,
    /// How many messages of the history (as merged on replay) the summary replaced.
    pub replaced_messages: usize,
    pub trigger: CompactionTrigger,
    /// What the user asked the summary to focus on (`/compact <instructions>`).
    pub instructions: Option<String>,
    /// Context tokens before compacting, when known.
    pub context_tokens_before: Option<u64>,
}

/// Who started a compaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompactionTrigger {
    /// `/compact`.
    Manual,
    /// The context passed `[session] auto_compact_threshold`.
    Auto,
}

/// An event worth showing when a session is replayed, which does not change the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// The user interrupted a run.
    Interrupted,
    /// A run ended with an error; the text is what the user was shown.
    RunFailed { message: String },
    /// The user switched model.
    ModelChanged { model: String },
    /// The session was resumed (by `--continue`, `--resume` or `/resume`).
    Resumed,
}
