//! The consolidation lock: exclusive, released on drop, stale locks taken over, and races won exactly once.

use crate::dead_pid;
use claurst_query::{AcquireError, DreamLock, LockState};
use std::sync::{Arc, Barrier};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn stale_lock_json(pid: u32, started: OffsetDateTime) -> String {
    format!(r#"{{"pid":{pid},"started_at":"{}","token":"stale"}}"#, started.format(&Rfc3339).unwrap())
}

#[test]
fn the_lock_is_exclusive_and_released_on_drop() {
    let dir = tempfile::tempdir().unwrap();
    let lock = DreamLock::new(dir.path());
    let guard = lock.acquire(now()).unwrap();
    assert_eq!(guard.owner().pid, std::process::id());
    let on_disk: serde_json::Value = serde_json::from_slice(&std::fs::read(lock.path()).unwrap()).unwrap();
    assert_eq!(on_disk["pid"], std::process::id());
    assert_eq!(on_disk["token"], guard.owner().token.as_str());
    assert!(on_disk["started_at"].as_str().unwrap().ends_with('Z'));

    match lock.acquire(now()) {
        Err(AcquireError::Busy(owner)) => assert_eq!(&owner, guard.owner()),
        other => panic!("expected busy, got {other:?}"),
    }
    drop(guard);
    assert!(!lock.path().exists());
    assert_eq!(lock.inspect(now()), LockState::Free);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(names.is_empty(), "no temporary files are left: {names:?}");
}

#[test]
fn stale_locks_are_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let lock = DreamLock::new(dir.path());
    for (pid, started) in [(dead_pid(), now()), (std::process::id(), now() - Duration::hours(3))] {
        std::fs::write(lock.path(), stale_lock_json(pid, started)).unwrap();
        let guard = lock.acquire(now()).unwrap();
        assert_ne!(guard.owner().token, "stale");
        drop(guard);
        assert!(!lock.path().exists());
    }
    std::fs::write(lock.path(), "not a lock").unwrap();
    assert!(lock.acquire(now()).is_ok(), "an unreadable lock is stale");
}

#[test]
fn a_guard_never_removes_a_lock_it_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let lock = DreamLock::new(dir.path());
    let first = lock.acquire(now()).unwrap();
    // Someone removes the lock by hand and another dream takes it.
    std::fs::remove_file(lock.path()).unwrap();
    let second = lock.acquire(now()).unwrap();
    drop(first);
    assert!(
        matches!(lock.inspect(now()), LockState::Held(owner) if owner == *second.owner()),
        "the second holder keeps its lock"
    );
    drop(second);
    assert_eq!(lock.inspect(now()), LockState::Free);
}

/// Two threads released together race for the lock; the winner holds it until both have tried.
fn race(dir: &std::path::Path, prepare: impl Fn()) -> usize {
    prepare();
    let barrier = Arc::new(Barrier::new(2));
    let tried = Arc::new(Barrier::new(2));
    let racers: Vec<_> = (0..2)
        .map(|_| {
            let (barrier, tried) = (Arc::clone(&barrier), Arc::clone(&tried));
            let lock = DreamLock::new(dir);
            std::thread::spawn(move || {
                barrier.wait();
                let result = lock.acquire(now());
                tried.wait();
                match result {
                    Ok(_guard) => 1,
                    Err(AcquireError::Busy(_)) => 0,
                    Err(AcquireError::Io(error)) => panic!("{error}"),
                }
            })
        })
        .collect();
    racers.into_iter().map(|r| r.join().unwrap()).sum()
}

#[test]
fn of_two_racers_exactly_one_takes_a_free_lock() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..300 {
        assert_eq!(race(dir.path(), || {}), 1, "round {round}");
        assert_eq!(DreamLock::new(dir.path()).inspect(now()), LockState::Free);
    }
}

#[test]
fn of_two_racers_exactly_one_takes_over_a_stale_lock() {
    let dir = tempfile::tempdir().unwrap();
    let dead = dead_pid();
    let path = DreamLock::new(dir.path()).path().to_path_buf();
    for round in 0..300 {
        let stale = || std::fs::write(&path, stale_lock_json(dead, now())).unwrap();
        assert_eq!(race(dir.path(), stale), 1, "round {round}");
        assert_eq!(DreamLock::new(dir.path()).inspect(now()), LockState::Free);
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no take-over or temporary files are left: {left:?}");
}
