//! [`MockApi`], a scripted model API: each `POST /v1/messages` (Anthropic Messages) or
//! `POST /v1/chat/completions` (OpenAI Chat Completions) takes the next queued [`Reply`], rendered in the
//! wire format of the request.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::chat::{ChatStyle, DoneMarker, chat_error_body, chat_sse_bytes};
use crate::server::{Respond, Server};
use crate::sse::{DEFAULT_MODEL, SseEvent, Turn, sse_bytes};
use crate::wire::{CapturedRequest, Cut, Framing, Response, WireFormat};

/// What the mock answers to one `POST /v1/messages`.
///
/// Streamed replies use `Transfer-Encoding: chunked` like the real API, so a reply cut short by
/// [`Reply::disconnect_after`] is an incomplete message to the client, not a clean end of stream.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The reply as the Messages API sends it; its pacing and faults apply in either format.
    response: Response,
    /// What the reply says, to render it for a Chat Completions request.
    source: Source,
    chat: ChatStyle,
}

/// What a reply was scripted from.
#[derive(Debug, Clone)]
enum Source {
    Events(Vec<SseEvent>),
    Error {
        error_type: String,
        message: String,
    },
    /// A raw JSON body, sent as is in either format.
    Json,
}

impl Reply {
    /// A `200 text/event-stream` reply carrying the whole turn.
    pub fn stream(turn: Turn) -> Reply {
        Reply::events(turn.events())
    }

    /// A `200 text/event-stream` reply carrying exactly these events, e.g. a turn's first events and then
    /// [`SseEvent::error`].
    pub fn events(events: Vec<SseEvent>) -> Reply {
        let mut response = Response::new(200, "text/event-stream", sse_bytes(&events), Framing::Chunked);
        response.headers.push(("cache-control".to_owned(), "no-cache".to_owned()));
        Reply { response, source: Source::Events(events), chat: ChatStyle::default() }
    }

    /// A non-streamed JSON reply with any status, the same in either format.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply { response: Response::json(status, &body), source: Source::Json, chat: ChatStyle::default() }
    }

    /// An error in the API's format: `{"type":"error","error":{"type":error_type,"message":message}}`, or
    /// OpenAI's `{"error":{"message","type","code"}}` when a Chat Completions request takes it.
    pub fn error(status: u16, error_type: &str, message: &str) -> Reply {
        Reply {
            response: Response::json(status, &error_body(error_type, message)),
            source: Source::Error { error_type: error_type.to_owned(), message: message.to_owned() },
            chat: ChatStyle::default(),
        }
    }

    /// In Chat Completions format, splits each tool call's arguments into fragments of `n_chars` characters
    /// (1: every character its own chunk). The Messages rendering is unchanged.
    pub fn tool_arguments_every(mut self, n_chars: usize) -> Reply {
        assert!(n_chars > 0, "tool_arguments_every needs a fragment of at least one character");
        self.chat.argument_fragment_len = Some(n_chars);
        self
    }

    /// In Chat Completions format, ends the stream without `data: [DONE]`, as some servers do.
    pub fn without_done_marker(mut self) -> Reply {
        self.chat.done_marker = DoneMarker::Omitted;
        self
    }

    /// `429 rate_limit_error`.
    pub fn rate_limited() -> Reply {
        Reply::error(429, "rate_limit_error", "Number of request tokens has exceeded your rate limit")
    }

    /// `529 overloaded_error`.
    pub fn overloaded() -> Reply {
        Reply::error(529, "overloaded_error", "Overloaded")
    }

    /// Adds a `retry-after` header (whole seconds).
    pub fn retry_after(self, secs: u64) -> Reply {
        self.header("retry-after", &secs.to_string())
    }

    /// Adds any response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.response.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Writes the body in pieces of `n_bytes` (each its own HTTP chunk for a stream), flushing each.
    pub fn chunked_every(mut self, n_bytes: usize) -> Reply {
        assert!(n_bytes > 0, "chunked_every needs a piece size of at least one byte");
        self.response.piece_len = Some(n_bytes);
        self
    }

    /// Sleeps this long between body pieces (only meaningful with [`Reply::chunked_every`]).
    pub fn delay_between_chunks(mut self, delay: Duration) -> Reply {
        self.response.delay_between_pieces = delay;
        self
    }

    /// Sleeps this long after reading the request and before sending the status line.
    pub fn delay_before_headers(mut self, delay: Duration) -> Reply {
        self.response.delay_before_headers = delay;
        self
    }

    /// Reads the request and then sends nothing at all, not even the status line, holding the connection open
    /// until the client goes away or the mock is dropped: a server that accepted the call and hung.
    pub fn never_answer(self) -> Reply {
        self.delay_before_headers(Duration::from_secs(24 * 60 * 60))
    }

    /// Sends only the first `n_bytes` of the body, then closes the socket: a dropped connection.
    pub fn disconnect_after(mut self, n_bytes: usize) -> Reply {
        self.response.cut = Some(Cut::Disconnect(n_bytes));
        self
    }

    /// Sends only the first `n_bytes` of the body, then nothing more, holding the socket open until the client
    /// goes away or the mock is dropped: for idle-timeout tests.
    pub fn stall_after(mut self, n_bytes: usize) -> Reply {
        self.response.cut = Some(Cut::Stall(n_bytes));
        self
    }

    /// The body bytes this reply carries (before any cut) in Messages API format.
    pub fn body(&self) -> &[u8] {
        &self.response.body
    }

    /// The body bytes this reply carries (before any cut) in Chat Completions format.
    pub fn chat_body(&self) -> Vec<u8> {
        self.for_chat().body
    }

    /// The response for a Chat Completions request: the same status, headers, pacing and faults, the body
    /// rendered in that format.
    fn for_chat(&self) -> Response {
        let mut response = self.response.clone();
        match &self.source {
            Source::Events(events) => response.body = chat_sse_bytes(events, self.chat),
            Source::Error { error_type, message } => {
                response.body = chat_error_body(error_type, message).to_string().into_bytes()
            }
            Source::Json => {}
        }
        response
    }
}

