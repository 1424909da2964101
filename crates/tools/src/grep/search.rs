//! Searching files in parallel with ripgrep's searcher, one [`FileMatches`] per file with a match.

use super::args::{GrepRequest, OutputMode};
use crate::files::truncate_chars;
use crate::read_file::MAX_LINE_CHARS;
use crate::walk::{StopFlag, collect_parallel};
use grep_searcher::{Searcher, Sink, SinkContext, SinkMatch};
use ignore::{WalkBuilder, WalkState};
use std::fmt::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bytes of results collected at most; past this the walk stops and the results are marked incomplete.
const MAX_COLLECTED_BYTES: usize = 16 * 1024 * 1024;

/// What one file contributed.
#[derive(Debug)]
pub(crate) struct FileMatches {
    /// As shown: relative to the project root when inside it.
    pub path: String,
    /// Matching lines (files_with_matches stops at the first).
    pub count: u64,
    /// Content mode: the file's output lines, each ending in `\n`.
    pub text: String,
}

/// Every file with a match, in no particular order.
pub(crate) struct Found {
    pub files: Vec<FileMatches>,
    /// The walk stopped early because the results grew too large.
    pub incomplete: bool,
}

pub(crate) fn search(request: &GrepRequest, walker: &WalkBuilder, stop: &StopFlag) -> Found {
    let collected = AtomicUsize::new(0);
    let incomplete = AtomicBool::new(false);
    let files = collect_parallel(walker, stop, || {
        let mut searcher = request.searcher();
        let matcher = request.matcher.clone();
        let (collected, incomplete) = (&collected, &incomplete);
        move |entry: ignore::DirEntry, found: &mut Vec<FileMatches>| {
            if !entry.file_type().is_some_and(|kind| kind.is_file()) {
                return WalkState::Continue;
            }
            let mut sink = FileSink::new(request, entry.path());
            // A file that cannot be read (permissions, vanished) is skipped, as `rg` skips it after a warning.
            if searcher.search_path(&matcher, entry.path(), &mut sink).is_err() {
                return WalkState::Continue;
            }
            let Some(matches) = sink.finish() else {
                return WalkState::Continue;
            };
            let size = matches.path.len() + matches.text.len();
            found.push(matches);
            if collected.fetch_add(size, Ordering::Relaxed) + size > MAX_COLLECTED_BYTES {
                incomplete.store(true, Ordering::Relaxed);
                return WalkState::Quit;
            }
            WalkState::Continue
        }
    });
    Found { files, incomplete: incomplete.into_inner() }
}

/// Collects one file's results in the output format of `rg`.
struct FileSink<'r> {
    request: &'r GrepRequest,
    path: &'r Path,
    /// Made on the first output line only: most files searched have no match.
    shown_path: Option<String>,
    count: u64,
    text: String,
    binary: bool,
}

impl<'r> FileSink<'r> {
    fn new(request: &'r GrepRequest, path: &'r Path) -> Self {
        Self { request, path, shown_path: None, count: 0, text: String::new(), binary: false }
    }

    fn shown_path(&mut self) -> &str {
        let (project_root, path) = (&self.request.project_root, self.path);
        self.shown_path.get_or_insert_with(|| {
            let relative = path.strip_prefix(project_root).unwrap_or(path);
            relative.to_string_lossy().into_owned()
        })
    }

    /// `path:12:text` for a match, `path-12-text` for context (without the number when `-n` is off).
    fn write_line(&mut self, separator: char, line_number: Option<u64>, line: &[u8]) {
        self.shown_path();
        let path = self.shown_path.as_deref().unwrap_or_default();
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = String::from_utf8_lossy(line);
        let kept = truncate_chars(&line, MAX_LINE_CHARS);
        let cut = if kept.len() < line.len() { " … [line cut]" } else { "" };
        let _ = match line_number.filter(|_| self.request.line_numbers) {
            Some(number) => writeln!(self.text, "{path}{separator}{number}{separator}{kept}{cut}"),
            None => writeln!(self.text, "{path}{separator}{kept}{cut}"),
        };
    }

    /// The file's results, unless it had no match or turned out to be binary (skipped, like `rg` does).
    fn finish(mut self) -> Option<FileMatches> {
        if self.count == 0 || self.binary {
            return None;
        }
        self.shown_path();
        Some(FileMatches { path: self.shown_path.unwrap_or_default(), count: self.count, text: self.text })
    }
}

impl Sink for FileSink<'_> {
    type Error = std::io::Error;

    fn matched(&mut self, _searcher: &Searcher, found: &SinkMatch<'_>) -> Result<bool, Self::Error> {
        match self.request.mode {
            OutputMode::FilesWithMatches => {
                self.count = 1;
                return Ok(false);
            }
            OutputMode::Count => self.count += found.lines().count() as u64,
            OutputMode::Content => {
                self.count += 1;
                let first = found.line_number();
                for (offset, line) in found.lines().enumerate() {
                    self.write_line(':', first.map(|n| n + offset as u64), line);
                }
            }
        }
        Ok(true)
    }

    fn context(&mut self, _searcher: &Searcher, context: &SinkContext<'_>) -> Result<bool, Self::Error> {
        self.write_line('-', context.line_number(), context.bytes());
        Ok(true)
    }

    fn context_break(&mut self, _searcher: &Searcher) -> Result<bool, Self::Error> {
        self.text.push_str("--\n");
        Ok(true)
    }

    fn binary_data(&mut self, _searcher: &Searcher, _offset: u64) -> Result<bool, Self::Error> {
        self.binary = true;
        Ok(false)
    }
}
