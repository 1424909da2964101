//! The on-disk shape of a transcript line.
//!
//! Every line is one flat JSON object: `type`, `timestamp` and `session_id` first, then the fields of that
//! record type. Lines are (de)serialised through one wide struct of optional fields rather than a tagged
//! enum: serde buffers an internally tagged enum into an intermediate tree before building it, and loading a
//! 10,000-message session must stay well under the resume budget. The typed enum lives in `mod.rs`; these
//! structs are the wire schema and nothing else.

use super::{
    CompactionRecord, CompactionTrigger, FORMAT_VERSION, Note, SessionMeta, TranscriptEntry,
    TranscriptRecord, UsageRecord,
};
use claurst_protocol::{Message, StopReason, Usage};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::PathBuf;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RecordKind {
    Session,
    User,
    Assistant,
    ToolResults,
    Usage,
    Compaction,
    Note,
    /// A record type written by a newer Claurst.
    #[serde(other)]
    Unknown,
}

/// How every line that adds a message to the history begins, byte for byte. Listing counts messages by
/// these prefixes without parsing JSON; `encode_entry` puts `type` first so that they hold.
pub(crate) const MESSAGE_LINE_PREFIXES: [&[u8]; 3] =
    [br#"{"type":"user""#, br#"{"type":"assistant""#, br#"{"type":"tool_results""#];

#[derive(Serialize)]
struct LineOut<'a> {
    #[serde(rename = "type")]
    kind: RecordKind,
    #[serde(with = "time::serde::rfc3339")]
    timestamp: OffsetDateTime,
    session_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cwd: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_root: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claurst_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_session_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requests: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_reason: Option<&'a StopReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usage: Option<&'a Usage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_usd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced_messages: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger: Option<CompactionTrigger>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_tokens_before: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a Note>,
}

impl<'a> LineOut<'a> {
    fn new(kind: RecordKind, timestamp: OffsetDateTime, session_id: &'a str) -> Self {
        Self {
            kind,
            timestamp,
            session_id,
            format: None,
            cwd: None,
            project_root: None,
            claurst_version: None,
            parent_session_id: None,
            model: None,
            agent: None,
            requests: None,
            message: None,
            stop_reason: None,
            usage: None,
            cost_usd: None,
            context_tokens: None,
            summary: None,
            replaced_messages: None,
            trigger: None,
            instructions: None,
            context_tokens_before: None,
            note: None,
        }
    }
}

#[derive(Deserialize)]
struct LineIn {
    #[serde(rename = "type")]
    kind: RecordKind,
    #[serde(with = "time::serde::rfc3339")]
    timestamp: OffsetDateTime,
    session_id: Option<String>,
    format: Option<u32>,
    cwd: Option<String>,
    project_root: Option<String>,
    claurst_version: Option<String>,
    parent_session_id: Option<String>,
    model: Option<String>,
    agent: Option<String>,
    requests: Option<u64>,
    message: Option<Message>,
    stop_reason: Option<StopReason>,
    usage: Option<Usage>,
    cost_usd: Option<f64>,
    context_tokens: Option<u64>,
    summary: Option<String>,
    replaced_messages: Option<usize>,
    trigger: Option<CompactionTrigger>,
    instructions: Option<String>,
    context_tokens_before: Option<u64>,
    note: Option<Note>,
}

/// A decoded line.
#[derive(Debug)]
pub(crate) enum Line {
    Meta(SessionMeta),
    Entry(TranscriptEntry),
}

/// Why a line could not be decoded.
#[derive(Debug)]
pub(crate) enum DecodeError {
    Json(serde_json::Error),
    /// A known record type without one of its fields.
    Missing {
        kind: &'static str,
        field: &'static str,
    },
    /// A record type this version does not know.
    UnknownType,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Json(error) => write!(f, "{error}"),
            Self::Missing { kind, field } => write!(f, "a record of type `{kind}` without `{field}`"),
            Self::UnknownType => write!(f, "a record type this version of Claurst does not know"),
        }
    }
}

/// Append the metadata line, newline included, to `out`.
pub(crate) fn encode_meta(meta: &SessionMeta, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let mut line = LineOut::new(RecordKind::Session, meta.created, &meta.session_id);
    line.format = Some(meta.format_version);
    line.cwd = Some(meta.cwd.to_string_lossy());
    line.project_root = Some(meta.project_root.to_string_lossy());
    line.claurst_version = Some(&meta.claurst_version);
    line.parent_session_id = meta.parent_session_id.as_deref();
    line.model = Some(&meta.model);
    finish(&line, out)
}

