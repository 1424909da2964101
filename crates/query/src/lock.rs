//! `.dream.lock`: at most one dream at a time, across every Claurst process sharing the memory directory.
//!
//! The lock file holds JSON `{"pid", "started_at", "token"}`. It is created complete and atomically: the
//! content is written to a unique temporary file which is then hard-linked to `.dream.lock` (linking fails
//! if the lock exists), so a reader never sees an empty lock. A lock is stale when its process is gone or it
//! is older than [`STALE_AFTER`] (a dream takes minutes; an older lock belongs to a hung process or to a pid
//! that was reused). A stale lock is taken over under a second short-lived file, `.dream.lock.takeover`
//! (`create_new`): the taker re-reads the lock, removes it only if it is byte-for-byte the stale one it saw,
//! and then competes for the lock like anyone else, so of two racers exactly one wins. The guard removes
//! the lock on drop, but only while it still holds its own token.

use crate::error::MemoryError;
use crate::state::rfc3339;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;

pub const LOCK_FILE: &str = ".dream.lock";
const TAKEOVER_FILE: &str = ".dream.lock.takeover";
/// A lock older than this is stale even if its process still runs.
pub const STALE_AFTER: Duration = Duration::from_secs(2 * 60 * 60);
/// A take-over file older than this was left by a process that died mid-take-over (it takes microseconds).
const TAKEOVER_STALE: Duration = Duration::from_secs(10);
/// Rounds of "create, inspect, take over" before reporting the lock busy.
const ATTEMPTS: usize = 200;

/// Who holds the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockOwner {
    pub pid: u32,
    #[serde(with = "rfc3339")]
    pub started_at: OffsetDateTime,
    /// Unique per acquisition, so a guard never removes someone else's lock.
    pub token: String,
}

/// Why a lock no longer counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    /// Its process has exited.
    DeadProcess,
    /// It is older than [`STALE_AFTER`].
    TooOld,
    /// It cannot be read as a lock (edited or damaged by hand).
    Unreadable,
}

/// The lock as found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockState {
    Free,
    Held(LockOwner),
    Stale { owner: Option<LockOwner>, reason: StaleReason },
}

/// The consolidation lock of one memory directory.
#[derive(Debug, Clone)]
pub struct DreamLock {
    path: PathBuf,
    takeover: PathBuf,
    stale_after: Duration,
}

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct LockGuard {
    path: PathBuf,
    owner: LockOwner,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum AcquireError {
    /// Another live process holds it.
    Busy(LockOwner),
    Io(MemoryError),
}

impl DreamLock {
    pub fn new(memory_root: &Path) -> Self {
        Self {
            path: memory_root.join(LOCK_FILE),
            takeover: memory_root.join(TAKEOVER_FILE),
            stale_after: STALE_AFTER,
        }
    }

    /// The same lock with another staleness bound (tests).
    pub fn with_stale_after(mut self, stale_after: Duration) -> Self {
        self.stale_after = stale_after;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the lock file says at `now`.
    pub fn inspect(&self, now: OffsetDateTime) -> LockState {
        self.inspect_raw(now).0
    }

    fn inspect_raw(&self, now: OffsetDateTime) -> (LockState, Option<Vec<u8>>) {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(_) => return (LockState::Free, None),
        };
        let state = match serde_json::from_slice::<LockOwner>(&bytes) {
            Err(_) => LockState::Stale { owner: None, reason: StaleReason::Unreadable },
            Ok(owner) if !process_is_alive(owner.pid) => {
                LockState::Stale { owner: Some(owner), reason: StaleReason::DeadProcess }
            }
            Ok(owner) if now - owner.started_at > self.stale_after => {
                LockState::Stale { owner: Some(owner), reason: StaleReason::TooOld }
            }
            Ok(owner) => LockState::Held(owner),
        };
        (state, Some(bytes))
    }

    /// Take the lock for this process, taking over a stale one (with a warning).
    pub fn acquire(&self, now: OffsetDateTime) -> Result<LockGuard, AcquireError> {
        let owner =
            LockOwner { pid: std::process::id(), started_at: now, token: uuid::Uuid::new_v4().to_string() };
        let mut last_holder = None;
        for _ in 0..ATTEMPTS {
            if self.try_create(&owner).map_err(AcquireError::Io)? {
                return Ok(LockGuard { path: self.path.clone(), owner });
            }
            match self.inspect_raw(now) {
                (LockState::Free, _) => continue,
                (LockState::Held(holder), _) => return Err(AcquireError::Busy(holder)),
                (LockState::Stale { owner: stale, reason }, Some(bytes)) => {
                    tracing::warn!(lock = %self.path.display(), ?stale, ?reason, "taking over a stale dream lock");
                    last_holder = stale;
                    self.take_over(&bytes).map_err(AcquireError::Io)?;
                }
                (LockState::Stale { .. }, None) => continue,
            }
        }
        Err(AcquireError::Busy(last_holder.unwrap_or(owner)))
    }

    /// Create the lock holding `owner`; `false` when a lock already exists.
    fn try_create(&self, owner: &LockOwner) -> Result<bool, MemoryError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let temp = dir.join(format!("{LOCK_FILE}.{}.tmp", owner.token));
        let json = serde_json::to_vec(owner).map_err(|error| MemoryError::Io {
            action: "encode",
            path: self.path.clone(),
            source: std::io::Error::other(error),
        })?;
        std::fs::write(&temp, json).map_err(MemoryError::io("write", &temp))?;
        let linked = std::fs::hard_link(&temp, &self.path);
        let _ = std::fs::remove_file(&temp);
        match linked {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(source) => Err(MemoryError::Io { action: "create", path: self.path.clone(), source }),
        }
    }

    /// Remove the lock if it still holds exactly `stale`, under the take-over file. Returns when the caller
    /// should compete for the lock again (whether or not this call removed it).
    fn take_over(&self, stale: &[u8]) -> Result<(), MemoryError> {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&self.takeover) {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                // Someone else is taking over: let them finish, then look again.
                self.clear_abandoned_takeover();
                std::thread::sleep(Duration::from_millis(2));
                return Ok(());
            }
            Err(source) => {
                return Err(MemoryError::Io { action: "create", path: self.takeover.clone(), source });
            }
        }
        let still_stale = std::fs::read(&self.path).is_ok_and(|now| now == stale);
        let removed = if still_stale {
            std::fs::remove_file(&self.path).map_err(MemoryError::io("remove the stale lock", &self.path))
        } else {
            Ok(())
        };
        let _ = std::fs::remove_file(&self.takeover);
        removed
    }

    fn clear_abandoned_takeover(&self) {
        let age = std::fs::metadata(&self.takeover)
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok());
        if age.is_some_and(|age| age > TAKEOVER_STALE) {
            tracing::warn!(path = %self.takeover.display(), "removing an abandoned dream-lock take-over file");
            let _ = std::fs::remove_file(&self.takeover);
        }
    }
}

impl LockGuard {
    pub fn owner(&self) -> &LockOwner {
        &self.owner
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let ours = std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<LockOwner>(&bytes).ok())
            .is_some_and(|owner| owner.token == self.owner.token);
        if ours && let Err(error) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), %error, "cannot release the dream lock");
        }
    }
}

/// Whether a process with this id exists. Signal 0 checks without sending anything; `EPERM` means it exists
/// but belongs to someone else.
pub fn process_is_alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    if raw <= 0 {
        // 0 and negative ids name process groups, not a process.
        return false;
    }
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), None) {
        Ok(()) => true,
        Err(errno) => errno == nix::errno::Errno::EPERM,
    }
}
