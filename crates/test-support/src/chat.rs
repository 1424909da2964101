//! Scripted replies rendered as OpenAI Chat Completions SSE chunks.
//!
//! A reply is scripted once, as the Messages API events a [`Turn`](crate::Turn) produces (or any events a
//! test wrote by hand), and rendered in the wire format of the request that takes it. Here each Messages
//! event becomes its Chat Completions counterpart: text and thinking deltas become `content` and
//! `reasoning_content` deltas, each `tool_use` block a `tool_calls` entry with its own `index` (id and name in
//! the first fragment, then the arguments), `message_delta` a `finish_reason` chunk followed by a usage chunk
//! without choices, `message_stop` the `[DONE]` marker, and an `error` event an `error` object.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::sse::SseEvent;

/// How the Chat Completions rendering departs from the plainest stream, to test a client's tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ChatStyle {
    /// Re-split each tool call's arguments into fragments of this many characters (1 for every character).
    pub(crate) argument_fragment_len: Option<usize>,
    pub(crate) done_marker: DoneMarker,
}

/// Whether the stream ends with `data: [DONE]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum DoneMarker {
    #[default]
    Sent,
    /// Some servers just close the stream after the last chunk.
    Omitted,
}

/// A tool call being rendered: its index among the message's calls and, when re-splitting, its arguments.
struct Call {
    index: usize,
    arguments: String,
}

/// Renders Messages API events as a Chat Completions stream body.
pub(crate) fn chat_sse_bytes(events: &[SseEvent], style: ChatStyle) -> Vec<u8> {
    let mut renderer =
        Renderer { style, model: String::new(), id: "chatcmpl-mock".into(), ..Default::default() };
    for event in events {
        renderer.event(&event.data);
    }
    renderer.out
}

#[derive(Default)]
struct Renderer {
    style: ChatStyle,
    model: String,
    id: String,
    /// Tool calls by the Messages block index they came from.
    calls: HashMap<u64, Call>,
    /// Usage from `message_start`, completed by `message_delta`.
    usage: Value,
    out: Vec<u8>,
}

impl Renderer {
    fn event(&mut self, data: &Value) {
        let index = data.get("index").and_then(Value::as_u64).unwrap_or(0);
        match data.get("type").and_then(Value::as_str).unwrap_or_default() {
            "message_start" => self.message_start(&data["message"]),
            "content_block_start" => self.block_start(index, &data["content_block"]),
            "content_block_delta" => self.block_delta(index, &data["delta"]),
            "content_block_stop" => self.block_stop(index),
            "message_delta" => self.message_delta(data),
            "message_stop" if self.style.done_marker == DoneMarker::Sent => {
                self.out.extend_from_slice(b"data: [DONE]\n\n")
            }
            "error" => {
                let error = &data["error"];
                let body =
                    json!({"error": {"message": error["message"], "type": error["type"], "code": null}});
                self.data(&body);
            }
            _ => {}
        }
    }

    fn message_start(&mut self, message: &Value) {
        self.model = message["model"].as_str().unwrap_or_default().to_owned();
        if let Some(id) = message["id"].as_str() {
            self.id = format!("chatcmpl-{id}");
        }
        self.usage = message["usage"].clone();
        // Real servers open with the role and an empty content: an empty delta the client must accept.
        self.chunk(json!({"role": "assistant", "content": ""}), Value::Null);
    }

    fn block_start(&mut self, index: u64, block: &Value) {
        if block["type"] != "tool_use" {
            return;
        }
        let call = Call { index: self.calls.len(), arguments: String::new() };
        let fragment = json!({"index": call.index, "id": block["id"], "type": "function",
            "function": {"name": block["name"], "arguments": ""}});
        self.calls.insert(index, call);
        self.chunk(json!({"tool_calls": [fragment]}), Value::Null);
    }

    fn block_delta(&mut self, index: u64, delta: &Value) {
        match delta["type"].as_str().unwrap_or_default() {
            "text_delta" => self.chunk(json!({"content": delta["text"]}), Value::Null),
            "thinking_delta" => self.chunk(json!({"reasoning_content": delta["thinking"]}), Value::Null),
            "input_json_delta" => {
                let piece = delta["partial_json"].as_str().unwrap_or_default();
                let Some(call) = self.calls.get_mut(&index) else { return };
                if self.style.argument_fragment_len.is_some() {
                    call.arguments.push_str(piece);
                } else {
                    let fragment = json!({"index": call.index, "function": {"arguments": piece}});
                    self.chunk(json!({"tool_calls": [fragment]}), Value::Null);
                }
            }
            _ => {}
        }
    }

