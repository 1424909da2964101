//! `enter_worktree` / `exit_worktree` as the loop carries them out: the session's working directory, the
//! permission engine's workspace and the shell sandbox move together, so that a worktree is to the session
//! exactly what a project started with `-w` is, and moving back restores all three.
//!
//! Only the directory the tools work in moves. The project the session belongs to (its configuration,
//! memory, saved transcripts, trusted hooks and MCP servers) stays the one it started in.

use crate::agent::Agent;
use crate::events::EventSink;
use crate::run_scope::RunScope;
use crate::worktrees::{Repository, Worktree, WorktreeError, generated_name};
use claurst_protocol::AgentEvent;
use claurst_tools::{ToolResult, ToolUpdate};
use std::path::{Path, PathBuf};

/// The worktree the model moved the session into, and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct EnteredWorktree {
    tree: Worktree,
    /// The directory the tools worked in before (the project root, or a worktree `-w` started in).
    previous_root: PathBuf,
    /// The shell's directory before, restored on the way back.
    previous_cwd: PathBuf,
}

impl Agent {
    /// The result of a call that moves the session (`update` is `EnterWorktree` or `ExitWorktree`); `None`
    /// for any other update.
    pub(crate) async fn move_between_worktrees(
        &self,
        scope: &RunScope,
        update: &ToolUpdate,
        sink: &EventSink,
    ) -> Option<ToolResult> {
        let result = match update {
            // A sub-agent moving the whole session would pull the ground from under its parent.
            _ if scope.subagent.is_some() => ToolResult::error(
                "Only the main conversation can move the session between worktrees; do the task where you are.",
            ),
            ToolUpdate::EnterWorktree { name } => self.enter_worktree(name.clone(), sink).await,
            ToolUpdate::ExitWorktree { remove, discard_changes } => {
                self.exit_worktree(*remove, *discard_changes, sink).await
            }
            _ => return None,
        };
        Some(result)
    }

    /// The directory the tools work in now: the project root, or the worktree the session moved to.
    pub(crate) fn working_root(&self) -> PathBuf {
        match &self.tool_context {
            Some(context) => context.project_root(),
            None => self.project_root.clone(),
        }
    }

    async fn enter_worktree(&self, name: Option<String>, sink: &EventSink) -> ToolResult {
        if let Some(entered) = self.entered_worktree() {
            return ToolResult::error(format!(
                "The session already works in worktree `{}` ({}); call exit_worktree before entering another.",
                entered.tree.name,
                entered.tree.path.display()
            ));
        }
        let Some(context) = &self.tool_context else {
            return ToolResult::error("This agent has no tools to move into a worktree.");
        };
        let from = context.project_root();
        let name = name.unwrap_or_else(generated_name);
        let start = from.clone();
        // Git runs off the async threads: creating a checkout of a large repository takes a while.
        let created = tokio::task::spawn_blocking(move || -> Result<Worktree, WorktreeError> {
            Repository::discover(&start)?.create_or_reuse(&name)
        })
        .await;
        let tree = match created {
            Ok(Ok(tree)) => tree,
            Ok(Err(error)) => return ToolResult::error(format!("No worktree was created: {error}.")),
            Err(error) => return ToolResult::error(format!("No worktree was created: {error}.")),
        };
        // The worktree a `-w` session runs in is not one to enter (and later remove) again.
        let own = [&from, &self.project_root].map(|dir| dir.canonicalize().unwrap_or_else(|_| dir.clone()));
        if own.contains(&tree.path) {
            return ToolResult::error(format!(
                "The session already works in worktree `{}` ({}); there is nothing to enter.",
                tree.name,
                tree.path.display()
            ));
        }
        let previous_cwd = context.cwd();
        if let Err(error) = self.work_in(&tree.path) {
            // Half a move would leave the permissions and the tools disagreeing: go back whole.
            let _ = self.work_in(&from);
            context.set_cwd(previous_cwd);
            return ToolResult::error(format!(
                "The session could not move into {}: {error}",
                tree.path.display()
            ));
        }
        let verb = if tree.reused { "Took up again" } else { "Created" };
        let text = format!(
            "{verb} worktree `{}` at {} on branch {}. The session now works there: relative paths, file tools \
             and shell commands use it, and {} is no longer part of the workspace. Commit your work on the \
             branch; call exit_worktree (keep or remove) to go back.",
            tree.name,
            tree.path.display(),
            tree.branch,
            from.display()
        );
        let notice = format!(
            "Now working in worktree {} at {} (branch {}).",
            tree.name,
            tree.path.display(),
            tree.branch
        );
        if let Ok(mut entered) = self.entered_worktree.lock() {
            *entered = Some(EnteredWorktree { tree, previous_root: from, previous_cwd });
        }
        sink.emit(AgentEvent::Notice { text: notice }).await;
        ToolResult::ok(text)
    }

