//! A provider-neutral request translated into a Chat Completions body.

use crate::request::MessagesRequest;
use claurst_protocol::{ContentBlock, ImageSource, Message, ProviderInfo, Role, ToolResultContent};
use serde_json::{Value, json};

/// Thinking budgets (tokens) at or above which the effort level rises; below the first, effort is low.
const MEDIUM_EFFORT_BUDGET: u32 = 4_096;
const HIGH_EFFORT_BUDGET: u32 = 16_384;

/// The JSON body of a streaming Chat Completions request for `request`, sent to `provider`.
pub fn chat_body(request: &MessagesRequest, provider: &ProviderInfo) -> Value {
    let mut messages = Vec::new();
    if !request.system.is_empty() {
        messages.push(json!({"role": "system", "content": request.system.join("\n\n")}));
    }
    for message in &request.messages {
        match message.role {
            Role::User => user_messages(message, &mut messages),
            Role::Assistant => messages.extend(assistant_message(message)),
        }
    }
    // OpenAI's own API takes `max_completion_tokens` for every model and refuses `max_tokens` for its
    // reasoning models; the servers that copy the API know only `max_tokens`.
    let limit_key =
        if provider.base_url.contains("api.openai.com") { "max_completion_tokens" } else { "max_tokens" };
    let mut body = json!({
        "model": request.model,
        "messages": messages,
        "stream": true,
        "stream_options": {"include_usage": true},
    });
    body[limit_key] = json!(request.max_tokens);
    if !request.tools.is_empty() {
        let tools: Vec<Value> = request
            .tools
            .iter()
            .map(|tool| {
                json!({"type": "function", "function": {
                    "name": tool.name, "description": tool.description, "parameters": tool.input_schema,
                }})
            })
            .collect();
        body["tools"] = Value::Array(tools);
    }
    let thinks = provider.model(&request.model).is_some_and(|model| model.thinking);
    if let Some(effort) = effort(request).filter(|_| thinks) {
        body["reasoning_effort"] = json!(effort);
    }
    body
}

/// The effort level asked for, or the one a thinking budget amounts to.
fn effort(request: &MessagesRequest) -> Option<String> {
    request.effort.clone().or_else(|| {
        request.thinking_budget.map(|budget| match budget {
            b if b >= HIGH_EFFORT_BUDGET => "high".into(),
            b if b >= MEDIUM_EFFORT_BUDGET => "medium".into(),
            _ => "low".into(),
        })
    })
}

/// A user message becomes one `tool` message per tool result (they must come first, right after the
/// assistant's calls), then one user message with the text and images — the tool results' images included,
/// since a `tool` message can carry only text.
fn user_messages(message: &Message, out: &mut Vec<Value>) {
    let mut parts = Vec::new();
    for block in &message.content {
        match block {
            ContentBlock::ToolResult { tool_use_id, content, is_error } => {
                out.push(tool_message(tool_use_id, content, *is_error));
                parts.extend(content.iter().filter_map(|item| match item {
                    ToolResultContent::Image { source } => Some(image_part(source)),
                    ToolResultContent::Text { .. } => None,
                }));
            }
            ContentBlock::Text { text, .. } => parts.push(json!({"type": "text", "text": text})),
            ContentBlock::Image { source } => parts.push(image_part(source)),
            // A user message carries no thinking or tool calls.
            _ => {}
        }
    }
    if parts.is_empty() {
        return;
    }
    // Plain text is sent as a string: some local servers accept nothing else.
    let content = if parts.iter().all(|part| part["type"] == "text") {
        let texts: Vec<&str> = parts.iter().filter_map(|part| part["text"].as_str()).collect();
        json!(texts.join("\n\n"))
    } else {
        Value::Array(parts)
    };
    out.push(json!({"role": "user", "content": content}));
}

fn tool_message(tool_use_id: &str, content: &[ToolResultContent], is_error: bool) -> Value {
    let text: Vec<&str> = content
        .iter()
        .filter_map(|item| match item {
            ToolResultContent::Text { text } => Some(text.as_str()),
            ToolResultContent::Image { .. } => None,
        })
        .collect();
    let mut text = text.join("\n");
    if is_error {
        // Chat Completions has no error flag on tool results; the model reads it in the text.
        text = format!("Error: {text}");
    } else if text.is_empty() {
        text = "(no output)".into();
    }
    json!({"role": "tool", "tool_call_id": tool_use_id, "content": text})
}

fn image_part(source: &ImageSource) -> Value {
    json!({"type": "image_url", "image_url": {"url": format!("data:{};base64,{}", source.media_type, source.data)}})
}

/// Text and tool calls; thinking is not sent back (Chat Completions has no place for it).
fn assistant_message(message: &Message) -> Option<Value> {
    let text = message.text();
    let calls: Vec<Value> = message
        .tool_uses()
        .map(|(id, name, input)| {
            json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments(input)}})
        })
        .collect();
    if text.is_empty() && calls.is_empty() {
        return None;
    }
    let mut value =
        json!({"role": "assistant", "content": if text.is_empty() { Value::Null } else { json!(text) }});
    if !calls.is_empty() {
        value["tool_calls"] = Value::Array(calls);
    }
    Some(value)
}

/// Tool input as the JSON text Chat Completions carries; arguments that were not valid JSON (kept as the
/// raw string) go back exactly as the model wrote them.
fn arguments(input: &Value) -> String {
    match input {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    }
}
