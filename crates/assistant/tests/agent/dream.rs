//! The dream runner against the scripted API: the four phases through the memory tools only, confinement to
//! the memory directory, and a directory left byte-for-byte as it was when a dream fails or is cancelled.

use crate::config;
use claurst_assistant::{
    DreamError, DreamOutcome, DreamProgress, DreamRunConfig, RecordSource, record_session, run_dream,
};
use claurst_query::compact::DREAM_SYSTEM_PROMPT;
use claurst_query::{
    DreamLock, DreamPhase, DreamResult, DreamSettings, GateDecision, LockState, MEMORY_TOOL_NAMES,
    MemoryStore, SNAPSHOT_DIR, STATE_FILE, Trigger, session_log_name,
};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

/// A memory directory due for a dream: an index, a topic, today's session log, five sessions 30 h ago.
fn due_memory(project: &TempProject) -> (MemoryStore, String) {
    let store = MemoryStore::open(project.root().join("memory")).unwrap();
    std::fs::write(store.root().join("MEMORY.md"), "- old index\n").unwrap();
    std::fs::create_dir_all(store.root().join("topics")).unwrap();
    std::fs::write(store.root().join("topics/rust.md"), "- edition 2021\n").unwrap();
    let now = OffsetDateTime::now_utc();
    store.append_session_record(now, "- the user now prefers tabs").unwrap();
    for _ in 0..5 {
        store.record_session_end(now - time::Duration::hours(30)).unwrap();
    }
    (store, format!("sessions/{}", session_log_name(now.date())))
}

fn dream_config(project: &TempProject, api: &MockApi, store: &MemoryStore) -> DreamRunConfig {
    DreamRunConfig::new(store.root(), DreamSettings::default(), config(project, api))
}

/// Every path under `root` with its content (links as their target), the dream state aside.
fn tree(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for item in std::fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let name = path.strip_prefix(root).unwrap().to_path_buf();
            if name == Path::new(STATE_FILE) {
                continue;
            }
            let content = if meta.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                pending.push(path.clone());
                "dir".into()
            } else {
                String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()
            };
            out.insert(name, content);
        }
    }
    out
}

fn tool_results(request: &Value) -> Vec<(String, bool)> {
    let messages = request["messages"].as_array().unwrap();
    messages.last().unwrap()["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|block| {
            let text = block["content"][0]["text"].as_str().unwrap_or_default().to_string();
            (text, block["is_error"].as_bool().unwrap_or(false))
        })
        .collect()
}

