//! Turns the Messages API's stream events into deltas for the front-end and, at the end, the whole message.

use crate::error::ApiError;
use crate::sse::SseEvent;
use claurst_protocol::{Citation, ContentBlock, Message, Role, StopReason, Usage, WebSearchOutcome};
use serde::Deserialize;
use serde_json::Value;

/// Something worth showing while the message streams.
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    Text(String),
    Thinking(String),
    /// The model started a tool call; its input is still streaming.
    ToolUseStarted {
        id: String,
        name: String,
    },
    /// The API started a tool it runs itself (its web search); its input is complete.
    ServerToolUse {
        id: String,
        name: String,
        input: Value,
    },
    /// What the API's web search found.
    WebSearchResult {
        tool_use_id: String,
        content: WebSearchOutcome,
    },
    /// A Messages API streaming event as it arrived (Messages API providers only), for front-ends that
    /// forward them; the deltas above say the same for everyone else.
    Event(claurst_protocol::StreamEvent),
}

/// The finished message of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelResponse {
    pub message: Message,
    pub stop_reason: Option<StopReason>,
    pub usage: Usage,
    pub model: String,
    /// The API's id of the message; empty when the provider gives none.
    pub id: String,
    /// The stop sequence that ended the message, when one did.
    pub stop_sequence: Option<String>,
}

impl ModelResponse {
    /// What the reply says about itself, for front-ends.
    pub fn reply_info(&self) -> claurst_protocol::ReplyInfo {
        claurst_protocol::ReplyInfo {
            id: self.id.clone(),
            model: self.model.clone(),
            stop_reason: self.stop_reason.clone(),
            stop_sequence: self.stop_sequence.clone(),
            usage: self.usage,
        }
    }
}

/// A block under construction.
#[derive(Debug)]
enum PartialBlock {
    Text {
        text: String,
        citations: Option<Vec<Citation>>,
    },
    Thinking {
        thinking: String,
        signature: String,
    },
    RedactedThinking(String),
    ToolUse {
        id: String,
        name: String,
        json: String,
    },
    ServerToolUse {
        id: String,
        name: String,
        json: String,
    },
    /// A block that arrives whole in `content_block_start` (a search's results).
    Whole(ContentBlock),
}

/// Accumulates one streamed message.
#[derive(Debug, Default)]
pub(crate) struct MessageAssembler {
    model: String,
    id: String,
    stop_sequence: Option<String>,
    blocks: Vec<Option<PartialBlock>>,
    finished: Vec<ContentBlock>,
    usage: Usage,
    stop_reason: Option<StopReason>,
    complete: bool,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "type")]
    kind: String,
    message: String,
}

impl MessageAssembler {
    /// Whether `message_stop` has arrived.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Apply one SSE event; deltas worth showing are appended to `out`.
    pub fn apply(&mut self, event: &SseEvent, out: &mut Vec<Delta>) -> Result<(), ApiError> {
        let value: Value = serde_json::from_str(&event.data).map_err(|error| {
            ApiError::Decode(format!("stream event is not JSON ({error}): {}", event.data))
        })?;
        let kind = value.get("type").and_then(Value::as_str).or(event.event.as_deref()).unwrap_or("");
        // Events of kinds Claurst does not model (`ping`, server tools) are not forwarded.
        // Read from the parsed value in place (no copy of it): every event of every reply passes here.
        if let Ok(typed) = claurst_protocol::StreamEvent::deserialize(&value) {
            out.push(Delta::Event(typed));
        }
        match kind {
            "message_start" => self.message_start(&value),
            "content_block_start" => self.block_start(&value, out),
            "content_block_delta" => self.block_delta(&value, out),
            "content_block_stop" => self.block_stop(&value, out),
            "message_delta" => self.message_delta(&value),
            "message_stop" => {
                self.complete = true;
                Ok(())
            }
            "error" => {
                let body: ErrorBody = serde_json::from_value(value.get("error").cloned().unwrap_or_default())
                    .unwrap_or(ErrorBody { kind: "api_error".into(), message: event.data.clone() });
                Err(ApiError::StreamError { kind: body.kind, message: body.message })
            }
            // `ping` and event types added to the API later carry nothing we need.
            _ => Ok(()),
        }
    }

    /// The whole message. Call only once `is_complete()`.
    pub fn finish(self) -> ModelResponse {
        ModelResponse {
            message: Message { role: Role::Assistant, content: self.finished },
            stop_reason: self.stop_reason,
            usage: self.usage,
            model: self.model,
            id: self.id,
            stop_sequence: self.stop_sequence,
        }
    }

