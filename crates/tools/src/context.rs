//! State the tools share within one session.

use crate::bash::BackgroundShells;
use crate::shell_sandbox::ShellSandbox;
use std::collections::HashMap;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// What every tool of a session shares: where the project is, the shell's working directory, what has been
/// read, where to put oversized output, and the background shells (killed when the context is dropped, at
/// session end).
#[derive(Debug)]
pub struct ToolContext {
    /// Where relative paths resolve: the project root, or the worktree the session moved to.
    project_root: std::sync::RwLock<PathBuf>,
    /// The `bash` tool's working directory, kept between calls.
    cwd: Mutex<PathBuf>,
    /// Where tools may write files for the session (oversized outputs).
    session_dir: PathBuf,
    bash_timeout: Duration,
    files: FileTracker,
    shells: BackgroundShells,
    /// Paths a deny rule forbids to read; the walking tools skip them.
    read_filter: Option<ReadFilter>,
    /// How shell commands are confined and which environment they inherit.
    shell_sandbox: ShellSandbox,
    /// Told of every file a tool changed (language-server diagnostics after an edit).
    edit_observer: Option<ObserverSlot>,
}

/// Something that has a word to add after a tool changed a file: the diagnostics a language server now
/// reports for it. Set by whoever owns the language servers; the file tools only ask it.
#[async_trait::async_trait]
pub trait EditObserver: Send + Sync {
    /// Text to append to the result of the tool that just wrote `path`, if any. Must not fail the edit.
    async fn after_edit(&self, path: &Path) -> Option<String>;
}

#[derive(Clone)]
struct ObserverSlot(Arc<dyn EditObserver>);

impl fmt::Debug for ObserverSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EditObserver")
    }
}

/// Which paths the permission rules forbid to read (`true`: skip it). Set by whoever owns the permission
/// engine; the tools only ask it.
#[derive(Clone)]
pub struct ReadFilter(Arc<dyn Fn(&Path) -> bool + Send + Sync>);

impl ReadFilter {
    pub fn new(denies: impl Fn(&Path) -> bool + Send + Sync + 'static) -> ReadFilter {
        ReadFilter(Arc::new(denies))
    }

    /// Whether reading `path` is forbidden.
    pub fn denies(&self, path: &Path) -> bool {
        (self.0)(path)
    }
}

impl fmt::Debug for ReadFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReadFilter")
    }
}

impl ToolContext {
    pub fn new(
        project_root: impl Into<PathBuf>,
        session_dir: impl Into<PathBuf>,
        bash_timeout: Duration,
    ) -> Self {
        let project_root = project_root.into();
        Self {
            cwd: Mutex::new(project_root.clone()),
            project_root: std::sync::RwLock::new(project_root),
            session_dir: session_dir.into(),
            bash_timeout,
            files: FileTracker::default(),
            shells: BackgroundShells::default(),
            read_filter: None,
            shell_sandbox: ShellSandbox::default(),
            edit_observer: None,
        }
    }

    /// The same context, with `observer` told of every file the write and edit tools change.
    pub fn with_edit_observer(mut self, observer: Arc<dyn EditObserver>) -> Self {
        self.edit_observer = Some(ObserverSlot(observer));
        self
    }

    pub fn edit_observer(&self) -> Option<Arc<dyn EditObserver>> {
        self.edit_observer.as_ref().map(|slot| Arc::clone(&slot.0))
    }

    /// The same context, with paths `filter` denies skipped by grep, search_files and list_dir.
    pub fn with_read_filter(mut self, filter: ReadFilter) -> Self {
        self.read_filter = Some(filter);
        self
    }

    /// The filter of paths not to read, if any.
    pub fn read_filter(&self) -> Option<ReadFilter> {
        self.read_filter.clone()
    }

    /// The same context with shell commands confined by `sandbox` (unconfined by default).
    pub fn with_shell_sandbox(mut self, sandbox: ShellSandbox) -> Self {
        self.shell_sandbox = sandbox;
        self
    }

    pub fn shell_sandbox(&self) -> &ShellSandbox {
        &self.shell_sandbox
    }

