//! Where a command that walks directories or expands globs will really go: the symlinks it would follow
//! are resolved, so a link inside the project that leads out of it makes the command ask.

use crate::paths::{Workspace, physical};
use std::fs;
use std::path::Path;

/// How many directory entries the checks of one command line may look at, all together, before they
/// give up (and the command asks): repeating an operand or a part does not buy more.
const MAX_ENTRIES: usize = 10_000;

/// What is left of [`MAX_ENTRIES`] for one command line.
pub(crate) struct EntryBudget(usize);

impl EntryBudget {
    pub(crate) fn new() -> EntryBudget {
        EntryBudget(MAX_ENTRIES)
    }

    /// Takes one entry; `false` once the budget is spent.
    fn take(&mut self) -> bool {
        let Some(left) = self.0.checked_sub(1) else { return false };
        self.0 = left;
        true
    }
}

/// Whether walking `dir` (following symlinks) stays where reading needs no approval. Every symlink met
/// is resolved; one leading out, or a tree too large for the budget, answers no.
pub(crate) fn walk_stays_readable(dir: &Path, workspace: &Workspace, budget: &mut EntryBudget) -> bool {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries {
            if !budget.take() {
                return false;
            }
            let Ok(entry) = entry else { return false };
            let Ok(kind) = entry.file_type() else { return false };
            if kind.is_symlink() {
                if !workspace.readable(&physical(&entry.path())) {
                    return false;
                }
            } else if kind.is_dir() {
                pending.push(entry.path());
            }
        }
    }
    true
}

/// Whether a glob in `dir` is safe to expand: no entry is a symlink leading out of the readable places,
/// and no entry's name starts with `-` (the program would read it as an option).
pub(crate) fn glob_stays_readable(dir: &Path, workspace: &Workspace, budget: &mut EntryBudget) -> bool {
    let Ok(entries) = fs::read_dir(dir) else { return true };
    for entry in entries {
        if !budget.take() {
            return false;
        }
        let Ok(entry) = entry else { return false };
        if entry.file_name().to_string_lossy().starts_with('-') {
            return false;
        }
        let Ok(kind) = entry.file_type() else { return false };
        if kind.is_symlink() && !workspace.readable(&physical(&entry.path())) {
            return false;
        }
    }
    true
}

/// For a path word with glob characters: the directory whose entries the first glob component
/// matches, or `None` when globs appear in more than one component (too much to check: ask).
pub(crate) fn glob_directory(word: &str) -> Option<Option<&str>> {
    let is_glob = |component: &str| component.contains(['*', '?', '[']);
    let components: Vec<&str> = word.split('/').collect();
    let globbed: Vec<usize> = (0..components.len()).filter(|&i| is_glob(components[i])).collect();
    match globbed.as_slice() {
        [] => Some(None),
        [at] => {
            let prefix_len: usize = components[..*at].iter().map(|c| c.len() + 1).sum();
            Some(Some(if prefix_len == 0 { "." } else { &word[..prefix_len] }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_directories() {
        assert_eq!(glob_directory("src/main.rs"), Some(None));
        assert_eq!(glob_directory("*.rs"), Some(Some(".")));
        assert_eq!(glob_directory("src/*.rs"), Some(Some("src/")));
        assert_eq!(glob_directory("/etc/pass?d"), Some(Some("/etc/")));
        assert_eq!(glob_directory("*/x/*"), None);
    }
}
