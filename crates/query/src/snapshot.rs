//! A copy of what a dream may change, restored byte for byte unless the dream commits.
//!
//! A dream can only write `MEMORY.md` and `topics/` (the memory tools refuse everything else), so that is
//! what is copied: into `.dream-snapshot/` inside the memory directory, built under a temporary name and
//! renamed into place once complete. Session logs are deliberately outside it: sessions append to them while
//! a dream runs, and a restore must not undo those records. Symbolic links are copied as links, never
//! followed.
//!
//! The snapshot is on disk rather than in memory so that a dream killed outright (power loss, `kill -9`) is
//! still undone: the next dream, holding the lock, finds the leftover snapshot and restores it first.

use crate::error::MemoryError;
use crate::lock::LockGuard;
use crate::store::{INDEX_FILE, MemoryStore, TOPICS_DIR};
use std::path::{Path, PathBuf};

pub const SNAPSHOT_DIR: &str = ".dream-snapshot";
const TEMP_PREFIX: &str = ".dream-snapshot.tmp-";

/// The memory directory as it was before a dream. Dropping it without [`Snapshot::commit`] restores it.
#[derive(Debug)]
pub struct Snapshot {
    root: PathBuf,
    dir: PathBuf,
    finished: bool,
}

impl Snapshot {
    /// Copy `MEMORY.md` and `topics/`. Holding the lock is the proof that no other dream uses the snapshot;
    /// a snapshot left by a dream that died is restored first.
    pub fn take(store: &MemoryStore, _lock: &LockGuard) -> Result<Self, MemoryError> {
        let root = store.root().to_path_buf();
        let dir = root.join(SNAPSHOT_DIR);
        remove_temporaries(&root);
        if dir.exists() {
            tracing::warn!(snapshot = %dir.display(), "an earlier dream did not finish; restoring its snapshot");
            restore_from(&root, &dir)?;
            discard(&root, &dir)?;
        }
        let temp = root.join(format!("{TEMP_PREFIX}{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir(&temp).map_err(MemoryError::io("create", &temp))?;
        let copied = copy_covered(&root, &temp).and_then(|()| {
            std::fs::rename(&temp, &dir).map_err(MemoryError::io("finish the snapshot", &dir))
        });
        if let Err(error) = copied {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(error);
        }
        Ok(Self { root, dir, finished: false })
    }

    /// Keep the dream's changes and delete the snapshot.
    pub fn commit(mut self) -> Result<(), MemoryError> {
        self.finished = true;
        discard(&self.root, &self.dir)
    }

    /// Put the memory directory back as it was and delete the snapshot.
    pub fn restore(mut self) -> Result<(), MemoryError> {
        self.finished = true;
        self.restore_now()
    }

    fn restore_now(&self) -> Result<(), MemoryError> {
        restore_from(&self.root, &self.dir)
            .and_then(|()| discard(&self.root, &self.dir))
            .map_err(|source| MemoryError::Restore { snapshot: self.dir.clone(), source: Box::new(source) })
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        if !self.finished
            && let Err(error) = self.restore_now()
        {
            tracing::error!(%error, "the interrupted dream could not be undone");
        }
    }
}

/// Copy what a dream may change from `root` into `into`.
fn copy_covered(root: &Path, into: &Path) -> Result<(), MemoryError> {
    for name in [INDEX_FILE, TOPICS_DIR] {
        let from = root.join(name);
        if std::fs::symlink_metadata(&from).is_ok() {
            copy_tree(&from, &into.join(name))?;
        }
    }
    Ok(())
}

/// Replace what a dream may change in `root` with the snapshot's copy.
fn restore_from(root: &Path, snapshot: &Path) -> Result<(), MemoryError> {
    for name in [INDEX_FILE, TOPICS_DIR] {
        let current = root.join(name);
        remove_any(&current)?;
        let saved = snapshot.join(name);
        if std::fs::symlink_metadata(&saved).is_ok() {
            copy_tree(&saved, &current)?;
        }
    }
    Ok(())
}

/// Delete the snapshot: renamed away first (atomic), so that a crash never leaves a half-deleted snapshot
/// that a later dream would restore.
fn discard(root: &Path, snapshot: &Path) -> Result<(), MemoryError> {
    let doomed = root.join(format!("{TEMP_PREFIX}{}", uuid::Uuid::new_v4().simple()));
    std::fs::rename(snapshot, &doomed).map_err(MemoryError::io("discard the snapshot", snapshot))?;
    let _ = std::fs::remove_dir_all(&doomed);
    Ok(())
}

/// Remove half-built or half-deleted snapshots left by a crash.
fn remove_temporaries(root: &Path) {
    let Ok(read) = std::fs::read_dir(root) else {
        return;
    };
    for item in read.filter_map(Result::ok) {
        if item.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_dir_all(item.path());
        }
    }
}

/// Remove a file, link or directory tree (links are removed, never followed); a missing path is fine.
fn remove_any(path: &Path) -> Result<(), MemoryError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path).map_err(MemoryError::io("remove", path)),
        Ok(_) => std::fs::remove_file(path).map_err(MemoryError::io("remove", path)),
        Err(_) => Ok(()),
    }
}

/// Copy a file, link or directory tree, keeping links as links.
fn copy_tree(from: &Path, to: &Path) -> Result<(), MemoryError> {
    let meta = std::fs::symlink_metadata(from).map_err(MemoryError::io("inspect", from))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(MemoryError::io("read the link", from))?;
        std::os::unix::fs::symlink(target, to).map_err(MemoryError::io("copy the link", to))
    } else if meta.is_dir() {
        std::fs::create_dir(to).map_err(MemoryError::io("create", to))?;
        let read = std::fs::read_dir(from).map_err(MemoryError::io("list", from))?;
        for item in read {
            let item = item.map_err(MemoryError::io("list", from))?;
            copy_tree(&item.path(), &to.join(item.file_name()))?;
        }
        // Last, so that a read-only directory can still be filled.
        std::fs::set_permissions(to, meta.permissions()).map_err(MemoryError::io("copy permissions to", to))
    } else {
        std::fs::copy(from, to).map(|_| ()).map_err(MemoryError::io("copy", from))
    }
}
