//! The permission engine, end to end: the decision table, the attack corpus and generated shell lines.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod attacks;
mod decisions;
mod generated;
mod worktree_moves;

/// A temporary directory, by its canonical path, holding `files` (each containing `x`) and their parents.
fn temp_tree(files: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    for file in files {
        let path = base.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }
    (dir, base)
}
