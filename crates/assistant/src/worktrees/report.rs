//! What `/worktrees` says: the list, and what a clean removed and kept.

use super::WorktreeInfo;
use std::fmt::Write;
use std::path::Path;

/// Why a clean kept a worktree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// The session runs in it.
    Current,
    /// It has uncommitted changes or untracked files.
    Uncommitted,
    /// Its branch has this many commits the main checkout lacks.
    Unmerged(u32),
}

impl Kept {
    fn describe(&self) -> String {
        match self {
            Kept::Current => "this session runs in it".to_string(),
            Kept::Uncommitted => "it has uncommitted changes".to_string(),
            Kept::Unmerged(1) => "its branch has 1 unmerged commit".to_string(),
            Kept::Unmerged(count) => format!("its branch has {count} unmerged commits"),
        }
    }
}

/// What `/worktrees clean` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanReport {
    pub removed: Vec<WorktreeInfo>,
    pub kept: Vec<(WorktreeInfo, Kept)>,
}

impl CleanReport {
    pub fn describe(&self) -> String {
        if self.removed.is_empty() && self.kept.is_empty() {
            return "No Claurst worktrees to clean.".to_string();
        }
        let mut text = String::new();
        for tree in &self.removed {
            let branch = tree
                .branch
                .as_deref()
                .filter(|branch| branch.starts_with(super::BRANCH_PREFIX))
                .map(|branch| format!(" and branch {branch}"))
                .unwrap_or_default();
            let _ = writeln!(text, "Removed {}{branch}.", tree.name);
        }
        for (tree, reason) in &self.kept {
            let _ = writeln!(text, "Kept {}: {}.", tree.name, reason.describe());
        }
        text.trim_end().to_string()
    }
}

/// The `/worktrees` listing: one line per worktree with its branch, state and path; `current` marked.
pub fn describe_list(trees: &[WorktreeInfo], current: &Path) -> String {
    if trees.is_empty() {
        return "No Claurst worktrees in this repository. Start one with `claurst -w [name]`.".to_string();
    }
    let mut text = String::from("Claurst worktrees:");
    for tree in trees {
        let state = match (tree.dirty, tree.unmerged_commits) {
            (true, _) => "dirty".to_string(),
            (false, 0) => "clean".to_string(),
            (false, 1) => "clean, 1 unmerged commit".to_string(),
            (false, count) => format!("clean, {count} unmerged commits"),
        };
        let marker = if tree.path == current { " (current)" } else { "" };
        let branch = tree.branch.as_deref().unwrap_or("detached HEAD");
        let _ = write!(text, "\n  {}{marker}  {branch}  {state}  {}", tree.name, tree.path.display());
    }
    text.push_str("\n/worktrees clean removes the clean, merged ones.");
    text
}