    fn message_start(&mut self, value: &Value) -> Result<(), ApiError> {
        let message = value.get("message").ok_or_else(|| decode("message_start without message"))?;
        self.model = message.get("model").and_then(Value::as_str).unwrap_or_default().to_string();
        self.id = message.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Some(usage) = message.get("usage") {
            merge_usage(&mut self.usage, usage);
        }
        Ok(())
    }

    fn block_start(&mut self, value: &Value, out: &mut Vec<Delta>) -> Result<(), ApiError> {
        let index = index_of(value)?;
        let block = value.get("content_block").ok_or_else(|| decode("content_block_start without block"))?;
        let text_of = |key: &str| block.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        let partial = match block.get("type").and_then(Value::as_str).unwrap_or_default() {
            "text" => PartialBlock::Text {
                text: text_of("text"),
                citations: block.get("citations").and_then(|c| serde_json::from_value(c.clone()).ok()),
            },
            "thinking" => {
                PartialBlock::Thinking { thinking: text_of("thinking"), signature: text_of("signature") }
            }
            "redacted_thinking" => PartialBlock::RedactedThinking(text_of("data")),
            "tool_use" => {
                let (id, name) = (text_of("id"), text_of("name"));
                out.push(Delta::ToolUseStarted { id: id.clone(), name: name.clone() });
                PartialBlock::ToolUse { id, name, json: String::new() }
            }
            // The API runs these itself: announced once the input is whole, never executed here.
            "server_tool_use" => {
                PartialBlock::ServerToolUse { id: text_of("id"), name: text_of("name"), json: String::new() }
            }
            "web_search_tool_result" => {
                let whole: ContentBlock = serde_json::from_value(block.clone())
                    .map_err(|error| decode(&format!("malformed web_search_tool_result ({error})")))?;
                if let ContentBlock::WebSearchToolResult { tool_use_id, content } = &whole {
                    out.push(Delta::WebSearchResult {
                        tool_use_id: tool_use_id.clone(),
                        content: content.clone(),
                    });
                }
                PartialBlock::Whole(whole)
            }
            other => return Err(decode(&format!("unknown content block type `{other}`"))),
        };
        if self.blocks.len() <= index {
            self.blocks.resize_with(index + 1, || None);
        }
        self.blocks[index] = Some(partial);
        Ok(())
    }

    fn block_delta(&mut self, value: &Value, out: &mut Vec<Delta>) -> Result<(), ApiError> {
        let index = index_of(value)?;
        let delta = value.get("delta").ok_or_else(|| decode("content_block_delta without delta"))?;
        let field = |key: &str| delta.get(key).and_then(Value::as_str).unwrap_or_default();
        let block = self
            .blocks
            .get_mut(index)
            .and_then(Option::as_mut)
            .ok_or_else(|| decode(&format!("delta for unknown block {index}")))?;
        match (delta.get("type").and_then(Value::as_str).unwrap_or_default(), block) {
            ("text_delta", PartialBlock::Text { text, .. }) => {
                text.push_str(field("text"));
                out.push(Delta::Text(field("text").to_string()));
            }
            ("thinking_delta", PartialBlock::Thinking { thinking, .. }) => {
                thinking.push_str(field("thinking"));
                out.push(Delta::Thinking(field("thinking").to_string()));
            }
            ("signature_delta", PartialBlock::Thinking { signature, .. }) => {
                signature.push_str(field("signature"))
            }
            (
                "input_json_delta",
                PartialBlock::ToolUse { json, .. } | PartialBlock::ServerToolUse { json, .. },
            ) => json.push_str(field("partial_json")),
            ("citations_delta", PartialBlock::Text { citations, .. }) => {
                let citation = delta.get("citation").cloned().unwrap_or_default();
                let citation = serde_json::from_value(citation)
                    .map_err(|error| decode(&format!("malformed citation ({error})")))?;
                citations.get_or_insert_with(Vec::new).push(citation);
            }
            // Delta kinds added to the API later do not change what we keep.
            _ => {}
        }
        Ok(())
    }

