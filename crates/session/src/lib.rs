//! Durable sessions: transcripts, project instructions, compaction and cost.
//!
//! This crate owns what outlives one run of the model:
//! - [`transcript`]: an append-only JSON-lines file per session under `~/.claurst/projects/<project>/`, its
//!   loader (tolerant of a torn last line), and listing for `--continue`, `--resume` and `/resume`;
//! - [`instructions`]: discovery of `CLAURST.md`/`CLAUDE.md`/`AGENTS.md` files with `@path` imports, their
//!   system-prompt section, and the `/init` prompt;
//! - [`compaction`]: pure functions that split a history, ask for a structured summary and build the
//!   compacted history;
//! - [`checkpoint`]: what the files Claurst's tools changed held before each user turn, for rewinding;
//! - [`cost`]: per-model token and dollar totals for `/cost` and the headless result.
//!
//! It works on the protocol's wire types and plain files. It must never depend on the API client, the agent
//! loop or any front-end: the agent depends on this crate, never the other way round. The format and rules
//! are specified in `spec/sessions.md`.

pub mod checkpoint;
pub mod compaction;
pub mod cost;
mod error;
mod history;
pub mod instructions;
mod project;
pub mod transcript;

pub use checkpoint::{CheckpointError, Checkpoints, TurnCheckpoint};
pub use compaction::{apply_summary, compaction_request_messages, should_compact, split_for_compaction};
pub use cost::{CostLedger, ModelCost, SubagentCost, cost_text};
pub use error::SessionError;
pub use history::INTERRUPTED_TOOL_RESULT;
pub use instructions::{InstructionFile, InstructionScope, LoadedInstructions, load_instructions};
pub use project::{
    new_session_id, project_dir_name, project_sessions_dir, session_path, subagent_transcript_path,
    validate_session_id,
};
pub use transcript::{
    CompactionRecord, CompactionTrigger, LoadedSession, Note, SessionMeta, SessionSummary, TranscriptEntry,
    TranscriptRecord, TranscriptWriter, UsageRecord,
};