    /// The directory the tools work in: the project root, or the worktree the session moved to.
    pub fn project_root(&self) -> PathBuf {
        self.project_root
            .read()
            .map(|root| root.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Work in `root` from now on (a worktree the session entered or left): relative paths resolve there and
    /// the shell's next command starts there.
    pub fn move_to(&self, root: PathBuf) {
        match self.project_root.write() {
            Ok(mut current) => *current = root.clone(),
            Err(poisoned) => *poisoned.into_inner() = root.clone(),
        }
        self.set_cwd(root);
    }

    pub fn session_dir(&self) -> &Path {
        &self.session_dir
    }

    pub fn bash_timeout(&self) -> Duration {
        self.bash_timeout
    }

    /// The shell's current working directory.
    pub fn cwd(&self) -> PathBuf {
        self.cwd.lock().map(|cwd| cwd.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub fn set_cwd(&self, dir: PathBuf) {
        match self.cwd.lock() {
            Ok(mut cwd) => *cwd = dir,
            Err(poisoned) => *poisoned.into_inner() = dir,
        }
    }

    /// The directory a tool was given (`None`: the project root), or the error telling the model what to pass.
    pub(crate) fn directory(
        &self,
        tool: &str,
        path: Option<&str>,
    ) -> Result<PathBuf, crate::tool::ToolResult> {
        let root = self.resolve(path.unwrap_or("."));
        if root.is_dir() {
            return Ok(root);
        }
        let problem = if root.exists() { "is not a directory" } else { "does not exist" };
        Err(crate::tool::ToolResult::error(format!(
            "{tool}: {} {problem}. Pass a directory as `path` (read_file reads files), or leave it out to use the \
             project root.",
            self.display(&root)
        )))
    }

    /// What a read-only tool with a directory `path` input reads: that directory, the project root by default.
    pub fn read_access(&self, input: &serde_json::Value) -> claurst_permissions::Access {
        let path = input.get("path").and_then(serde_json::Value::as_str).unwrap_or(".");
        claurst_permissions::Access::Read { path: self.resolve(path) }
    }

    pub fn files(&self) -> &FileTracker {
        &self.files
    }

    /// The commands started with `bash` `run_in_background`.
    pub fn shells(&self) -> &BackgroundShells {
        &self.shells
    }

    /// A path the model gave, made absolute: relative paths are relative to the project root. `.` and `..`
    /// are resolved lexically so that messages show the path the model meant.
    pub fn resolve(&self, raw: &str) -> PathBuf {
        let path = Path::new(raw);
        let joined = if path.is_absolute() { path.to_path_buf() } else { self.project_root().join(path) };
        normalize(&joined)
    }

    /// How tools show a path to the model: relative to the project root when inside it, absolute otherwise.
    pub fn display(&self, path: &Path) -> String {
        match path.strip_prefix(self.project_root()) {
            Ok(relative) if relative.as_os_str().is_empty() => ".".to_string(),
            Ok(relative) => relative.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }
}

/// Remove `.` and resolve `..` without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A file's identity when it was last read or written by a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSnapshot {
    pub modified: Option<SystemTime>,
    pub len: u64,
    pub content_hash: u64,
}

impl FileSnapshot {
    pub fn of(bytes: &[u8], modified: Option<SystemTime>) -> Self {
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        Self { modified, len: bytes.len() as u64, content_hash: hasher.finish() }
    }
}

/// Which files the model has seen, and in what state: writes and edits require that the model read the
/// current version first, so it never overwrites changes it has not seen.
#[derive(Debug, Default)]
pub struct FileTracker {
    seen: Mutex<HashMap<PathBuf, FileSnapshot>>,
}

impl FileTracker {
    /// Remember the state of `path` as the model now knows it.
    pub fn record(&self, path: &Path, snapshot: FileSnapshot) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path.to_path_buf(), snapshot);
        }
    }

    pub fn get(&self, path: &Path) -> Option<FileSnapshot> {
        self.seen.lock().ok().and_then(|seen| seen.get(path).copied())
    }

    /// Whether the file on disk is still the one the model read: same content (timestamps alone can lie).
    pub fn is_current(&self, path: &Path, bytes_on_disk: &[u8]) -> Option<bool> {
        let known = self.get(path)?;
        let now = FileSnapshot::of(bytes_on_disk, None);
        Some(known.len == now.len && known.content_hash == now.content_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_project() {
        let context = ToolContext::new("/work/p", "/tmp/s", Duration::from_secs(1));
        assert_eq!(context.resolve("src/lib.rs"), PathBuf::from("/work/p/src/lib.rs"));
        assert_eq!(context.resolve("./a/../b"), PathBuf::from("/work/p/b"));
        assert_eq!(context.resolve("/etc/hosts"), PathBuf::from("/etc/hosts"));
        assert_eq!(context.resolve("../outside"), PathBuf::from("/work/outside"));
        assert_eq!(context.display(Path::new("/work/p/src/lib.rs")), "src/lib.rs");
        assert_eq!(context.display(Path::new("/work/p")), ".");
        assert_eq!(context.display(Path::new("/work/pp/x")), "/work/pp/x");
    }

    #[test]
    fn tracker_notices_changed_content() {
        let tracker = FileTracker::default();
        let path = Path::new("/x");
        assert_eq!(tracker.is_current(path, b"a"), None);
        tracker.record(path, FileSnapshot::of(b"hello", None));
        assert_eq!(tracker.is_current(path, b"hello"), Some(true));
        assert_eq!(tracker.is_current(path, b"hellO"), Some(false));
    }
}