    fn block_stop(&mut self, value: &Value, out: &mut Vec<Delta>) -> Result<(), ApiError> {
        let index = index_of(value)?;
        let Some(block) = self.blocks.get_mut(index).and_then(Option::take) else {
            return Err(decode(&format!("content_block_stop for unknown block {index}")));
        };
        self.finished.push(match block {
            PartialBlock::Text { text, citations } => ContentBlock::Text { text, citations },
            PartialBlock::Thinking { thinking, signature } => ContentBlock::Thinking { thinking, signature },
            PartialBlock::RedactedThinking(data) => ContentBlock::RedactedThinking { data },
            PartialBlock::ToolUse { id, name, json } => {
                ContentBlock::ToolUse { id, name, input: parse_input(&json) }
            }
            PartialBlock::ServerToolUse { id, name, json } => {
                let input = parse_input(&json);
                out.push(Delta::ServerToolUse { id: id.clone(), name: name.clone(), input: input.clone() });
                ContentBlock::ServerToolUse { id, name, input }
            }
            PartialBlock::Whole(block) => block,
        });
        Ok(())
    }

    fn message_delta(&mut self, value: &Value) -> Result<(), ApiError> {
        if let Some(reason) = value.pointer("/delta/stop_reason").filter(|v| !v.is_null()) {
            self.stop_reason = serde_json::from_value(reason.clone()).ok();
        }
        if let Some(sequence) = value.pointer("/delta/stop_sequence").and_then(Value::as_str) {
            self.stop_sequence = Some(sequence.to_string());
        }
        if let Some(usage) = value.get("usage") {
            merge_usage(&mut self.usage, usage);
        }
        Ok(())
    }
}

/// Tool input arrives as JSON text in pieces. A cut-off input (the model hit max_tokens) is kept as a string so
/// the tool reports a clear schema error to the model instead of the whole turn failing.
fn parse_input(json: &str) -> Value {
    if json.trim().is_empty() {
        return Value::Object(Default::default());
    }
    serde_json::from_str(json).unwrap_or_else(|_| Value::String(json.to_string()))
}

/// Later usage reports repeat or extend earlier ones; a field present and non-zero wins.
fn merge_usage(usage: &mut Usage, value: &Value) {
    let read = |key: &str| value.get(key).and_then(Value::as_u64).filter(|n| *n > 0);
    if let Some(n) = read("input_tokens") {
        usage.input_tokens = n;
    }
    if let Some(n) = read("output_tokens") {
        usage.output_tokens = n;
    }
    if let Some(n) = read("cache_creation_input_tokens") {
        usage.cache_creation_input_tokens = n;
    }
    if let Some(n) = read("cache_read_input_tokens") {
        usage.cache_read_input_tokens = n;
    }
    if let Some(n) = value.pointer("/server_tool_use/web_search_requests").and_then(Value::as_u64) {
        usage.server_tool_use.web_search_requests = n;
    }
}

fn index_of(value: &Value) -> Result<usize, ApiError> {
    value
        .get("index")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| decode("stream event without index"))
}

fn decode(what: &str) -> ApiError {
    ApiError::Decode(what.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(value: Value) -> SseEvent {
        SseEvent { event: value["type"].as_str().map(str::to_string), data: value.to_string() }
    }

    #[test]
    fn assembles_text_thinking_and_tool_use() {
        let events = [
            json!({"type":"message_start","message":{"model":"m","usage":{"input_tokens":10,"cache_read_input_tokens":4,"output_tokens":1}}}),
            json!({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"let me "}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"see"}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig"}}),
            json!({"type":"content_block_stop","index":0}),
            json!({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}),
            json!({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}),
            json!({"type":"content_block_stop","index":1}),
            json!({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"t1","name":"bash","input":{}}}),
            json!({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"comm"}}),
            json!({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"and\":\"ls\"}"}}),
            json!({"type":"content_block_stop","index":2}),
            json!({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":42}}),
            json!({"type":"message_stop"}),
        ];
        let mut assembler = MessageAssembler::default();
        let mut deltas = Vec::new();
        for value in events {
            assembler.apply(&event(value), &mut deltas).unwrap();
        }
        assert!(assembler.is_complete());
        let events = deltas.iter().filter(|delta| matches!(delta, Delta::Event(_))).count();
        assert_eq!(events, 15, "every event of the stream is forwarded");
        deltas.retain(|delta| !matches!(delta, Delta::Event(_)));
        assert_eq!(
            deltas,
            [
                Delta::Thinking("let me ".into()),
                Delta::Thinking("see".into()),
                Delta::Text("Hi".into()),
                Delta::ToolUseStarted { id: "t1".into(), name: "bash".into() }
            ]
        );
        let response = assembler.finish();
        assert_eq!(response.stop_reason, Some(StopReason::ToolUse));
        assert_eq!(response.usage.input_tokens, 10);
        assert_eq!(response.usage.cache_read_input_tokens, 4);
        assert_eq!(response.usage.output_tokens, 42);
        assert_eq!(
            response.message.content,
            [
                ContentBlock::Thinking { thinking: "let me see".into(), signature: "sig".into() },
                ContentBlock::text("Hi"),
                ContentBlock::ToolUse {
                    id: "t1".into(),
                    name: "bash".into(),
                    input: json!({"command":"ls"})
                },
            ]
        );
    }

    #[test]
    fn mid_stream_error_event_is_reported() {
        let mut assembler = MessageAssembler::default();
        let error = assembler
            .apply(
                &event(json!({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})),
                &mut Vec::new(),
            )
            .unwrap_err();
        assert!(matches!(error, ApiError::StreamError { ref kind, .. } if kind == "overloaded_error"));
        assert!(error.is_retryable());
    }

    #[test]
    fn truncated_tool_input_is_kept_as_text() {
        assert_eq!(parse_input("{\"command\": \"l"), Value::String("{\"command\": \"l".into()));
        assert_eq!(parse_input(""), json!({}));
    }
}

