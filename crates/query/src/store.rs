//! The memory directory: the index, topic files and session logs.

use crate::confine;
use crate::error::MemoryError;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// The index: read first, loaded into every session's system prompt.
pub const INDEX_FILE: &str = "MEMORY.md";
/// One Markdown file per subject.
pub const TOPICS_DIR: &str = "topics";
/// Append-only records of past sessions, one file per day (`YYYY-MM-DD.log`).
pub const SESSIONS_DIR: &str = "sessions";
/// Lines of `MEMORY.md` loaded into the system prompt; the dream keeps the index shorter than this.
pub const INDEX_LINE_LIMIT: usize = 200;

/// Claurst's memory directory. Opening creates the directory itself; `topics/` and `sessions/` are created
/// when first written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryStore {
    /// Canonical, so that confinement compares like with like.
    root: PathBuf,
}

/// What a file of the memory directory is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Index,
    Topic,
    SessionLog,
    Other,
}

/// How much of a file the system prompt carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptLoad {
    /// The whole file is in every session's prompt.
    Whole,
    /// Only the first `shown` of `total` lines are.
    Truncated { shown: usize, total: usize },
    /// Read on request with the memory tools.
    OnRequest,
}

/// One file of the memory directory, for `/memory` and `memory_list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryEntry {
    /// Relative to the memory directory, with `/` separators.
    pub path: String,
    pub kind: EntryKind,
    pub bytes: u64,
    pub lines: usize,
    pub load: PromptLoad,
}

