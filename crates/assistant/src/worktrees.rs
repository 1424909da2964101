//! Claurst worktrees: `git worktree`s kept under `<repo>/.claurst/worktrees/<name>`, each on its own branch
//! `claurst/<name>`, so parallel sessions of one repository never touch each other's files.
//!
//! Everything here runs the `git` program: its behaviour (locks, hooks, refs) is the user's git's, and what a
//! user sees with `git worktree list` is what Claurst sees.

use std::path::{Path, PathBuf};
use std::process::Command;

mod name;
mod report;

pub use name::{generated_name, validate_name};
pub use report::{CleanReport, Kept, describe_list};

/// Where a repository's Claurst worktrees live, relative to its main checkout.
pub const WORKTREES_DIR: &str = ".claurst/worktrees";
/// The prefix of a Claurst worktree's branch.
pub const BRANCH_PREFIX: &str = "claurst/";

/// Why a worktree operation failed, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum WorktreeError {
    #[error("{0} is not inside a git repository: a worktree needs one (run `git init` and commit first)")]
    NotARepository(PathBuf),
    #[error(
        "`{0}` is not a valid worktree name: use letters, digits, `-`, `_` and `.` (not first), at most 64 \
         characters"
    )]
    InvalidName(String),
    #[error("{0} exists but is not a Claurst worktree of this repository; choose another name")]
    NotOurs(PathBuf),
    #[error("the repository has no commit yet: commit once so the worktree has something to start from")]
    NoCommit,
    #[error("git {command} failed: {message}")]
    Git { command: String, message: String },
    #[error("cannot run git: {0}")]
    Spawn(#[from] std::io::Error),
}

/// One Claurst worktree as `/worktrees` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorktreeInfo {
    pub name: String,
    pub path: PathBuf,
    /// `None` when the worktree's HEAD is detached.
    pub branch: Option<String>,
    /// Uncommitted changes, untracked files included (they would be lost with the worktree).
    pub dirty: bool,
    /// Commits on its branch that the main checkout's HEAD does not contain.
    pub unmerged_commits: u32,
}

/// A worktree ready for a session: created now, or an existing Claurst worktree taken up again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worktree {
    pub name: String,
    pub path: PathBuf,
    pub branch: String,
    pub reused: bool,
}

impl Worktree {
    /// What to tell the user when the session ends: where the work is and how to remove it.
    pub fn farewell(&self) -> String {
        format!(
            "The worktree stays at {} (branch {}). Remove it with `git worktree remove {}` once merged, or run \
             /worktrees clean in a session of this repository.",
            self.path.display(),
            self.branch,
            self.path.display()
        )
    }
}

/// A repository's main checkout, the one that owns the Claurst worktrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    root: PathBuf,
}

