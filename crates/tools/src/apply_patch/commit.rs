//! Writing a planned patch all or nothing: each file is replaced atomically (temporary file, then rename),
//! and when one write fails every file already written is put back as it was, and directories the patch
//! created are removed again.

use super::plan::FileWrite;
use std::io;
use std::path::{Path, PathBuf};

/// Why a commit failed, and whether the files could all be put back.
#[derive(Debug)]
pub(crate) struct CommitFailure {
    pub path: PathBuf,
    pub error: io::Error,
    /// Paths that could not be restored (empty: every file is as it was).
    pub unrestored: Vec<PathBuf>,
}

/// Apply `writes` in order; on failure undo the ones done, newest first.
pub(crate) fn commit(writes: &[FileWrite]) -> Result<(), CommitFailure> {
    let mut created_dirs = Vec::new();
    for (index, write) in writes.iter().enumerate() {
        if let Err(error) = apply_one(write, &mut created_dirs) {
            let unrestored = undo(&writes[..index], &created_dirs);
            return Err(CommitFailure { path: write.path.clone(), error, unrestored });
        }
    }
    Ok(())
}

fn apply_one(write: &FileWrite, created_dirs: &mut Vec<PathBuf>) -> io::Result<()> {
    match &write.after {
        Some(content) => {
            if let Some(parent) = write.path.parent() {
                create_dirs(parent, created_dirs)?;
            }
            crate::write_atomically(&write.path, content.as_bytes())?;
            match &write.permissions {
                Some(permissions) => std::fs::set_permissions(&write.path, permissions.clone()),
                None => Ok(()),
            }
        }
        None => std::fs::remove_file(&write.path),
    }
}

/// Put a deleted or overwritten file back as it was: a symbolic link as the link, a file with its mode.
fn restore(write: &FileWrite, bytes: &[u8]) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(target) = &write.link {
        return std::os::unix::fs::symlink(target, &write.path);
    }
    crate::write_atomically(&write.path, bytes)?;
    match (&write.after, &write.permissions) {
        (None, Some(permissions)) => std::fs::set_permissions(&write.path, permissions.clone()),
        _ => Ok(()),
    }
}

/// Create `dir` and its missing parents, remembering each one created (outermost first).
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut current = Some(dir);
    while let Some(path) = current {
        if path.as_os_str().is_empty() || path.exists() {
            break;
        }
        missing.push(path.to_path_buf());
        current = path.parent();
    }
    for path in missing.into_iter().rev() {
        std::fs::create_dir(&path)?;
        created.push(path);
    }
    Ok(())
}

/// Put back every done write; the paths that could not be restored.
fn undo(done: &[FileWrite], created_dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut unrestored = Vec::new();
    for write in done.iter().rev() {
        let restored = match &write.before {
            Some(bytes) => restore(write, bytes),
            None => std::fs::remove_file(&write.path),
        };
        if restored.is_err() {
            unrestored.push(write.path.clone());
        }
    }
    for dir in created_dirs.iter().rev() {
        // Empty again once the new files are gone; a directory something else filled meanwhile stays.
        let _ = std::fs::remove_dir(dir);
    }
    unrestored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_restores_every_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.txt");
        let removed = dir.path().join("gone.txt");
        std::fs::write(&kept, "original\n").unwrap();
        std::fs::write(&removed, "doomed\n").unwrap();
        // A regular file where a directory is needed: the third write cannot happen.
        std::fs::write(dir.path().join("blocker"), "").unwrap();
        let writes = vec![
            FileWrite::new(kept.clone(), Some(b"original\n".to_vec()), Some("new\n".into())),
            FileWrite::new(removed.clone(), Some(b"doomed\n".to_vec()), None),
            FileWrite::new(dir.path().join("made/deep/new.txt"), None, Some("x".into())),
            FileWrite::new(dir.path().join("blocker/x.txt"), None, Some("x".into())),
        ];
        let failure = commit(&writes).unwrap_err();
        assert_eq!(failure.path, dir.path().join("blocker/x.txt"));
        assert!(failure.unrestored.is_empty());
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "original\n");
        assert_eq!(std::fs::read_to_string(&removed).unwrap(), "doomed\n");
        assert!(!dir.path().join("made").exists(), "directories the patch created are removed");
    }

    #[cfg(unix)]
    #[test]
    fn a_rolled_back_deletion_puts_back_the_link_and_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "echo hi\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let link = dir.path().join("latest");
        std::os::unix::fs::symlink("run.sh", &link).unwrap();
        std::fs::write(dir.path().join("blocker"), "").unwrap();
        let writes = vec![
            FileWrite::new(script.clone(), Some(b"echo hi\n".to_vec()), None).keeping_mode_of(&script),
            FileWrite::new(link.clone(), Some(b"echo hi\n".to_vec()), None).keeping_mode_of(&link),
            FileWrite::new(dir.path().join("blocker/x.txt"), None, Some("x".into())),
        ];
        commit(&writes).unwrap_err();
        let mode = std::fs::metadata(&script).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o755, "the executable bit came back");
        assert_eq!(std::fs::read_link(&link).unwrap(), std::path::Path::new("run.sh"), "still a link");
    }
}
