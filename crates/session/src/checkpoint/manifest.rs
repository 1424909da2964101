//! The checkpoint log `turns.jsonl`: one JSON record per line, appended as a session works.

use super::CheckpointError;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// One line of the log. Paths are absolute; hashes name blobs (`None`: the file did not exist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ManifestRecord {
    /// A user turn begins: what was asked, when, and how long the transcript was before its prompt.
    Turn {
        turn: u32,
        prompt: String,
        #[serde(with = "time::serde::rfc3339")]
        timestamp: OffsetDateTime,
        transcript_offset: u64,
    },
    /// A tool is about to change `path` for the first time in `turn`: its content until then. When the
    /// file existed but was not saved (too large, not a regular file), `blob` is `None` and `not_saved`
    /// says why, so a rewind reports it instead of deleting the file.
    Before {
        turn: u32,
        path: PathBuf,
        blob: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_saved: Option<String>,
    },
    /// What the tool left in `path` (hash only; the next turn's `Before` saves the bytes if needed).
    After { turn: u32, path: PathBuf, hash: Option<String> },
    /// A rewind put this content back in `path`.
    Restored { path: PathBuf, hash: Option<String> },
    /// The conversation was rewound to before `from_turn`: it and later turns leave the list.
    Dropped { from_turn: u32 },
}

/// The log file, opened for appending; every record is one `write` of one line.
#[derive(Debug)]
pub struct ManifestWriter {
    path: PathBuf,
    // Visible to the checkpoint tests, which swap it for a read-only handle to make appends fail.
    pub(super) file: std::fs::File,
    line: Vec<u8>,
}

impl ManifestWriter {
    pub fn open(path: &Path) -> Result<Self, CheckpointError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|source| CheckpointError::Write { path: dir.to_path_buf(), source })?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| CheckpointError::Write { path: path.to_path_buf(), source })?;
        let mut writer = Self { path: path.to_path_buf(), file, line: Vec::with_capacity(256) };
        // A crash may have cut the last record short: start the next one on a line of its own.
        if ends_without_newline(path) {
            writer
                .file
                .write_all(b"\n")
                .map_err(|source| CheckpointError::Write { path: path.to_path_buf(), source })?;
        }
        Ok(writer)
    }

    pub fn append(&mut self, record: &ManifestRecord) -> Result<(), CheckpointError> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, record).map_err(|error| CheckpointError::Write {
            path: self.path.clone(),
            source: std::io::Error::other(error),
        })?;
        self.line.push(b'\n');
        self.file
            .write_all(&self.line)
            .map_err(|source| CheckpointError::Write { path: self.path.clone(), source })
    }
}

/// Every readable record of the log, in order. A missing log is empty; an unreadable line (the last one
/// torn by a crash) is skipped, losing only what it said.
pub fn read_manifest(path: &Path) -> Result<Vec<ManifestRecord>, CheckpointError> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(CheckpointError::Read { path: path.to_path_buf(), source }),
    };
    let mut records = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| CheckpointError::Read { path: path.to_path_buf(), source })?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(&line) {
            Ok(record) => records.push(record),
            Err(error) => {
                tracing::warn!(path = %path.display(), line = index + 1, %error, "skipped a checkpoint record")
            }
        }
    }
    Ok(records)
}

fn ends_without_newline(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let mut last = [0u8; 1];
    file.seek(SeekFrom::End(-1)).is_ok() && file.read_exact(&mut last).is_ok() && last[0] != b'\n'
}