fn error_body(error_type: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": error_type, "message": message}})
}

/// A scripted model API server on 127.0.0.1, served from its own thread; dropping it shuts it down.
///
/// It speaks two wire formats on the same port, deciding by path:
/// - Anthropic Messages: point the client at [`MockApi::url`] (as `ANTHROPIC_BASE_URL`); `POST /v1/messages`.
/// - OpenAI Chat Completions: point the client at [`MockApi::openai_url`] (`{url}/v1`) or at the bare
///   [`MockApi::url`]; `POST /v1/chat/completions` and `POST /chat/completions`.
///
/// Each request (query string ignored) is answered with the next [`Reply`] pushed, first in first out,
/// rendered in the request's format. With nothing queued it answers `500` with a message saying "mock script
/// exhausted", so a test that makes an unplanned call fails visibly. Like the real APIs, a request whose tool
/// calls and results do not pair up gets `400 invalid_request_error` naming the id, without using a queued
/// reply. `GET /v1/models` and `GET /models` list [`MockApi::set_models`] (by default [`DEFAULT_MODEL`]).
/// Any other path gets a `404`. Connections are kept alive between requests.
pub struct MockApi {
    script: Arc<Script>,
    server: Server,
}

impl MockApi {
    pub fn start() -> MockApi {
        let script = Arc::new(Script::default());
        let server = Server::start("mock-api", Arc::clone(&script) as Arc<dyn Respond>);
        MockApi { script, server }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// `http://127.0.0.1:PORT/v1`: the base URL of an OpenAI-compatible provider.
    pub fn openai_url(&self) -> String {
        format!("{}/v1", self.server.url())
    }

    /// Queues `reply` for the next model request that has no reply yet.
    pub fn push(&self, reply: Reply) {
        self.script.replies.lock().expect("mock script poisoned by a panicking test thread").push_back(reply);
    }

    /// Queues `reply` for the next model request whose body contains `needle` (a sub-agent's system prompt,
    /// a word of its task), ahead of the general queue. Requests that run at the same time (parallel
    /// sub-agents) then each get their own script, whatever order they arrive in.
    pub fn push_for(&self, needle: &str, reply: Reply) {
        self.script
            .routed
            .lock()
            .expect("mock script poisoned by a panicking test thread")
            .push((needle.to_owned(), reply));
    }

    /// How many pushed replies (routed ones included) have not been served yet.
    pub fn pending(&self) -> usize {
        let routed =
            self.script.routed.lock().expect("mock script poisoned by a panicking test thread").len();
        routed + self.script.replies.lock().expect("mock script poisoned by a panicking test thread").len()
    }

    /// The model ids `GET /v1/models` lists.
    pub fn set_models(&self, models: &[&str]) {
        let models = models.iter().map(|model| (*model).to_owned()).collect();
        *self.script.models.lock().expect("mock script poisoned by a panicking test thread") = Some(models);
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.server.requests()
    }

    /// Blocks until at least `n` requests have arrived and returns them all; panics after `timeout`.
    ///
    /// This blocks the calling thread: from an async test, finish (or spawn) the client's work first.
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<CapturedRequest> {
        self.server.wait_for_requests(n, timeout)
    }
}

/// The queue of replies, shared between the test thread and the server thread.
#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    /// Replies for requests whose body contains the needle, in the order pushed.
    routed: Mutex<Vec<(String, Reply)>>,
    /// `None` lists [`DEFAULT_MODEL`] alone.
    models: Mutex<Option<Vec<String>>>,
}

