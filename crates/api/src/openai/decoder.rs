//! Chat Completions stream chunks assembled into deltas and a whole message.
//!
//! Servers that copy the API differ in the details, so the decoder is tolerant: tool calls are assembled by
//! `index` (arguments in fragments or whole, several calls interleaved, ids and names only in the first
//! fragment or missing), empty deltas and chunks without choices are skipped, and a stream that ends after
//! a `finish_reason` without `[DONE]` is complete.

use crate::assembler::{Delta, ModelResponse};
use crate::client::StreamDecoder;
use crate::error::ApiError;
use crate::sse::{SseDecoder, SseEvent};
use claurst_protocol::{ContentBlock, Message, Role, StopReason, Usage};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

// The chunk's shape, read into borrowed, typed fields: a chunk repeats its id, model and envelope each time,
// and skipping what Claurst does not need (rather than building a JSON tree of it) keeps decoding a Chat
// Completions stream as cheap as decoding the same Messages API stream.

#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    choices: Option<Vec<Choice<'a>>>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice<'a> {
    #[serde(default, borrow)]
    delta: Option<ChunkDelta<'a>>,
    #[serde(default, borrow)]
    finish_reason: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct ChunkDelta<'a> {
    #[serde(default, borrow)]
    content: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    reasoning_content: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    reasoning: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    tool_calls: Option<Vec<CallFragment<'a>>>,
}

#[derive(Deserialize)]
struct CallFragment<'a> {
    #[serde(default)]
    index: Option<u64>,
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    function: Option<FunctionFragment<'a>>,
}

#[derive(Deserialize)]
struct FunctionFragment<'a> {
    #[serde(default, borrow)]
    name: Option<Cow<'a, str>>,
    /// JSON text in fragments; some servers send an object instead.
    #[serde(default)]
    arguments: Option<Value>,
}

/// A tool call under construction.
#[derive(Debug, Default)]
struct PartialCall {
    id: String,
    name: String,
    arguments: String,
    /// Whether `ToolUseStarted` has been emitted (once the name is known).
    announced: bool,
}

/// Decodes one attempt's Chat Completions stream.
#[derive(Debug, Default)]
pub(crate) struct ChatDecoder {
    sse: SseDecoder,
    events: Vec<SseEvent>,
    id: String,
    model: String,
    thinking: String,
    text: String,
    /// Tool calls by the index the server gave them.
    calls: BTreeMap<u64, PartialCall>,
    /// The index of the call that fragments without an index belong to.
    last_index: Option<u64>,
    finish_reason: Option<String>,
    usage: Usage,
    done: bool,
}

impl StreamDecoder for ChatDecoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<Delta>) -> Result<(), ApiError> {
        let mut events = std::mem::take(&mut self.events);
        events.clear();
        self.sse.feed(bytes, &mut events);
        let result = events.iter().try_for_each(|event| self.apply(&event.data, out));
        self.events = events;
        result
    }

    fn is_complete(&self) -> bool {
        self.done
    }

    fn complete_without_end_marker(&self) -> bool {
        self.finish_reason.is_some()
    }

    fn finish(self: Box<Self>) -> ModelResponse {
        let mut content = Vec::new();
        if !self.thinking.is_empty() {
            // Chat Completions reasoning has no signature; it is never sent back.
            content.push(ContentBlock::Thinking { thinking: self.thinking, signature: String::new() });
        }
        if !self.text.is_empty() {
            content.push(ContentBlock::text(self.text));
        }
        let has_calls = !self.calls.is_empty();
        content.extend(self.calls.into_iter().map(|(index, call)| ContentBlock::ToolUse {
            id: if call.id.is_empty() { generated_id(index) } else { call.id },
            name: call.name,
            input: parse_arguments(&call.arguments),
        }));
        ModelResponse {
            message: Message { role: Role::Assistant, content },
            stop_reason: self.finish_reason.map(|reason| stop_reason(&reason, has_calls)),
            usage: self.usage,
            model: self.model,
            id: self.id,
            stop_sequence: None,
        }
    }
}

impl ChatDecoder {
    /// Apply one SSE event's data.
    fn apply(&mut self, data: &str, out: &mut Vec<Delta>) -> Result<(), ApiError> {
        if self.done {
            return Ok(());
        }
        if data.trim() == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        let chunk: Chunk<'_> = serde_json::from_str(data)
            .map_err(|error| ApiError::Decode(format!("stream chunk is not JSON ({error}): {data}")))?;
        if let Some(error) = chunk.error.filter(|error| !error.is_null()) {
            return Err(stream_error(&error));
        }
        // Every chunk repeats the model: copy it only when it changes, not once per chunk.
        if let Some(id) = chunk.id.filter(|id| !id.is_empty() && **id != *self.id) {
            self.id = id.into_owned();
        }
        if let Some(model) = chunk.model.filter(|model| !model.is_empty() && **model != *self.model) {
            self.model = model.into_owned();
        }
        if let Some(usage) = chunk.usage.filter(Value::is_object) {
            self.usage = read_usage(&usage);
        }
        let Some(choice) = chunk.choices.and_then(|choices| choices.into_iter().next()) else {
            return Ok(());
        };
        if let Some(delta) = choice.delta {
            self.apply_delta(delta, out);
        }
        if let Some(reason) = choice.finish_reason {
            self.finish_reason = Some(reason.into_owned());
        }
        Ok(())
    }

