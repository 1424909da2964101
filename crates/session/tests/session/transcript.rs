//! Writing and reading transcripts: every record type, replay, appending to a resumed session.

use crate::{Sandbox, history, lines};
use claurst_protocol::{ContentBlock, ImageSource, Message, Role, StopReason, ToolResultContent, Usage};
use claurst_session::transcript::load;
use claurst_session::{
    CompactionRecord, CompactionTrigger, Note, SessionError, TranscriptEntry, TranscriptRecord,
    TranscriptWriter, UsageRecord, apply_summary, split_for_compaction,
};
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

fn usage(input: u64, output: u64) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        cache_creation_input_tokens: 7,
        cache_read_input_tokens: 11,
        ..Usage::default()
    }
}

/// One record of every type, with the awkward parts: thinking with a signature, redacted thinking,
/// parallel tool calls, an error result with an image, unicode and newlines.
pub fn every_record() -> Vec<TranscriptRecord> {
    vec![
        TranscriptRecord::User { message: Message::user("Fix the \"parser\" ✨\nplease") },
        TranscriptRecord::Assistant {
            message: Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::Thinking {
                        thinking: "Look at lexer.rs first.".into(),
                        signature: "c2lnbmF0dXJl".into(),
                    },
                    ContentBlock::RedactedThinking { data: "b3BhcXVl".into() },
                    ContentBlock::text("Reading."),
                    ContentBlock::ToolUse {
                        id: "toolu_1".into(),
                        name: "read_file".into(),
                        input: json!({"path": "src/lexer.rs"}),
                    },
                    ContentBlock::ToolUse {
                        id: "toolu_2".into(),
                        name: "bash".into(),
                        input: json!({"command": "cargo test", "timeout": 30}),
                    },
                ],
            },
            stop_reason: Some(StopReason::ToolUse),
        },
        TranscriptRecord::Usage(UsageRecord {
            model: "claude-sonnet-4-5".into(),
            usage: usage(1200, 340),
            cost_usd: Some(0.0087),
            context_tokens: 1558,
            agent: None,
            requests: 1,
        }),
        TranscriptRecord::ToolResults {
            message: Message {
                role: Role::User,
                content: vec![
                    ContentBlock::tool_result("toolu_1", "fn lex() {}\n", false),
                    ContentBlock::ToolResult {
                        tool_use_id: "toolu_2".into(),
                        content: vec![
                            ToolResultContent::Text { text: "1 failed".into() },
                            ToolResultContent::Image {
                                source: ImageSource {
                                    kind: "base64".into(),
                                    media_type: "image/png".into(),
                                    data: "iVBORw0KGgo=".into(),
                                },
                            },
                        ],
                        is_error: true,
                    },
                ],
            },
        },
        TranscriptRecord::Note(Note::Interrupted),
        TranscriptRecord::Note(Note::RunFailed { message: "overloaded; try again".into() }),
        TranscriptRecord::Note(Note::ModelChanged { model: "claude-opus-4-6".into() }),
        TranscriptRecord::Compaction(CompactionRecord {
            summary: "## Goals\nFix the parser.".into(),
            replaced_messages: 2,
            trigger: CompactionTrigger::Auto,
            instructions: Some("focus on the lexer".into()),
            context_tokens_before: Some(170_000),
        }),
        TranscriptRecord::Note(Note::Resumed),
        TranscriptRecord::Assistant {
            message: Message::assistant("Fixed."),
            stop_reason: Some(StopReason::Other("model_context_window_exceeded".into())),
        },
    ]
}

