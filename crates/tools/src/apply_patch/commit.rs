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
            crate::write_atomically(&write.path, content.as_bytes())
        }
        None => std::fs::remove_file(&write.path),
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
            Some(bytes) => crate::write_atomically(&write.path, bytes),
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
            FileWrite {
                path: kept.clone(),
                before: Some(b"original\n".to_vec()),
                after: Some("new\n".into()),
            },
            FileWrite { path: removed.clone(), before: Some(b"doomed\n".to_vec()), after: None },
            FileWrite { path: dir.path().join("made/deep/new.txt"), before: None, after: Some("x".into()) },
            FileWrite { path: dir.path().join("blocker/x.txt"), before: None, after: Some("x".into()) },
        ];
        let failure = commit(&writes).unwrap_err();
        assert_eq!(failure.path, dir.path().join("blocker/x.txt"));
        assert!(failure.unrestored.is_empty());
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "original\n");
        assert_eq!(std::fs::read_to_string(&removed).unwrap(), "doomed\n");
        assert!(!dir.path().join("made").exists(), "directories the patch created are removed");
    }
}
