//! One dream attempt from gate to record: the gate is checked, the lock taken, the snapshot made; the attempt
//! then ends in [`DreamAttempt::succeed`] or [`DreamAttempt::fail`]. Dropped without either (the task was
//! cancelled), it restores the snapshot, records the interruption and releases the lock, in that order.

use crate::error::MemoryError;
use crate::gate::{DreamGate, DreamSettings, GateDecision, Trigger};
use crate::lock::{AcquireError, DreamLock, LockGuard, LockState};
use crate::snapshot::Snapshot;
use crate::state::{DreamRecord, DreamResult, DreamState};
use crate::store::MemoryStore;
use time::OffsetDateTime;

/// The result of [`DreamAttempt::begin`].
#[derive(Debug)]
pub enum Begin {
    Started(DreamAttempt),
    /// The gate said no; nothing was touched.
    Skipped(GateDecision),
}

/// A dream in progress: it holds the lock and the snapshot.
#[derive(Debug)]
pub struct DreamAttempt {
    store: MemoryStore,
    previous: DreamState,
    // Field order matters: the snapshot is restored (dropped) before the lock is released.
    snapshot: Option<Snapshot>,
    lock: LockGuard,
}

impl DreamAttempt {
    /// Check the gate for `trigger`, take the lock and snapshot the memory directory.
    pub fn begin(
        store: &MemoryStore,
        settings: DreamSettings,
        trigger: Trigger,
        now: OffsetDateTime,
    ) -> Result<Begin, MemoryError> {
        let gate = DreamGate::load(store, settings, now);
        let decision = gate.check(now, trigger);
        if decision != GateDecision::Run {
            return Ok(Begin::Skipped(decision));
        }
        let lock = match DreamLock::new(store.root()).acquire(now) {
            Ok(lock) => lock,
            Err(AcquireError::Busy(owner)) => return Ok(Begin::Skipped(GateDecision::Locked { owner })),
            Err(AcquireError::Io(error)) => return Err(error),
        };
        // Decide again under the lock: another process may have finished a dream since the first look.
        let previous = store.dream_state();
        let decision = DreamGate::new(settings, previous.clone(), LockState::Free).check(now, trigger);
        if decision != GateDecision::Run {
            return Ok(Begin::Skipped(decision));
        }
        let snapshot = Snapshot::take(store, &lock)?;
        Ok(Begin::Started(Self { store: store.clone(), previous, snapshot: Some(snapshot), lock }))
    }

    pub fn store(&self) -> &MemoryStore {
        &self.store
    }

    /// When this dream took the lock.
    pub fn started_at(&self) -> OffsetDateTime {
        self.lock.owner().started_at
    }

    /// When the last successful dream ran, if ever.
    pub fn previous_dream(&self) -> Option<OffsetDateTime> {
        self.previous.last_success
    }

    /// The session logs the gather phase should read: those dated on or after the last dream's day.
    pub fn session_logs(&self) -> Result<Vec<String>, MemoryError> {
        self.store.session_logs_since(self.previous.last_success.map(|at| at.date()))
    }

    /// Keep the changes, reset the schedule (sessions that ended during the dream still count towards the
    /// next one) and record the result.
    pub fn succeed(mut self, summary: &str, now: OffsetDateTime) -> Result<DreamState, MemoryError> {
        if let Some(snapshot) = self.snapshot.take() {
            snapshot.commit()?;
        }
        let counted_before = self.previous.sessions_since;
        self.store.update_dream_state(|state| {
            state.sessions_since = state.sessions_since.saturating_sub(counted_before);
            state.counting_since = Some(now);
            state.last_success = Some(now);
            state.last_result = Some(DreamRecord {
                finished_at: now,
                result: DreamResult::Consolidated { summary: summary.trim().to_string() },
            });
        })
    }

    /// Restore the memory directory and record why the dream failed. The schedule is unchanged, so the next
    /// session start tries again.
    pub fn fail(mut self, reason: &str, now: OffsetDateTime) -> Result<(), MemoryError> {
        let restored = match self.snapshot.take() {
            Some(snapshot) => snapshot.restore(),
            None => Ok(()),
        };
        record(&self.store, now, DreamResult::Failed { reason: reason.to_string() });
        restored
    }
}

impl Drop for DreamAttempt {
    fn drop(&mut self) {
        if let Some(snapshot) = self.snapshot.take() {
            if let Err(error) = snapshot.restore() {
                tracing::error!(%error, "the interrupted dream could not be undone");
            }
            record(&self.store, OffsetDateTime::now_utc(), DreamResult::Interrupted);
        }
    }
}

fn record(store: &MemoryStore, now: OffsetDateTime, result: DreamResult) {
    let outcome = store.update_dream_state(|state| {
        state.last_result = Some(DreamRecord { finished_at: now, result });
    });
    if let Err(error) = outcome {
        tracing::warn!(%error, "cannot record the dream's result");
    }
}
