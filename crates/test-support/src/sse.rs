//! Server-sent events as the Messages API streams them, and [`Turn`], a builder for one streamed assistant
//! message that produces the exact event sequence the real API sends.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

/// Model name a [`Turn`] reports unless told otherwise.
pub const DEFAULT_MODEL: &str = "claude-sonnet-4-5";

/// How many deltas a block's content is split into (fewer when the content is shorter than this).
const DELTA_PIECES: usize = 3;

/// One server-sent event: its `event:` name and its `data:` JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: String,
    pub data: Value,
}

impl SseEvent {
    pub fn new(event: impl Into<String>, data: Value) -> SseEvent {
        SseEvent { event: event.into(), data }
    }

    /// A mid-stream `error` event, as the API sends when it fails after the stream has begun.
    pub fn error(kind: &str, message: &str) -> SseEvent {
        SseEvent::new("error", json!({"type": "error", "error": {"type": kind, "message": message}}))
    }

    /// The event on the wire: `event: NAME\ndata: JSON\n\n`.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!("event: {}\ndata: {}\n\n", self.event, self.data).into_bytes()
    }

    /// An event whose name is repeated as the `type` field of its data, as every Messages API event is.
    fn typed(event: &str, mut fields: Value) -> SseEvent {
        if let Value::Object(map) = &mut fields {
            map.insert("type".to_owned(), Value::String(event.to_owned()));
        }
        SseEvent::new(event, fields)
    }
}

/// Concatenates events into one stream body.
pub fn sse_bytes(events: &[SseEvent]) -> Vec<u8> {
    events.iter().flat_map(SseEvent::to_bytes).collect()
}

/// One content block of a scripted turn.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Text(String),
    Thinking {
        text: String,
        signature: String,
    },
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    /// A tool the API runs itself (`server_tool_use`).
    ServerToolUse {
        id: String,
        name: String,
        input: Value,
    },
    /// A block that arrives whole in `content_block_start` (`web_search_tool_result`).
    Whole(Value),
    /// Text citing sources: each citation comes as a `citations_delta` before the text.
    CitedText {
        text: String,
        citations: Vec<Value>,
    },
}

/// One streamed assistant message, built block by block.
///
/// ```
/// use claurst_test_support::Turn;
/// let turn = Turn::new().text("Let me look.").tool_use("toolu_1", "Read", serde_json::json!({"path": "a.rs"}));
/// assert_eq!(turn.events().last().unwrap().event, "message_stop");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    id: String,
    model: String,
    blocks: Vec<Block>,
    stop_reason: Option<String>,
    input_tokens: u64,
    output_tokens: u64,
    cache_creation_tokens: u64,
    cache_read_tokens: u64,
    web_search_requests: u64,
}

impl Default for Turn {
    fn default() -> Turn {
        Turn::new()
    }
}

impl Turn {
    /// An empty turn with a unique message id, [`DEFAULT_MODEL`], 10 input and 5 output tokens.
    pub fn new() -> Turn {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Turn {
            id: format!("msg_mock_{:04}", NEXT_ID.fetch_add(1, Ordering::Relaxed)),
            model: DEFAULT_MODEL.to_owned(),
            blocks: Vec::new(),
            stop_reason: None,
            input_tokens: 10,
            output_tokens: 5,
            cache_creation_tokens: 0,
            cache_read_tokens: 0,
            web_search_requests: 0,
        }
    }

    /// A turn holding one text block that ends the conversation turn.
    pub fn text_only(text: &str) -> Turn {
        Turn::new().text(text)
    }

    pub fn text(mut self, text: &str) -> Turn {
        self.blocks.push(Block::Text(text.to_owned()));
        self
    }

    pub fn thinking(mut self, text: &str, signature: &str) -> Turn {
        self.blocks.push(Block::Thinking { text: text.to_owned(), signature: signature.to_owned() });
        self
    }

    pub fn tool_use(mut self, id: &str, name: &str, input: Value) -> Turn {
        self.blocks.push(Block::ToolUse { id: id.to_owned(), name: name.to_owned(), input });
        self
    }

    /// A search the API runs itself: a `server_tool_use` block named `web_search` with this query.
    pub fn web_search(mut self, id: &str, query: &str) -> Turn {
        let input = json!({"query": query});
        self.blocks.push(Block::ServerToolUse { id: id.to_owned(), name: "web_search".to_owned(), input });
        self
    }

    /// The results of the search `tool_use_id`: (url, title) pages, each with opaque encrypted content.
    pub fn web_search_results(mut self, tool_use_id: &str, pages: &[(&str, &str)]) -> Turn {
        let content: Vec<Value> = pages
            .iter()
            .enumerate()
            .map(|(n, (url, title))| {
                json!({"type": "web_search_result", "url": url, "title": title,
                       "encrypted_content": format!("EncContent{n}=="), "page_age": "April 1, 2025"})
            })
            .collect();
        self.blocks.push(Block::Whole(
            json!({"type": "web_search_tool_result", "tool_use_id": tool_use_id, "content": content}),
        ));
        self
    }

