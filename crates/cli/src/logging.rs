//! Logs go to a file under ~/.claurst/logs, never to the screen.
//!
//! `claurst.log` is the current file; past 10 MiB it is renamed `claurst.log.1` (older ones shift up to
//! `claurst.log.5`, the oldest is deleted), so logs never grow without bound. Lines are handed to a writer
//! thread through a bounded queue, so logging never blocks the async runtime on disk I/O; when the queue is
//! full, lines are dropped rather than waited for.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The current log file's name.
pub const LOG_FILE: &str = "claurst.log";
/// Size at which the current file is rotated.
const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Rotated files kept besides the current one.
const KEPT_FILES: usize = 5;
/// Lines waiting for the writer thread at most.
const QUEUE_LINES: usize = 16 * 1024;

/// Start logging to `~/.claurst/logs/claurst.log`. `RUST_LOG`, when set, is the whole filter; otherwise every
/// Claurst crate (any target starting with `claurst`) logs at `level` and everything else at `warn`.
/// Failing to open the log is not fatal: the session runs without logs rather than not at all. Keep the
/// returned guard until exit: dropping it flushes the queued lines.
pub fn init(logs_dir: &Path, level: &str) -> Option<WorkerGuard> {
    let file = RotatingFile::open(logs_dir, MAX_FILE_BYTES, KEPT_FILES).ok()?;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUE_LINES)
        .lossy(true)
        .finish(file);
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::new(directives),
        _ => EnvFilter::new(format!("warn,claurst={level}")),
    };
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(writer).try_init().ok()?;
    Some(guard)
}

/// An append-only log file that rotates itself by size.
struct RotatingFile {
    dir: PathBuf,
    file: File,
    written: u64,
    max_bytes: u64,
    kept: usize,
}

impl RotatingFile {
    fn open(dir: &Path, max_bytes: u64, kept: usize) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let file = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(LOG_FILE))?;
        let written = file.metadata()?.len();
        Ok(Self { dir: dir.to_path_buf(), file, written, max_bytes, kept })
    }

    fn numbered(&self, n: usize) -> PathBuf {
        self.dir.join(format!("{LOG_FILE}.{n}"))
    }

    /// `claurst.log.N` → `.N+1` (the last one falls off), `claurst.log` → `.1`, then a fresh `claurst.log`.
    fn rotate(&mut self) -> std::io::Result<()> {
        let _ = std::fs::remove_file(self.numbered(self.kept));
        for n in (1..self.kept).rev() {
            let _ = std::fs::rename(self.numbered(n), self.numbered(n + 1));
        }
        std::fs::rename(self.dir.join(LOG_FILE), self.numbered(1))?;
        self.file = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join(LOG_FILE))?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.written > 0 && self.written + bytes.len() as u64 > self.max_bytes {
            // A failed rotation keeps appending to the current file: losing logs is worse than a large one.
            let _ = self.rotate();
        }
        let written = self.file.write(bytes)?;
        self.written += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_log_rotates_by_size_and_keeps_a_bounded_number_of_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = RotatingFile::open(dir.path(), 100, 2).unwrap();
        for n in 0..20 {
            log.write_all(format!("{n:0>39}\n").as_bytes()).unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["claurst.log", "claurst.log.1", "claurst.log.2"]);
        for name in &names {
            assert!(std::fs::metadata(dir.path().join(name)).unwrap().len() <= 100, "{name}");
        }
        // The newest lines are in the current file, the ones before in .1.
        assert!(std::fs::read_to_string(dir.path().join("claurst.log")).unwrap().ends_with("19\n"));
        assert!(std::fs::read_to_string(dir.path().join("claurst.log.1")).unwrap().contains("17\n"));
    }
}
