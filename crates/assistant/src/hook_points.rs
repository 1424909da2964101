//! Where the agent loop calls hooks: around tool calls, when the model stops, before a compaction, and when
//! the user is asked to approve something. Each applies the hooks' typed outcome.

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::events::EventSink;
use crate::hooks::{MAX_STOP_CONTINUATIONS, report};
use crate::run_scope::RunScope;
use claurst_extensions::hooks::{HookEvent, HookInput, HookPermission};
use claurst_protocol::{
    AgentEvent, CompactionCause, HookReportKind, Message, ToolCallView, ToolResultContent,
};
use claurst_tools::ToolSet;
use std::sync::atomic::{AtomicBool, Ordering};

impl Agent {
    /// Run the PreToolUse hooks on `call`: a rewritten input replaces the call's input (before the permission
    /// engine judges it, and described anew so approvals show what will run); what the hooks said about
    /// permission is returned for `authorize` to weigh. A block (exit 2, `decision: "block"`) is a deny.
    pub(crate) async fn pre_tool_use(
        &self,
        tools: &ToolSet,
        call: &mut ToolCallView,
        sink: &EventSink,
        stop: &AtomicBool,
    ) -> Option<HookPermission> {
        if !self.has_hooks(HookEvent::PreToolUse) {
            return None;
        }
        let input = HookInput::new(HookEvent::PreToolUse)
            .subject(call.name.clone())
            .field("tool_name", call.name.clone())
            .field("tool_input", call.input.clone())
            .field("tool_use_id", call.id.clone());
        let outcome = self.run_hooks(input, sink).await;
        if outcome.stop.is_some() {
            stop.store(true, Ordering::Relaxed);
        }
        if let Some(input) = outcome.updated_input {
            *call = tools.describe(&call.id, &call.name, &input);
        }
        match outcome.block {
            Some(reason) => Some(HookPermission::Deny { reason }),
            None => outcome.permission,
        }
    }

    /// Run the PostToolUse hooks on a finished call; what they want the model to know, to add to the
    /// result's content.
    pub(crate) async fn post_tool_use(
        &self,
        call: &ToolCallView,
        (output, is_error): (&str, bool),
        sink: &EventSink,
        stop: &AtomicBool,
    ) -> Vec<ToolResultContent> {
        let mut content = Vec::new();
        if !self.has_hooks(HookEvent::PostToolUse) {
            return content;
        }
        let input = HookInput::new(HookEvent::PostToolUse)
            .subject(call.name.clone())
            .field("tool_name", call.name.clone())
            .field("tool_input", call.input.clone())
            .field("tool_use_id", call.id.clone())
            .field("tool_response", serde_json::json!({ "output": output, "is_error": is_error }));
        let outcome = self.run_hooks(input, sink).await;
        if outcome.stop.is_some() {
            stop.store(true, Ordering::Relaxed);
        }
        if let Some(reason) = outcome.block {
            content.push(ToolResultContent::Text { text: format!("PostToolUse hook feedback: {reason}") });
        }
        for context in outcome.context {
            content.push(ToolResultContent::Text { text: context });
        }
        content
    }

    /// Run the Stop hooks (SubagentStop for a sub-agent) when the model ended its turn; whether the agent goes
    /// on (a hook blocked the stop, and its reason became the next user message). At most
    /// [`MAX_STOP_CONTINUATIONS`] times per run.
    pub(crate) async fn stop_hooks_continue(
        &self,
        scope: &RunScope,
        conversation: &mut Conversation,
        continuations: &mut u32,
        sink: &EventSink,
    ) -> bool {
        let event = if scope.subagent.is_some() { HookEvent::SubagentStop } else { HookEvent::Stop };
        let mut input = HookInput::new(event).field("stop_hook_active", *continuations > 0);
        if let Some(sub) = &scope.subagent {
            input = input
                .subject(sub.definition.name.clone())
                .field("agent_type", sub.definition.name.clone())
                .field("agent_id", sub.parent_id.clone());
            if let Some(path) = conversation.transcript_path() {
                input = input.field("agent_transcript_path", path.display().to_string());
            }
        }
        let outcome = self.run_hooks(input, sink).await;
        let Some(reason) = outcome.block.filter(|_| outcome.stop.is_none()) else { return false };
        if *continuations >= MAX_STOP_CONTINUATIONS {
            let text = format!(
                "asked the agent to go on more than {MAX_STOP_CONTINUATIONS} times in this run, so it stops here \
                 (the last reason: {reason})"
            );
            sink.emit(AgentEvent::HookReported(report(event, HookReportKind::Stopped, &text))).await;
            return false;
        }
        *continuations += 1;
        sink.emit(AgentEvent::HookReported(report(event, HookReportKind::Continued, &reason))).await;
        conversation.push(Message::user(reason));
        true
    }

    /// Run the PreCompact hooks (`trigger`: manual or auto).
    pub(crate) async fn pre_compact_hooks(
        &self,
        cause: CompactionCause,
        instructions: Option<&str>,
        sink: &EventSink,
    ) {
        let trigger = match cause {
            CompactionCause::User => "manual",
            CompactionCause::ContextFull => "auto",
        };
        let input = HookInput::new(HookEvent::PreCompact)
            .subject(trigger)
            .field("trigger", trigger)
            .field("custom_instructions", instructions.unwrap_or_default());
        self.run_hooks(input, sink).await;
    }

    /// Run the Notification hooks for an approval being asked, without making the question wait.
    pub(crate) fn approval_notification(&self, title: &str) {
        let message = format!("Claurst needs your permission to use {title}");
        self.spawn_hooks(HookInput::new(HookEvent::Notification).field("message", message));
    }
}