    /// The search `tool_use_id` failed with `error_code` (`max_uses_exceeded`, `unavailable`, …).
    pub fn web_search_error(mut self, tool_use_id: &str, error_code: &str) -> Turn {
        self.blocks.push(Block::Whole(json!({
            "type": "web_search_tool_result", "tool_use_id": tool_use_id,
            "content": {"type": "web_search_tool_result_error", "error_code": error_code},
        })));
        self
    }

    /// Text citing search results: (url, title, cited text) each.
    pub fn cited_text(mut self, text: &str, sources: &[(&str, &str, &str)]) -> Turn {
        let citations = sources
            .iter()
            .enumerate()
            .map(|(n, (url, title, cited))| {
                json!({"type": "web_search_result_location", "url": url, "title": title,
                       "cited_text": cited, "encrypted_index": format!("EncIndex{n}=")})
            })
            .collect();
        self.blocks.push(Block::CitedText { text: text.to_owned(), citations });
        self
    }

    /// The count of server-side searches `message_delta`'s usage reports.
    pub fn web_search_requests(mut self, count: u64) -> Turn {
        self.web_search_requests = count;
        self
    }

    /// Overrides the stop reason (by default `tool_use` when the turn has a tool call, else `end_turn`).
    pub fn stop_reason(mut self, reason: &str) -> Turn {
        self.stop_reason = Some(reason.to_owned());
        self
    }

    pub fn usage(mut self, input_tokens: u64, output_tokens: u64) -> Turn {
        self.input_tokens = input_tokens;
        self.output_tokens = output_tokens;
        self
    }

    pub fn cache_tokens(mut self, creation: u64, read: u64) -> Turn {
        self.cache_creation_tokens = creation;
        self.cache_read_tokens = read;
        self
    }

    pub fn model(mut self, model: &str) -> Turn {
        self.model = model.to_owned();
        self
    }

    /// The message id reported in `message_start`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The stop reason `message_delta` will carry.
    pub fn effective_stop_reason(&self) -> &str {
        match &self.stop_reason {
            Some(reason) => reason,
            None if self.blocks.iter().any(|b| matches!(b, Block::ToolUse { .. })) => "tool_use",
            None => "end_turn",
        }
    }

    /// The full event sequence: `message_start`, `ping`, each block's start / deltas / stop, `message_delta`,
    /// `message_stop`.
    pub fn events(&self) -> Vec<SseEvent> {
        let mut events = vec![self.message_start(), SseEvent::typed("ping", json!({}))];
        for (index, block) in self.blocks.iter().enumerate() {
            events.extend(block_events(index, block));
        }
        events.push(SseEvent::typed(
            "message_delta",
            json!({
                "delta": {"stop_reason": self.effective_stop_reason(), "stop_sequence": null},
                "usage": self.final_usage(),
            }),
        ));
        events.push(SseEvent::typed("message_stop", json!({})));
        events
    }

    /// The whole stream body as the API would send it.
    pub fn to_sse_bytes(&self) -> Vec<u8> {
        sse_bytes(&self.events())
    }

    fn final_usage(&self) -> Value {
        let mut usage = json!({"output_tokens": self.output_tokens});
        if self.web_search_requests > 0 {
            usage["server_tool_use"] = json!({"web_search_requests": self.web_search_requests});
        }
        usage
    }

    fn message_start(&self) -> SseEvent {
        SseEvent::typed(
            "message_start",
            json!({"message": {
                "id": self.id,
                "type": "message",
                "role": "assistant",
                "model": self.model,
                "content": [],
                "stop_reason": null,
                "stop_sequence": null,
                "usage": {
                    "input_tokens": self.input_tokens,
                    "cache_creation_input_tokens": self.cache_creation_tokens,
                    "cache_read_input_tokens": self.cache_read_tokens,
                    "output_tokens": 1,
                },
            }}),
        )
    }
}

