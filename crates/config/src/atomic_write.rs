//! Whole-file writes that a crash cannot tear.
//!
//! The new content goes to a temporary file in the target's own directory (so the final rename stays on one
//! file system), is flushed to disk, takes the old file's permission mode, and is renamed over the target.
//! A reader, or a `kill -9` at any instant, therefore sees either the old content or the new, never a
//! truncated or half-written file. A symbolic link is followed: the file it points to is replaced and the
//! link itself is kept.

use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The most links followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINK_HOPS: usize = 40;

/// Replace the content of `path` with `bytes` atomically; see the module documentation.
///
/// A new file is created with mode 0666 less the process umask, as `open(2)` would; an existing file keeps
/// its mode. The parent directory must exist.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = follow_links(path)?;
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing_mode = match std::fs::metadata(&target) {
        Ok(metadata) => Some(metadata.permissions()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".claurst-tmp")
        // Passed to open(2), so the umask applies, as it would to a file created in place.
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(&directory)?;
    temporary.write_all(bytes)?;
    if let Some(mode) = existing_mode {
        temporary.as_file().set_permissions(mode)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(&target).map_err(|error| error.error)?;
    // The rename is durable only once the directory entry is on disk; failing to sync it loses nothing now.
    if let Ok(handle) = std::fs::File::open(&directory) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// The file a chain of symbolic links ends at (which may not exist yet); `path` itself when it is no link.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other(format!("too many levels of symbolic links at {}", path.display())))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn replaces_content_and_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("script.sh");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o751);
        // Nothing is left behind beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_through_symlinks_and_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/file.txt");
        std::fs::write(&target, "old").unwrap();
        let first = dir.path().join("link1");
        let second = dir.path().join("link2");
        std::os::unix::fs::symlink("real/file.txt", &first).unwrap();
        std::os::unix::fs::symlink(&first, &second).unwrap();
        write_atomically(&second, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&first).unwrap().file_type().is_symlink());
        assert!(std::fs::symlink_metadata(&second).unwrap().file_type().is_symlink());
    }

    #[test]
    fn a_dangling_link_creates_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("made.txt", &link).unwrap();
        write_atomically(&link, b"x").unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("made.txt")).unwrap(), "x");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    }

    #[test]
    fn new_files_follow_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.txt");
        write_atomically(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, a new file is readable by its owner and never executable.
        assert_eq!(mode & 0o600, 0o600);
        assert_eq!(mode & 0o111, 0);
    }
}