impl MemoryStore {
    /// The memory directory at `dir`, created if missing.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, MemoryError> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(MemoryError::io("create the memory directory", dir))?;
        let root = dir.canonicalize().map_err(MemoryError::io("resolve the memory directory", dir))?;
        tracing::debug!(dir = %root.display(), "memory directory opened");
        Ok(Self { root })
    }

    /// The memory directory (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn index_path(&self) -> PathBuf {
        self.root.join(INDEX_FILE)
    }

    /// The system-prompt section: `MEMORY.md` under a header saying what it is, cut to
    /// [`INDEX_LINE_LIMIT`] lines with a note when longer. `None` when there is no index yet.
    pub fn index_for_prompt(&self) -> Option<String> {
        let text = match read_text(&self.index_path()) {
            Ok(text) => text,
            Err(error) => {
                if !is_not_found(&error) {
                    tracing::warn!(%error, "cannot read the memory index; the session starts without it");
                }
                return None;
            }
        };
        if text.trim().is_empty() {
            return None;
        }
        let total = text.lines().count();
        let shown: Vec<&str> = text.lines().take(INDEX_LINE_LIMIT).collect();
        let mut section = format!(
            "# Memory\n\nBelow is MEMORY.md, the index of what you remember from earlier sessions with this user \
             (memory directory: {}). It is a summary: details live in topic files under topics/. Read them \
             with memory_read when they bear on the task, see what exists with memory_list, and save lasting \
             facts the user tells you to remember (or that will matter in later sessions) with memory_write \
             or memory_append. Paths are relative to the memory directory.\n\n<memory-index>\n",
            self.root.display()
        );
        section.push_str(&shown.join("\n"));
        section.push_str("\n</memory-index>");
        if total > INDEX_LINE_LIMIT {
            let _ = write!(
                section,
                "\n\n[MEMORY.md has {total} lines; only the first {INDEX_LINE_LIMIT} are loaded. Read the rest \
                 with memory_read.]"
            );
        }
        Some(section)
    }

    /// Every file in the memory directory (dot-files and links excluded): the index first, then topics,
    /// then session logs, each sorted by path.
    pub fn list(&self) -> Result<Vec<MemoryEntry>, MemoryError> {
        let mut entries = Vec::new();
        self.walk(&self.root, &mut entries)?;
        entries.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
        Ok(entries)
    }

    fn walk(&self, dir: &Path, out: &mut Vec<MemoryEntry>) -> Result<(), MemoryError> {
        let read = std::fs::read_dir(dir).map_err(MemoryError::io("list", dir))?;
        for item in read {
            let item = item.map_err(MemoryError::io("list", dir))?;
            let name = item.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = item.path();
            let file_type = item.file_type().map_err(MemoryError::io("inspect", &path))?;
            if file_type.is_dir() {
                self.walk(&path, out)?;
            } else if file_type.is_file() {
                out.push(self.entry(&path)?);
            }
        }
        Ok(())
    }

    fn entry(&self, path: &Path) -> Result<MemoryEntry, MemoryError> {
        let relative = path
            .strip_prefix(&self.root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(path).map_err(MemoryError::io("read", path))?;
        let lines = String::from_utf8_lossy(&bytes).lines().count();
        let kind = if relative == INDEX_FILE {
            EntryKind::Index
        } else if relative.starts_with("topics/") {
            EntryKind::Topic
        } else if relative.starts_with("sessions/") {
            EntryKind::SessionLog
        } else {
            EntryKind::Other
        };
        let load = match kind {
            EntryKind::Index if lines > INDEX_LINE_LIMIT => {
                PromptLoad::Truncated { shown: INDEX_LINE_LIMIT, total: lines }
            }
            EntryKind::Index => PromptLoad::Whole,
            _ => PromptLoad::OnRequest,
        };
        Ok(MemoryEntry { path: relative, kind, bytes: bytes.len() as u64, lines, load })
    }

    /// Append one session's record to `sessions/YYYY-MM-DD.log` (the date of `ended_at`), under a header
    /// with the time. Returns the log's path.
    pub fn append_session_record(
        &self,
        ended_at: OffsetDateTime,
        text: &str,
    ) -> Result<PathBuf, MemoryError> {
        let path = self.root.join(SESSIONS_DIR).join(session_log_name(ended_at.date()));
        let stamp = ended_at.replace_nanosecond(0).unwrap_or(ended_at).format(&Rfc3339).unwrap_or_default();
        let record = format!("## Session ended {stamp}\n\n{}\n\n", text.trim());
        confine::append(&path, record.as_bytes())?;
        Ok(path)
    }

    /// The session logs dated on or after `since` (all of them when `None`), as relative paths, oldest first.
    pub fn session_logs_since(&self, since: Option<time::Date>) -> Result<Vec<String>, MemoryError> {
        let dir = self.root.join(SESSIONS_DIR);
        let read = match std::fs::read_dir(&dir) {
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(MemoryError::Io { action: "list", path: dir, source });
            }
        };
        let format = format_description!("[year]-[month]-[day]");
        let mut logs: Vec<String> = read
            .filter_map(Result::ok)
            .filter_map(|item| item.file_name().to_str().map(str::to_string))
            .filter(|name| {
                let Some(stem) = name.strip_suffix(".log") else {
                    return false;
                };
                match (time::Date::parse(stem, &format), since) {
                    (Ok(date), Some(since)) => date >= since,
                    (Ok(_), None) => true,
                    (Err(_), _) => false,
                }
            })
            .map(|name| format!("{SESSIONS_DIR}/{name}"))
            .collect();
        logs.sort();
        Ok(logs)
    }
}

/// `YYYY-MM-DD.log`.
pub fn session_log_name(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}.log", date.year(), u8::from(date.month()), date.day())
}

/// A table of entries for `/memory`: path, size, lines and whether the prompt carries it.
pub fn format_listing(root: &Path, entries: &[MemoryEntry]) -> String {
    let mut out = format!("Memory directory: {}\n", root.display());
    if entries.is_empty() {
        out.push_str("Nothing remembered yet. Ask Claurst to \"remember that …\" to start.\n");
        return out;
    }
    for entry in entries {
        let load = match entry.load {
            PromptLoad::Whole => "loaded into every session".to_string(),
            PromptLoad::Truncated { shown, total } => {
                format!("loaded into every session (first {shown} of {total} lines)")
            }
            PromptLoad::OnRequest => "read on request".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<32} {:>8}  {:>5} lines  {load}",
            entry.path,
            human_bytes(entry.bytes),
            entry.lines
        );
    }
    out
}

fn human_bytes(bytes: u64) -> String {
    if bytes < 1024 { format!("{bytes} B") } else { format!("{:.1} KiB", bytes as f64 / 1024.0) }
}

/// A file's text, refusing to follow a final symbolic link.
pub(crate) fn read_text(path: &Path) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    confine::open_read(path)?.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub(crate) fn is_not_found(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::NotFound
}
