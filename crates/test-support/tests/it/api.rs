use std::io::{Read, Write};
use std::time::{Duration, Instant};

use claurst_test_support::{MockApi, Reply, SseEvent, Turn, WireFormat};
use serde_json::{Value, json};

use crate::client;

async fn post_messages(api: &MockApi, body: serde_json::Value) -> reqwest::Response {
    client()
        .post(format!("{}/v1/messages", api.url()))
        .header("x-api-key", "sk-test")
        .header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("POST /v1/messages to the mock should get a response")
}

async fn json_body(response: reqwest::Response) -> serde_json::Value {
    let bytes = response.bytes().await.expect("the mock's body should arrive whole");
    serde_json::from_slice(&bytes).expect("the mock's body should be JSON")
}

/// Reads the body piece by piece until it ends or fails; returns the pieces and whether it failed.
async fn read_pieces(mut response: reqwest::Response) -> (Vec<Vec<u8>>, Option<reqwest::Error>) {
    let mut pieces = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(piece)) => pieces.push(piece.to_vec()),
            Ok(None) => return (pieces, None),
            Err(e) => return (pieces, Some(e)),
        }
    }
}

fn sample_turn() -> Turn {
    Turn::new()
        .thinking("Which file?", "sig-abc")
        .text("Reading it now.")
        .tool_use("toolu_01", "Read", json!({"file_path": "/tmp/a.rs", "limit": 20}))
        .usage(321, 54)
        .cache_tokens(11, 22)
}

#[tokio::test]
async fn a_streamed_turn_arrives_byte_for_byte() {
    let api = MockApi::start();
    let turn = sample_turn();
    api.push(Reply::stream(turn.clone()));

    let response = post_messages(&api, json!({"model": "m", "stream": true})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let body = response.bytes().await.unwrap();
    assert_eq!(body.as_ref(), turn.to_sse_bytes().as_slice());
}

#[tokio::test]
async fn chunking_and_delays_still_deliver_everything() {
    let api = MockApi::start();
    let turn = sample_turn();
    api.push(
        Reply::stream(turn.clone())
            .chunked_every(7)
            .delay_between_chunks(Duration::from_millis(1))
            .delay_before_headers(Duration::from_millis(80)),
    );

    let started = Instant::now();
    let response = post_messages(&api, json!({})).await;
    assert!(started.elapsed() >= Duration::from_millis(80), "headers came before the delay");
    let (pieces, error) = read_pieces(response).await;
    assert!(error.is_none(), "stream failed: {error:?}");
    assert!(pieces.len() > 10, "expected many small pieces, got {}", pieces.len());
    assert!(pieces.iter().all(|p| p.len() <= 7), "a piece was larger than the chunk size");
    assert_eq!(pieces.concat(), turn.to_sse_bytes());
}

#[tokio::test]
async fn disconnect_after_delivers_exactly_n_bytes_then_fails() {
    let api = MockApi::start();
    let turn = sample_turn();
    api.push(Reply::stream(turn.clone()).chunked_every(40).disconnect_after(100));

    let (pieces, error) = read_pieces(post_messages(&api, json!({})).await).await;
    assert_eq!(pieces.concat(), turn.to_sse_bytes()[..100]);
    let error = error.expect("a dropped connection must not look like a clean end of stream");
    // hyper sees the chunked body end without its terminating chunk.
    assert!(error.is_decode() || error.is_body(), "unexpected kind of failure: {error:?}");
}

#[tokio::test]
async fn one_client_keeps_working_across_replies_and_a_dropped_connection() {
    let api = MockApi::start();
    let first = Turn::text_only("first");
    let second = Turn::text_only("second");
    api.push(Reply::stream(first.clone()));
    api.push(Reply::stream(Turn::text_only("cut short")).disconnect_after(30));
    api.push(Reply::stream(second.clone()).chunked_every(5));

    let client = client();
    let post = || client.post(format!("{}/v1/messages", api.url())).body("{}").send();
    assert_eq!(post().await.unwrap().bytes().await.unwrap().as_ref(), first.to_sse_bytes().as_slice());
    let (_, error) = read_pieces(post().await.unwrap()).await;
    assert!(error.is_some(), "the second reply was cut and must fail");
    assert_eq!(post().await.unwrap().bytes().await.unwrap().as_ref(), second.to_sse_bytes().as_slice());
    assert_eq!(api.requests().len(), 3);
}

#[tokio::test]
async fn stall_after_sends_n_bytes_then_goes_quiet() {
    let api = MockApi::start();
    let turn = Turn::text_only("never finished");
    api.push(Reply::stream(turn.clone()).stall_after(50));

    let mut response = post_messages(&api, json!({})).await;
    let mut received = Vec::new();
    while received.len() < 50 {
        received.extend_from_slice(&response.chunk().await.unwrap().unwrap());
    }
    assert_eq!(received, turn.to_sse_bytes()[..50]);
    let next = tokio::time::timeout(Duration::from_millis(300), response.chunk()).await;
    assert!(next.is_err(), "a stalled stream sent more: {next:?}");

    // Dropping the mock with the stalled connection still open must not hang.
    let dropped_at = Instant::now();
    drop(api);
    assert!(dropped_at.elapsed() < Duration::from_secs(2));
    let after_shutdown = tokio::time::timeout(Duration::from_secs(2), response.chunk()).await.unwrap();
    assert!(!matches!(after_shutdown, Ok(Some(_))), "data after shutdown: {after_shutdown:?}");
}

#[tokio::test]
async fn an_error_event_can_follow_part_of_a_turn() {
    let api = MockApi::start();
    let mut events = Turn::text_only("partial answer").events()[..4].to_vec();
    events.push(SseEvent::error("overloaded_error", "Overloaded"));
    api.push(Reply::events(events.clone()));

    let body = post_messages(&api, json!({})).await.text().await.unwrap();
    assert!(body.ends_with("event: error\ndata: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\"},\"type\":\"error\"}\n\n"), "{body}");
    assert_eq!(body.matches("event: ").count(), 5);
}

#[tokio::test]
async fn rate_limits_carry_retry_after() {
    let api = MockApi::start();
    api.push(Reply::rate_limited().retry_after(7));
    api.push(Reply::overloaded());

    let limited = post_messages(&api, json!({})).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    let body = json_body(limited).await;
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "rate_limit_error");

    let overloaded = post_messages(&api, json!({})).await;
    assert_eq!(overloaded.status().as_u16(), 529);
    let body = json_body(overloaded).await;
    assert_eq!(body["error"]["type"], "overloaded_error");
}

