//! Checkpoints: what the files Claurst's tools changed held before each user turn, so a rewind can put the
//! code back.
//!
//! Under the session's folder (`<project dir>/<session id>/checkpoints/`) live a content-addressed blob
//! store (`blobs/<sha256>`) and an append-only log (`turns.jsonl`). A turn costs nothing until a tool is
//! about to change a file: only then is that file's content saved, once per turn, and only when no blob
//! holds the same bytes already. Files the tools never touch are never read. The rules are in
//! `spec/checkpoints.md`.

mod blobs;
mod manifest;
mod restore;

pub use blobs::{BlobStore, content_hash};
pub use manifest::{ManifestRecord, read_manifest};
pub use restore::{CodeRestore, SkipReason, SkippedFile};

use manifest::ManifestWriter;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// What can go wrong with checkpoints, said so the user knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("cannot write the checkpoint file {path}: {source}; check free disk space and permissions")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the saved copy {path} is missing; this file cannot be restored from the checkpoint")]
    MissingBlob { path: PathBuf },
    #[error("the saved copy {path} is damaged (its content no longer matches its hash); it was not restored")]
    CorruptBlob { path: PathBuf },
    #[error("there is no checkpoint for turn {turn} in this session")]
    UnknownTurn { turn: u32 },
}

/// One user turn of the session as the rewind list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnCheckpoint {
    /// Counts from 1 in the session and is never reused, even after a rewind.
    pub turn: u32,
    pub prompt: String,
    pub timestamp: OffsetDateTime,
    /// The transcript's length in bytes before this turn's prompt was written: rewinding the conversation
    /// cuts the transcript here.
    pub transcript_offset: u64,
    /// The files Claurst's tools changed during the turn, in the order first changed.
    pub files: Vec<PathBuf>,
}

/// The checkpoints of one session: its log folded into memory, and the log kept open for appending.
#[derive(Debug)]
pub struct Checkpoints {
    blobs: BlobStore,
    log: ManifestWriter,
    turns: Vec<TurnCheckpoint>,
    /// Turns a conversation rewind removed from the list (their file changes still count for restores).
    dropped_from: Option<u32>,
    /// Every `Before` record, in order.
    befores: Vec<SavedBefore>,
    /// The content Claurst last knew each path to hold (what it saved, wrote or restored).
    last_known: HashMap<PathBuf, Option<String>>,
    current: Option<u32>,
    saved_this_turn: HashSet<PathBuf>,
}

impl Checkpoints {
    /// The checkpoint folder of the session whose transcript is `transcript` (`<dir>/<id>.jsonl` →
    /// `<dir>/<id>/checkpoints`), beside its sub-agents' folder.
    pub fn dir_for_transcript(transcript: &Path) -> PathBuf {
        transcript.with_extension("").join("checkpoints")
    }

    /// Open (or start) the checkpoints in `dir`, reading what earlier runs of the session recorded.
    pub fn open(dir: &Path) -> Result<Self, CheckpointError> {
        let log_path = dir.join("turns.jsonl");
        let records = read_manifest(&log_path)?;
        let mut checkpoints = Self {
            blobs: BlobStore::new(dir.join("blobs")),
            log: ManifestWriter::open(&log_path)?,
            turns: Vec::new(),
            dropped_from: None,
            befores: Vec::new(),
            last_known: HashMap::new(),
            current: None,
            saved_this_turn: HashSet::new(),
        };
        for record in records {
            checkpoints.apply(record);
        }
        checkpoints.current = None;
        Ok(checkpoints)
    }

    /// Fold one record into the state (while loading, and after appending it).
    fn apply(&mut self, record: ManifestRecord) {
        match record {
            ManifestRecord::Turn { turn, prompt, timestamp, transcript_offset } => {
                self.turns.push(TurnCheckpoint {
                    turn,
                    prompt,
                    timestamp,
                    transcript_offset,
                    files: Vec::new(),
                });
                self.current = Some(turn);
                self.saved_this_turn.clear();
            }
            ManifestRecord::Before { turn, path, blob, not_saved } => {
                if let Some(entry) = self.turns.iter_mut().find(|entry| entry.turn == turn)
                    && !entry.files.contains(&path)
                {
                    entry.files.push(path.clone());
                }
                if self.current == Some(turn) {
                    self.saved_this_turn.insert(path.clone());
                }
                // What the file held when this turn first touched it differs from what Claurst last left
                // there: someone edited it between turns, and restoring an earlier copy would undo that.
                let edited_between =
                    not_saved.is_none() && self.last_known.get(&path).is_some_and(|known| *known != blob);
                self.last_known.insert(path.clone(), blob.clone());
                self.befores.push(SavedBefore { turn, path, blob, not_saved, edited_between });
            }
            ManifestRecord::After { path, hash, .. } | ManifestRecord::Restored { path, hash } => {
                self.last_known.insert(path, hash);
            }
            ManifestRecord::Dropped { from_turn } => {
                for entry in &mut self.turns {
                    if entry.turn >= from_turn {
                        entry.files.clear();
                    }
                }
                self.turns.retain(|entry| entry.turn < from_turn);
                self.dropped_from = Some(self.dropped_from.map_or(from_turn, |known| known.min(from_turn)));
            }
        }
    }

