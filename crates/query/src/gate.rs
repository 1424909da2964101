//! The dream gate: whether a dream may run now.
//!
//! An automatic dream runs only when all three hold: at least `interval_hours` have passed since the last
//! successful dream (or, before the first, since the first recorded session end), at least
//! `session_threshold` sessions have ended since, and the lock is free or stale. `auto_dream = false`
//! disables automatic dreams. A manual dream (`--dream-now`) skips the time, session and `auto_dream`
//! conditions but still needs the lock.

use crate::lock::{DreamLock, LockOwner, LockState};
use crate::state::DreamState;
use crate::store::MemoryStore;
use time::OffsetDateTime;

/// `[memory]` settings that schedule dreams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DreamSettings {
    pub auto_dream: bool,
    pub interval_hours: u64,
    pub session_threshold: u32,
}

impl Default for DreamSettings {
    fn default() -> Self {
        Self { auto_dream: true, interval_hours: 24, session_threshold: 5 }
    }
}

/// Who asked for the dream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Session start: every condition applies.
    Automatic,
    /// `--dream-now` or `/dream now`: only the lock applies.
    Manual,
}

/// The gate's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateDecision {
    Run,
    /// Not yet; each count is 0 when its condition already holds.
    Wait {
        hours_left: u64,
        sessions_left: u32,
    },
    /// Another live process is dreaming.
    Locked {
        owner: LockOwner,
    },
    /// `auto_dream = false` (automatic trigger only).
    Disabled,
}

/// Everything the decision depends on; [`DreamGate::check`] is pure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DreamGate {
    pub settings: DreamSettings,
    pub state: DreamState,
    pub lock: LockState,
}

impl DreamGate {
    pub fn new(settings: DreamSettings, state: DreamState, lock: LockState) -> Self {
        Self { settings, state, lock }
    }

    /// The gate for `store` as it is on disk at `now`.
    pub fn load(store: &MemoryStore, settings: DreamSettings, now: OffsetDateTime) -> Self {
        Self::new(settings, store.dream_state(), DreamLock::new(store.root()).inspect(now))
    }

    pub fn check(&self, now: OffsetDateTime, trigger: Trigger) -> GateDecision {
        let decision = self.decide(now, trigger);
        tracing::debug!(?trigger, ?decision, "dream gate decision");
        decision
    }

    fn decide(&self, now: OffsetDateTime, trigger: Trigger) -> GateDecision {
        if trigger == Trigger::Automatic && !self.settings.auto_dream {
            return GateDecision::Disabled;
        }
        if let LockState::Held(owner) = &self.lock {
            return GateDecision::Locked { owner: owner.clone() };
        }
        if trigger == Trigger::Manual {
            return GateDecision::Run;
        }
        let (hours_left, sessions_left) = self.remaining(now);
        if hours_left == 0 && sessions_left == 0 {
            GateDecision::Run
        } else {
            GateDecision::Wait { hours_left, sessions_left }
        }
    }

    /// Hours (rounded up) and sessions still needed before an automatic dream.
    pub fn remaining(&self, now: OffsetDateTime) -> (u64, u32) {
        let interval_secs = self.settings.interval_hours.saturating_mul(3600);
        // Before anything was recorded the interval has not started; a clock that went backwards counts as
        // no time passed.
        let elapsed_secs = self
            .state
            .counting_since
            .map(|since| u64::try_from((now - since).whole_seconds()).unwrap_or(0))
            .unwrap_or(0);
        let hours_left = interval_secs.saturating_sub(elapsed_secs).div_ceil(3600);
        let sessions_left = self.settings.session_threshold.saturating_sub(self.state.sessions_since);
        (hours_left, sessions_left)
    }
}
