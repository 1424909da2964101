//! The gate as a table: time since the last dream, sessions since, the lock, `auto_dream` and the trigger.

use crate::dead_pid;
use claurst_query::{
    DreamGate, DreamLock, DreamSettings, DreamState, GateDecision, LockState, StaleReason, Trigger,
};
use std::path::Path;
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-04-10 12:00 UTC);

#[derive(Debug, Clone, Copy)]
enum Lock {
    Free,
    Live,
    DeadPid,
    Old,
}

fn write_lock(dir: &Path, lock: Lock) {
    let (pid, started) = match lock {
        Lock::Free => return,
        Lock::Live => (std::process::id(), NOW - Duration::minutes(10)),
        Lock::DeadPid => (dead_pid(), NOW - Duration::minutes(10)),
        Lock::Old => (std::process::id(), NOW - Duration::hours(3)),
    };
    let json =
        format!(r#"{{"pid":{pid},"started_at":"{}","token":"t-{pid}"}}"#, started.format(&Rfc3339).unwrap());
    std::fs::write(dir.join(claurst_query::LOCK_FILE), json).unwrap();
}

#[derive(Debug, PartialEq)]
enum Expect {
    Run,
    Wait(u64, u32),
    Locked,
    Disabled,
}

/// Hours since the interval started, sessions since, lock, `auto_dream`, trigger → decision.
type Row = (Option<i64>, u32, Lock, bool, Trigger, Expect);

#[test]
fn the_gate_decides_as_the_table_says() {
    use Expect::*;
    use Lock::*;
    use Trigger::{Automatic as Auto, Manual};
    let table: &[Row] = &[
        (Some(25), 5, Free, true, Auto, Run),
        (Some(24), 5, Free, true, Auto, Run),
        (Some(23), 5, Free, true, Auto, Wait(1, 0)),
        (Some(1), 5, Free, true, Auto, Wait(23, 0)),
        (Some(25), 4, Free, true, Auto, Wait(0, 1)),
        (Some(25), 0, Free, true, Auto, Wait(0, 5)),
        (Some(2), 3, Free, true, Auto, Wait(22, 2)),
        (None, 9, Free, true, Auto, Wait(24, 0)),
        (Some(-5), 9, Free, true, Auto, Wait(24, 0)),
        (Some(25), 5, Live, true, Auto, Locked),
        (Some(1), 0, Live, true, Auto, Locked),
        (Some(25), 5, DeadPid, true, Auto, Run),
        (Some(25), 5, Old, true, Auto, Run),
        (Some(1), 5, DeadPid, true, Auto, Wait(23, 0)),
        (Some(25), 5, Free, false, Auto, Disabled),
        (Some(25), 5, Live, false, Auto, Disabled),
        (Some(1), 0, Free, false, Manual, Run),
        (None, 0, Free, true, Manual, Run),
        (Some(1), 0, Live, true, Manual, Locked),
        (Some(1), 0, Live, false, Manual, Locked),
        (Some(1), 0, DeadPid, true, Manual, Run),
        (Some(1), 0, Old, false, Manual, Run),
    ];
    for (row, (hours, sessions, lock, auto, trigger, expected)) in table.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        write_lock(dir.path(), *lock);
        let state = DreamState {
            counting_since: hours.map(|h| NOW - Duration::hours(h)),
            sessions_since: *sessions,
            ..DreamState::default()
        };
        let settings = DreamSettings { auto_dream: *auto, ..DreamSettings::default() };
        let gate = DreamGate::new(settings, state, DreamLock::new(dir.path()).inspect(NOW));
        let decision = match gate.check(NOW, *trigger) {
            GateDecision::Run => Run,
            GateDecision::Wait { hours_left, sessions_left } => Wait(hours_left, sessions_left),
            GateDecision::Locked { .. } => Locked,
            GateDecision::Disabled => Disabled,
        };
        assert_eq!(&decision, expected, "row {row}: {:?}", table[row]);
    }
}

#[test]
fn lock_staleness_is_reported_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let lock = DreamLock::new(dir.path());
    assert_eq!(lock.inspect(NOW), LockState::Free);
    for (kind, reason) in [(Lock::DeadPid, StaleReason::DeadProcess), (Lock::Old, StaleReason::TooOld)] {
        write_lock(dir.path(), kind);
        assert!(
            matches!(lock.inspect(NOW), LockState::Stale { reason: r, owner: Some(_) } if r == reason),
            "{kind:?}"
        );
    }
    write_lock(dir.path(), Lock::Live);
    assert!(matches!(lock.inspect(NOW), LockState::Held(owner) if owner.pid == std::process::id()));
    std::fs::write(lock.path(), "garbage").unwrap();
    assert_eq!(lock.inspect(NOW), LockState::Stale { owner: None, reason: StaleReason::Unreadable });
}

#[test]
fn intervals_and_thresholds_come_from_the_settings() {
    let state = DreamState {
        counting_since: Some(NOW - Duration::hours(2)),
        sessions_since: 1,
        ..DreamState::default()
    };
    let settings = DreamSettings { auto_dream: true, interval_hours: 2, session_threshold: 1 };
    let gate = DreamGate::new(settings, state.clone(), LockState::Free);
    assert_eq!(gate.check(NOW, Trigger::Automatic), GateDecision::Run);
    let zero = DreamSettings { interval_hours: 0, session_threshold: 0, ..settings };
    let fresh = DreamGate::new(zero, DreamState::default(), LockState::Free);
    assert_eq!(fresh.check(NOW, Trigger::Automatic), GateDecision::Run);
}