    fn apply_delta(&mut self, delta: ChunkDelta<'_>, out: &mut Vec<Delta>) {
        let thinking = delta.reasoning_content.filter(|text| !text.is_empty());
        if let Some(thinking) = thinking.or(delta.reasoning).filter(|text| !text.is_empty()) {
            self.thinking.push_str(&thinking);
            out.push(Delta::Thinking(thinking.into_owned()));
        }
        if let Some(text) = delta.content.filter(|text| !text.is_empty()) {
            self.text.push_str(&text);
            out.push(Delta::Text(text.into_owned()));
        }
        for fragment in delta.tool_calls.into_iter().flatten() {
            self.apply_call_fragment(fragment, out);
        }
    }

    /// Add one fragment of a tool call. A fragment without an index continues the last call unless it
    /// brings a new id or a name, which starts the next one.
    fn apply_call_fragment(&mut self, fragment: CallFragment<'_>, out: &mut Vec<Delta>) {
        let id = fragment.id.filter(|id| !id.is_empty());
        let (name, arguments) = match fragment.function {
            Some(function) => (function.name.filter(|name| !name.is_empty()), function.arguments),
            None => (None, None),
        };
        let index = fragment.index.unwrap_or_else(|| {
            let continues = self
                .last_index
                .and_then(|last| self.calls.get(&last))
                .is_some_and(|call| name.is_none() && id.as_deref().is_none_or(|id| id == call.id));
            match self.last_index {
                Some(last) if continues => last,
                _ => self.calls.keys().next_back().map_or(0, |last| last + 1),
            }
        });
        self.last_index = Some(index);
        let call = self.calls.entry(index).or_default();
        // Some servers repeat the id and name in every fragment: the first ones stand.
        if let (true, Some(id)) = (call.id.is_empty(), id) {
            call.id = id.into_owned();
        }
        if let (true, Some(name)) = (call.name.is_empty(), name) {
            call.name = name.into_owned();
        }
        match arguments {
            Some(Value::String(piece)) => call.arguments.push_str(&piece),
            // Some servers send the arguments as an object rather than JSON text.
            Some(object @ Value::Object(_)) => call.arguments.push_str(&object.to_string()),
            _ => {}
        }
        if !call.announced && !call.name.is_empty() {
            call.announced = true;
            let id = if call.id.is_empty() { generated_id(index) } else { call.id.clone() };
            out.push(Delta::ToolUseStarted { id, name: call.name.clone() });
        }
    }
}

/// The id of a tool call the server sent without one.
fn generated_id(index: u64) -> String {
    format!("call_{index}")
}

/// Tool arguments as the tool input. Arguments that are not a JSON object are kept as the raw text in a JSON
/// string, the same form a cut-off Anthropic tool input takes: the tool then answers the model with an error
/// asking for a complete input object, and the stream goes on.
fn parse_arguments(arguments: &str) -> Value {
    if arguments.trim().is_empty() {
        return Value::Object(Default::default());
    }
    match serde_json::from_str::<Value>(arguments) {
        Ok(object @ Value::Object(_)) => object,
        _ => Value::String(arguments.to_string()),
    }
}

/// A finish reason as a stop reason. Some servers say `stop` even when the message calls tools; the calls
/// decide.
fn stop_reason(reason: &str, has_calls: bool) -> StopReason {
    match reason {
        "tool_calls" | "function_call" => StopReason::ToolUse,
        "stop" if has_calls => StopReason::ToolUse,
        "stop" => StopReason::EndTurn,
        "length" => StopReason::MaxTokens,
        "content_filter" => StopReason::Refusal,
        other => StopReason::Other(other.to_string()),
    }
}

/// Chat Completions counts cached prompt tokens inside `prompt_tokens`; Claurst counts them apart.
fn read_usage(usage: &Value) -> Usage {
    let read = |pointer: &str| usage.pointer(pointer).and_then(Value::as_u64).unwrap_or(0);
    let cached = read("/prompt_tokens_details/cached_tokens");
    Usage {
        input_tokens: read("/prompt_tokens").saturating_sub(cached),
        output_tokens: read("/completion_tokens"),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: cached,
        ..Usage::default()
    }
}

/// An `error` object in the stream.
fn stream_error(error: &Value) -> ApiError {
    let message = error.get("message").and_then(Value::as_str).unwrap_or("unknown error").to_string();
    ApiError::StreamError { kind: crate::client::error_kind(error), message }
}
