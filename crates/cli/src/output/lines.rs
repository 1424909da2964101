//! The line of each kind: `system/init`, `system/api_retry`, `assistant`, `user`, `stream_event`.

use super::StreamState;
use crate::compat;
use claurst_protocol::{
    ContentBlock, ExtensionKind, INTERRUPTED_TOOL_RESULT, Message, ReplyInfo, SessionInfo, StreamEvent,
    ToolFamily, ToolResultContent,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Every line carries the session's id and a fresh `uuid` of its own.
pub(super) fn stamped(mut line: Value, session_id: &str) -> Value {
    if let Some(fields) = line.as_object_mut() {
        // A result names its run's session already.
        fields.entry("session_id").or_insert_with(|| json!(session_id));
        fields.insert("uuid".into(), json!(uuid::Uuid::new_v4().to_string()));
    }
    line
}

/// `system/init`: what the session offers, first of all lines.
pub(super) fn init(info: &SessionInfo, state: &StreamState) -> Value {
    let names_of = |kind: Option<ExtensionKind>| -> Vec<&str> {
        info.commands
            .iter()
            .filter(|command| kind.is_none_or(|kind| command.kind == kind))
            .map(|command| command.name.as_str())
            .collect()
    };
    let output_style = if info.output_style.is_empty() { "default" } else { info.output_style.as_str() };
    json!({
        "type": "system",
        "subtype": "init",
        "cwd": info.cwd,
        "tools": info.tools,
        "mcp_servers": info
            .mcp_servers
            .iter()
            .map(|server| json!({"name": server.name, "status": server.status.label()}))
            .collect::<Vec<_>>(),
        "model": info.model,
        "permissionMode": info.permission_mode,
        "slash_commands": names_of(None),
        "apiKeySource": state.options.api_key_source,
        "claude_code_version": compat::CLAUDE_CODE_COMPATIBLE_VERSION,
        "claurst_version": compat::CLAURST_VERSION,
        "output_style": output_style,
        "agents": info.agents.iter().map(|agent| agent.name.as_str()).collect::<Vec<_>>(),
        "skills": names_of(Some(ExtensionKind::Skill)),
        "plugins": [],
    })
}

/// `system/api_retry`: a request failed and is tried again. Claurst counts attempts from the first request
/// (`attempt` 2 is the first retry); the line counts retries, as Claude Code does.
pub(super) fn api_retry(
    attempt: u32,
    max_attempts: u32,
    delay_ms: u64,
    reason: &str,
    error_status: Option<u16>,
) -> Value {
    json!({
        "type": "system",
        "subtype": "api_retry",
        "attempt": attempt.saturating_sub(1),
        "max_retries": max_attempts.saturating_sub(1),
        "retry_delay_ms": delay_ms,
        "error_status": error_status,
        "error": error_category(error_status),
        "message": reason,
    })
}

/// `system/status` with `permissionMode`: the session's permission mode changed (the user approved a plan,
/// confirmed plan mode, or a program set it), as Claude Code's status messages say it.
/// A KAIROS event (the headless daemon's ticks, deferred jobs, status): `{"type":"kairos", "kind": …}` with
/// the event's own fields.
pub(super) fn kairos(event: &claurst_protocol::KairosEvent) -> Value {
    let mut line = json!({ "type": "kairos" });
    if let (Some(line), Ok(Value::Object(fields))) = (line.as_object_mut(), serde_json::to_value(event)) {
        line.extend(fields);
    }
    line
}

pub(super) fn permission_mode_status(mode: claurst_protocol::PermissionMode) -> Value {
    json!({"type": "system", "subtype": "status", "status": null, "permissionMode": mode.as_str()})
}

/// The kind of failure, in the words Claude Code's `api_retry` lines use.
fn error_category(status: Option<u16>) -> &'static str {
    match status {
        Some(529) => "overloaded",
        Some(429) => "rate_limit",
        Some(401) => "authentication_failed",
        Some(500..=599) => "server_error",
        Some(_) => "unknown",
        None => "connection_error",
    }
}

/// An `assistant` line: the whole message of one reply, in the Messages API's shape. (Claude Code prints a
/// line per content block, each with the message's id; one line per message carries the same content.)
pub(super) fn assistant(
    message: &Message,
    reply: &ReplyInfo,
    session_model: &str,
    parent: Option<&str>,
) -> Value {
    let model = if reply.model.is_empty() { session_model } else { reply.model.as_str() };
    json!({
        "type": "assistant",
        "message": {
            "id": reply.id,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": message.content,
            "stop_reason": reply.stop_reason,
            "stop_sequence": reply.stop_sequence,
            "usage": reply.usage,
        },
        "parent_tool_use_id": parent,
    })
}

/// The `user` lines of a tool-results message: one per result, each with the tool's output details as
/// `tool_use_result`, as Claude Code prints them.
pub(super) fn tool_results(
    message: &Message,
    families: &mut HashMap<String, ToolFamily>,
    parent: Option<&str>,
) -> Vec<Value> {
    let timestamp = now_rfc3339();
    message
        .content
        .iter()
        .map(|block| {
            let details = match block {
                ContentBlock::ToolResult { tool_use_id, content, is_error } => {
                    // Its result is printed once: the call is forgotten, so a long session keeps no record of it.
                    let family = families.remove(tool_use_id).unwrap_or_default();
                    tool_use_result(family, content, *is_error)
                }
                _ => Value::Null,
            };
            json!({
                "type": "user",
                "message": {"role": "user", "content": [result_block(block)]},
                "parent_tool_use_id": parent,
                "timestamp": timestamp,
                "tool_use_result": details,
            })
        })
        .collect()
}

/// A tool result as Claude Code prints it: content that is one text is a string, and `is_error` is always
/// there.
fn result_block(block: &ContentBlock) -> Value {
    match block {
        ContentBlock::ToolResult { tool_use_id, content, is_error } => {
            let content = match content.as_slice() {
                [ToolResultContent::Text { text }] => json!(text),
                content => json!(content),
            };
            json!({"tool_use_id": tool_use_id, "type": "tool_result", "content": content, "is_error": is_error})
        }
        block => json!(block),
    }
}

/// The details of a tool's output: a shell command's output (stdout and stderr come merged, as the model
/// reads them), else the result's text.
fn tool_use_result(family: ToolFamily, content: &[ToolResultContent], is_error: bool) -> Value {
    let text: String = content
        .iter()
        .filter_map(|part| match part {
            ToolResultContent::Text { text } => Some(text.as_str()),
            ToolResultContent::Image { .. } => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let is_image = content.iter().any(|part| matches!(part, ToolResultContent::Image { .. }));
    match family {
        ToolFamily::Shell => json!({
            "stdout": text,
            "stderr": "",
            "interrupted": is_error && text == INTERRUPTED_TOOL_RESULT,
            "isImage": is_image,
            "noOutputExpected": false,
        }),
        _ if is_error => json!(format!("Error: {text}")),
        _ => json!(text),
    }
}

/// `stream_event`: one streaming event of a reply, as the API sent it.
pub(super) fn stream_event(event: &StreamEvent, parent: Option<&str>) -> Value {
    json!({"type": "stream_event", "event": event, "parent_tool_use_id": parent})
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
