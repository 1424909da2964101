//! Transcripts damaged by a process that died mid-write, or by anything else.

use crate::Sandbox;
use claurst_protocol::Message;
use claurst_session::transcript::{LineProblem, load};
use claurst_session::{SessionError, TranscriptRecord, TranscriptWriter};

/// A session of `prompts` answered, plus one final assistant record; returns the bytes before and after it.
fn session_with_last_record(sandbox: &Sandbox) -> (std::path::PathBuf, Vec<u8>, Vec<u8>) {
    let path = sandbox.session("torn", &["one", "two"]);
    let before = std::fs::read(&path).unwrap();
    let loaded = load(&path).unwrap();
    let mut writer = TranscriptWriter::append_to(&loaded).unwrap();
    writer
        .append(&TranscriptRecord::Assistant {
            message: Message::assistant("the last words, with \"quotes\", ünïcode and\nnewlines"),
            stop_reason: None,
        })
        .unwrap();
    let after = std::fs::read(&path).unwrap();
    (path, before, after)
}

#[test]
fn a_write_cut_at_any_byte_loses_only_that_record() {
    let sandbox = Sandbox::new();
    let (path, before, after) = session_with_last_record(&sandbox);
    let complete = load(&path).unwrap();
    let kept = complete.entries.len() - 1;
    std::fs::write(&path, &before).unwrap();
    let previous = load(&path).unwrap();
    let last_line = before.iter().filter(|b| **b == b'\n').count() + 1;
    for cut in before.len()..after.len() {
        std::fs::write(&path, &after[..cut]).unwrap();
        let loaded = load(&path).unwrap_or_else(|error| panic!("cut at {cut}: {error}"));
        if cut == before.len() {
            assert_eq!(loaded.entries, complete.entries[..kept], "cut at the line start");
            assert_eq!(loaded.warnings, []);
        } else if cut == after.len() - 1 {
            assert_eq!(loaded.entries, complete.entries, "only the newline is missing");
            assert_eq!(loaded.warnings, []);
        } else {
            assert_eq!(loaded.entries, complete.entries[..kept], "cut at {cut}");
            assert_eq!(loaded.warnings.len(), 1, "cut at {cut}");
            assert_eq!(loaded.warnings[0].line, last_line);
            assert_eq!(loaded.warnings[0].problem, LineProblem::Torn);
            assert_eq!(loaded.messages, previous.messages);
        }
    }
}

#[test]
fn appending_after_a_torn_write_starts_a_clean_line() {
    let sandbox = Sandbox::new();
    let (path, before, after) = session_with_last_record(&sandbox);
    for cut in [before.len() + 1, before.len() + 40, after.len() - 2, after.len() - 1] {
        std::fs::write(&path, &after[..cut]).unwrap();
        let loaded = load(&path).unwrap();
        let restored = loaded.entries.len();
        let mut writer = TranscriptWriter::append_to(&loaded).unwrap();
        writer.append(&TranscriptRecord::User { message: Message::user("after the crash") }).unwrap();
        let again = load(&path).unwrap();
        assert_eq!(again.warnings, [], "cut at {cut}: the fragment was cut off or completed");
        assert_eq!(again.entries.len(), restored + 1, "cut at {cut}");
        assert_eq!(again.messages.last().unwrap().text(), "after the crash");
    }
}

#[test]
fn a_corrupt_middle_line_is_skipped_and_named() {
    let sandbox = Sandbox::new();
    let path = sandbox.session("corrupt", &["one", "two", "three"]);
    let mut lines = crate::lines(&path);
    lines[2] = r#"{"type":"assistant","timestamp":"2026-01-01T00:00:00Z","mess"#.into();
    lines[4] = r#"{"type":"telepathy","timestamp":"2026-01-01T00:00:00Z","session_id":"corrupt"}"#.into();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.entries.len(), 4);
    assert_eq!(loaded.warnings.len(), 2);
    assert_eq!(loaded.warnings[0].line, 3);
    assert!(matches!(loaded.warnings[0].problem, LineProblem::Corrupt(_)));
    let shown = loaded.warnings[0].to_string();
    assert!(shown.starts_with("line 3 is not a valid record ("), "{shown}");
    assert_eq!(loaded.warnings[1].line, 5);
    assert_eq!(loaded.warnings[1].problem, LineProblem::UnknownType);
    let texts: Vec<String> = loaded.messages.iter().map(Message::text).collect();
    assert_eq!(texts, ["onetwothree", "done"], "prompts left without replies merge");
}

#[test]
fn blank_lines_and_repeated_metadata_do_not_stop_loading() {
    let sandbox = Sandbox::new();
    let path = sandbox.session("blank", &["one"]);
    let mut lines = crate::lines(&path);
    let meta = lines[0].clone();
    lines.insert(2, String::new());
    lines.push(meta);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.entries.len(), 2);
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].problem, LineProblem::MisplacedMetadata);
}

#[test]
fn files_that_are_not_transcripts_are_errors() {
    let sandbox = Sandbox::new();
    let path = sandbox.dir.path().join("x.jsonl");
    for (content, expected) in [
        ("", "the file is empty"),
        ("{\"type\":\"session\",\"timest", "incomplete"),
        ("not json\n", "expected"),
        (
            "{\"type\":\"note\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"note\":{\"kind\":\"resumed\"}}\n",
            "a different record",
        ),
    ] {
        std::fs::write(&path, content).unwrap();
        let error = load(&path).unwrap_err();
        assert!(matches!(error, SessionError::NotATranscript { .. }), "{error}");
        assert!(error.to_string().contains(expected), "{error}");
    }
    let missing = load(&sandbox.dir.path().join("missing.jsonl")).unwrap_err();
    assert!(matches!(missing, SessionError::Read { .. }));
}
