//! Splitting, summarising and rebuilding histories: never an orphaned tool result.

use crate::{history, validate_history};
use claurst_protocol::{ContentBlock, Message, Role};
use claurst_session::compaction::{SUMMARY_MARKER, is_summary_message, summary_from_reply};
use claurst_session::{
    SessionError, apply_summary, compaction_request_messages, should_compact, split_for_compaction,
};

/// Tricky histories: (history, keep_recent, expected length of the older part).
const SPLITS: &[(&str, usize, usize)] = &[
    // Plain chat: cut at a prompt, and a cut landing on a reply moves back to its prompt.
    ("p a p a p a", 2, 4),
    ("p a p a p a", 3, 2),
    // The kept part may not start with tool results: the cut moves back to the assistant message.
    ("p a:1 r:1 a:2 r:2 a", 2, 3),
    ("p a:1 r:1 a:2 r:2 a:3 r:3", 1, 5),
    // Parallel calls answered together.
    ("p a:1,2 r:1,2 a", 2, 1),
    // A result merged with the next prompt (after an interrupt) is still a result.
    ("p a:1 rp:1 a", 2, 1),
    // A long agentic run from one prompt: cut before an assistant message.
    ("p a:1 r:1 a:2 r:2 a:3 r:3 a:4 r:4 a", 3, 7),
    // A prompt in the middle of tool work keeps its reply.
    ("p a p a:1 r:1 a:2 r:2", 4, 2),
    // Nothing to summarise.
    ("p a", 2, 0),
    ("", 3, 0),
    // Too short for a prompt boundary: the first prompt alone is summarised.
    ("p a:1 r:1", 2, 1),
    // keep_recent 0 summarises everything.
    ("p a:1 r:1", 0, 3),
];

#[test]
fn splits_follow_the_table() {
    for (spec, keep, expected) in SPLITS {
        let messages = history(spec);
        let (older, recent) = split_for_compaction(&messages, *keep);
        assert_eq!(older.len(), *expected, "`{spec}` keeping {keep}");
        assert_eq!(older.len() + recent.len(), messages.len());
    }
}

/// Every history built from these, split at every `keep_recent`, gives a valid compacted history.
const HISTORIES: &[&str] = &[
    "p a p a p a p a",
    "p a:1 r:1 a:2,3 r:2,3 a:4 r:4 a p a:5 r:5 a",
    "p a:1 rp:1 a:2 r:2 a p a",
    "p a:1 r:1 a:2 r:2 a:3 r:3 a:4 r:4 a:5 r:5",
    "p a:1,2,3 r:1,2,3 a p a:4 r:4",
];

#[test]
fn no_split_ever_orphans_a_tool_result() {
    for spec in HISTORIES {
        let messages = history(spec);
        validate_history(&messages).unwrap();
        for keep in 0..=messages.len() + 1 {
            let (older, recent) = split_for_compaction(&messages, keep);
            let context = format!("`{spec}` keeping {keep}");
            if older.is_empty() {
                continue;
            }
            assert!(recent.len() >= keep.min(messages.len()), "{context}: kept too few");
            assert!(
                recent.first().is_none_or(|first| !first.content.iter().any(is_tool_result)),
                "{context}: the kept part starts with tool results"
            );
            let compacted = apply_summary(older, recent, "summary");
            validate_history(&compacted).unwrap_or_else(|error| panic!("{context}: {error}"));
            assert!(is_summary_message(&compacted[0]), "{context}");
            let request = compaction_request_messages(older, None);
            validate_history(&request).unwrap_or_else(|error| panic!("{context}: request: {error}"));
        }
    }
}

fn is_tool_result(block: &ContentBlock) -> bool {
    matches!(block, ContentBlock::ToolResult { .. })
}

