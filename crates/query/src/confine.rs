//! Keeping memory tools inside the memory directory.
//!
//! A path the model gives is resolved against the memory root, `.` and `..` are resolved lexically, and the
//! result must lie inside the root. No component may be a symbolic link (checked on disk, and the final open
//! uses `O_NOFOLLOW`), and no component may start with `.`: dot-files are Claurst's own bookkeeping (the dream
//! lock, state and snapshot). Writes go only to `MEMORY.md` and `topics/<name>.md`.

use crate::error::MemoryError;
use crate::store::{INDEX_FILE, TOPICS_DIR};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

/// What a tool wants to do with a path; each allows a different set of files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Any file inside the memory directory.
    Read,
    /// `MEMORY.md` or `topics/<name>.md`.
    Write,
    /// `topics/<name>.md` only: the index is rewritten, never deleted.
    Delete,
}

/// A checked path inside the memory directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemoryPath {
    pub absolute: PathBuf,
    /// Relative to the root, with `/` separators: what the model and the user are shown.
    pub relative: String,
}

/// Resolve `raw` (relative to `root`, or absolute inside it) for `purpose`, or say why it is refused.
pub(crate) fn resolve(root: &Path, raw: &str, purpose: Purpose) -> Result<MemoryPath, MemoryError> {
    let trimmed = raw.trim();
    let joined = root.join(trimmed);
    let normalized = normalize(&joined);
    let outside = || MemoryError::OutsideMemory { path: trimmed.to_string(), root: root.to_path_buf() };
    let relative_path = normalized.strip_prefix(root).map_err(|_| outside())?;
    let mut names = Vec::new();
    for component in relative_path.components() {
        match component.as_os_str().to_str() {
            Some(name) if !name.starts_with('.') => names.push(name.to_string()),
            _ => {
                return Err(MemoryError::NotAllowed {
                    path: trimmed.to_string(),
                    action: "used",
                    rule: "names starting with `.` are Claurst's own bookkeeping, and names must be UTF-8",
                });
            }
        }
    }
    if names.is_empty() {
        return Err(MemoryError::NotAllowed {
            path: trimmed.to_string(),
            action: "used",
            rule: "it is the memory directory itself; name a file such as `MEMORY.md` or `topics/<name>.md`",
        });
    }
    reject_symlinks(root, &names, trimmed)?;
    check_purpose(trimmed, &names, purpose)?;
    Ok(MemoryPath { absolute: root.join(relative_path), relative: names.join("/") })
}

fn check_purpose(raw: &str, names: &[String], purpose: Purpose) -> Result<(), MemoryError> {
    let is_index = names.len() == 1 && names[0] == INDEX_FILE;
    let is_topic = names.len() == 2 && names[0] == TOPICS_DIR && names[1].ends_with(".md");
    let (allowed, action, rule) = match purpose {
        Purpose::Read => (true, "read", ""),
        Purpose::Write => (
            is_index || is_topic,
            "written",
            "only `MEMORY.md` and topic files `topics/<name>.md` can be written (session logs are append-only \
             records kept by Claurst)",
        ),
        Purpose::Delete => (
            is_topic,
            "deleted",
            "only topic files `topics/<name>.md` can be deleted; rewrite `MEMORY.md` instead",
        ),
    };
    if allowed { Ok(()) } else { Err(MemoryError::NotAllowed { path: raw.to_string(), action, rule }) }
}

/// Refuse the path if any existing component below the root is a symbolic link.
fn reject_symlinks(root: &Path, names: &[String], raw: &str) -> Result<(), MemoryError> {
    let mut current = root.to_path_buf();
    for name in names {
        current.push(name);
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(MemoryError::Symlink { path: raw.to_string(), link: current });
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(MemoryError::Io { action: "inspect", path: current, source });
            }
        }
    }
    Ok(())
}

/// Remove `.` and resolve `..` without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Open an existing file for reading without following a final symbolic link.
pub(crate) fn open_read(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).custom_flags(nix::libc::O_NOFOLLOW).open(path)
}

/// Replace `path` with `bytes` atomically (a hidden temporary file renamed over it), creating its parent
/// directory (one level: `topics/`) when missing.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), MemoryError> {
    let parent = path.parent().unwrap_or(path);
    ensure_dir(parent)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = parent.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| std::fs::rename(&temp, path));
    result.map_err(|source| {
        let _ = std::fs::remove_file(&temp);
        MemoryError::Io { action: "write", path: path.to_path_buf(), source }
    })
}

/// Append `bytes` to `path`, creating it (and its parent directory) when missing.
pub(crate) fn append(path: &Path, bytes: &[u8]) -> Result<(), MemoryError> {
    if let Some(parent) = path.parent() {
        ensure_dir(parent)?;
    }
    OpenOptions::new()
        .append(true)
        .create(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(MemoryError::io("append to", path))
}

/// Create `dir` if it is missing; refuse it if it is a link or not a directory.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), MemoryError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(MemoryError::Symlink { path: dir.display().to_string(), link: dir.to_path_buf() })
        }
        Ok(_) => Err(MemoryError::NotAllowed {
            path: dir.display().to_string(),
            action: "used as a directory",
            rule: "a file of that name is in the way; rename or remove it",
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(MemoryError::io("create", dir))
        }
        Err(source) => Err(MemoryError::Io { action: "inspect", path: dir.to_path_buf(), source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_root_or_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let ok = resolve(&root, "topics/a.md", Purpose::Write).unwrap();
        assert_eq!(ok.relative, "topics/a.md");
        assert_eq!(ok.absolute, root.join("topics/a.md"));
        let absolute = root.join("MEMORY.md").display().to_string();
        assert_eq!(resolve(&root, &absolute, Purpose::Write).unwrap().relative, "MEMORY.md");
        assert_eq!(resolve(&root, "topics/../MEMORY.md", Purpose::Read).unwrap().relative, "MEMORY.md");
        for outside in ["../escape.md", "/etc/passwd", "topics/../../x.md"] {
            let error = resolve(&root, outside, Purpose::Write).unwrap_err();
            assert!(matches!(error, MemoryError::OutsideMemory { .. }), "{outside}: {error}");
        }
        for refused in [".dream.lock", "topics/.hidden.md", "sessions/2026-01-01.log", "notes.txt", "."] {
            assert!(resolve(&root, refused, Purpose::Write).is_err(), "{refused}");
        }
        assert!(resolve(&root, "MEMORY.md", Purpose::Delete).is_err());
        assert!(resolve(&root, "sessions/2026-01-01.log", Purpose::Read).is_ok());
    }

    #[test]
    fn symbolic_links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("memory");
        std::fs::create_dir_all(root.join("topics")).unwrap();
        let outside = dir.path().join("outside.md");
        std::fs::write(&outside, "secret").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("topics/link.md")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("topics/dir")).unwrap();
        let error = resolve(&root, "topics/link.md", Purpose::Read).unwrap_err();
        assert!(matches!(error, MemoryError::Symlink { .. }), "{error}");
        let error = resolve(&root, "topics/dir/outside.md", Purpose::Read).unwrap_err();
        assert!(matches!(error, MemoryError::Symlink { .. }), "{error}");
        assert!(open_read(&root.join("topics/link.md")).is_err());
    }
}
