//! Reading a transcript back: every record, and the conversation as the model last saw it.

use super::wire::{self, DecodeError, Line};
use super::{Note, SessionMeta, TranscriptEntry, TranscriptRecord, UsageRecord};
use crate::compaction::summarised_history;
use crate::cost::{CostLedger, ModelCost};
use crate::error::SessionError;
use crate::history::{answer_interrupted_calls, push_merged};
use claurst_protocol::Message;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Read buffer for transcripts: large enough that a typical line needs no second read.
const READ_BUFFER: usize = 256 * 1024;

/// A session read back from its transcript.
#[derive(Debug, Clone)]
pub struct LoadedSession {
    pub path: PathBuf,
    pub meta: SessionMeta,
    /// Every record after the metadata line that could be read, in order: what a front-end replays to show
    /// the session's history, compaction boundaries and notes included.
    pub entries: Vec<TranscriptEntry>,
    /// The conversation as the model last saw it: after the last compaction boundary, the summary message
    /// followed by the messages kept and those added since. Ready to seed the agent's conversation: a tool
    /// call the session never answered (it was killed mid-tool) gets an error result saying so.
    pub messages: Vec<Message>,
    /// Tokens and cost of every request of the session, per model, as recorded, and of every sub-agent run.
    pub cost: CostLedger,
    /// Context occupied after the last request, unless a compaction happened since.
    pub context_tokens: Option<u64>,
    /// The model in use when the session stopped: the last model switch or request, else the starting model.
    pub model: String,
    /// Lines that were skipped, and why.
    pub warnings: Vec<LoadWarning>,
}

/// A line of a transcript that was skipped or read with a problem.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadWarning {
    /// 1-based line number in the file.
    pub line: usize,
    pub problem: LineProblem,
}

/// What was wrong with a line.
#[derive(Debug, Clone, PartialEq)]
pub enum LineProblem {
    /// The last line is incomplete: Claurst stopped while writing it. That one event is lost.
    Torn,
    /// A line that is not a valid record; the text says why.
    Corrupt(String),
    /// A record type written by a newer Claurst.
    UnknownType,
    /// A second metadata record.
    MisplacedMetadata,
    /// A compaction that claims to replace more messages than the history held; it replaced all of them.
    CompactionBeyondHistory { replaced: usize, available: usize },
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line;
        match &self.problem {
            LineProblem::Torn => write!(
                f,
                "line {line}, the last, is incomplete (Claurst stopped while writing it); that event was not restored"
            ),
            LineProblem::Corrupt(reason) => {
                write!(f, "line {line} is not a valid record ({reason}); skipped")
            }
            LineProblem::UnknownType => write!(
                f,
                "line {line} is a record type this version does not know (written by a newer Claurst?); skipped"
            ),
            LineProblem::MisplacedMetadata => write!(f, "line {line} repeats the session metadata; skipped"),
            LineProblem::CompactionBeyondHistory { replaced, available } => write!(
                f,
                "line {line}: a compaction replaced {replaced} messages but the history held {available}; \
                 the summary replaces all of them"
            ),
        }
    }
}

/// Read the transcript at `path`.
///
/// Lines are read one at a time through a buffered reader and decoded straight into typed records. An
/// incomplete last line (a write cut short by the process dying) and any unreadable line are skipped with a
/// [`LoadWarning`] naming the line; only a file whose first line is not session metadata is an error.
pub fn load(path: &Path) -> Result<LoadedSession, SessionError> {
    let read_error = |source| SessionError::Read { path: path.to_path_buf(), source };
    let file = File::open(path).map_err(read_error)?;
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut line = 0;
    let mut replay: Option<Replay> = None;
    let mut warnings = Vec::new();
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer).map_err(read_error)? == 0 {
            break;
        }
        line += 1;
        let complete = buffer.last() == Some(&b'\n');
        let bytes = buffer.trim_ascii_end();
        if bytes.is_empty() {
            continue;
        }
        let decoded = wire::decode(bytes);
        let Some(replay) = replay.as_mut() else {
            replay = Some(Replay::new(first_line_meta(path, decoded, complete)?));
            continue;
        };
        match decoded {
            Ok(Line::Entry(entry)) => replay.apply(entry, line, &mut warnings),
            Ok(Line::Meta(_)) => warnings.push(LoadWarning { line, problem: LineProblem::MisplacedMetadata }),
            Err(error) => warnings.push(LoadWarning { line, problem: classify(error, complete) }),
        }
    }
    let replay = replay.ok_or_else(|| SessionError::NotATranscript {
        path: path.to_path_buf(),
        problem: "the file is empty".into(),
    })?;
    Ok(replay.finish(path, warnings))
}

