//! The repository's HEAD, read from `.git` directly: two small file reads per tick, no process.

use std::path::{Path, PathBuf};

/// Where HEAD points: the branch (none when detached) and the commit (none before the first one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitHead {
    pub branch: Option<String>,
    pub commit: Option<String>,
}

impl GitHead {
    /// HEAD of the repository at `root`; `None` outside a repository.
    pub fn read(root: &Path) -> Option<GitHead> {
        let git_dir = git_dir(root)?;
        let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
        let head = head.trim();
        let Some(reference) = head.strip_prefix("ref: ") else {
            return Some(GitHead { branch: None, commit: Some(head.to_string()) });
        };
        let branch = reference.strip_prefix("refs/heads/").unwrap_or(reference).to_string();
        // A linked worktree keeps its branches in the common directory.
        let common = std::fs::read_to_string(git_dir.join("commondir"))
            .map(|dir| git_dir.join(dir.trim()))
            .unwrap_or_else(|_| git_dir.clone());
        let commit = std::fs::read_to_string(common.join(reference))
            .or_else(|_| std::fs::read_to_string(git_dir.join(reference)))
            .map(|text| text.trim().to_string())
            .ok()
            .or_else(|| packed_ref(&common, reference));
        Some(GitHead { branch: Some(branch), commit })
    }

    /// What changed from `before` to `self`, in one line; `None` when nothing did.
    pub fn change_since(&self, before: &GitHead) -> Option<String> {
        if self == before {
            return None;
        }
        let short = |commit: &Option<String>| {
            commit.as_deref().map(|c| c.chars().take(8).collect::<String>()).unwrap_or_else(|| "none".into())
        };
        let branch = |head: &GitHead| head.branch.clone().unwrap_or_else(|| "detached HEAD".into());
        if self.branch != before.branch {
            return Some(format!(
                "git: switched from {} to {} (now at {})",
                branch(before),
                branch(self),
                short(&self.commit)
            ));
        }
        Some(format!("git: {} moved from {} to {}", branch(self), short(&before.commit), short(&self.commit)))
    }
}

/// The `.git` directory of `root` (a `.git` file points to it in linked worktrees).
fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let dir = text.trim().strip_prefix("gitdir: ")?;
    Some(root.join(dir))
}

fn packed_ref(common: &Path, reference: &str) -> Option<String> {
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (commit, name) = line.split_once(' ')?;
        (name == reference).then(|| commit.to_string())
    })
}

/// `git status --short`, at most `limit` lines; run only when something changed. It runs git as the
/// system prompt's environment does (no pager, fsmonitor or hooks, no index lock taken from the user, a time
/// limit), and not at all when the repository's own configuration names a program to run: a tick must never
/// run the project's code.
pub async fn short_status(root: &Path, limit: usize) -> Option<String> {
    if crate::system_prompt::context::configured_programs(root) {
        return None;
    }
    let output = crate::system_prompt::context::git(root, &["status", "--short"]).await?;
    let lines: Vec<&str> = output.lines().collect();
    if lines.is_empty() {
        return Some("clean".into());
    }
    let mut shown = lines.iter().take(limit).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > limit {
        shown.push_str(&format!("\n… and {} more", lines.len() - limit));
    }
    Some(shown)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn head_is_read_from_the_branch_file_and_packed_refs() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(git.join("packed-refs"), "# pack-refs\nabc123 refs/heads/main\n").unwrap();
        let before = GitHead::read(dir.path()).unwrap();
        assert_eq!(before.commit.as_deref(), Some("abc123"));
        std::fs::write(git.join("refs/heads/main"), "def456\n").unwrap();
        let after = GitHead::read(dir.path()).unwrap();
        assert_eq!(after.change_since(&before).unwrap(), "git: main moved from abc123 to def456");
        assert_eq!(after.change_since(&after), None);
    }
}
