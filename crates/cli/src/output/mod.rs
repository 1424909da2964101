//! JSON shapes of headless output (`--output-format json|stream-json`), in Claude Code's shapes: the Agent
//! SDKs and scripts written for Claude Code parse these lines (spec/headless.md, "Output").
//!
//! One printer state ([`StreamState`]) sees every event of the session, in order, and turns each into the
//! lines it stands for ([`stream_line`]): most events print nothing, a tool-results message prints one
//! `user` line per result. `-p` and `--input-format stream-json` print through the same state.

mod lines;
mod result;
#[cfg(test)]
mod tests;

use claurst_protocol::{AgentEvent, ToolFamily};
use serde_json::Value;
use std::collections::HashMap;

/// How the lines of a session are printed.
#[derive(Debug, Clone, Default)]
pub struct StreamOptions {
    /// `--include-partial-messages`: a `stream_event` line per streaming event of the model's replies.
    pub include_partial_messages: bool,
    /// Where the API key came from, for `system/init` (`ANTHROPIC_API_KEY`, the provider's variable, or
    /// `none` for a keyless endpoint).
    pub api_key_source: String,
    /// `--output-format json`: only the `result` line is wanted, so no other line is built.
    pub result_only: bool,
}

/// What the printer remembers between events.
#[derive(Debug, Default)]
pub struct StreamState {
    options: StreamOptions,
    session_id: String,
    /// The session's model as the user names it, for replies whose provider names none.
    model: String,
    /// The kind of each tool call whose result is not printed yet, by call id: a shell call's result is told
    /// as stdout and stderr.
    families: HashMap<String, ToolFamily>,
    /// Why the main conversation's last reply stopped, for the result.
    last_stop_reason: Option<Value>,
    /// The HTTP status of the last failed attempt since the last result, for a failed run's result.
    last_error_status: Option<u16>,
}

impl StreamState {
    pub fn new(options: StreamOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// Remember what later lines (the result among them) need from `event`.
    fn observe(&mut self, event: &AgentEvent, in_main_conversation: bool) {
        match event {
            AgentEvent::SessionStarted(info) => {
                self.session_id = info.session_id.clone();
                self.model = info.model.clone();
            }
            AgentEvent::ModelChanged(model) => self.model = model.clone(),
            AgentEvent::Retrying { error_status, .. } => self.last_error_status = *error_status,
            AgentEvent::Subagent { event, .. } => self.observe(event, false),
            AgentEvent::ToolCallRequested(call) if !self.options.result_only => {
                self.families.insert(call.id.clone(), call.family);
            }
            AgentEvent::AssistantMessage { reply, .. } if in_main_conversation => {
                self.last_stop_reason = serde_json::to_value(&reply.stop_reason).ok();
            }
            _ => {}
        }
    }
}

/// The lines an event prints, in order (most print none). A sub-agent's messages carry the id of the `agent`
/// call that started it as `parent_tool_use_id` (`null` for the main conversation's); nothing else of a
/// sub-agent is printed: its run's end is not a result of the session.
pub fn stream_line(event: &AgentEvent, state: &mut StreamState) -> Vec<Value> {
    state.observe(event, true);
    let lines = match event {
        AgentEvent::RunFinished(summary) => {
            let line = result::result_line(summary, state);
            state.last_stop_reason = None;
            state.last_error_status = None;
            vec![line]
        }
        _ if state.options.result_only => Vec::new(),
        AgentEvent::SessionStarted(info) => vec![lines::init(info, state)],
        AgentEvent::Retrying { attempt, max_attempts, delay_ms, reason, error_status } => {
            vec![lines::api_retry(*attempt, *max_attempts, *delay_ms, reason, *error_status)]
        }
        AgentEvent::PermissionModeChanged(mode) => vec![lines::permission_mode_status(*mode)],
        AgentEvent::Kairos(event) => vec![lines::kairos(event)],
        event => conversation_lines(event, state, None),
    };
    lines.into_iter().map(|line| lines::stamped(line, &state.session_id)).collect()
}

/// The lines of the conversation's messages and stream, in the main conversation (`parent` is `None`) or a
/// sub-agent's.
fn conversation_lines(event: &AgentEvent, state: &mut StreamState, parent: Option<&str>) -> Vec<Value> {
    match event {
        AgentEvent::Subagent { parent_id, event } => conversation_lines(event, state, Some(parent_id)),
        AgentEvent::AssistantMessage { message, reply } => {
            vec![lines::assistant(message, reply, &state.model, parent)]
        }
        AgentEvent::ToolResults { message } => lines::tool_results(message, &mut state.families, parent),
        AgentEvent::ModelStreamEvent(stream_event) if state.options.include_partial_messages => {
            vec![lines::stream_event(stream_event, parent)]
        }
        _ => Vec::new(),
    }
}
