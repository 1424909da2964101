//! The session's checkpoints, shared by the session (which starts turns and rewinds) and the tool runner
//! (which saves a file before a tool changes it).
//!
//! Saving never stops a tool: a checkpoint that cannot be written is logged, and that file then cannot be
//! rewound. The store itself is `claurst_session::checkpoint`.

use claurst_session::Checkpoints;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The checkpoints of the session's current transcript; none while the session is not saved.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionCheckpoints(Arc<Mutex<Option<Opened>>>);

#[derive(Debug)]
struct Opened {
    dir: PathBuf,
    checkpoints: Checkpoints,
}

impl SessionCheckpoints {
    fn lock(&self) -> MutexGuard<'_, Option<Opened>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Follow the session to `transcript` (at start, and after `/clear` or `/resume` moved it); its
    /// checkpoint folder is read once, when the session first moves there.
    pub(crate) fn follow(&self, transcript: Option<&Path>) {
        let mut opened = self.lock();
        let Some(transcript) = transcript else {
            *opened = None;
            return;
        };
        let dir = Checkpoints::dir_for_transcript(transcript);
        if opened.as_ref().is_some_and(|current| current.dir == dir) {
            return;
        }
        *opened = match Checkpoints::open(&dir) {
            Ok(checkpoints) => Some(Opened { dir, checkpoints }),
            Err(error) => {
                tracing::warn!(%error, "checkpoints are off for this session: files cannot be rewound");
                None
            }
        };
    }

    /// Run `f` on the open checkpoints; `None` when the session has none.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Checkpoints) -> R) -> Option<R> {
        self.lock().as_mut().map(|opened| f(&mut opened.checkpoints))
    }

    /// A user turn starts with `prompt`; the transcript holds `transcript_offset` bytes before it.
    pub(crate) fn begin_turn(&self, prompt: &str, transcript_offset: u64) {
        if let Some(Err(error)) = self.with(|checkpoints| checkpoints.begin_turn(prompt, transcript_offset)) {
            tracing::warn!(%error, "cannot record the turn's checkpoint");
        }
    }

    /// A tool is about to change `path`.
    pub(crate) fn before_change(&self, path: &Path) {
        if let Some(Err(error)) = self.with(|checkpoints| checkpoints.before_change(path)) {
            tracing::warn!(%error, path = %path.display(), "cannot save the file before a change");
        }
    }

    /// A tool has finished with `path`.
    pub(crate) fn after_change(&self, path: &Path) {
        if let Some(Err(error)) = self.with(|checkpoints| checkpoints.after_change(path)) {
            tracing::warn!(%error, path = %path.display(), "cannot record what a tool wrote");
        }
    }
}
