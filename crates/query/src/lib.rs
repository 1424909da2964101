//! Claurst's long-term memory and its "dream" consolidation.
//!
//! It owns the memory directory ([`MemoryStore`]: `MEMORY.md`, `topics/`, `sessions/`), the memory tools
//! confined to it ([`memory_tools`]), session records, and every pure part of a dream: the gate
//! ([`DreamGate`]), the lock ([`DreamLock`]), the snapshot ([`Snapshot`]), the attempt that ties them together
//! ([`DreamAttempt`]), the consolidation prompts ([`compact`]) and the status shown to the user
//! ([`DreamStatus`]). The behaviour is specified in `spec/memory.md`.
//!
//! It must never depend on the agent loop, the API client or any user interface: the dream runner that drives
//! a model through the phases lives in `claurst-assistant`.

mod attempt;
pub mod compact;
mod confine;
mod error;
mod gate;
mod lock;
mod session_record;
mod snapshot;
mod state;
mod status;
mod store;
mod tools;

pub use attempt::{Begin, DreamAttempt};
pub use compact::{DreamBrief, DreamPhase};
pub use error::MemoryError;
pub use gate::{DreamGate, DreamSettings, GateDecision, Trigger};
pub use lock::{
    AcquireError, DreamLock, LOCK_FILE, LockGuard, LockOwner, LockState, STALE_AFTER, StaleReason,
};
pub use session_record::{SessionSummary, fallback_session_record, session_record_prompt};
pub use snapshot::{SNAPSHOT_DIR, Snapshot};
pub use state::{DreamRecord, DreamResult, DreamState, STATE_FILE};
pub use status::{DreamActivity, DreamStatus};
pub use store::{
    EntryKind, INDEX_FILE, INDEX_LINE_LIMIT, MemoryEntry, MemoryStore, PromptLoad, SESSIONS_DIR, TOPICS_DIR,
    format_listing, session_log_name,
};
pub use tools::{
    MAX_WRITE_BYTES, MEMORY_ALLOW_RULES, MEMORY_TOOL_NAMES, MemoryRole, SAVED_PREFIX, memory_tools,
};