impl Script {
    fn models(&self) -> Response {
        let models = self.models.lock().expect("mock script poisoned by a panicking test thread").clone();
        let models = models.unwrap_or_else(|| vec![DEFAULT_MODEL.to_owned()]);
        // One shape both APIs' clients read: `data[].id`, with each API's own type field.
        let data: Vec<Value> = models
            .iter()
            .map(|id| json!({"id": id, "type": "model", "object": "model", "display_name": id}))
            .collect();
        Response::json(200, &json!({"object": "list", "data": data, "has_more": false}))
    }
}

impl Script {
    /// The first routed reply whose needle the request body contains.
    fn routed_reply(&self, body: &str) -> Option<Reply> {
        let mut routed = self.routed.lock().expect("mock script poisoned by a panicking test thread");
        let index = routed.iter().position(|(needle, _)| body.contains(needle.as_str()))?;
        Some(routed.remove(index).1)
    }
}

impl Respond for Script {
    fn respond(&self, request: &CapturedRequest) -> Response {
        let wire = match (request.method.as_str(), request.wire_format()) {
            ("POST", Some(wire)) => wire,
            ("GET", _) if matches!(request.path_only(), "/v1/models" | "/models") => return self.models(),
            _ => {
                let message = format!("the mock API has no route for {} {}", request.method, request.path);
                return Response::json(404, &error_body("not_found_error", &message));
            }
        };
        let error = |status: u16, error_type: &str, message: &str| match wire {
            WireFormat::Messages => Response::json(status, &error_body(error_type, message)),
            WireFormat::ChatCompletions => Response::json(status, &chat_error_body(error_type, message)),
        };
        // Checked before taking a reply, so a rejected request does not shift the rest of the script.
        let unpaired = match wire {
            WireFormat::Messages => crate::pairing::unpaired_tool_blocks(&request.body),
            WireFormat::ChatCompletions => crate::pairing::unpaired_tool_calls(&request.body),
        };
        if let Some(problem) = unpaired {
            return error(400, "invalid_request_error", &problem);
        }
        let next = self.routed_reply(&request.raw_body).or_else(|| {
            self.replies.lock().expect("mock script poisoned by a panicking test thread").pop_front()
        });
        match (next, wire) {
            (Some(reply), WireFormat::Messages) => reply.response,
            (Some(reply), WireFormat::ChatCompletions) => reply.for_chat(),
            (None, _) => {
                error(500, "api_error", "mock script exhausted: no reply was pushed for this request")
            }
        }
    }
}