    fn record(&mut self, record: ManifestRecord) -> Result<(), CheckpointError> {
        self.log.append(&record)?;
        self.apply(record);
        Ok(())
    }

    /// A user turn begins; the files its tools change are saved under it. Returns its number.
    pub fn begin_turn(&mut self, prompt: &str, transcript_offset: u64) -> Result<u32, CheckpointError> {
        let turn = self.next_turn();
        self.record(ManifestRecord::Turn {
            turn,
            prompt: prompt.to_string(),
            timestamp: OffsetDateTime::now_utc(),
            transcript_offset,
        })?;
        Ok(turn)
    }

    /// One more than any turn ever recorded, dropped ones included, so numbers are never reused.
    fn next_turn(&self) -> u32 {
        let listed = self.turns.iter().map(|entry| entry.turn).max().unwrap_or(0);
        let befores = self.befores.iter().map(|before| before.turn).max().unwrap_or(0);
        let dropped = self.dropped_from.unwrap_or(0);
        listed.max(befores).max(dropped) + 1
    }

    /// A tool is about to change `path`: save what it holds now, the first time in this turn. Outside a
    /// turn (no prompt started one) nothing is saved.
    pub fn before_change(&mut self, path: &Path) -> Result<(), CheckpointError> {
        let Some(turn) = self.current else { return Ok(()) };
        if self.saved_this_turn.contains(path) {
            return Ok(());
        }
        let (blob, not_saved) = match read_guarded(path)? {
            FileState::Absent => (None, None),
            FileState::Content(bytes) => (Some(self.blobs.put(&bytes)?), None),
            FileState::Unsaved(reason) => (None, Some(reason)),
        };
        self.record(ManifestRecord::Before { turn, path: path.to_path_buf(), blob, not_saved })
    }

    /// A tool has finished with `path`: remember what it left there, to tell later edits by others apart.
    pub fn after_change(&mut self, path: &Path) -> Result<(), CheckpointError> {
        let Some(turn) = self.current else { return Ok(()) };
        // A file that cannot be saved is not hashed either (reading a huge file or a FIFO is the harm the
        // guard avoids); a rewind checks such files again and leaves them alone.
        let hash = match read_guarded(path)? {
            FileState::Content(bytes) => Some(content_hash(&bytes)),
            FileState::Absent | FileState::Unsaved(_) => None,
        };
        self.record(ManifestRecord::After { turn, path: path.to_path_buf(), hash })
    }

    /// The session's turns, oldest first (those a conversation rewind removed are left out).
    pub fn turns(&self) -> &[TurnCheckpoint] {
        &self.turns
    }

    pub fn turn(&self, turn: u32) -> Option<&TurnCheckpoint> {
        self.turns.iter().find(|entry| entry.turn == turn)
    }

    /// The conversation went back to before `turn`: it and the later turns leave the list.
    pub fn drop_from(&mut self, turn: u32) -> Result<(), CheckpointError> {
        self.current = None;
        self.record(ManifestRecord::Dropped { from_turn: turn })
    }

    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }
}

/// One `Before` record as a restore needs it.
#[derive(Debug, Clone)]
struct SavedBefore {
    turn: u32,
    path: PathBuf,
    blob: Option<String>,
    /// Why no copy was saved, when the file existed but could not be saved.
    not_saved: Option<String>,
    /// The file held something other than what Claurst last knew it to hold: edited between turns.
    edited_between: bool,
}

/// The largest file a checkpoint saves. Larger files (logs, data, builds) would make every turn slow and
/// the store huge; a rewind reports that it cannot restore them instead.
pub const MAX_SAVED_FILE: u64 = 16 * 1024 * 1024;

/// What a file holds, as far as a checkpoint may read it.
#[derive(Debug)]
enum FileState {
    Absent,
    Content(Vec<u8>),
    /// It exists but is not read: the reason, said for the rewind report.
    Unsaved(String),
}

/// Read `path` only when it is a regular file no larger than `MAX_SAVED_FILE`. Symlinks are followed, but
/// a link to a directory, device or FIFO is never opened (opening a FIFO would block, reading a device may
/// never end).
fn read_guarded(path: &Path) -> Result<FileState, CheckpointError> {
    use std::io::Read;
    let read_error = |source| CheckpointError::Read { path: path.to_path_buf(), source };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Absent),
        Err(source) => return Err(read_error(source)),
    };
    if !meta.is_file() {
        return Ok(FileState::Unsaved("not saved: not a regular file".into()));
    }
    if meta.len() > MAX_SAVED_FILE {
        return Ok(FileState::Unsaved(too_large()));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Absent),
        Err(source) => return Err(read_error(source)),
    };
    // The file may have grown (or been swapped) since the check: read at most one byte past the cap.
    let mut bytes = Vec::new();
    file.take(MAX_SAVED_FILE + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > MAX_SAVED_FILE {
        return Ok(FileState::Unsaved(too_large()));
    }
    Ok(FileState::Content(bytes))
}

fn too_large() -> String {
    format!("not saved: too large (over {} MiB)", MAX_SAVED_FILE / (1024 * 1024))
}

#[cfg(test)]
mod tests;
