//! The LiteLLM proxy (a real OpenAI-compatible server, installed from PyPI) in front of the scripted Messages
//! API: OpenAI Chat Completions requests in, Anthropic requests to the mock, translated streams back.
//!
//! What LiteLLM 1.108.3 does, observed here; a Claurst OpenAI client must tolerate all of it:
//! - Streams are `data: {json}` lines separated by blank lines, no `event:` names, ending in `data: [DONE]`.
//! - Every chunk has `object: "chat.completion.chunk"`, one `id` of the form `chatcmpl-<uuid>` (not the
//!   Anthropic message id), and `model` set to the name the client asked for (`scripted-claude`).
//! - The first chunk carries `delta.role: "assistant"` together with the first text; text arrives as the
//!   upstream deltas arrived (one chunk per Anthropic `text_delta`).
//! - A tool call opens with a chunk holding `id` (the Anthropic `toolu_…` id, passed through unchanged),
//!   `function.name`, `function.arguments: ""`, `type: "function"` and `index` — and a `content: ""` beside
//!   `tool_calls`. The arguments follow in fragments, one per Anthropic `input_json_delta`, in chunks with
//!   `index` and `type` but no `id` or `name`. The `index` counts tool calls (0 for the first), not Anthropic
//!   content blocks (the text before it was block 0).
//! - `finish_reason` (`"tool_calls"` for `tool_use`, `"stop"` for `end_turn`) comes alone in a chunk with an
//!   empty `delta`, before the usage chunk.
//! - With `stream_options.include_usage`, usage comes in its own last chunk, whose `choices` is NOT empty (as
//!   OpenAI's is) but `[{"index": 0, "delta": {}}]`; it holds `prompt_tokens`, `completion_tokens`,
//!   `total_tokens`, detail objects, a `cost`, and Anthropic's `cache_creation_input_tokens` /
//!   `cache_read_input_tokens`.
//! - Upstream, LiteLLM sends `x-api-key` and `anthropic-version: 2023-06-01`, drops the `anthropic/` prefix
//!   from the model, moves `system` messages to a top-level `system` array of text blocks, turns string
//!   contents into text blocks, sends tools as `{name, description, input_schema, type: "custom"}`, sets
//!   `max_tokens` to the model's maximum (64000) when the client gave none, merges an assistant message's text
//!   and `tool_calls` into one message of `text` + `tool_use` blocks (arguments parsed into `input`), and turns
//!   a `role: "tool"` message into a user message holding a `tool_result` block with the `tool_call_id` as
//!   `tool_use_id` and the content as a string. When a request has `tool_calls` in its history but no
//!   `tools`, LiteLLM adds a tool named `dummy_tool` so that Anthropic accepts the `tool_use` blocks.
//! - An upstream error before the stream starts comes back as a plain JSON response (not SSE) with the
//!   upstream's HTTP status and `{"error": {"message", "type", "param", "code"}}`: `code` is the status as a
//!   string, `type` is LiteLLM's own (`throttling_error` for a 429, `internal_server_error` for a 500,
//!   `invalid_request_error` for a 400), and `message` embeds the upstream's error body. With the retries
//!   this harness turns off, each client request is exactly one upstream request.

use claurst_test_support::litellm::{LiteLlmProxy, UPSTREAM_API_KEY};
use claurst_test_support::{MockApi, Reply, Turn};
use serde_json::{Value, json};

use crate::client;

/// One streamed Chat Completions answer, taken apart.
struct ChatStream {
    chunks: Vec<Value>,
    ended_with_done: bool,
}

impl ChatStream {
    fn text(&self) -> String {
        self.chunks.iter().filter_map(|c| c["choices"][0]["delta"]["content"].as_str()).collect()
    }

    /// Every `tool_calls` entry of every delta, in order.
    fn tool_call_deltas(&self) -> Vec<Value> {
        self.chunks
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["tool_calls"].as_array())
            .flatten()
            .cloned()
            .collect()
    }

    fn finish_reason(&self) -> Option<&str> {
        self.chunks.iter().find_map(|c| c["choices"][0]["finish_reason"].as_str())
    }

    fn usage_chunks(&self) -> Vec<&Value> {
        self.chunks.iter().filter(|c| c["usage"].is_object()).collect()
    }
}

