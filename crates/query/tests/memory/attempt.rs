//! A dream attempt: gate, lock and snapshot together; success keeps the changes, anything else restores them.

use crate::tree;
use claurst_query::{
    Begin, DreamAttempt, DreamLock, DreamResult, DreamSettings, GateDecision, LockState, MemoryStore,
    SNAPSHOT_DIR, Trigger,
};
use time::{Duration, OffsetDateTime};

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A memory directory that is due for a dream, with an index, topics (one a link) and a session log.
fn due_store(dir: &std::path::Path) -> MemoryStore {
    let store = MemoryStore::open(dir.join("memory")).unwrap();
    let root = store.root();
    std::fs::write(root.join("MEMORY.md"), "- index\n").unwrap();
    std::fs::create_dir_all(root.join("topics/nested")).unwrap();
    std::fs::write(root.join("topics/rust.md"), "edition 2021\n").unwrap();
    std::fs::write(root.join("topics/nested/deep.md"), "deep\n").unwrap();
    std::fs::write(dir.join("outside.md"), "outside").unwrap();
    std::os::unix::fs::symlink(dir.join("outside.md"), root.join("topics/link.md")).unwrap();
    store.append_session_record(now(), "worked").unwrap();
    for _ in 0..5 {
        store.record_session_end(now() - Duration::hours(30)).unwrap();
    }
    store
}

fn start(store: &MemoryStore, trigger: Trigger) -> DreamAttempt {
    match DreamAttempt::begin(store, DreamSettings::default(), trigger, now()).unwrap() {
        Begin::Started(attempt) => attempt,
        Begin::Skipped(decision) => panic!("skipped: {decision:?}"),
    }
}

/// What a dream might do: rewrite, create, delete, replace the link.
fn scribble(store: &MemoryStore) {
    let root = store.root();
    std::fs::write(root.join("MEMORY.md"), "- rewritten\n").unwrap();
    std::fs::write(root.join("topics/new.md"), "new\n").unwrap();
    std::fs::remove_file(root.join("topics/rust.md")).unwrap();
    std::fs::remove_dir_all(root.join("topics/nested")).unwrap();
    std::fs::remove_file(root.join("topics/link.md")).unwrap();
}

#[test]
fn a_gate_that_says_wait_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path()).unwrap();
    store.record_session_end(now()).unwrap();
    let before = tree(store.root());
    match DreamAttempt::begin(&store, DreamSettings::default(), Trigger::Automatic, now()).unwrap() {
        Begin::Skipped(GateDecision::Wait { hours_left: 24, sessions_left: 4 }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(tree(store.root()), before);
}

#[test]
fn dropping_an_attempt_restores_the_directory_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let store = due_store(dir.path());
    let before = tree(store.root());
    let attempt = start(&store, Trigger::Automatic);
    assert!(matches!(DreamLock::new(store.root()).inspect(now()), LockState::Held(_)));
    assert!(store.root().join(SNAPSHOT_DIR).is_dir());
    scribble(&store);
    assert_ne!(tree(store.root()), before);
    drop(attempt);
    assert_eq!(tree(store.root()), before);
    assert_eq!(std::fs::read_to_string(dir.path().join("outside.md")).unwrap(), "outside");
    let state = store.dream_state();
    assert_eq!(state.last_result.unwrap().result, DreamResult::Interrupted);
    assert_eq!(state.sessions_since, 5, "an interrupted dream does not reset the schedule");
}

#[test]
fn a_failed_attempt_restores_and_records_why() {
    let dir = tempfile::tempdir().unwrap();
    let store = due_store(dir.path());
    let before = tree(store.root());
    let attempt = start(&store, Trigger::Automatic);
    scribble(&store);
    attempt.fail("the model was unreachable", now()).unwrap();
    assert_eq!(tree(store.root()), before);
    let state = store.dream_state();
    assert_eq!(
        state.last_result.unwrap().result,
        DreamResult::Failed { reason: "the model was unreachable".into() }
    );
    assert_eq!(state.last_success, None);
}

#[test]
fn success_keeps_the_changes_and_resets_the_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let store = due_store(dir.path());
    let attempt = start(&store, Trigger::Automatic);
    assert_eq!(attempt.session_logs().unwrap().len(), 1);
    scribble(&store);
    let after_scribble: std::collections::BTreeMap<_, _> =
        tree(store.root()).into_iter().filter(|(path, _)| !path.starts_with(".dream")).collect();
    store.record_session_end(now()).unwrap(); // a session ends while the dream runs
    let finished = now();
    let state = attempt.succeed("Merged topics.\n", finished).unwrap();
    assert_eq!(tree(store.root()), after_scribble);
    assert_eq!(state.sessions_since, 1, "the session that ended during the dream still counts");
    assert_eq!(state.last_success, Some(finished));
    assert_eq!(state.counting_since, Some(finished));
    assert_eq!(
        state.last_result.unwrap().result,
        DreamResult::Consolidated { summary: "Merged topics.".into() }
    );
    assert_eq!(store.dream_state().sessions_since, 1);
    assert_eq!(DreamLock::new(store.root()).inspect(now()), LockState::Free);
    match DreamAttempt::begin(&store, DreamSettings::default(), Trigger::Automatic, now()).unwrap() {
        Begin::Skipped(GateDecision::Wait { hours_left: 24, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_manual_dream_skips_the_schedule_but_not_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path()).unwrap();
    let settings = DreamSettings { auto_dream: false, ..DreamSettings::default() };
    let attempt = match DreamAttempt::begin(&store, settings, Trigger::Manual, now()).unwrap() {
        Begin::Started(attempt) => attempt,
        other => panic!("{other:?}"),
    };
    match DreamAttempt::begin(&store, settings, Trigger::Manual, now()).unwrap() {
        Begin::Skipped(GateDecision::Locked { owner }) => assert_eq!(owner.pid, std::process::id()),
        other => panic!("{other:?}"),
    }
    drop(attempt);
}

#[test]
fn a_snapshot_left_by_a_dead_dream_is_restored_before_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let store = due_store(dir.path());
    let before = tree(store.root());
    let attempt = start(&store, Trigger::Manual);
    scribble(&store);
    // The process dies mid-dream: no destructor runs, the lock and snapshot stay behind.
    std::mem::forget(attempt);
    let lock = store.root().join(claurst_query::LOCK_FILE);
    let mut owner: serde_json::Value = serde_json::from_slice(&std::fs::read(&lock).unwrap()).unwrap();
    owner["pid"] = crate::dead_pid().into();
    std::fs::write(&lock, owner.to_string()).unwrap();

    let next = start(&store, Trigger::Manual);
    let mut expected = before.clone();
    expected.insert(SNAPSHOT_DIR.into(), "dir".into());
    let during: std::collections::BTreeMap<_, _> = tree(store.root())
        .into_iter()
        .filter(|(path, _)| {
            !path.starts_with(&format!("{SNAPSHOT_DIR}/")) && !path.starts_with(".dream.lock")
        })
        .collect();
    let expected: std::collections::BTreeMap<_, _> =
        expected.into_iter().filter(|(path, _)| !path.starts_with(".dream.lock")).collect();
    assert_eq!(during, expected, "the dead dream's changes were undone first");
    drop(next);
    assert_eq!(tree(store.root()), before);
}
