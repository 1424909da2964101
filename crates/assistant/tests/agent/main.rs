//! The agent loop against the scripted Messages API server.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod approvals;
mod dream;
mod extensions;
mod interrupts;
#[cfg(feature = "proactive")]
mod kairos;
mod kairos_send_file;
mod library;
mod permission_edits;
#[cfg(feature = "proactive")]
mod pull_requests;
mod sandbox_refusals;
mod scheduling;
mod subagents;
mod system_prompt;
mod wire_formats;

use claurst_assistant::{Agent, AgentConfig, ApprovalMode, SessionHandle};
use claurst_protocol::AgentEvent;
use claurst_test_support::{MockApi, TempProject};
use std::time::Duration;

/// An agent for `project` talking to `api`, with fast retries.
pub fn config(project: &TempProject, api: &MockApi) -> AgentConfig {
    AgentConfig {
        api_key: Some("sk-test".into()),
        base_url: Some(api.url()),
        cwd: Some(project.project().to_path_buf()),
        session_dir: Some(project.root().join("session")),
        retry: claurst_api::RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
        },
        ..AgentConfig::default()
    }
}

pub fn interactive(project: &TempProject, api: &MockApi) -> Agent {
    Agent::try_new(AgentConfig { approval: ApprovalMode::Interactive, ..config(project, api) }).unwrap()
}

/// The next event, failing the test if none comes within five seconds.
pub async fn next_event(session: &mut SessionHandle) -> AgentEvent {
    tokio::time::timeout(Duration::from_secs(5), session.events.recv())
        .await
        .expect("no event within 5 s")
        .expect("the session ended")
}

/// Events until (and including) the first one `stop` accepts.
pub async fn events_until(
    session: &mut SessionHandle,
    stop: impl Fn(&AgentEvent) -> bool,
) -> Vec<AgentEvent> {
    let mut seen = Vec::new();
    loop {
        let event = next_event(session).await;
        let done = stop(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

pub fn is_run_finished(event: &AgentEvent) -> bool {
    matches!(event, AgentEvent::RunFinished(_))
}