    async fn exit_worktree(&self, remove: bool, discard_changes: bool, sink: &EventSink) -> ToolResult {
        let Some(entered) = self.entered_worktree() else {
            return ToolResult::error(
                "No worktree was entered with enter_worktree in this session, so there is nothing to leave. \
                 (A session started with `claurst -w` ends in its worktree; the user removes it with \
                 /worktrees clean.)",
            );
        };
        if remove && entered.tree.reused {
            return ToolResult::error(format!(
                "Worktree `{}` existed before this session entered it, so it is not this session's to remove; the \
                 session stays in it. Leave it with action \"keep\"; the user can remove it with /worktrees clean \
                 or `git worktree remove`.",
                entered.tree.name
            ));
        }
        if remove && !discard_changes {
            let path = entered.tree.path.clone();
            let state =
                tokio::task::spawn_blocking(move || Repository::discover(&path)?.state_of(&path)).await;
            match state {
                Ok(Ok(Some(tree))) if tree.dirty || tree.unmerged_commits > 0 => {
                    return ToolResult::error(format!(
                        "Worktree `{}` was not removed and the session stays in it: it has {}. Commit and merge \
                         the work, keep the worktree (action \"keep\"), or pass discard_changes: true if the \
                         user agreed to lose it.",
                        entered.tree.name,
                        unsaved_work(tree.dirty, tree.unmerged_commits)
                    ));
                }
                Ok(Ok(_)) => {}
                Ok(Err(error)) => return ToolResult::error(format!("Cannot check the worktree: {error}.")),
                Err(error) => return ToolResult::error(format!("Cannot check the worktree: {error}.")),
            }
        }
        if let Err(error) = self.work_in(&entered.previous_root) {
            return ToolResult::error(format!(
                "The session could not move back to {}: {error}",
                entered.previous_root.display()
            ));
        }
        if let Some(context) = &self.tool_context {
            context.set_cwd(entered.previous_cwd.clone());
        }
        if let Ok(mut current) = self.entered_worktree.lock() {
            *current = None;
        }
        let back = entered.previous_root.display();
        let (name, path, branch) =
            (&entered.tree.name, entered.tree.path.clone(), entered.tree.branch.clone());
        let text = if remove {
            let target = path.clone();
            let removed = tokio::task::spawn_blocking(move || {
                Repository::discover(&target)?.remove_worktree(&target, &branch, discard_changes)
            })
            .await;
            match removed {
                Ok(Ok(())) => format!("Back in {back}. Worktree `{name}` and its branch were removed."),
                Ok(Err(error)) => format!(
                    "Back in {back}, but worktree `{name}` could not be removed ({error}); it stays at {}.",
                    path.display()
                ),
                Err(error) => {
                    format!("Back in {back}, but worktree `{name}` could not be removed ({error}).")
                }
            }
        } else {
            format!(
                "Back in {back}. Worktree `{name}` stays at {} on branch {} for the user to review or merge.",
                path.display(),
                entered.tree.branch
            )
        };
        sink.emit(AgentEvent::Notice { text: text.clone() }).await;
        ToolResult::ok(text)
    }

    /// Move the tools, the permission engines and the sandbox to `root`.
    fn work_in(&self, root: &Path) -> Result<(), String> {
        self.permissions
            .lock()
            .map_err(|_| "the permission engine is poisoned".to_string())
            .and_then(|mut engine| engine.set_project_root(root).map_err(|error| error.to_string()))?;
        // A custom command's run engine is a copy: it moves too.
        if let Ok(mut run) = self.run_permissions.lock()
            && let Some(engine) = run.as_mut()
        {
            engine.set_project_root(root).map_err(|error| error.to_string())?;
        }
        if let Some(sandbox) = &self.shell_sandbox {
            sandbox.set_project(root.to_path_buf());
        }
        if let Some(context) = &self.tool_context {
            context.move_to(root.to_path_buf());
        }
        Ok(())
    }

    fn entered_worktree(&self) -> Option<EnteredWorktree> {
        self.entered_worktree.lock().ok().and_then(|entered| entered.clone())
    }
}

fn unsaved_work(dirty: bool, unmerged_commits: u32) -> String {
    let commits = match unmerged_commits {
        0 => None,
        1 => Some("1 commit only its branch holds".to_string()),
        n => Some(format!("{n} commits only its branch holds")),
    };
    match (dirty, commits) {
        (true, Some(commits)) => format!("uncommitted changes and {commits}"),
        (true, None) => "uncommitted changes".to_string(),
        (false, Some(commits)) => commits,
        (false, None) => "no unsaved work".to_string(),
    }
}
