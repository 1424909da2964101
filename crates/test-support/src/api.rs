//! [`MockApi`], a scripted Anthropic Messages API: each `POST /v1/messages` takes the next queued [`Reply`].

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::server::{Respond, Server};
use crate::sse::{SseEvent, Turn, sse_bytes};
use crate::wire::{CapturedRequest, Cut, Framing, Response};

/// What the mock answers to one `POST /v1/messages`.
///
/// Streamed replies use `Transfer-Encoding: chunked` like the real API, so a reply cut short by
/// [`Reply::disconnect_after`] is an incomplete message to the client, not a clean end of stream.
#[derive(Debug, Clone)]
pub struct Reply {
    response: Response,
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
        Reply { response }
    }

    /// A non-streamed JSON reply with any status.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply { response: Response::json(status, &body) }
    }

    /// An error in the API's format: `{"type":"error","error":{"type":error_type,"message":message}}`.
    pub fn error(status: u16, error_type: &str, message: &str) -> Reply {
        Reply::json(status, error_body(error_type, message))
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

    /// The body bytes this reply carries (before any cut).
    pub fn body(&self) -> &[u8] {
        &self.response.body
    }
}

fn error_body(error_type: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": error_type, "message": message}})
}

/// A scripted Messages API server on 127.0.0.1, served from its own thread; dropping it shuts it down.
///
/// Point the client at [`MockApi::url`] (as `ANTHROPIC_BASE_URL`); each `POST /v1/messages` (query string
/// ignored) is answered with the next [`Reply`] pushed, first in first out. With nothing queued it answers
/// `500` with a message saying "mock script exhausted", so a test that makes an unplanned call fails visibly.
/// Like the real API, a request whose `tool_use` and `tool_result` blocks do not pair up (an unanswered call,
/// or a result for no call) gets `400 invalid_request_error` naming the id, without using a queued reply.
/// Any other path gets a `404 not_found_error`. Connections are kept alive between requests.
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

    /// Queues `reply` for the next `POST /v1/messages` that has no reply yet.
    pub fn push(&self, reply: Reply) {
        self.script.replies.lock().expect("mock script poisoned by a panicking test thread").push_back(reply);
    }

    /// How many pushed replies have not been served yet.
    pub fn pending(&self) -> usize {
        self.script.replies.lock().expect("mock script poisoned by a panicking test thread").len()
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
}

impl Respond for Script {
    fn respond(&self, request: &CapturedRequest) -> Response {
        if request.method != "POST" || request.path_only() != "/v1/messages" {
            let message = format!("the mock API has no route for {} {}", request.method, request.path);
            return Response::json(404, &error_body("not_found_error", &message));
        }
        // Checked before taking a reply, so a rejected request does not shift the rest of the script.
        if let Some(problem) = crate::pairing::unpaired_tool_blocks(&request.body) {
            return Response::json(400, &error_body("invalid_request_error", &problem));
        }
        let next = self.replies.lock().expect("mock script poisoned by a panicking test thread").pop_front();
        match next {
            Some(reply) => reply.response,
            None => Response::json(
                500,
                &error_body("api_error", "mock script exhausted: no reply was pushed for this request"),
            ),
        }
    }
}