#[tokio::test]
async fn requests_are_captured_with_json_bodies() {
    let api = MockApi::start();
    api.push(Reply::json(200, json!({"ok": true})));
    api.push(Reply::stream(Turn::text_only("hi")));

    let first = json!({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hello"}]});
    post_messages(&api, first.clone()).await.bytes().await.unwrap();
    client()
        .post(format!("{}/v1/messages?beta=true", api.url()))
        .body("not json")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/messages");
    assert_eq!(requests[0].header("X-Api-Key"), Some("sk-test"));
    assert_eq!(requests[0].header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(requests[0].body, first);
    assert_eq!(requests[0].raw_body, first.to_string());
    assert_eq!(requests[1].path, "/v1/messages?beta=true");
    assert_eq!(requests[1].body, serde_json::Value::Null);
    assert_eq!(requests[1].raw_body, "not json");
    assert_eq!(api.pending(), 0);
}

#[tokio::test]
async fn an_exhausted_script_answers_500() {
    let api = MockApi::start();
    let response = post_messages(&api, json!({})).await;
    assert_eq!(response.status(), 500);
    let body = json_body(response).await;
    assert_eq!(body["type"], "error");
    assert!(body["error"]["message"].as_str().unwrap().contains("mock script exhausted"), "{body}");
}

#[tokio::test]
async fn other_paths_are_not_found() {
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("kept for later")));
    let response = client().get(format!("{}/v1/complete", api.url())).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = client().get(format!("{}/v1/messages", api.url())).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(api.pending(), 1, "a request to another path must not consume the script");
}

/// A plain `#[test]` with no runtime of its own, speaking raw HTTP: a chunked request body and
/// `Connection: close`.
#[test]
fn a_raw_chunked_request_is_read_and_answered() {
    let api = MockApi::start();
    let turn = Turn::text_only("raw");
    api.push(Reply::stream(turn.clone()));

    let address = api.url().trim_start_matches("http://").to_owned();
    let mut socket = std::net::TcpStream::connect(address).unwrap();
    socket
        .write_all(
            b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
              7\r\n{\"a\": 1\r\n1;ext=1\r\n}\r\n0\r\n\r\n",
        )
        .unwrap();
    let mut response = Vec::new();
    socket.read_to_end(&mut response).unwrap();
    let response = String::from_utf8(response).unwrap();

    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("\r\ntransfer-encoding: chunked\r\n"), "{response}");
    assert!(response.contains("\r\nconnection: close\r\n"), "{response}");
    assert!(response.ends_with("\r\n0\r\n\r\n"), "{response}");
    let requests = api.wait_for_requests(1, Duration::from_secs(5));
    assert_eq!(requests[0].body, json!({"a": 1}));
}

#[test]
#[should_panic(expected = "waited")]
fn waiting_for_requests_that_never_come_panics() {
    let api = MockApi::start();
    api.wait_for_requests(1, Duration::from_millis(50));
}

/// POSTs a Chat Completions `body` to `url`.
async fn post_chat(url: &str, body: &Value) -> reqwest::Response {
    client().post(url).body(body.to_string()).send().await.expect("the mock should answer")
}

#[tokio::test]
async fn chat_completions_requests_get_the_same_script_as_chunks() {
    let api = MockApi::start();
    let turn = sample_turn();
    api.push(Reply::stream(turn.clone()));
    api.push(Reply::rate_limited().retry_after(3));
    let body = json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    let response = post_chat(&format!("{}/chat/completions", api.openai_url()), &body).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert_eq!(text.as_bytes(), Reply::stream(turn).chat_body());
    assert!(text.starts_with("data: {"), "{text}");
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");
    let limited = post_chat(&format!("{}/chat/completions", api.url()), &body).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "3");
    let error = json_body(limited).await;
    assert_eq!(error["error"]["type"], "rate_limit_error", "OpenAI's error shape: {error}");
    let wires: Vec<_> =
        api.requests().iter().map(|request| (request.path.clone(), request.wire_format())).collect();
    assert_eq!(
        wires,
        [
            ("/v1/chat/completions".to_owned(), Some(WireFormat::ChatCompletions)),
            ("/chat/completions".to_owned(), Some(WireFormat::ChatCompletions)),
        ]
    );
}

