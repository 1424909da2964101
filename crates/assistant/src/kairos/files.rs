//! Files touched in the project between ticks, as the OS reports them (inotify, FSEvents), filtered by the
//! project's `.gitignore` and coalesced: a file saved ten times is one change.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Distinct paths kept between two ticks; past it the tick says "and more" (memory stays bounded).
const MAX_PATHS: usize = 500;

/// The paths touched since the last `take`.
#[derive(Default)]
struct Touched {
    paths: BTreeSet<PathBuf>,
    overflowed: bool,
}

/// Watches the project tree; dropping it stops the watch.
pub struct FileWatch {
    touched: Arc<Mutex<Touched>>,
    _watcher: Option<RecommendedWatcher>,
}

/// What `take` found: project-relative paths, and whether more were touched than kept.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TouchedFiles {
    pub paths: Vec<String>,
    pub more: bool,
}

impl FileWatch {
    /// Watch `root`. Without a working OS watcher (no inotify left), nothing is reported and the reason is
    /// returned for the log.
    pub fn start(root: &Path) -> (FileWatch, Option<String>) {
        let touched = Arc::new(Mutex::new(Touched::default()));
        let filter = Filter::new(root);
        let sink = Arc::clone(&touched);
        let handler = move |event: notify::Result<Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
                return;
            }
            let Ok(mut touched) = sink.lock() else { return };
            for path in event.paths {
                if let Some(relative) = filter.keep(&path) {
                    if touched.paths.len() >= MAX_PATHS {
                        touched.overflowed = true;
                    } else {
                        touched.paths.insert(relative);
                    }
                }
            }
        };
        let watcher = notify::recommended_watcher(handler)
            .and_then(|mut watcher| watcher.watch(root, RecursiveMode::Recursive).map(|()| watcher));
        match watcher {
            Ok(watcher) => (FileWatch { touched, _watcher: Some(watcher) }, None),
            Err(error) => (
                FileWatch { touched, _watcher: None },
                Some(format!("files touched are not tracked: cannot watch the project ({error})")),
            ),
        }
    }

    /// Whether anything was touched since the last `take` (cheap: no allocation).
    pub fn any(&self) -> bool {
        self.touched.lock().map(|touched| !touched.paths.is_empty() || touched.overflowed).unwrap_or(false)
    }

    /// The paths touched since the last call, emptying the set.
    pub fn take(&self) -> TouchedFiles {
        let Ok(mut touched) = self.touched.lock() else { return TouchedFiles::default() };
        let taken = std::mem::take(&mut *touched);
        TouchedFiles {
            paths: taken.paths.into_iter().map(|path| path.display().to_string()).collect(),
            more: taken.overflowed,
        }
    }
}

/// Which paths count: inside the project, outside `.git`, not ignored by the root `.gitignore` (or
/// `.git/info/exclude`).
struct Filter {
    root: PathBuf,
    ignore: Gitignore,
}

impl Filter {
    fn new(root: &Path) -> Filter {
        // The watcher reports canonical paths on some systems; match them against a canonical root.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut builder = GitignoreBuilder::new(&root);
        // Missing files are fine: a project without `.gitignore` ignores nothing.
        let _ = builder.add(root.join(".gitignore"));
        let _ = builder.add(root.join(".git/info/exclude"));
        let ignore = builder.build().unwrap_or_else(|_| Gitignore::empty());
        Filter { root, ignore }
    }

    fn keep(&self, path: &Path) -> Option<PathBuf> {
        let relative = path.strip_prefix(&self.root).ok()?;
        if relative.as_os_str().is_empty() || relative.starts_with(".git") {
            return None;
        }
        let is_dir = path.is_dir();
        if is_dir {
            return None;
        }
        if self.ignore.matched_path_or_any_parents(relative, is_dir).is_ignore() {
            return None;
        }
        Some(relative.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ignored_and_git_paths_are_filtered_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "target/\n*.log\n").unwrap();
        let filter = Filter::new(dir.path());
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(filter.keep(&root.join("src/a.rs")), Some(PathBuf::from("src/a.rs")));
        assert_eq!(filter.keep(&root.join("target/debug/x")), None);
        assert_eq!(filter.keep(&root.join("run.log")), None);
        assert_eq!(filter.keep(&root.join(".git/index")), None);
    }
}
