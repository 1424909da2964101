//! Checkpoints and rewind as front-ends see them: the session's turns, and what a rewind did.

use serde::{Deserialize, Serialize};

/// One user turn a rewind can go back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnView {
    /// The turn's number in the session (from 1; never reused): what `Op::Rewind` names.
    pub turn: u32,
    /// The prompt that started it, as the user typed it.
    pub prompt: String,
    /// When it started, for people (`19:02`, UTC).
    pub time: String,
    /// The files Claurst's tools changed during it, relative to the project root when inside it.
    pub files: Vec<String>,
}

/// What a rewind puts back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreScope {
    /// The files and the conversation.
    Both,
    /// The conversation only; files stay as they are.
    Conversation,
    /// The files only; the conversation goes on.
    Code,
}

impl RestoreScope {
    pub fn restores_code(self) -> bool {
        matches!(self, RestoreScope::Both | RestoreScope::Code)
    }

    pub fn restores_conversation(self) -> bool {
        matches!(self, RestoreScope::Both | RestoreScope::Conversation)
    }
}

/// A file a rewind left as it was, and why (`changed outside Claurst since it wrote it; kept`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFileView {
    pub path: String,
    pub reason: String,
}

/// What a rewind did (the answer to `Op::Rewind`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewindReport {
    pub turn: u32,
    pub scope: RestoreScope,
    /// Files put back as they were before the turn (deleted when they did not exist then).
    pub restored: Vec<String>,
    /// Files left alone: changed by someone else since Claurst wrote them, or not restorable.
    pub skipped: Vec<SkippedFileView>,
    /// When the conversation was rewound: the turn's prompt, for the front-end to put back in the composer.
    pub prompt: Option<String>,
}