/// POSTs `body` to the proxy's Chat Completions endpoint with its key.
async fn post_chat(proxy: &LiteLlmProxy, body: Value) -> reqwest::Response {
    client()
        .post(format!("{}/chat/completions", proxy.url()))
        .bearer_auth(proxy.api_key())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST to the LiteLLM proxy failed: {e}\nproxy log:\n{}", proxy.log()))
}

async fn stream_chat(proxy: &LiteLlmProxy, body: Value) -> ChatStream {
    let response = post_chat(proxy, body).await;
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().expect("content-type is ASCII").to_owned());
    let text = response.text().await.expect("the proxy's stream should arrive whole");
    assert_eq!(status, 200, "the proxy answered {status}: {text}\nproxy log:\n{}", proxy.log());
    assert!(content_type.as_deref().is_some_and(|t| t.starts_with("text/event-stream")), "{content_type:?}");
    parse_sse(&text)
}

fn parse_sse(text: &str) -> ChatStream {
    let mut stream = ChatStream { chunks: Vec::new(), ended_with_done: false };
    for line in text.lines().filter(|l| !l.is_empty()) {
        let data = line.strip_prefix("data: ").unwrap_or_else(|| panic!("not an SSE data line: {line:?}"));
        assert!(!stream.ended_with_done, "data after [DONE]: {data}");
        if data == "[DONE]" {
            stream.ended_with_done = true;
        } else {
            stream.chunks.push(serde_json::from_str(data).unwrap_or_else(|e| panic!("{e}: {data}")));
        }
    }
    stream
}

fn read_tool() -> Value {
    json!({"type": "function", "function": {
        "name": "Read",
        "description": "Read a file",
        "parameters": {
            "type": "object",
            "properties": {"file_path": {"type": "string"}, "limit": {"type": "integer"}},
            "required": ["file_path"],
        },
    }})
}