#[test]
fn the_summary_leads_and_merges_with_a_kept_prompt() {
    let messages = history("p a p a");
    let (older, recent) = split_for_compaction(&messages, 2);
    let compacted = apply_summary(older, recent, "## Goals\nShip it.");
    assert_eq!(compacted.len(), 2);
    assert_eq!(compacted[0].role, Role::User);
    let ContentBlock::Text { text, .. } = &compacted[0].content[0] else {
        panic!("the summary is text");
    };
    assert!(text.starts_with(SUMMARY_MARKER));
    assert!(text.contains("The first 2 messages"), "{text}");
    assert!(text.ends_with("<summary>\n## Goals\nShip it.\n</summary>"), "{text}");
    assert_eq!(compacted[0].content[1], ContentBlock::text("prompt 2"), "the kept prompt follows");
    assert_eq!(compacted[1], messages[3]);

    let agentic = history("p a:1 r:1 a:2 r:2");
    let (older, recent) = split_for_compaction(&agentic, 2);
    let compacted = apply_summary(older, recent, "s");
    assert_eq!(compacted.len(), 3, "summary, then the kept assistant message");
    assert_eq!(compacted[0].content.len(), 1);
    assert_eq!(compacted[1], agentic[3]);
    assert!(!is_summary_message(&agentic[0]));
}

#[test]
fn the_request_asks_for_structured_sections_and_appends_instructions() {
    let older = history("p a:1 r:1 a");
    let request = compaction_request_messages(&older, Some("  focus on the parser  "));
    assert_eq!(request[..older.len()], older[..], "the prefix is untouched, so the cache holds");
    let ask = request.last().unwrap();
    assert_eq!(ask.role, Role::User);
    let text = ask.text();
    for section in ["Goals", "Decisions", "Files touched", "corrections", "Open tasks", "<summary>"] {
        assert!(text.contains(section), "{section} missing from the request");
    }
    assert!(text.ends_with("attention to the following:\nfocus on the parser"), "{text}");
    assert!(!compaction_request_messages(&older, Some(" ")).last().unwrap().text().contains("attention"));

    let open_call = history("p a:7");
    let request = compaction_request_messages(&open_call, None);
    assert!(matches!(
        &request[2].content[0],
        ContentBlock::ToolResult { tool_use_id, is_error: true, .. } if tool_use_id == "t7"
    ));
    validate_history(&request).unwrap();

    let ends_with_results = history("p a:1 r:1");
    let request = compaction_request_messages(&ends_with_results, None);
    assert_eq!(request.len(), 3, "the request merges into the results message");
    assert!(is_tool_result(&request[2].content[0]));
}

#[test]
fn the_summary_is_read_from_the_reply() {
    let reply = |text: &str| Message::assistant(text);
    assert_eq!(summary_from_reply(&reply("<summary>\n S \n</summary> bye")).unwrap(), "S");
    assert_eq!(summary_from_reply(&reply("Thinking…<summary>cut short")).unwrap(), "cut short");
    assert_eq!(summary_from_reply(&reply("  plain  ")).unwrap(), "plain");
    for empty in ["", "<summary> </summary>", "  "] {
        assert!(matches!(summary_from_reply(&reply(empty)), Err(SessionError::EmptySummary)));
    }
    let error = summary_from_reply(&reply("")).unwrap_err().to_string();
    assert!(error.contains("left as it was"), "{error}");
}

#[test]
fn compaction_triggers_at_the_threshold() {
    let cases: &[(u64, u64, f64, bool)] = &[
        (169_999, 200_000, 0.85, false),
        (170_000, 200_000, 0.85, true),
        (199_000, 200_000, 0.85, true),
        (200_000, 200_000, 1.0, true),
        (199_999, 200_000, 1.0, false),
        (250_000, 200_000, 1.5, true),
        (199_999, 200_000, 1.5, false),
        (200_000, 200_000, 0.0, false),
        (200_000, 200_000, -1.0, false),
        (200_000, 200_000, f64::NAN, false),
        (200_000, 0, 0.85, false),
        (0, 200_000, 0.85, false),
    ];
    for (tokens, window, threshold, expected) in cases {
        assert_eq!(
            should_compact(*tokens, *window, *threshold),
            *expected,
            "{tokens} of {window} at {threshold}"
        );
    }
}