fn assert_unlocked(store: &MemoryStore) {
    let now = OffsetDateTime::now_utc();
    assert_eq!(DreamLock::new(store.root()).inspect(now), LockState::Free);
    assert!(!store.root().join(SNAPSHOT_DIR).exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dream_consolidates_memory_through_the_four_phases() {
    let project = TempProject::new();
    let api = MockApi::start();
    let (store, log) = due_memory(&project);
    let topic = "# Preferences\n- tabs, not spaces (since the session of today)\n";
    let index = "- Preferences: topics/preferences.md\n- Rust: topics/rust.md\n";
    let write = |id: &str, path: &str, content: &str| {
        Turn::new().tool_use(id, "memory_write", json!({"path": path, "content": content}))
    };
    api.push(Reply::stream(Turn::new().tool_use("r1", "memory_read", json!({"path": "MEMORY.md"}))));
    api.push(Reply::stream(Turn::text_only("The memory covers Rust.")));
    api.push(Reply::stream(Turn::new().tool_use("r2", "memory_read", json!({"path": log}))));
    api.push(Reply::stream(Turn::text_only("New: the user prefers tabs.")));
    api.push(Reply::stream(write("w1", "topics/preferences.md", topic)));
    api.push(Reply::stream(Turn::text_only("Merged into topics/preferences.md.")));
    api.push(Reply::stream(write("w2", "MEMORY.md", index)));
    api.push(Reply::stream(Turn::text_only("Added a preferences topic and rewrote the index.")));

    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let config = dream_config(&project, &api, &store)
        .with_progress(Arc::new(move |progress| sink.lock().unwrap().push(progress)));
    let outcome = run_dream(config, Trigger::Automatic).await.unwrap();

    let DreamOutcome::Consolidated { summary, state } = outcome else { panic!("{outcome:?}") };
    assert_eq!(summary, "Added a preferences topic and rewrote the index.");
    assert_eq!(std::fs::read_to_string(store.root().join("topics/preferences.md")).unwrap(), topic);
    assert_eq!(std::fs::read_to_string(store.root().join("MEMORY.md")).unwrap(), index);
    assert_eq!(std::fs::read_to_string(store.root().join("topics/rust.md")).unwrap(), "- edition 2021\n");
    assert_eq!(state.sessions_since, 0);
    let last = state.last_success.unwrap();
    assert!(OffsetDateTime::now_utc() - last < time::Duration::minutes(1));
    assert_eq!(store.dream_state(), state, "the state on disk is the one returned");
    assert!(matches!(state.last_result.unwrap().result, DreamResult::Consolidated { .. }));
    assert_unlocked(&store);

    let requests = api.requests();
    assert_eq!(requests.len(), 8);
    let first = &requests[0].body;
    assert_eq!(first["system"][0]["text"], DREAM_SYSTEM_PROMPT);
    let tools: Vec<&str> =
        first["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tools, MEMORY_TOOL_NAMES, "the dream has the memory tools and nothing else");
    assert!(first["messages"][0]["content"][0]["text"].as_str().unwrap().contains("Phase 1/4 orient"));
    assert_eq!(tool_results(&requests[1].body), [("- old index\n".to_string(), false)]);
    let gather = requests[2].body["messages"].as_array().unwrap().last().unwrap().clone();
    assert!(gather["content"][0]["text"].as_str().unwrap().contains(&log), "{gather}");
    assert!(tool_results(&requests[3].body)[0].0.contains("prefers tabs"));
    assert_eq!(
        tool_results(&requests[5].body),
        [("Saved to memory: topics/preferences.md (2 lines)".to_string(), false)]
    );

    let phases: Vec<DreamProgress> = seen.lock().unwrap().clone();
    let DreamProgress::Started { trigger, started_at } = phases[0] else { panic!("{phases:?}") };
    assert_eq!(trigger, Trigger::Automatic);
    assert!(started_at <= last);
    let mut expected = vec![phases[0].clone()];
    let notes = [
        "The memory covers Rust.",
        "New: the user prefers tabs.",
        "Merged into topics/preferences.md.",
        "Added a preferences topic and rewrote the index.",
    ];
    for (phase, note) in DreamPhase::ALL.into_iter().zip(notes) {
        expected.push(DreamProgress::PhaseStarted(phase));
        expected.push(DreamProgress::PhaseFinished { phase, note: note.into() });
    }
    assert_eq!(phases, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dream_cannot_write_outside_the_memory_directory() {
    let project = TempProject::new();
    let api = MockApi::start();
    let (store, _) = due_memory(&project);
    let outside = project.root().join("outside.md");
    std::fs::write(&outside, "untouched").unwrap();
    std::os::unix::fs::symlink(&outside, store.root().join("topics/link.md")).unwrap();
    let absolute = project.root().join("absolute.md");
    let attempt = |id: &str, path: &str| (id.to_string(), path.to_string());
    let calls = [
        attempt("e1", "../escape.md"),
        attempt("e2", &absolute.display().to_string()),
        attempt("e3", "topics/link.md"),
        attempt("e4", "../../escape.md"),
    ];
    let mut turn = Turn::new();
    for (id, path) in &calls {
        turn = turn.tool_use(id, "memory_write", json!({"path": path, "content": "escaped"}));
    }
    api.push(Reply::stream(turn));
    for _ in 0..4 {
        api.push(Reply::stream(Turn::text_only("done")));
    }
    let outcome = run_dream(dream_config(&project, &api, &store), Trigger::Manual).await.unwrap();
    assert!(matches!(outcome, DreamOutcome::Consolidated { .. }), "{outcome:?}");

    let results = tool_results(&api.requests()[1].body);
    assert_eq!(results.len(), 4);
    for (text, is_error) in &results[..2] {
        assert!(is_error, "{text}");
        assert!(text.contains("outside the memory directory"), "{text}");
    }
    assert!(results[2].1 && results[2].0.contains("symbolic link"), "{:?}", results[2]);
    assert!(results[3].1, "{:?}", results[3]);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched");
    assert!(!absolute.exists());
    assert!(!project.root().join("escape.md").exists());
    assert!(!project.root().parent().unwrap().join("escape.md").exists());
    assert!(std::fs::symlink_metadata(store.root().join("topics/link.md")).unwrap().file_type().is_symlink());
}

/// Phase 1 writes a topic file; then the API fails for good with `failure`.
async fn dream_that_fails_after_a_write(failure: Vec<Reply>) {
    let project = TempProject::new();
    let api = MockApi::start();
    let (store, _) = due_memory(&project);
    let before = tree(store.root());
    let sessions_before = store.dream_state().sessions_since;
    api.push(Reply::stream(Turn::new().tool_use(
        "w1",
        "memory_write",
        json!({"path": "topics/rust.md", "content": "- rewritten halfway\n"}),
    )));
    for reply in failure {
        api.push(reply);
    }
    let error = run_dream(dream_config(&project, &api, &store), Trigger::Automatic).await.unwrap_err();
    assert!(matches!(error, DreamError::Phase { phase: DreamPhase::Orient, .. }), "{error}");
    assert!(error.to_string().contains("restored"), "{error}");
    assert!(
        tool_results(&api.requests()[1].body)[0].0.starts_with("Saved to memory"),
        "the write did happen before the failure"
    );
    assert_eq!(tree(store.root()), before, "byte-for-byte as before");
    assert_unlocked(&store);
    let state = store.dream_state();
    assert_eq!(state.sessions_since, sessions_before);
    assert_eq!(state.last_success, None);
    assert!(matches!(state.last_result.unwrap().result, DreamResult::Failed { .. }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dream_failing_halfway_leaves_memory_as_it_was() {
    dream_that_fails_after_a_write(vec![Reply::error(400, "invalid_request_error", "bad request")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dream_whose_stream_keeps_dropping_leaves_memory_as_it_was() {
    let cut = || Reply::stream(Turn::text_only("never finished")).disconnect_after(40);
    dream_that_fails_after_a_write(vec![cut(), cut(), cut()]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_a_dream_restores_the_memory() {
    let project = TempProject::new();
    let api = MockApi::start();
    let (store, _) = due_memory(&project);
    let before = tree(store.root());
    api.push(Reply::stream(Turn::new().tool_use(
        "w1",
        "memory_write",
        json!({"path": "topics/new.md", "content": "- half a dream\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("late")).delay_before_headers(Duration::from_secs(30)));
    let task = tokio::spawn(run_dream(dream_config(&project, &api, &store), Trigger::Automatic));
    let written = store.root().join("topics/new.md");
    tokio::time::timeout(Duration::from_secs(10), async {
        while api.requests().len() < 2 || !written.exists() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the dream reached its second request");
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    assert_eq!(tree(store.root()), before);
    assert_unlocked(&store);
    let result = store.dream_state().last_result.unwrap().result;
    assert_eq!(result, DreamResult::Interrupted);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dream_that_is_not_due_asks_nothing_of_the_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    let store = MemoryStore::open(project.root().join("memory")).unwrap();
    store.record_session_end(OffsetDateTime::now_utc()).unwrap();
    let mut config = dream_config(&project, &api, &store);
    config.agent.api_key = Some(String::new());
    let outcome = run_dream(config.clone(), Trigger::Automatic).await.unwrap();
    assert_eq!(outcome, DreamOutcome::Skipped(GateDecision::Wait { hours_left: 24, sessions_left: 4 }));
    config.settings.auto_dream = false;
    let outcome = run_dream(config, Trigger::Automatic).await.unwrap();
    assert_eq!(outcome, DreamOutcome::Skipped(GateDecision::Disabled));
    assert!(api.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forced_dream_still_respects_a_live_lock() {
    let project = TempProject::new();
    let api = MockApi::start();
    let (store, _) = due_memory(&project);
    let held = DreamLock::new(store.root()).acquire(OffsetDateTime::now_utc()).unwrap();
    let outcome = run_dream(dream_config(&project, &api, &store), Trigger::Manual).await.unwrap();
    assert!(
        matches!(&outcome, DreamOutcome::Skipped(GateDecision::Locked { owner }) if owner == held.owner()),
        "{outcome:?}"
    );
    assert!(api.requests().is_empty());
}

fn finished_session() -> claurst_query::SessionSummary {
    let now = OffsetDateTime::now_utc();
    claurst_query::SessionSummary::from_messages(
        "s-42",
        None,
        now - time::Duration::minutes(20),
        now,
        &[claurst_protocol::Message::user("make the build green")],
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_record_is_written_by_the_model_and_counted() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("- Fixed the build; the user prefers small commits.")));
    let memory = project.root().join("memory");
    let summary = finished_session();
    let source =
        record_session(&config(&project, &api), &memory, &summary, Duration::from_secs(10)).await.unwrap();
    assert_eq!(source, RecordSource::Model);
    let request = &api.requests()[0].body;
    assert!(request["tools"].as_array().is_none_or(|tools| tools.is_empty()), "{request}");
    assert!(request["messages"][0]["content"][0]["text"].as_str().unwrap().contains("make the build green"));
    let store = MemoryStore::open(&memory).unwrap();
    let log = store.root().join("sessions").join(session_log_name(summary.ended_at.date()));
    let text = std::fs::read_to_string(log).unwrap();
    assert!(text.contains("- Fixed the build; the user prefers small commits."), "{text}");
    assert_eq!(store.dream_state().sessions_since, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_record_survives_an_unreachable_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::error(401, "authentication_error", "invalid x-api-key"));
    api.push(Reply::stream(Turn::text_only("too late")).delay_before_headers(Duration::from_secs(30)));
    let memory = project.root().join("memory");
    let summary = finished_session();
    let agent = config(&project, &api);
    for _ in 0..2 {
        let source = record_session(&agent, &memory, &summary, Duration::from_millis(500)).await.unwrap();
        assert_eq!(source, RecordSource::Fallback);
    }
    let store = MemoryStore::open(&memory).unwrap();
    let log = store.root().join("sessions").join(session_log_name(summary.ended_at.date()));
    let text = std::fs::read_to_string(log).unwrap();
    let fallback = claurst_query::fallback_session_record(&summary);
    assert_eq!(text.matches(fallback.trim()).count(), 2, "{text}");
    assert_eq!(store.dream_state().sessions_since, 2);
}