/// Append one record's line, newline included, to `out`.
pub(crate) fn encode_entry(
    session_id: &str,
    timestamp: OffsetDateTime,
    record: &TranscriptRecord,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    let line = match record {
        TranscriptRecord::User { message } => {
            let mut line = LineOut::new(RecordKind::User, timestamp, session_id);
            line.message = Some(message);
            line
        }
        TranscriptRecord::Assistant { message, stop_reason } => {
            let mut line = LineOut::new(RecordKind::Assistant, timestamp, session_id);
            line.message = Some(message);
            line.stop_reason = stop_reason.as_ref();
            line
        }
        TranscriptRecord::ToolResults { message } => {
            let mut line = LineOut::new(RecordKind::ToolResults, timestamp, session_id);
            line.message = Some(message);
            line
        }
        TranscriptRecord::Usage(usage) => usage_line(usage, timestamp, session_id),
        TranscriptRecord::Compaction(compaction) => compaction_line(compaction, timestamp, session_id),
        TranscriptRecord::Note(note) => {
            let mut line = LineOut::new(RecordKind::Note, timestamp, session_id);
            line.note = Some(note);
            line
        }
    };
    finish(&line, out)
}

fn usage_line<'a>(usage: &'a UsageRecord, timestamp: OffsetDateTime, session_id: &'a str) -> LineOut<'a> {
    let mut line = LineOut::new(RecordKind::Usage, timestamp, session_id);
    line.model = Some(&usage.model);
    if let Some(agent) = &usage.agent {
        line.agent = Some(agent);
        line.requests = Some(usage.requests);
    }
    line.usage = Some(&usage.usage);
    line.cost_usd = usage.cost_usd;
    line.context_tokens = Some(usage.context_tokens);
    line
}

fn compaction_line<'a>(
    compaction: &'a CompactionRecord,
    timestamp: OffsetDateTime,
    session_id: &'a str,
) -> LineOut<'a> {
    let mut line = LineOut::new(RecordKind::Compaction, timestamp, session_id);
    line.summary = Some(&compaction.summary);
    line.replaced_messages = Some(compaction.replaced_messages);
    line.trigger = Some(compaction.trigger);
    line.instructions = compaction.instructions.as_deref();
    line.context_tokens_before = compaction.context_tokens_before;
    line
}

fn finish(line: &LineOut<'_>, out: &mut Vec<u8>) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.push(b'\n');
    Ok(())
}

/// Decode one line (without its newline).
pub(crate) fn decode(bytes: &[u8]) -> Result<Line, DecodeError> {
    let line: LineIn = serde_json::from_slice(bytes).map_err(DecodeError::Json)?;
    let timestamp = line.timestamp;
    let record = match line.kind {
        RecordKind::Session => return decode_meta(line).map(Line::Meta),
        RecordKind::User => TranscriptRecord::User { message: required(line.message, "user", "message")? },
        RecordKind::Assistant => TranscriptRecord::Assistant {
            message: required(line.message, "assistant", "message")?,
            stop_reason: line.stop_reason,
        },
        RecordKind::ToolResults => {
            TranscriptRecord::ToolResults { message: required(line.message, "tool_results", "message")? }
        }
        RecordKind::Usage => TranscriptRecord::Usage(UsageRecord {
            model: line.model.unwrap_or_default(),
            usage: required(line.usage, "usage", "usage")?,
            cost_usd: line.cost_usd,
            context_tokens: line.context_tokens.unwrap_or(0),
            agent: line.agent,
            requests: line.requests.unwrap_or(1),
        }),
        RecordKind::Compaction => TranscriptRecord::Compaction(CompactionRecord {
            summary: required(line.summary, "compaction", "summary")?,
            replaced_messages: required(line.replaced_messages, "compaction", "replaced_messages")?,
            trigger: line.trigger.unwrap_or(CompactionTrigger::Manual),
            instructions: line.instructions,
            context_tokens_before: line.context_tokens_before,
        }),
        RecordKind::Note => TranscriptRecord::Note(required(line.note, "note", "note")?),
        RecordKind::Unknown => return Err(DecodeError::UnknownType),
    };
    Ok(Line::Entry(TranscriptEntry { timestamp, record }))
}

