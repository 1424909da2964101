//! `/worktrees [clean]`: the agent's answer, from the repository its project is in.

use crate::agent::Agent;
use crate::worktrees::{Repository, WorktreeError, describe_list};
use claurst_protocol::WorktreesRequest;

impl Agent {
    /// List or clean the Claurst worktrees of the project's repository; the session's own worktree (when
    /// it runs in one) is marked and never removed. Git runs off the async threads.
    pub(crate) async fn worktrees(&self, request: WorktreesRequest) -> String {
        // The worktree the session works in is marked; it and the one the session started in are kept.
        let (root, started_in) = (self.working_root(), self.project_root.clone());
        let answer = tokio::task::spawn_blocking(move || -> Result<String, WorktreeError> {
            let repo = Repository::discover(&root)?;
            let current = root.canonicalize().unwrap_or(root);
            let own = [current.clone(), started_in.canonicalize().unwrap_or(started_in)];
            match request {
                WorktreesRequest::List => Ok(describe_list(&repo.list()?, &current)),
                WorktreesRequest::Clean => Ok(repo.clean(&own)?.describe()),
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
