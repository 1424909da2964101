//! `-w [NAME]`: the session runs in a Claurst worktree of the repository the working directory is in.

use anyhow::{Context, Result};
use claurst_assistant::worktrees::{Repository, Worktree, generated_name};
use std::path::Path;

/// Create (or take up again) the worktree `name` (empty: a made-up one) of the repository `cwd` is in, and
/// say so on stderr, where it does not mix with a headless answer.
pub fn enter(name: &str, cwd: &Path) -> Result<Worktree> {
    let repo = Repository::discover(cwd).context("-w needs a git repository")?;
    let name = if name.is_empty() { generated_name() } else { name.to_string() };
    let tree = repo.create_or_reuse(&name).with_context(|| format!("cannot start worktree `{name}`"))?;
    let verb = if tree.reused { "Resuming" } else { "Created" };
    eprintln!("{verb} worktree {} at {} (branch {}).", tree.name, tree.path.display(), tree.branch);
    Ok(tree)
}