fn decode_meta(line: LineIn) -> Result<SessionMeta, DecodeError> {
    Ok(SessionMeta {
        session_id: required(line.session_id, "session", "session_id")?,
        cwd: PathBuf::from(line.cwd.unwrap_or_default()),
        project_root: PathBuf::from(required(line.project_root, "session", "project_root")?),
        model: line.model.unwrap_or_default(),
        created: line.timestamp,
        claurst_version: line.claurst_version.unwrap_or_default(),
        format_version: line.format.unwrap_or(FORMAT_VERSION),
        parent_session_id: line.parent_session_id,
    })
}

fn required<T>(value: Option<T>, kind: &'static str, field: &'static str) -> Result<T, DecodeError> {
    value.ok_or(DecodeError::Missing { kind, field })
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::ContentBlock;
    use serde_json::json;
    use time::macros::datetime;

    fn encoded(record: TranscriptRecord) -> String {
        let mut out = Vec::new();
        let entry = TranscriptEntry { timestamp: datetime!(2026-01-02 03:04:05.5 UTC), record };
        encode_entry("s1", entry.timestamp, &entry.record, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lines_are_flat_objects_with_type_timestamp_and_session_first() {
        let line = encoded(TranscriptRecord::User { message: Message::user("hi") });
        assert_eq!(
            line,
            concat!(
                r#"{"type":"user","timestamp":"2026-01-02T03:04:05.5Z","session_id":"s1","#,
                r#""message":{"role":"user","content":[{"type":"text","text":"hi"}]}}"#,
                "\n"
            )
        );
        let note = encoded(TranscriptRecord::Note(Note::ModelChanged { model: "claude-opus-4-6".into() }));
        let value: serde_json::Value = serde_json::from_str(&note).unwrap();
        assert_eq!(value["note"], json!({"kind": "model_changed", "model": "claude-opus-4-6"}));
    }

    #[test]
    fn message_lines_start_with_the_listing_prefixes() {
        let message = Message::user("x");
        let records = [
            TranscriptRecord::User { message: message.clone() },
            TranscriptRecord::Assistant { message: Message::assistant("y"), stop_reason: None },
            TranscriptRecord::ToolResults {
                message: Message {
                    role: claurst_protocol::Role::User,
                    content: vec![ContentBlock::tool_result("t", "out", false)],
                },
            },
        ];
        for (record, prefix) in records.into_iter().zip(MESSAGE_LINE_PREFIXES) {
            assert!(encoded(record).as_bytes().starts_with(prefix));
        }
    }

    #[test]
    fn unknown_types_and_missing_fields_are_distinguished() {
        let unknown = br#"{"type":"hologram","timestamp":"2026-01-02T03:04:05Z","session_id":"s"}"#;
        assert!(matches!(decode(unknown), Err(DecodeError::UnknownType)));
        let missing = br#"{"type":"assistant","timestamp":"2026-01-02T03:04:05Z","session_id":"s"}"#;
        let error = decode(missing).unwrap_err();
        assert_eq!(error.to_string(), "a record of type `assistant` without `message`");
        assert!(matches!(decode(b"{\"type\":\"user\""), Err(DecodeError::Json(_))));
    }

    #[test]
    fn agent_and_requests_are_written_only_for_a_sub_agent() {
        let record = |agent: Option<&str>, requests| {
            TranscriptRecord::Usage(UsageRecord {
                model: "m".into(),
                usage: Usage::default(),
                cost_usd: None,
                context_tokens: 3,
                agent: agent.map(str::to_string),
                requests,
            })
        };
        let own = encoded(record(None, 1));
        assert!(!own.contains("agent") && !own.contains("requests"), "{own}");
        let delegated = encoded(record(Some("plan: Plan it"), 6));
        let value: serde_json::Value = serde_json::from_str(&delegated).unwrap();
        assert_eq!((value["agent"].clone(), value["requests"].clone()), (json!("plan: Plan it"), json!(6)));
        let Ok(Line::Entry(entry)) = decode(delegated.trim_end().as_bytes()) else { panic!("{delegated}") };
        assert_eq!(entry.record, record(Some("plan: Plan it"), 6));
    }
}