impl Repository {
    /// The repository `dir` is in, from the main checkout or any of its worktrees.
    pub fn discover(dir: &Path) -> Result<Repository, WorktreeError> {
        let common = git(dir, &["rev-parse", "--path-format=absolute", "--git-common-dir"])
            .map_err(|_| WorktreeError::NotARepository(dir.to_path_buf()))?;
        let common = PathBuf::from(common.trim());
        // The main checkout is the common git directory's parent (a bare repository has none).
        let root = match common.file_name() {
            Some(name) if name == ".git" => common.parent().map(Path::to_path_buf),
            _ => None,
        }
        .ok_or_else(|| WorktreeError::NotARepository(dir.to_path_buf()))?;
        Ok(Repository { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the worktree called `name` lives.
    pub fn worktree_path(&self, name: &str) -> PathBuf {
        self.root.join(WORKTREES_DIR).join(name)
    }

    /// The worktree `name` (validated) on branch `claurst/<name>` from HEAD; an existing Claurst worktree of
    /// that name is taken up again as it is, and an existing branch is checked out rather than recreated.
    pub fn create_or_reuse(&self, name: &str) -> Result<Worktree, WorktreeError> {
        validate_name(name)?;
        let path = self.worktree_path(name);
        let branch = format!("{BRANCH_PREFIX}{name}");
        if path.exists() {
            let ours = self.list()?.into_iter().any(|tree| tree.path == path);
            if !ours {
                return Err(WorktreeError::NotOurs(path));
            }
            return Ok(Worktree { name: name.to_string(), path, branch, reused: true });
        }
        if git(&self.root, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_err() {
            return Err(WorktreeError::NoCommit);
        }
        self.exclude_worktrees_dir()?;
        let target = path.to_string_lossy().into_owned();
        let branch_ref = format!("refs/heads/{branch}");
        if git(&self.root, &["show-ref", "--verify", "--quiet", &branch_ref]).is_ok() {
            git(&self.root, &["worktree", "add", &target, &branch])?;
        } else {
            git(&self.root, &["worktree", "add", "-b", &branch, &target, "HEAD"])?;
        }
        let path = path.canonicalize()?;
        Ok(Worktree { name: name.to_string(), path, branch, reused: false })
    }

    /// The Claurst worktrees of this repository, by name.
    pub fn list(&self) -> Result<Vec<WorktreeInfo>, WorktreeError> {
        let porcelain = git(&self.root, &["worktree", "list", "--porcelain"])?;
        let base = self.root.join(WORKTREES_DIR);
        let base = base.canonicalize().unwrap_or(base);
        let mut trees = Vec::new();
        for (path, branch) in parse_porcelain(&porcelain) {
            let Some(name) = path.strip_prefix(&base).ok().and_then(|rest| rest.to_str()) else { continue };
            if name.is_empty() || name.contains('/') {
                continue;
            }
            let dirty = !git(&path, &["status", "--porcelain"])?.trim().is_empty();
            // A detached HEAD's commits live nowhere else once the worktree goes: they count too.
            let tip = match &branch {
                Some(branch) => branch.clone(),
                None => git(&path, &["rev-parse", "HEAD"])?.trim().to_string(),
            };
            let unmerged_commits = count_commits(&self.root, &format!("HEAD..{tip}"))?;
            trees.push(WorktreeInfo { name: name.to_string(), path, branch, dirty, unmerged_commits });
        }
        trees.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(trees)
    }

    /// Remove every Claurst worktree with no uncommitted change and no unmerged commit, and its branch;
    /// `current` (the session's own worktrees: the one it started in and the one it works in) are always kept.
    pub fn clean(&self, current: &[PathBuf]) -> Result<CleanReport, WorktreeError> {
        let mut report = CleanReport::default();
        for tree in self.list()? {
            let reason = if current.contains(&tree.path) {
                Some(Kept::Current)
            } else if tree.dirty {
                Some(Kept::Uncommitted)
            } else if tree.unmerged_commits > 0 {
                Some(Kept::Unmerged(tree.unmerged_commits))
            } else {
                None
            };
            match reason {
                Some(reason) => report.kept.push((tree, reason)),
                None => {
                    self.remove(&tree)?;
                    report.removed.push(tree);
                }
            }
        }
        Ok(report)
    }

    /// The Claurst worktree at `path`, when it is one of this repository's.
    pub fn state_of(&self, path: &Path) -> Result<Option<WorktreeInfo>, WorktreeError> {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        Ok(self.list()?.into_iter().find(|tree| tree.path == path))
    }

    /// Remove the Claurst worktree at `path` and its branch `branch` (only a `claurst/` one). Git refuses
    /// a worktree with uncommitted changes and a branch with unmerged commits unless `discard` is true.
    pub fn remove_worktree(&self, path: &Path, branch: &str, discard: bool) -> Result<(), WorktreeError> {
        let Some(tree) = self.state_of(path)? else {
            return Err(WorktreeError::NotOurs(path.to_path_buf()));
        };
        let target = tree.path.to_string_lossy().into_owned();
        if discard {
            git(&self.root, &["worktree", "remove", "--force", &target])?;
        } else {
            git(&self.root, &["worktree", "remove", &target])?;
        }
        if branch.starts_with(BRANCH_PREFIX) && tree.branch.as_deref() == Some(branch) {
            git(&self.root, &["branch", if discard { "-D" } else { "-d" }, branch])?;
        }
        Ok(())
    }

    fn remove(&self, tree: &WorktreeInfo) -> Result<(), WorktreeError> {
        git(&self.root, &["worktree", "remove", &tree.path.to_string_lossy()])?;
        // Only a branch Claurst made: one the user checked out in the worktree is theirs to keep. `-d`
        // refuses a branch with unmerged work, a second guard after the count above.
        if let Some(branch) = tree.branch.as_deref().filter(|branch| branch.starts_with(BRANCH_PREFIX)) {
            git(&self.root, &["branch", "-d", branch])?;
        }
        Ok(())
    }

    /// Keep the worktrees out of the main checkout's `git status` without touching its tracked files.
    fn exclude_worktrees_dir(&self) -> Result<(), WorktreeError> {
        let common = git(&self.root, &["rev-parse", "--path-format=absolute", "--git-common-dir"])?;
        let exclude = PathBuf::from(common.trim()).join("info").join("exclude");
        let line = format!("/{WORKTREES_DIR}/");
        let existing = std::fs::read_to_string(&exclude).unwrap_or_default();
        if existing.lines().any(|known| known.trim() == line) {
            return Ok(());
        }
        if let Some(parent) = exclude.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let separator = if existing.is_empty() || existing.ends_with('\n') { "" } else { "\n" };
        std::fs::write(&exclude, format!("{existing}{separator}{line}\n"))?;
        Ok(())
    }
}

/// `(path, branch)` of each worktree in `git worktree list --porcelain` output.
fn parse_porcelain(text: &str) -> Vec<(PathBuf, Option<String>)> {
    let mut trees = Vec::new();
    for record in text.split("\n\n") {
        let mut path = None;
        let mut branch = None;
        for line in record.lines() {
            if let Some(value) = line.strip_prefix("worktree ") {
                path = Some(PathBuf::from(value));
            } else if let Some(value) = line.strip_prefix("branch ") {
                branch = Some(value.strip_prefix("refs/heads/").unwrap_or(value).to_string());
            }
        }
        if let Some(path) = path {
            trees.push((path, branch));
        }
    }
    trees
}

fn count_commits(root: &Path, range: &str) -> Result<u32, WorktreeError> {
    let count = git(root, &["rev-list", "--count", range])?;
    Ok(count.trim().parse().unwrap_or(0))
}

/// Run `git args` in `dir`; its stdout, or its stderr as the error.
fn git(dir: &Path, args: &[&str]) -> Result<String, WorktreeError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        // A user's GIT_DIR (set by a hook that started Claurst) would point every command at one repository.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    Err(WorktreeError::Git {
        command: args.first().copied().unwrap_or_default().to_string(),
        message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    })
}

#[cfg(test)]
mod tests;