#[tokio::test]
async fn text_streams_back_as_chunks_with_usage_in_the_last_one_when_asked() {
    let api = MockApi::start();
    let proxy = LiteLlmProxy::start(&api);
    api.push(Reply::stream(Turn::text_only("Hello from the scripted model.").usage(30, 12)));
    api.push(Reply::stream(Turn::text_only("Again.")));

    let with_usage = stream_chat(
        &proxy,
        json!({
            "model": proxy.model(),
            "stream": true,
            "stream_options": {"include_usage": true},
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        }),
    )
    .await;

    assert!(
        with_usage.chunks.iter().all(|c| c["object"] == "chat.completion.chunk"),
        "{:?}",
        with_usage.chunks
    );
    assert!(with_usage.chunks.len() > 2, "the text should arrive in several chunks: {:?}", with_usage.chunks);
    assert_eq!(with_usage.chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert_eq!(with_usage.text(), "Hello from the scripted model.");
    assert_eq!(with_usage.finish_reason(), Some("stop"));
    assert!(with_usage.ended_with_done);
    let last = with_usage.chunks.last().unwrap();
    assert_eq!(with_usage.usage_chunks(), [last], "usage comes once, in the final chunk");
    assert_eq!(last["usage"]["prompt_tokens"], 30);
    assert_eq!(last["usage"]["completion_tokens"], 12);
    assert_eq!(last["usage"]["total_tokens"], 42);

    let upstream = &api.requests()[0];
    assert_eq!(upstream.path_only(), "/v1/messages");
    assert_eq!(upstream.header("x-api-key"), Some(UPSTREAM_API_KEY));
    assert_eq!(upstream.body["model"], "claude-sonnet-4-5");
    assert_eq!(upstream.body["stream"], true);
    assert_eq!(upstream.body["system"], json!([{"type": "text", "text": "Be brief."}]));
    assert_eq!(
        upstream.body["messages"],
        json!([{"role": "user", "content": [{"type": "text", "text": "Hi"}]}])
    );

    let without_usage = stream_chat(
        &proxy,
        json!({"model": proxy.model(), "stream": true, "messages": [{"role": "user", "content": "Hi"}]}),
    )
    .await;
    assert_eq!(without_usage.text(), "Again.");
    assert!(without_usage.ended_with_done);
    assert!(without_usage.usage_chunks().is_empty(), "usage only when asked: {:?}", without_usage.chunks);
}

#[tokio::test]
async fn a_tool_call_round_trips_as_tool_calls_and_a_paired_tool_result() {
    let api = MockApi::start();
    let proxy = LiteLlmProxy::start(&api);
    let arguments = json!({"file_path": "/tmp/a.rs", "limit": 20});
    api.push(Reply::stream(Turn::new().text("Let me look.").tool_use(
        "toolu_01A",
        "Read",
        arguments.clone(),
    )));
    api.push(Reply::stream(Turn::text_only("The file has 3 lines.")));
    let question = json!({"role": "user", "content": "Read a.rs"});

    let first = stream_chat(
        &proxy,
        json!({"model": proxy.model(), "stream": true, "messages": [question], "tools": [read_tool()]}),
    )
    .await;

    assert_eq!(first.text(), "Let me look.");
    assert_eq!(first.finish_reason(), Some("tool_calls"));
    let deltas = first.tool_call_deltas();
    assert!(deltas.len() > 2, "the arguments should arrive in fragments: {deltas:?}");
    assert!(deltas.iter().all(|d| d["index"] == 0), "{deltas:?}");
    assert_eq!(deltas[0]["function"]["name"], "Read");
    let call_id = deltas[0]["id"].as_str().expect("the first tool-call delta carries the id").to_owned();
    assert_eq!(call_id, "toolu_01A", "LiteLLM passes the Anthropic id through");
    assert!(
        deltas[1..].iter().all(|d| d.get("id").is_none()),
        "only the first fragment has an id: {deltas:?}"
    );
    let joined: String = deltas.iter().filter_map(|d| d["function"]["arguments"].as_str()).collect();
    assert_eq!(serde_json::from_str::<Value>(&joined).unwrap(), arguments);

    let second = stream_chat(
        &proxy,
        json!({
            "model": proxy.model(),
            "stream": true,
            "tools": [read_tool()],
            "messages": [
                question,
                {"role": "assistant", "content": "Let me look.", "tool_calls": [{
                    "id": call_id,
                    "type": "function",
                    "function": {"name": "Read", "arguments": joined},
                }]},
                {"role": "tool", "tool_call_id": call_id, "content": "1\n2\n3"},
            ],
        }),
    )
    .await;

    assert_eq!(second.text(), "The file has 3 lines.");
    assert_eq!(second.finish_reason(), Some("stop"));
    // The mock rejects unpaired tool_use / tool_result blocks with a 400, so reaching here already proves the
    // pairing; the exact translation is checked too, since the Claurst client relies on it.
    let upstream = &api.requests()[1];
    assert_eq!(
        upstream.body["messages"],
        json!([
            {"role": "user", "content": [{"type": "text", "text": "Read a.rs"}]},
            {"role": "assistant", "content": [
                {"type": "text", "text": "Let me look."},
                {"type": "tool_use", "id": "toolu_01A", "name": "Read", "input": arguments},
            ]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A", "content": "1\n2\n3"}]},
        ])
    );
    assert_eq!(upstream.body["tools"][0]["name"], "Read");
    assert_eq!(upstream.body["tools"][0]["input_schema"], read_tool()["function"]["parameters"]);
    assert_eq!(api.pending(), 0);
}

/// Sends one request and returns the HTTP status and the JSON error body.
async fn post_for_error(proxy: &LiteLlmProxy, body: Value) -> (u16, Value) {
    let response = post_chat(proxy, body).await;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("the proxy's error body should arrive whole");
    (status, serde_json::from_slice(&bytes).expect("the proxy's error body should be JSON"))
}

#[tokio::test]
async fn upstream_errors_come_back_with_their_status_and_are_not_retried() {
    let api = MockApi::start();
    let proxy = LiteLlmProxy::start(&api);
    api.push(Reply::rate_limited());
    let hi = json!({"role": "user", "content": "Hi"});

    let (status, body) =
        post_for_error(&proxy, json!({"model": proxy.model(), "stream": true, "messages": [hi]})).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["type"], "throttling_error", "{body}");
    assert_eq!(body["error"]["code"], "429", "{body}");

    // An unanswered tool call: the mock rejects it as the real API would, and the proxy passes the 400 on.
    let unanswered = json!({"role": "assistant", "tool_calls": [{
        "id": "call_1", "type": "function", "function": {"name": "Read", "arguments": "{}"},
    }]});
    let (status, body) =
        post_for_error(&proxy, json!({"model": proxy.model(), "stream": true, "messages": [hi, unanswered]}))
            .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("call_1")), "{body}");

    assert_eq!(api.requests().len(), 2, "one upstream request per client request: no retries");
    // Without `tools` in the request, LiteLLM invents one so that Anthropic accepts the `tool_use` block.
    assert_eq!(api.requests()[1].body["tools"][0]["name"], "dummy_tool");
}
