//! Putting files back as they were before a turn.

use super::{CheckpointError, Checkpoints, ManifestRecord, content_hash, read_optional};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a code rewind did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CodeRestore {
    /// Files put back (or deleted, when they did not exist before the turn), in the order first changed.
    pub restored: Vec<PathBuf>,
    /// Files left as they are, and why.
    pub skipped: Vec<SkippedFile>,
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
        for (path, target) in self.targets(turn) {
            let expected = self.last_known.get(&path).cloned().flatten();
            let current = match read_optional(&path) {
                Ok(bytes) => bytes.map(|bytes| content_hash(&bytes)),
                Err(error) => {
                    report.skipped.push(SkippedFile { path, reason: SkipReason::Failed(error.to_string()) });
                    continue;
                }
            };
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
                    self.record(ManifestRecord::Restored { path: path.clone(), hash: target })?;
                    report.restored.push(path);
                }
                Err(error) => {
                    report.skipped.push(SkippedFile { path, reason: SkipReason::Failed(error.to_string()) })
                }
            }
        }
        Ok(report)
    }

    /// Each path changed in `turn` or later, with what it held before the first of those changes.
    fn targets(&self, turn: u32) -> Vec<(PathBuf, Option<String>)> {
        let mut seen: HashSet<&Path> = HashSet::new();
        let mut targets = Vec::new();
        for (changed_in, path, blob) in &self.befores {
            if *changed_in >= turn && seen.insert(path.as_path()) {
                targets.push((path.clone(), blob.clone()));
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