    fn block_stop(&mut self, index: u64) {
        let (Some(len), Some(call)) = (self.style.argument_fragment_len, self.calls.get(&index)) else {
            return;
        };
        let chars: Vec<char> = call.arguments.chars().collect();
        let fragments: Vec<Value> = chars
            .chunks(len.max(1))
            .map(|piece| {
                let piece: String = piece.iter().collect();
                json!({"tool_calls": [{"index": call.index, "function": {"arguments": piece}}]})
            })
            .collect();
        for fragment in fragments {
            self.chunk(fragment, Value::Null);
        }
    }

    fn message_delta(&mut self, data: &Value) {
        let reason = match data["delta"]["stop_reason"].as_str().unwrap_or("end_turn") {
            "end_turn" | "stop_sequence" => "stop".to_owned(),
            "tool_use" => "tool_calls".to_owned(),
            "max_tokens" => "length".to_owned(),
            "refusal" => "content_filter".to_owned(),
            other => other.to_owned(),
        };
        self.chunk(json!({}), json!(reason));
        let read = |key: &str| self.usage[key].as_u64().unwrap_or(0);
        let cached = read("cache_read_input_tokens");
        let prompt = read("input_tokens") + read("cache_creation_input_tokens") + cached;
        let completion = data["usage"]["output_tokens"].as_u64().unwrap_or(0);
        let usage = json!({
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": cached},
        });
        let chunk = json!({"id": self.id, "object": "chat.completion.chunk", "created": 0, "model": self.model,
            "choices": [], "usage": usage});
        self.data(&chunk);
    }

    fn chunk(&mut self, delta: Value, finish_reason: Value) {
        let chunk = json!({"id": self.id, "object": "chat.completion.chunk", "created": 0, "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]});
        self.data(&chunk);
    }

    fn data(&mut self, value: &Value) {
        self.out.extend_from_slice(format!("data: {value}\n\n").as_bytes());
    }
}

/// An error body in OpenAI's format.
pub(crate) fn chat_error_body(error_type: &str, message: &str) -> Value {
    json!({"error": {"message": message, "type": error_type, "code": null}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Turn;

    fn chunks(bytes: &[u8]) -> Vec<String> {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        text.split("\n\n")
            .filter(|part| !part.is_empty())
            .map(|part| part.strip_prefix("data: ").unwrap().to_owned())
            .collect()
    }

    #[test]
    fn a_turn_renders_as_chat_chunks() {
        let turn =
            Turn::new().thinking("hm", "sig").text("hi").tool_use("c1", "bash", json!({"command": "ls"}));
        let rendered = chunks(&chat_sse_bytes(&turn.events(), ChatStyle::default()));
        assert_eq!(rendered.last().unwrap(), "[DONE]");
        let values: Vec<Value> =
            rendered[..rendered.len() - 1].iter().map(|c| serde_json::from_str(c).unwrap()).collect();
        let arguments: String = values
            .iter()
            .filter_map(|v| v["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str())
            .collect();
        assert_eq!(serde_json::from_str::<Value>(&arguments).unwrap(), json!({"command": "ls"}));
        assert!(values.iter().any(|v| v["choices"][0]["finish_reason"] == "tool_calls"));
        let reasoning: String =
            values.iter().filter_map(|v| v["choices"][0]["delta"]["reasoning_content"].as_str()).collect();
        assert_eq!(reasoning, "hm");
        assert_eq!(values.last().unwrap()["usage"]["prompt_tokens"], 10);
    }

    #[test]
    fn arguments_can_be_split_at_every_character_and_done_omitted() {
        let turn = Turn::new().tool_use("c1", "bash", json!({"a": 1}));
        let style = ChatStyle { argument_fragment_len: Some(1), done_marker: DoneMarker::Omitted };
        let rendered = chunks(&chat_sse_bytes(&turn.events(), style));
        assert_ne!(rendered.last().unwrap(), "[DONE]");
        let fragments = rendered.iter().filter(|c| c.contains("\"arguments\"")).count();
        assert_eq!(fragments, 1 + "{\"a\":1}".len());
    }
}