#[cfg(test)]
mod recorded_stream_tests {
    use super::*;
    use crate::sse::SseDecoder;
    use claurst_test_support::Turn;
    use serde_json::json;

    fn assemble(pieces: &[&[u8]]) -> ModelResponse {
        let mut decoder = SseDecoder::new();
        let mut assembler = MessageAssembler::default();
        let mut events = Vec::new();
        for piece in pieces {
            decoder.feed(piece, &mut events);
        }
        for event in &events {
            assembler.apply(event, &mut Vec::new()).unwrap();
        }
        assert!(assembler.is_complete());
        assembler.finish()
    }

    #[test]
    fn a_recorded_stream_split_at_every_byte_offset_assembles_the_same_message() {
        let turn = Turn::new()
            .thinking("weighing options ✓", "sig")
            .text("Here is the plan — ünïcödé included.")
            .tool_use("toolu_9", "read_file", json!({"path": "src/main.rs", "limit": 20}));
        let bytes = turn.to_sse_bytes();
        let whole = assemble(&[&bytes]);
        assert_eq!(whole.message.content.len(), 3);
        for split in 0..=bytes.len() {
            let (head, tail) = bytes.split_at(split);
            assert_eq!(assemble(&[head, tail]), whole, "split at byte {split}");
        }
    }
    #[test]
    fn server_search_blocks_are_kept_whole_and_never_become_tool_calls() {
        let turn = Turn::new()
            .text("Let me search.")
            .web_search("srvtoolu_1", "rust 2024 edition")
            .web_search_results("srvtoolu_1", &[("https://blog.rust-lang.org/", "Rust Blog")])
            .cited_text("It shipped.", &[("https://blog.rust-lang.org/", "Rust Blog", "Rust 2024 is out")])
            .web_search_requests(1);
        let mut decoder = SseDecoder::new();
        let mut assembler = MessageAssembler::default();
        let (mut events, mut deltas) = (Vec::new(), Vec::new());
        decoder.feed(&turn.to_sse_bytes(), &mut events);
        for event in &events {
            assembler.apply(event, &mut deltas).unwrap();
        }
        deltas.retain(|delta| !matches!(delta, Delta::Event(_) | Delta::Text(_)));
        assert!(matches!(&deltas[0], Delta::ServerToolUse { id, input, .. }
            if id == "srvtoolu_1" && input["query"] == "rust 2024 edition"));
        assert!(matches!(&deltas[1], Delta::WebSearchResult { content, .. } if content.results().len() == 1));
        assert_eq!(deltas.len(), 2, "no ToolUseStarted for a server tool: {deltas:?}");
        let response = assembler.finish();
        assert_eq!(response.usage.server_tool_use.web_search_requests, 1);
        assert_eq!(response.stop_reason, Some(StopReason::EndTurn));
        assert_eq!(response.message.tool_uses().count(), 0);
        let content = serde_json::to_value(&response.message.content).unwrap();
        assert_eq!(content[1]["type"], "server_tool_use");
        assert_eq!(content[2]["content"][0]["encrypted_content"], "EncContent0==");
        assert_eq!(content[3]["citations"][0]["encrypted_index"], "EncIndex0=");
        assert_eq!(content[3]["text"], "It shipped.");
    }
}
