//! Sub-agents in the session store: their spend in the parent's transcript, their own transcripts beside it.

use crate::{Sandbox, lines};
use claurst_protocol::{Message, Usage};
use claurst_session::transcript::{find_session, latest_session, list_sessions, load};
use claurst_session::{
    SessionError, SessionMeta, TranscriptRecord, TranscriptWriter, UsageRecord, subagent_transcript_path,
};
use std::path::{Path, PathBuf};

fn usage(input: u64, output: u64) -> Usage {
    Usage { input_tokens: input, output_tokens: output, ..Usage::default() }
}

fn main_request(model: &str, input: u64, context_tokens: u64) -> TranscriptRecord {
    TranscriptRecord::Usage(UsageRecord {
        model: model.into(),
        usage: usage(input, 10),
        cost_usd: Some(0.5),
        context_tokens,
        agent: None,
        requests: 1,
    })
}

fn subagent_run(agent: &str, model: &str, requests: u64, cost_usd: Option<f64>) -> TranscriptRecord {
    TranscriptRecord::Usage(UsageRecord {
        model: model.into(),
        usage: usage(300, 30),
        cost_usd,
        context_tokens: 0,
        agent: Some(agent.into()),
        requests,
    })
}

#[test]
fn a_subagent_usage_line_round_trips_into_the_ledger_without_touching_model_or_context() {
    let sandbox = Sandbox::new();
    let mut writer = TranscriptWriter::create(&sandbox.projects(), &sandbox.meta("parent")).unwrap();
    let records = [
        main_request("claude-sonnet-4-5", 1000, 1234),
        subagent_run("explore: Find the config loader", "claude-haiku-4-5", 3, Some(0.25)),
        subagent_run("plan: Plan the fix", "local/model", 2, None),
    ];
    for record in &records {
        writer.append(record).unwrap();
    }
    let line = &lines(writer.path())[2];
    assert!(line.contains(r#""agent":"explore: Find the config loader","requests":3"#), "{line}");
    assert!(!lines(writer.path())[1].contains("requests"), "written only with an agent");

    let loaded = load(writer.path()).unwrap();
    assert_eq!(loaded.warnings, []);
    let recorded: Vec<&TranscriptRecord> = loaded.entries.iter().map(|entry| &entry.record).collect();
    assert_eq!(recorded, records.iter().collect::<Vec<_>>());
    assert_eq!(loaded.model, "claude-sonnet-4-5", "a sub-agent's model is not the session's");
    assert_eq!(loaded.context_tokens, Some(1234), "a sub-agent's spend leaves the context alone");

    let ledger = &loaded.cost;
    assert_eq!(ledger.models().len(), 1);
    assert_eq!(ledger.subagents().len(), 2);
    assert_eq!(ledger.subagents()[0].agent, "explore: Find the config loader");
    assert_eq!(ledger.subagents()[0].requests, 3);
    assert!(ledger.subagents()[1].price_unknown);
    assert_eq!(ledger.total_usage(), usage(1600, 70));
    assert!((ledger.total_cost_usd() - 0.75).abs() < 1e-12);
    assert!(ledger.price_unknown());
    assert!(ledger.report().contains("Sub-agents"), "{}", ledger.report());
}

#[test]
fn transcripts_written_before_sub_agents_still_load() {
    let sandbox = Sandbox::new();
    let path = sandbox.dir.path().join("old.jsonl");
    let old = concat!(
        r#"{"type":"session","timestamp":"2026-01-02T03:04:05Z","session_id":"old","format":1,"#,
        r#""cwd":"/p","project_root":"/p","claurst_version":"0.1.0","model":"claude-sonnet-4-5"}"#,
        "\n",
        r#"{"type":"usage","timestamp":"2026-01-02T03:04:06Z","session_id":"old","model":"claude-opus-4-6","#,
        r#""usage":{"input_tokens":5,"output_tokens":6},"cost_usd":0.01,"context_tokens":11}"#,
        "\n",
    );
    std::fs::write(&path, old).unwrap();
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.warnings, []);
    assert_eq!(loaded.meta.parent_session_id, None);
    let TranscriptRecord::Usage(record) = &loaded.entries[0].record else { panic!("{:?}", loaded.entries) };
    assert_eq!((record.agent.as_deref(), record.requests), (None, 1));
    assert_eq!(loaded.model, "claude-opus-4-6");
    assert_eq!(loaded.context_tokens, Some(11));
    assert_eq!(loaded.cost.models()[0].requests, 1);
    assert!(loaded.cost.subagents().is_empty());
}

/// A parent session and one sub-agent transcript beside it; returns the sub-agent's file.
fn parent_with_subagent(sandbox: &Sandbox, subagent_id: &str) -> PathBuf {
    let parent = sandbox.session("parent-1111", &["Delegate something"]);
    let mut meta =
        SessionMeta::for_subagent(sandbox.root(), sandbox.root(), "claude-haiku-4-5", "parent-1111");
    meta.session_id = subagent_id.into();
    let path = subagent_transcript_path(&parent, subagent_id);
    let mut writer = TranscriptWriter::create_at(&path, &meta).unwrap();
    writer.append(&TranscriptRecord::User { message: Message::user("Find the config loader") }).unwrap();
    assert_eq!(writer.path(), path);
    path
}

#[test]
fn sub_agent_transcripts_live_in_a_folder_named_after_the_parent() {
    let sandbox = Sandbox::new();
    let path = parent_with_subagent(&sandbox, "sub-aaaa");
    let dir = claurst_session::project_sessions_dir(&sandbox.projects(), &sandbox.root());
    assert_eq!(path, dir.join("parent-1111").join("subagents").join("sub-aaaa.jsonl"));
    assert_eq!(subagent_transcript_path(Path::new("/p/s1.jsonl"), "x"), Path::new("/p/s1/subagents/x.jsonl"));

    let loaded = load(&path).unwrap();
    assert_eq!(loaded.meta.parent_session_id.as_deref(), Some("parent-1111"));
    assert_eq!(loaded.meta.model, "claude-haiku-4-5");
    assert!(lines(&path)[0].contains(r#""parent_session_id":"parent-1111""#));
    let parent = load(&dir.join("parent-1111.jsonl")).unwrap();
    assert!(!lines(&parent.path)[0].contains("parent_session_id"), "written only when set");

    let meta = SessionMeta::for_subagent(sandbox.root(), sandbox.root(), "m", "parent-1111");
    let error = TranscriptWriter::create_at(&path, &SessionMeta { session_id: "sub-aaaa".into(), ..meta })
        .unwrap_err();
    assert!(matches!(error, SessionError::AlreadyExists { .. }), "{error}");
}

#[test]
fn find_session_opens_a_sub_agent_but_listing_never_shows_one() {
    let sandbox = Sandbox::new();
    let path = parent_with_subagent(&sandbox, "sub-aaaa-1");
    let (projects, root) = (sandbox.projects(), sandbox.root());

    for query in ["sub-aaaa-1", "SUB-AAAA", "sub-a"] {
        let found = find_session(&projects, &root, query).unwrap();
        assert_eq!((found.session_id.as_str(), &found.path), ("sub-aaaa-1", &path), "{query}");
        assert_eq!(found.parent_session_id.as_deref(), Some("parent-1111"));
        assert_eq!(found.first_prompt, "Find the config loader");
    }
    assert_eq!(find_session(&projects, &root, "parent").unwrap().parent_session_id, None);

    let ids: Vec<String> =
        list_sessions(&projects, &root).unwrap().into_iter().map(|session| session.session_id).collect();
    assert_eq!(ids, ["parent-1111"]);
    assert_eq!(latest_session(&projects, &root).unwrap().unwrap().session_id, "parent-1111");

    // A second sub-agent makes the prefix ambiguous; one of its own (a sub-agent's sub-agent) is found too.
    let nested = subagent_transcript_path(&path, "sub-aaaa-2");
    let mut meta = SessionMeta::for_subagent(&root, &root, "m", "sub-aaaa-1");
    meta.session_id = "sub-aaaa-2".into();
    TranscriptWriter::create_at(&nested, &meta).unwrap();
    assert_eq!(find_session(&projects, &root, "sub-aaaa-2").unwrap().path, nested);
    let error = find_session(&projects, &root, "sub-a").unwrap_err();
    assert!(matches!(error, SessionError::AmbiguousSession { count: 2, .. }), "{error}");
    assert_eq!(list_sessions(&projects, &root).unwrap().len(), 1);
}
