//! What changed since the last tick that acted: files touched, git HEAD, finished commands, deferred results
//! and what the watches report. Changes accumulate until a tick carries them (a capped tick keeps them).

use super::commands::CommandLog;
use super::defer::Deferrals;
use super::files::FileWatch;
use super::git::GitHead;
use super::watch::Watch;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Lines kept per kind of change; past it a tick says how many more.
const MAX_LINES: usize = 100;
/// How long one watch may take to poll before the tick goes on without it.
const WATCH_POLL_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Changes not yet carried by a tick.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pending {
    pub files: BTreeSet<String>,
    /// More files were touched than kept.
    pub more_files: bool,
    pub git: Vec<String>,
    pub commands: Vec<String>,
    pub deferred: Vec<String>,
    pub watched: Vec<String>,
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
            && !self.more_files
            && self.git.is_empty()
            && self.commands.is_empty()
            && self.deferred.is_empty()
            && self.watched.is_empty()
    }

    /// One short line per kind of change, for `TickStarted` and the log.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.files.is_empty() || self.more_files {
            let shown: Vec<&str> = self.files.iter().take(5).map(String::as_str).collect();
            let more = if self.files.len() > 5 || self.more_files { ", …" } else { "" };
            let count = self.files.len();
            let noun = if count == 1 { "file" } else { "files" };
            lines.push(format!("{count} {noun} changed: {}{more}", shown.join(", ")));
        }
        lines.extend(self.git.iter().cloned());
        lines.extend(self.commands.iter().cloned());
        lines.extend(self.deferred.iter().map(|text| text.lines().next().unwrap_or_default().to_string()));
        lines.extend(self.watched.iter().cloned());
        lines
    }

    /// The few words a front-end shows as the tick's prompt ("2 files changed, 1 command finished").
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if !self.files.is_empty() {
            parts.push(count(self.files.len(), "file changed", "files changed"));
        }
        if !self.git.is_empty() {
            parts.push("git HEAD moved".to_string());
        }
        if !self.commands.is_empty() {
            parts.push(count(self.commands.len(), "command finished", "commands finished"));
        }
        if !self.deferred.is_empty() {
            parts.push(count(self.deferred.len(), "deferred result", "deferred results"));
        }
        if !self.watched.is_empty() {
            parts.push(count(self.watched.len(), "watched update", "watched updates"));
        }
        parts.join(", ")
    }
}

/// Gathers changes from every source.
pub struct ChangeTracker {
    root: PathBuf,
    files: FileWatch,
    head: Option<GitHead>,
    pub(crate) commands: Arc<CommandLog>,
    pub(crate) deferrals: Arc<Deferrals>,
    watches: Vec<Arc<dyn Watch>>,
    pending: Pending,
}

impl ChangeTracker {
    /// Start tracking `root`; the second value says why files are not tracked, when they are not.
    pub fn start(root: PathBuf, watches: Vec<Arc<dyn Watch>>) -> (ChangeTracker, Option<String>) {
        let (files, problem) = FileWatch::start(&root);
        let head = GitHead::read(&root);
        let tracker = ChangeTracker {
            root,
            files,
            head,
            commands: Arc::default(),
            deferrals: Arc::default(),
            watches,
            pending: Pending::default(),
        };
        (tracker, problem)
    }

    /// Move what happened since the last call into the pending changes. A quiet call reads HEAD (two small
    /// files), takes a few locks and asks each watch; it allocates nothing when nothing changed.
    pub async fn gather(&mut self) {
        if self.files.any() {
            let touched = self.files.take();
            self.pending.more_files |= touched.more;
            // Kept whole while ticks are held back (a cap, a pause), so bounded here, not only when shown.
            for path in touched.paths {
                if self.pending.files.len() >= MAX_LINES * 5 {
                    self.pending.more_files = true;
                    break;
                }
                self.pending.files.insert(path);
            }
        }
        let head = GitHead::read(&self.root);
        if let (Some(now), Some(before)) = (&head, &self.head)
            && let Some(line) = now.change_since(before)
        {
            push_bounded(&mut self.pending.git, line);
        }
        self.head = head;
        if self.commands.any() {
            for line in self.commands.take() {
                push_bounded(&mut self.pending.commands, line);
            }
        }
        if self.deferrals.any_finished() {
            for result in self.deferrals.take_finished() {
                push_bounded(&mut self.pending.deferred, result);
            }
        }
        for watch in &self.watches {
            // A watch that hangs (a slow server) must not hold the session: its lines wait for a later tick.
            let Ok(lines) = tokio::time::timeout(WATCH_POLL_LIMIT, watch.poll()).await else {
                tracing::warn!(
                    "KAIROS: a watch took longer than {WATCH_POLL_LIMIT:?} to poll; skipped this tick"
                );
                continue;
            };
            for line in lines {
                push_bounded(&mut self.pending.watched, line);
            }
        }
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn take_pending(&mut self) -> Pending {
        std::mem::take(&mut self.pending)
    }

    /// A tick's run ended: what it touched itself (files, HEAD) is not news for the next tick.
    pub fn forget_own_changes(&mut self) {
        let _ = self.files.take();
        self.head = GitHead::read(&self.root);
    }

    /// What the watches watch now, for the status.
    pub fn watched(&self) -> Vec<String> {
        self.watches.iter().flat_map(|watch| watch.watched()).collect()
    }

    pub fn root(&self) -> &std::path::Path {
        &self.root
    }
}

fn push_bounded(lines: &mut Vec<String>, line: String) {
    if lines.len() >= MAX_LINES {
        lines.remove(0);
    }
    lines.push(line);
}
