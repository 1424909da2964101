//! The Messages API's rule that every `tool_use` is answered, enforced by the mock as the real API does.
//!
//! Each assistant message's `tool_use` blocks must be answered by `tool_result` blocks (same ids) in the
//! user message right after it, and every `tool_result` must answer a `tool_use` of the assistant message
//! right before it. The real API rejects a request that breaks either half with `400 invalid_request_error`;
//! a resumed session that forgets an interrupted call must fail the same way here.
//!
//! Chat Completions has the same rule in its own shape: an assistant message's `tool_calls` must be followed
//! by one `role: tool` message per call id before any other message, and a `tool` message must answer a
//! call of that assistant message.

use serde_json::Value;

/// Why a request's `messages` break the pairing rule: the message for the `400` reply, naming the id.
pub(crate) fn unpaired_tool_blocks(body: &Value) -> Option<String> {
    let messages = body.get("messages")?.as_array()?;
    let mut open: Vec<&str> = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        let role = message.get("role").and_then(Value::as_str).unwrap_or_default();
        let answered = ids(message, "tool_result", "tool_use_id");
        if let Some(stray) = answered.iter().find(|id| !open.contains(id)) {
            return Some(format!(
                "messages.{index}: unexpected `tool_use_id` in a `tool_result` block: {stray}. Every \
                 `tool_result` block must answer a `tool_use` block of the message before it."
            ));
        }
        if let Some(missing) = open.iter().find(|id| !answered.contains(id)) {
            return Some(format!(
                "messages.{index}: `tool_use` id {missing} has no `tool_result` block right after it. Every \
                 `tool_use` block must be answered by a `tool_result` block in the next message."
            ));
        }
        open = if role == "assistant" { ids(message, "tool_use", "id") } else { Vec::new() };
    }
    open.first().map(|missing| {
        format!(
            "messages.{}: `tool_use` id {missing} has no `tool_result` block after it; the conversation ends \
             with it.",
            messages.len() - 1
        )
    })
}

/// Why a Chat Completions request's `messages` break the pairing rule, naming the id.
pub(crate) fn unpaired_tool_calls(body: &Value) -> Option<String> {
    let messages = body.get("messages")?.as_array()?;
    let mut open: Vec<&str> = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        let role = message.get("role").and_then(Value::as_str).unwrap_or_default();
        if role == "tool" {
            let id = message.get("tool_call_id").and_then(Value::as_str).unwrap_or_default();
            let Some(position) = open.iter().position(|open_id| *open_id == id) else {
                return Some(format!(
                    "messages.[{index}]: a message with role 'tool' answers tool_call_id {id}, which no \
                     'tool_calls' of the preceding assistant message has (or it was answered already)."
                ));
            };
            open.remove(position);
            continue;
        }
        if let Some(missing) = open.first() {
            return Some(format!(
                "messages.[{index}]: an assistant message with 'tool_calls' must be followed by tool \
                 messages responding to each 'tool_call_id'. The following tool_call_ids did not have \
                 response messages: {missing}"
            ));
        }
        if role == "assistant" {
            open = message
                .get("tool_calls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|call| call.get("id").and_then(Value::as_str))
                .collect();
        }
    }
    open.first().map(|missing| {
        format!("the conversation ends with tool_call_id {missing} unanswered by a message with role 'tool'.")
    })
}

/// The `field` of every block of type `kind` in a message's content (a string content has none).
fn ids<'a>(message: &'a Value, kind: &str, field: &str) -> Vec<&'a str> {
    let Some(blocks) = message.get("content").and_then(Value::as_array) else { return Vec::new() };
    blocks
        .iter()
        .filter(|block| block.get("type").and_then(Value::as_str) == Some(kind))
        .filter_map(|block| block.get(field).and_then(Value::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn use_block(id: &str) -> Value {
        json!({"type": "tool_use", "id": id, "name": "bash", "input": {}})
    }

    fn result_block(id: &str) -> Value {
        json!({"type": "tool_result", "tool_use_id": id, "content": "ok"})
    }

    fn body(messages: Vec<Value>) -> Value {
        json!({"messages": messages})
    }

    #[test]
    fn answered_calls_pass() {
        let body = body(vec![
            json!({"role": "user", "content": "go"}),
            json!({"role": "assistant", "content": [use_block("a"), use_block("b")]}),
            json!({"role": "user", "content": [result_block("a"), result_block("b"), {"type": "text", "text": "x"}]}),
            json!({"role": "assistant", "content": [{"type": "text", "text": "done"}]}),
        ]);
        assert_eq!(unpaired_tool_blocks(&body), None);
    }

    #[test]
    fn an_unanswered_call_is_named() {
        let trailing = body(vec![
            json!({"role": "user", "content": "go"}),
            json!({"role": "assistant", "content": [use_block("a")]}),
        ]);
        assert!(unpaired_tool_blocks(&trailing).unwrap().contains("a has no `tool_result`"));
        let skipped = body(vec![
            json!({"role": "assistant", "content": [use_block("a"), use_block("b")]}),
            json!({"role": "user", "content": [result_block("a")]}),
        ]);
        assert!(unpaired_tool_blocks(&skipped).unwrap().contains("id b has no"));
    }

    #[test]
    fn a_stray_result_is_named() {
        let stray = body(vec![json!({"role": "user", "content": [result_block("zz")]})]);
        assert!(unpaired_tool_blocks(&stray).unwrap().contains(": zz."));
    }

    fn call(id: &str) -> Value {
        json!({"id": id, "type": "function", "function": {"name": "bash", "arguments": "{}"}})
    }

    #[test]
    fn chat_calls_must_be_answered_by_tool_messages() {
        let answered = body(vec![
            json!({"role": "user", "content": "go"}),
            json!({"role": "assistant", "content": null, "tool_calls": [call("a"), call("b")]}),
            json!({"role": "tool", "tool_call_id": "b", "content": "ok"}),
            json!({"role": "tool", "tool_call_id": "a", "content": "ok"}),
            json!({"role": "user", "content": "more"}),
        ]);
        assert_eq!(unpaired_tool_calls(&answered), None);
        let skipped = body(vec![
            json!({"role": "assistant", "content": null, "tool_calls": [call("a"), call("b")]}),
            json!({"role": "tool", "tool_call_id": "a", "content": "ok"}),
            json!({"role": "user", "content": "more"}),
        ]);
        assert!(unpaired_tool_calls(&skipped).unwrap().contains("response messages: b"));
        let stray = body(vec![json!({"role": "tool", "tool_call_id": "zz", "content": "ok"})]);
        assert!(unpaired_tool_calls(&stray).unwrap().contains("tool_call_id zz"));
        let trailing = body(vec![json!({"role": "assistant", "tool_calls": [call("a")]})]);
        assert!(unpaired_tool_calls(&trailing).unwrap().contains("a unanswered"));
    }
}
