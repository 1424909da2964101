//! What can go wrong with the memory directory and the dream bookkeeping.

use std::path::PathBuf;
use thiserror::Error;

/// A failure of the memory store, its tools' path rules, or the dream's lock, state and snapshot.
#[derive(Debug, Error)]
pub enum MemoryError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "`{path}` is outside the memory directory {}; memory tools only touch files inside it. Use a path \
         relative to the memory directory, such as `topics/preferences.md`",
        root.display()
    )]
    OutsideMemory { path: String, root: PathBuf },
    #[error(
        "`{path}` goes through the symbolic link {}; memory tools never follow links. Use a plain file inside \
         the memory directory",
        link.display()
    )]
    Symlink { path: String, link: PathBuf },
    #[error("`{path}` cannot be {action}: {rule}")]
    NotAllowed { path: String, action: &'static str, rule: &'static str },
    #[error(
        "the dream state file {} stayed locked by another Claurst process for {waited_ms} ms; try again, or \
         delete {} if no other Claurst is running",
        path.display(),
        lock.display()
    )]
    StateBusy { path: PathBuf, lock: PathBuf, waited_ms: u64 },
    #[error(
        "the memory directory could not be restored from its snapshot: {source}. The snapshot is kept in {} \
         and is restored automatically before the next dream",
        snapshot.display()
    )]
    Restore {
        snapshot: PathBuf,
        #[source]
        source: Box<MemoryError>,
    },
}

impl MemoryError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| MemoryError::Io { action, path, source }
    }
}