fn block_events(index: usize, block: &Block) -> Vec<SseEvent> {
    let (content_block, deltas): (Value, Vec<Value>) = match block {
        Block::Text(text) => (
            json!({"type": "text", "text": ""}),
            split_for_deltas(text)
                .into_iter()
                .map(|piece| json!({"type": "text_delta", "text": piece}))
                .collect(),
        ),
        Block::Thinking { text, signature } => {
            let mut deltas: Vec<Value> = split_for_deltas(text)
                .into_iter()
                .map(|piece| json!({"type": "thinking_delta", "thinking": piece}))
                .collect();
            deltas.push(json!({"type": "signature_delta", "signature": signature}));
            (json!({"type": "thinking", "thinking": "", "signature": ""}), deltas)
        }
        Block::ToolUse { id, name, input } => (
            json!({"type": "tool_use", "id": id, "name": name, "input": {}}),
            split_for_deltas(&input.to_string())
                .into_iter()
                .map(|piece| json!({"type": "input_json_delta", "partial_json": piece}))
                .collect(),
        ),
        Block::ServerToolUse { id, name, input } => (
            json!({"type": "server_tool_use", "id": id, "name": name, "input": {}}),
            split_for_deltas(&input.to_string())
                .into_iter()
                .map(|piece| json!({"type": "input_json_delta", "partial_json": piece}))
                .collect(),
        ),
        Block::Whole(block) => (block.clone(), Vec::new()),
        Block::CitedText { text, citations } => {
            let cited =
                citations.iter().map(|citation| json!({"type": "citations_delta", "citation": citation}));
            let pieces =
                split_for_deltas(text).into_iter().map(|piece| json!({"type": "text_delta", "text": piece}));
            (json!({"type": "text", "text": "", "citations": []}), cited.chain(pieces).collect())
        }
    };
    let mut events =
        vec![SseEvent::typed("content_block_start", json!({"index": index, "content_block": content_block}))];
    events.extend(
        deltas
            .into_iter()
            .map(|delta| SseEvent::typed("content_block_delta", json!({"index": index, "delta": delta}))),
    );
    events.push(SseEvent::typed("content_block_stop", json!({"index": index})));
    events
}

/// Splits `text` on character boundaries into up to [`DELTA_PIECES`] non-empty pieces (one empty piece for
/// empty text, so every block carries at least one delta).
fn split_for_deltas(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    let per_piece = chars.len().div_ceil(DELTA_PIECES);
    chars.chunks(per_piece).map(|piece| piece.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_split_into_three_deltas_that_rejoin() {
        let events = Turn::text_only("héllo, wörld!").events();
        let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            names,
            [
                "message_start",
                "ping",
                "content_block_start",
                "content_block_delta",
                "content_block_delta",
                "content_block_delta",
                "content_block_stop",
                "message_delta",
                "message_stop"
            ]
        );
        let joined: String = events[3..6].iter().map(|e| e.data["delta"]["text"].as_str().unwrap()).collect();
        assert_eq!(joined, "héllo, wörld!");
        assert_eq!(events[7].data["delta"]["stop_reason"], "end_turn");
    }

    #[test]
    fn tool_use_defaults_stop_reason_and_rejoins_input() {
        let input = json!({"command": "ls -la", "timeout": 5});
        let turn = Turn::new().thinking("hmm", "sig").tool_use("toolu_1", "Bash", input.clone());
        let events = turn.events();
        assert_eq!(events[2].data["content_block"]["type"], "thinking");
        let signature = events.iter().find(|e| e.data["delta"]["type"] == "signature_delta").unwrap();
        assert_eq!(signature.data["delta"]["signature"], "sig");
        let partial: String = events
            .iter()
            .filter(|e| e.data["delta"]["type"] == "input_json_delta")
            .map(|e| e.data["delta"]["partial_json"].as_str().unwrap())
            .collect();
        assert_eq!(serde_json::from_str::<Value>(&partial).unwrap(), input);
        assert_eq!(turn.effective_stop_reason(), "tool_use");
        assert_eq!(events[events.len() - 2].data["delta"]["stop_reason"], "tool_use");
    }

    #[test]
    fn message_start_carries_usage_and_model() {
        let turn = Turn::text_only("x").usage(100, 42).cache_tokens(7, 9).model("claude-opus-4-1");
        let start = &turn.events()[0].data["message"];
        assert_eq!(start["model"], "claude-opus-4-1");
        assert_eq!(start["usage"]["input_tokens"], 100);
        assert_eq!(start["usage"]["cache_creation_input_tokens"], 7);
        assert_eq!(start["usage"]["cache_read_input_tokens"], 9);
        assert_eq!(start["usage"]["output_tokens"], 1);
        let events = turn.events();
        assert_eq!(events[events.len() - 2].data["usage"]["output_tokens"], 42);
        assert_eq!(events[events.len() - 1].data, json!({"type": "message_stop"}));
    }

    #[test]
    fn event_bytes_have_the_sse_shape() {
        let event = SseEvent::error("overloaded_error", "Overloaded");
        let text = String::from_utf8(event.to_bytes()).unwrap();
        let data = text.strip_prefix("event: error\ndata: ").unwrap().strip_suffix("\n\n").unwrap();
        assert!(!data.contains('\n'), "data must be one line: {data}");
        assert_eq!(
            serde_json::from_str::<Value>(data).unwrap(),
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
        );
    }
}
