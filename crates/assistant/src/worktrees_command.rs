//! `/worktrees [clean]`: the agent's answer, from the repository its project is in.

use crate::agent::Agent;
use crate::worktrees::{Repository, WorktreeError, describe_list};
use claurst_protocol::WorktreesRequest;

impl Agent {
    /// List or clean the Claurst worktrees of the project's repository; the session's own worktree (when
    /// it runs in one) is marked and never removed. Git runs off the async threads.
    pub(crate) async fn worktrees(&self, request: WorktreesRequest) -> String {
        // The worktree the session moved to (if any) is its own, and marked so.
        let root = self.working_root();
        let answer = tokio::task::spawn_blocking(move || -> Result<String, WorktreeError> {
            let repo = Repository::discover(&root)?;
            let current = root.canonicalize().unwrap_or(root);
            match request {
                WorktreesRequest::List => Ok(describe_list(&repo.list()?, &current)),
                WorktreesRequest::Clean => Ok(repo.clean(&current)?.describe()),
            }
        })
        .await;
        match answer {
            Ok(Ok(text)) => text,
            Ok(Err(error @ WorktreeError::NotARepository(_))) => format!("/worktrees: {error}."),
            Ok(Err(error)) => format!("/worktrees: {error}"),
            Err(error) => format!("/worktrees: {error}"),
        }
    }
}
