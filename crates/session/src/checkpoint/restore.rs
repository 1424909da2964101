//! Putting files back as they were before a turn.

use super::{CheckpointError, Checkpoints, FileState, ManifestRecord, content_hash, read_guarded};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a code rewind did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CodeRestore {
    /// Files put back (or deleted, when they did not exist before the turn), in the order first changed.
    pub restored: Vec<PathBuf>,
    /// Files left as they are, and why.
    pub skipped: Vec<SkippedFile>,
    /// Files were put back but the checkpoint log could not record it (the first such error): a later
    /// rewind in another run may then take them for edits made outside Claurst.
    pub log_error: Option<String>,
}

/// One file a restore would put back.
struct Target {
    path: PathBuf,
    blob: Option<String>,
    not_saved: Option<String>,
    edited_between: bool,
}

/// A file a rewind did not touch.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    /// Someone other than Claurst changed the file since Claurst last wrote it: overwriting it would lose
    /// their work.
    ChangedOutside,
    /// The file was edited outside Claurst between two turns being rewound (a later turn found other
    /// content than the earlier turn left): restoring the earlier copy would undo those edits.
    EditedBetweenTurns,
    /// The saved copy cannot be used, or the file cannot be written; the message says why.
    Failed(String),
}

impl Checkpoints {
    /// Put every file Claurst's tools changed in `turn` or later back as it was before `turn`: its saved
    /// content, or no file when it did not exist. A file whose content is not what Claurst last left there
    /// (edited by the user or another program since) is skipped and reported, never overwritten.
    pub fn restore_code(&mut self, turn: u32) -> Result<CodeRestore, CheckpointError> {
        if self.turn(turn).is_none() {
            return Err(CheckpointError::UnknownTurn { turn });
        }
        self.current = None;
        let mut report = CodeRestore::default();
        for target in self.targets(turn) {
            let path = target.path;
            if let Some(reason) = target.not_saved {
                report.skipped.push(SkippedFile {
                    path,
                    reason: SkipReason::Failed(format!("{reason}; this file cannot be restored")),
                });
                continue;
            }
            if target.edited_between {
                report.skipped.push(SkippedFile { path, reason: SkipReason::EditedBetweenTurns });
                continue;
            }
            let expected = self.last_known.get(&path).cloned().flatten();
            let current = match read_guarded(&path) {
                Ok(FileState::Absent) => None,
                Ok(FileState::Content(bytes)) => Some(content_hash(&bytes)),
                // Unread, it cannot be compared with what Claurst left: leave it alone.
                Ok(FileState::Unsaved(reason)) => {
                    let reason = SkipReason::Failed(format!("{reason}; kept as it is"));
                    report.skipped.push(SkippedFile { path, reason });
                    continue;
                }
                Err(error) => {
                    report.skipped.push(SkippedFile { path, reason: SkipReason::Failed(error.to_string()) });
                    continue;
                }
            };
            let target = target.blob;
            if current == target {
                report.restored.push(path);
                continue;
            }
            if current != expected {
                report.skipped.push(SkippedFile { path, reason: SkipReason::ChangedOutside });
                continue;
            }
            match self.put_back(&path, target.as_deref()) {
                Ok(()) => {
                    // The file is back whatever the log says: finish the other files, and report a
                    // failed record once instead of stopping halfway.
                    let record = ManifestRecord::Restored { path: path.clone(), hash: target };
                    if let Err(error) = self.log.append(&record) {
                        report.log_error.get_or_insert_with(|| error.to_string());
                    }
                    self.apply(record);
                    report.restored.push(path);
                }
                Err(error) => {
                    report.skipped.push(SkippedFile { path, reason: SkipReason::Failed(error.to_string()) })
                }
            }
        }
        Ok(report)
    }

    /// Each path changed in `turn` or later, with what it held before the first of those changes, and
    /// whether a later one of those turns found it edited by someone else in between.
    fn targets(&self, turn: u32) -> Vec<Target> {
        let mut index: HashMap<&Path, usize> = HashMap::new();
        let mut targets: Vec<Target> = Vec::new();
        for before in self.befores.iter().filter(|before| before.turn >= turn) {
            match index.get(before.path.as_path()) {
                Some(&at) => targets[at].edited_between |= before.edited_between,
                None => {
                    index.insert(before.path.as_path(), targets.len());
                    targets.push(Target {
                        path: before.path.clone(),
                        blob: before.blob.clone(),
                        not_saved: before.not_saved.clone(),
                        edited_between: false,
                    });
                }
            }
        }
        targets
    }

    fn put_back(&self, path: &Path, blob: Option<&str>) -> Result<(), CheckpointError> {
        let Some(hash) = blob else {
            return match std::fs::remove_file(path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    Err(CheckpointError::Write { path: path.to_path_buf(), source: error })
                }
                _ => Ok(()),
            };
        };
        let bytes = self.blobs.get(hash)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| CheckpointError::Write { path: parent.to_path_buf(), source })?;
        }
        std::fs::write(path, bytes)
            .map_err(|source| CheckpointError::Write { path: path.to_path_buf(), source })
    }
}
