//! `.dream-state.json`: when the last dream ran, how many sessions ended since, and how the last one went.
//!
//! Every change is a read-modify-write under a short-lived `.dream-state.lock` (created with `create_new`), and
//! the file is replaced atomically by renaming a temporary file over it, so concurrent session ends never lose
//! a count and readers never see half a file.

use crate::error::MemoryError;
use crate::store::MemoryStore;
use serde::{Deserialize, Serialize};
use std::fs::OpenOptions;
use std::path::Path;
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;

pub const STATE_FILE: &str = ".dream-state.json";
const STATE_LOCK_FILE: &str = ".dream-state.lock";
/// How long an update waits for another process's update before giving up.
const STATE_LOCK_WAIT: Duration = Duration::from_secs(2);
/// A state lock older than this was left by a crashed process (updates take milliseconds).
const STATE_LOCK_STALE: Duration = Duration::from_secs(30);

/// The dream schedule's memory, kept in the memory directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DreamState {
    /// When the interval started: the last successful dream, or the first session end ever recorded.
    #[serde(with = "rfc3339::option")]
    pub counting_since: Option<OffsetDateTime>,
    /// Sessions ended since the last successful dream.
    pub sessions_since: u32,
    #[serde(with = "rfc3339::option")]
    pub last_success: Option<OffsetDateTime>,
    /// The last attempt, whatever its result.
    pub last_result: Option<DreamRecord>,
}

/// How one dream attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreamRecord {
    #[serde(with = "rfc3339")]
    pub finished_at: OffsetDateTime,
    pub result: DreamResult,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DreamResult {
    /// The memory was consolidated; `summary` is the model's closing note.
    Consolidated { summary: String },
    /// The run failed and the memory directory was restored.
    Failed { reason: String },
    /// The run was stopped (the program exited or the task was cancelled) and the memory was restored.
    Interrupted,
}

impl MemoryStore {
    /// The dream state; a missing file is the initial state, and a damaged one is reset with a warning
    /// (it only schedules dreams, so losing it costs at most one early or late dream).
    pub fn dream_state(&self) -> DreamState {
        load(&self.root().join(STATE_FILE))
    }

    /// Count one more ended session towards the next dream. The first one ever also starts the interval.
    pub fn record_session_end(&self, now: OffsetDateTime) -> Result<DreamState, MemoryError> {
        self.update_dream_state(|state| {
            state.sessions_since = state.sessions_since.saturating_add(1);
            state.counting_since.get_or_insert(now);
        })
    }

    /// Change the state under the state lock and write it back atomically.
    pub fn update_dream_state(
        &self,
        change: impl FnOnce(&mut DreamState),
    ) -> Result<DreamState, MemoryError> {
        let root = self.root();
        let _lock = StateLock::take(root)?;
        let path = root.join(STATE_FILE);
        let mut state = load(&path);
        change(&mut state);
        let json = serde_json::to_vec_pretty(&state).map_err(|error| MemoryError::Io {
            action: "encode",
            path: path.clone(),
            source: std::io::Error::other(error),
        })?;
        let temp = root.join(format!("{STATE_FILE}.{}.tmp", uuid::Uuid::new_v4().simple()));
        std::fs::write(&temp, json).and_then(|()| std::fs::rename(&temp, &path)).map_err(|source| {
            let _ = std::fs::remove_file(&temp);
            MemoryError::Io { action: "write", path, source }
        })?;
        Ok(state)
    }
}

fn load(path: &Path) -> DreamState {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            tracing::warn!(path = %path.display(), %error, "damaged dream state; starting the schedule afresh");
            DreamState::default()
        }),
        Err(error) => {
            if error.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %path.display(), %error, "cannot read the dream state");
            }
            DreamState::default()
        }
    }
}

/// The state file's update lock, removed on drop.
struct StateLock {
    path: std::path::PathBuf,
}

impl StateLock {
    fn take(root: &Path) -> Result<Self, MemoryError> {
        let path = root.join(STATE_LOCK_FILE);
        let started = std::time::Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(Self { path }),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => {
                    return Err(MemoryError::Io { action: "create", path, source });
                }
            }
            let age = std::fs::metadata(&path)
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|modified| SystemTime::now().duration_since(modified).ok());
            if age.is_some_and(|age| age > STATE_LOCK_STALE) {
                tracing::warn!(path = %path.display(), "removing a stale dream-state lock");
                let _ = std::fs::remove_file(&path);
                continue;
            }
            if started.elapsed() > STATE_LOCK_WAIT {
                return Err(MemoryError::StateBusy {
                    path: root.join(STATE_FILE),
                    waited_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                    lock: path,
                });
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// RFC 3339 timestamps in JSON (the `time` crate's serde support is not enabled in the workspace).
pub(crate) mod rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            Option::<String>::deserialize(deserializer)?
                .map(|text| OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn session_ends_count_and_start_the_interval_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemoryStore::open(dir.path()).unwrap();
        assert_eq!(store.dream_state(), DreamState::default());
        let first = datetime!(2026-04-01 10:00 UTC);
        store.record_session_end(first).unwrap();
        let state = store.record_session_end(datetime!(2026-04-02 10:00 UTC)).unwrap();
        assert_eq!(state.sessions_since, 2);
        assert_eq!(state.counting_since, Some(first));
        assert_eq!(store.dream_state(), state, "the file round-trips");
        assert!(!dir.path().join(STATE_LOCK_FILE).exists());
    }

    #[test]
    fn a_damaged_state_file_is_reset() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemoryStore::open(dir.path()).unwrap();
        std::fs::write(dir.path().join(STATE_FILE), "{not json").unwrap();
        assert_eq!(store.dream_state(), DreamState::default());
        let state = store.record_session_end(datetime!(2026-04-01 10:00 UTC)).unwrap();
        assert_eq!(state.sessions_since, 1);
    }

    #[test]
    fn concurrent_session_ends_are_all_counted() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemoryStore::open(dir.path()).unwrap();
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        store.record_session_end(OffsetDateTime::now_utc()).unwrap();
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(store.dream_state().sessions_since, 80);
    }
}
