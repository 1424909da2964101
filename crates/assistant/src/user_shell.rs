//! `!command`: a shell command the user runs directly from the composer.

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::events::EventSink;
use claurst_protocol::{AgentEvent, Message, ToolCallView, ToolFamily, ToolFinished};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// Numbers the user's shell commands so their ids are unique within the process.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Agent {
    /// Run `command` with the bash tool without asking (the user typed it), show it like a tool call, and add
    /// the command and its output to the conversation so the next prompt can refer to it.
    pub(crate) async fn run_user_shell(
        &self,
        command: &str,
        conversation: &mut Conversation,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) {
        let id = format!("user-shell-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
        let input = json!({ "command": command });
        // The user's shell is the session's shell tool, whatever it is called.
        let shell = self.tools.iter().find(|tool| tool.family() == ToolFamily::Shell).cloned();
        let mut call = ToolCallView::new(&id, "bash", input.clone());
        if let Some(shell) = &shell {
            call.name = shell.name().to_string();
            call.title = shell.title();
            call.key_argument = shell.key_argument(&input).unwrap_or_default();
            call.family = ToolFamily::Shell;
        }
        let name = call.name.clone();
        sink.emit(AgentEvent::ToolCallRequested(call)).await;
        let Some(bash) = shell else {
            sink.emit(AgentEvent::ToolCallDenied { id, reason: "this session has no shell tool".into() })
                .await;
            return;
        };
        sink.emit(AgentEvent::ToolCallStarted { id: id.clone() }).await;
        let started = Instant::now();
        let result = tokio::select! {
            biased;
            _ = cancel.cancelled() => claurst_tools::ToolResult::error("Interrupted by the user."),
            // The user's own command: no sandbox, and the user's own environment.
            outcome = bash.run_for_user(input) => outcome.result,
        };
        sink.emit(AgentEvent::ToolCallFinished(ToolFinished {
            id,
            name,
            output: result.output.clone(),
            is_error: result.is_error,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            // The user ran it to see its output: no summary hides it.
            summary: String::new(),
            change: None,
        }))
        .await;
        conversation.push(Message::user(format!(
            "<user-shell-command>{command}</user-shell-command>\n<user-shell-output>\n{}\n</user-shell-output>",
            result.output
        )));
    }
}
