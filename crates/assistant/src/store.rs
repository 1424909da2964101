//! Where a session's transcript lives: creating it, listing the project's sessions, reopening one.

use crate::conversation::{Conversation, Transcript};
use crate::error::AgentError;
use claurst_config::ClaurstPaths;
use claurst_protocol::{HistoryItem, SessionChoice};
use claurst_session::transcript::{self, find_session, list_sessions};
use claurst_session::{Note, SessionMeta, TranscriptEntry, TranscriptRecord, TranscriptWriter};
use std::path::PathBuf;
use time::OffsetDateTime;
use time::macros::format_description;

/// The project's session store under `~/.claurst/projects/`.
#[derive(Debug, Clone)]
pub struct SessionStore {
    pub paths: ClaurstPaths,
    pub project_root: PathBuf,
    /// Where Claurst was started (recorded in new transcripts).
    pub cwd: PathBuf,
}

/// A saved session opened again: its conversation (writing on to the same file) and its past.
pub struct ResumedSession {
    pub session_id: String,
    pub model: String,
    pub conversation: Conversation,
    pub history: Vec<HistoryItem>,
    /// Lines of the transcript that were skipped (a torn last line after a crash, …).
    pub warnings: Vec<String>,
}

impl SessionStore {
    /// A new transcript for a session starting now with `model`.
    pub fn create(&self, model: &str) -> Result<Transcript, AgentError> {
        self.create_with_id(model, None)
    }

    /// A new transcript for a session starting now with `model`, under `id` when given (else a fresh one).
    /// An id already saved for this project is an error: a transcript is never written by two sessions.
    pub fn create_with_id(&self, model: &str, id: Option<&str>) -> Result<Transcript, AgentError> {
        let mut meta = SessionMeta::new(&self.cwd, &self.project_root, model);
        if let Some(id) = id {
            meta.session_id = id.to_string();
        }
        Ok(Transcript::new(TranscriptWriter::create(&self.paths.projects_dir(), &meta)?))
    }

    /// Whether a session of this project was saved under exactly `id`.
    pub fn contains(&self, id: &str) -> bool {
        claurst_session::session_path(&self.paths.projects_dir(), &self.project_root, id).is_file()
    }

    /// Reopen the session whose id is or starts with `id` as a new session (under `new_id`, else a fresh id):
    /// its records are copied into a new transcript, which the conversation goes on writing; the saved
    /// session stays as it was.
    pub fn fork(&self, id: &str, new_id: Option<&str>) -> Result<ResumedSession, AgentError> {
        let summary = find_session(&self.paths.projects_dir(), &self.project_root, id)?;
        let mut loaded = transcript::load(&summary.path)?;
        let mut meta = SessionMeta::new(&self.cwd, &self.project_root, &loaded.model);
        if let Some(new_id) = new_id {
            meta.session_id = new_id.to_string();
        }
        let mut writer = TranscriptWriter::create(&self.paths.projects_dir(), &meta)?;
        for entry in &loaded.entries {
            writer.append_entry(entry)?;
        }
        let warnings = skipped_lines(&loaded);
        let history = history_items(std::mem::take(&mut loaded.entries));
        Ok(ResumedSession {
            session_id: meta.session_id.clone(),
            model: loaded.model.clone(),
            history,
            conversation: Conversation::resumed(loaded, Some(Transcript::new(writer))),
            warnings,
        })
    }

    /// The project's sessions with at least one message, newest first: a session just started (this one,
    /// before its first prompt) has nothing to continue.
    pub fn list(&self) -> Result<Vec<SessionChoice>, AgentError> {
        let sessions = list_sessions(&self.paths.projects_dir(), &self.project_root)?;
        Ok(sessions
            .into_iter()
            .filter(|session| session.message_count > 0)
            .map(|session| SessionChoice {
                session_id: session.session_id,
                first_prompt: session.first_prompt,
                modified: format_time(OffsetDateTime::from(session.modified)),
                size_bytes: session.size_bytes,
                message_count: session.message_count,
            })
            .collect())
    }

    /// The most recently written session, if any.
    pub fn latest(&self) -> Result<Option<String>, AgentError> {
        Ok(self.list()?.into_iter().next().map(|session| session.session_id))
    }

    /// Reopen the session whose id is or starts with `id`.
    pub fn resume(&self, id: &str) -> Result<ResumedSession, AgentError> {
        let summary = find_session(&self.paths.projects_dir(), &self.project_root, id)?;
        let mut loaded = transcript::load(&summary.path)?;
        let transcript = Transcript::new(TranscriptWriter::append_to(&loaded)?);
        let warnings = skipped_lines(&loaded);
        // A long session is tens of megabytes: its records move into the history shown, never copied.
        let history = history_items(std::mem::take(&mut loaded.entries));
        Ok(ResumedSession {
            session_id: loaded.meta.session_id.clone(),
            model: loaded.model.clone(),
            history,
            conversation: Conversation::resumed(loaded, Some(transcript)),
            warnings,
        })
    }
}

/// The past of a loaded session (its `entries`), for front-ends to show.
pub fn history_items(entries: Vec<TranscriptEntry>) -> Vec<HistoryItem> {
    entries
        .into_iter()
        .filter_map(|entry| match entry.record {
            TranscriptRecord::User { message }
            | TranscriptRecord::Assistant { message, .. }
            | TranscriptRecord::ToolResults { message } => Some(HistoryItem::Message(message)),
            TranscriptRecord::Compaction(compaction) => {
                Some(HistoryItem::Compacted { summary: compaction.summary })
            }
            TranscriptRecord::Note(Note::Interrupted) => Some(HistoryItem::Note("Interrupted.".into())),
            TranscriptRecord::Note(Note::RunFailed { message }) => {
                Some(HistoryItem::Note(format!("Error: {message}")))
            }
            TranscriptRecord::Note(Note::ModelChanged { model }) => {
                Some(HistoryItem::Note(format!("Model set to {model}")))
            }
            TranscriptRecord::Note(Note::Resumed) => Some(HistoryItem::Note("Session resumed.".into())),
            TranscriptRecord::Usage(_) => None,
        })
        .collect()
}

/// The transcript's lines that could not be read, one warning each.
fn skipped_lines(loaded: &transcript::LoadedSession) -> Vec<String> {
    loaded
        .warnings
        .iter()
        .map(|warning| {
            format!("{}: line {}: {:?} (skipped)", loaded.path.display(), warning.line, warning.problem)
        })
        .collect()
}

fn format_time(time: OffsetDateTime) -> String {
    time.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_default()
}