#[tokio::test]
async fn an_unanswered_chat_tool_call_is_refused_without_using_the_script() {
    let api = MockApi::start();
    api.push(Reply::stream(sample_turn()));
    let call = json!({"id": "call_9", "type": "function", "function": {"name": "bash", "arguments": "{}"}});
    let body = json!({"model": "m", "messages": [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": null, "tool_calls": [call]},
        {"role": "user", "content": "and?"},
    ]});
    let response = post_chat(&format!("{}/chat/completions", api.openai_url()), &body).await;
    assert_eq!(response.status(), 400);
    let error = json_body(response).await;
    assert!(error["error"]["message"].as_str().unwrap().contains("call_9"), "{error}");
    assert_eq!(api.pending(), 1);
}

#[tokio::test]
async fn models_are_listed_on_both_paths() {
    let api = MockApi::start();
    for path in ["/v1/models", "/models"] {
        let listing = json_body(client().get(format!("{}{path}", api.url())).send().await.unwrap()).await;
        assert_eq!(listing["data"][0]["id"], claurst_test_support::DEFAULT_MODEL);
    }
    api.set_models(&["a", "b"]);
    let listing = json_body(client().get(format!("{}/models", api.openai_url())).send().await.unwrap()).await;
    assert_eq!(listing["data"][1]["id"], "b");
}