fn first_line_meta(
    path: &Path,
    decoded: Result<Line, DecodeError>,
    complete: bool,
) -> Result<SessionMeta, SessionError> {
    let problem = match decoded {
        Ok(Line::Meta(meta)) => return Ok(meta),
        Ok(Line::Entry(_)) => "it is a different record".to_string(),
        Err(_) if !complete => "it is incomplete: Claurst stopped while creating the session".to_string(),
        Err(error) => error.to_string(),
    };
    Err(SessionError::NotATranscript { path: path.to_path_buf(), problem })
}

/// A line without its newline was cut short by the writer dying; anything else unreadable is corrupt.
fn classify(error: DecodeError, complete: bool) -> LineProblem {
    match error {
        DecodeError::UnknownType => LineProblem::UnknownType,
        _ if !complete => LineProblem::Torn,
        other => LineProblem::Corrupt(other.to_string()),
    }
}

/// The state rebuilt by replaying records in order.
struct Replay {
    meta: SessionMeta,
    entries: Vec<TranscriptEntry>,
    messages: Vec<Message>,
    cost: CostLedger,
    context_tokens: Option<u64>,
    model: String,
}

impl Replay {
    fn new(meta: SessionMeta) -> Self {
        Self {
            model: meta.model.clone(),
            meta,
            entries: Vec::new(),
            messages: Vec::new(),
            cost: CostLedger::new(),
            context_tokens: None,
        }
    }

    fn apply(&mut self, entry: TranscriptEntry, line: usize, warnings: &mut Vec<LoadWarning>) {
        match &entry.record {
            TranscriptRecord::User { message }
            | TranscriptRecord::Assistant { message, .. }
            | TranscriptRecord::ToolResults { message } => push_merged(&mut self.messages, message.clone()),
            TranscriptRecord::Usage(usage) => self.apply_usage(usage),
            TranscriptRecord::Compaction(compaction) => {
                let available = self.messages.len();
                if compaction.replaced_messages > available {
                    warnings.push(LoadWarning {
                        line,
                        problem: LineProblem::CompactionBeyondHistory {
                            replaced: compaction.replaced_messages,
                            available,
                        },
                    });
                }
                let replaced = compaction.replaced_messages.min(available);
                let recent = self.messages.split_off(replaced);
                self.messages = summarised_history(replaced, recent, &compaction.summary);
                self.context_tokens = None;
            }
            TranscriptRecord::Note(Note::ModelChanged { model }) => self.model.clone_from(model),
            TranscriptRecord::Note(_) => {}
        }
        self.entries.push(entry);
    }

    fn apply_usage(&mut self, usage: &UsageRecord) {
        if let Some(agent) = &usage.agent {
            // A sub-agent's spend: it ran on its own model and context, so the session's are left alone.
            self.cost.record_subagent(agent, &subagent_cost(usage));
            return;
        }
        self.cost.record_cost(&usage.model, &usage.usage, usage.cost_usd);
        self.context_tokens = Some(usage.context_tokens);
        if !usage.model.is_empty() {
            self.model.clone_from(&usage.model);
        }
    }

    fn finish(mut self, path: &Path, warnings: Vec<LoadWarning>) -> LoadedSession {
        let interrupted = answer_interrupted_calls(&mut self.messages);
        if interrupted > 0 {
            tracing::info!(path = %path.display(), interrupted, "answered tool calls the session never finished");
        }
        tracing::debug!(
            path = %path.display(),
            messages = self.messages.len(),
            skipped_lines = warnings.len(),
            "transcript loaded"
        );
        LoadedSession {
            path: path.to_path_buf(),
            meta: self.meta,
            entries: self.entries,
            messages: self.messages,
            cost: self.cost,
            context_tokens: self.context_tokens,
            model: self.model,
            warnings,
        }
    }
}

/// A sub-agent usage line as ledger input. One run uses one model at one price, so its cost is either known
/// (`cost_usd` written) or unknown (absent).
fn subagent_cost(usage: &UsageRecord) -> ModelCost {
    ModelCost {
        model: usage.model.clone(),
        requests: usage.requests,
        usage: usage.usage,
        cost_usd: usage.cost_usd.unwrap_or(0.0),
        price_unknown: usage.cost_usd.is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_line_without_its_newline_is_torn() {
        let json_error = || DecodeError::Json(serde_json::from_slice::<u8>(b"x").unwrap_err());
        assert_eq!(classify(json_error(), false), LineProblem::Torn);
        assert!(matches!(classify(json_error(), true), LineProblem::Corrupt(_)));
        assert_eq!(classify(DecodeError::UnknownType, false), LineProblem::UnknownType);
    }

    #[test]
    fn warnings_name_the_line() {
        let warning = LoadWarning { line: 812, problem: LineProblem::Torn };
        assert!(warning.to_string().starts_with("line 812, the last, is incomplete"));
    }
}