#[test]
fn every_record_type_round_trips() {
    let sandbox = Sandbox::new();
    let meta = sandbox.meta("round-trip");
    let mut writer = TranscriptWriter::create(&sandbox.projects(), &meta).unwrap();
    let entries: Vec<TranscriptEntry> = every_record()
        .into_iter()
        .enumerate()
        .map(|(index, record)| TranscriptEntry {
            timestamp: datetime!(2026-03-04 05:06:07.123456789 UTC) + time::Duration::seconds(index as i64),
            record,
        })
        .collect();
    for entry in &entries {
        writer.append_entry(entry).unwrap();
    }
    let loaded = load(writer.path()).unwrap();
    assert_eq!(loaded.warnings, []);
    assert_eq!(loaded.meta, meta);
    assert_eq!(loaded.entries, entries);
    assert_eq!(loaded.model, "claude-opus-4-6", "the last model switch wins");
    assert_eq!(loaded.cost.total_cost_usd(), 0.0087);
    assert_eq!(loaded.cost.total_usage(), usage(1200, 340));
    assert_eq!(loaded.context_tokens, None, "unknown after a compaction");

    let file = lines(writer.path());
    assert_eq!(file.len(), entries.len() + 1);
    assert!(file[0].starts_with(r#"{"type":"session","timestamp":"#), "{}", file[0]);
    assert!(file.iter().all(|line| line.contains(r#""session_id":"round-trip""#)));
}

#[test]
fn append_stamps_the_current_time() {
    let sandbox = Sandbox::new();
    let before = OffsetDateTime::now_utc();
    let path = sandbox.session("stamped", &["hello"]);
    let after = OffsetDateTime::now_utc();
    let loaded = load(&path).unwrap();
    for entry in &loaded.entries {
        assert!(before <= entry.timestamp && entry.timestamp <= after);
    }
}

#[test]
fn replay_rebuilds_the_conversation_the_model_last_saw() {
    let sandbox = Sandbox::new();
    let mut writer = TranscriptWriter::create(&sandbox.projects(), &sandbox.meta("replay")).unwrap();
    // What the agent holds, kept alongside the transcript the way the agent loop would.
    let mut model_view: Vec<Message> = Vec::new();
    let record = |writer: &mut TranscriptWriter, view: &mut Vec<Message>, message: Message| {
        let record = match (message.role, message.is_tool_results()) {
            (Role::Assistant, _) => {
                TranscriptRecord::Assistant { message: message.clone(), stop_reason: None }
            }
            (Role::User, true) => TranscriptRecord::ToolResults { message: message.clone() },
            (Role::User, false) => TranscriptRecord::User { message: message.clone() },
        };
        writer.append(&record).unwrap();
        match view.last_mut() {
            Some(last) if last.role == message.role => last.content.extend(message.content),
            _ => view.push(message),
        }
    };
    for message in history("p a:1 r:1 a:2 r:2 a p a:3 r:3 a") {
        record(&mut writer, &mut model_view, message);
    }
    // An interrupted reply followed by the marker and a new prompt: two user messages that merge.
    record(&mut writer, &mut model_view, Message::user("[interrupted]"));
    record(&mut writer, &mut model_view, Message::user("now the docs"));
    let (older, recent) = split_for_compaction(&model_view, 4);
    let replaced = older.len();
    model_view = apply_summary(older, recent, "the summary");
    writer
        .append(&TranscriptRecord::Compaction(CompactionRecord {
            summary: "the summary".into(),
            replaced_messages: replaced,
            trigger: CompactionTrigger::Manual,
            instructions: None,
            context_tokens_before: None,
        }))
        .unwrap();
    for message in history("a:4 r:4 a") {
        record(&mut writer, &mut model_view, message);
    }

    let loaded = load(writer.path()).unwrap();
    assert_eq!(loaded.warnings, []);
    assert_eq!(loaded.messages, model_view);
    crate::validate_history(&loaded.messages).unwrap();
}

#[test]
fn a_resumed_session_continues_in_the_same_file() {
    let sandbox = Sandbox::new();
    let path = sandbox.session("resumed", &["first"]);
    let loaded = load(&path).unwrap();
    let mut writer = TranscriptWriter::append_to(&loaded).unwrap();
    assert_eq!(writer.session_id(), "resumed");
    writer.append(&TranscriptRecord::Note(Note::Resumed)).unwrap();
    writer.append(&TranscriptRecord::User { message: Message::user("second") }).unwrap();
    writer.sync().unwrap();
    let again = load(&path).unwrap();
    assert_eq!(again.entries.len(), 4);
    assert_eq!(again.messages.last().unwrap().text(), "second");
}

#[test]
fn creating_refuses_an_existing_file_and_unsafe_ids() {
    let sandbox = Sandbox::new();
    sandbox.session("taken", &[]);
    let error = TranscriptWriter::create(&sandbox.projects(), &sandbox.meta("taken")).unwrap_err();
    assert!(matches!(error, SessionError::AlreadyExists { .. }), "{error}");
    let error = TranscriptWriter::create(&sandbox.projects(), &sandbox.meta("../escape")).unwrap_err();
    assert!(error.to_string().contains("cannot be a session id"), "{error}");
}

#[test]
fn transcripts_live_in_a_directory_named_after_the_project() {
    let sandbox = Sandbox::new();
    let path = sandbox.session("where", &[]);
    let expected = claurst_session::session_path(&sandbox.projects(), &sandbox.root(), "where");
    assert_eq!(path, expected);
    let dir_name = path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
    assert!(dir_name.contains("-project-"), "{dir_name}");
}
