//! The client against a real HTTP server speaking the Messages API's SSE protocol.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

use claurst_api::{
    AnthropicClient, ApiError, ClientConfig, Delta, MessagesRequest, ModelResponse, RetryPolicy, StreamItem,
};
use claurst_protocol::{ContentBlock, Message, StopReason};
use claurst_test_support::{MockApi, Reply, SseEvent, Turn};
use serde_json::json;
use std::time::Duration;

mod openai_decode;
mod openai_http;

fn client(mock: &MockApi) -> AnthropicClient {
    let mut config = ClientConfig::new("sk-test", mock.url());
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    };
    config.idle_timeout = Duration::from_millis(400);
    AnthropicClient::new(config).unwrap()
}

fn request() -> MessagesRequest {
    MessagesRequest {
        model: "claude-sonnet-4-5".into(),
        max_tokens: 1024,
        system: vec!["You are terse.".into()],
        messages: vec![Message::user("hi")],
        tools: vec![],
        thinking_budget: None,
        effort: None,
        web_search: None,
    }
}

/// Drain the stream of this harness's default request on an Anthropic client.
async fn collect(client: &AnthropicClient) -> (Vec<StreamItem>, Result<ModelResponse, ApiError>) {
    drain(client, &request()).await
}

/// Drain a stream through the provider-neutral seam: every item, then the final response or error.
pub(crate) async fn drain(
    client: &dyn claurst_api::ModelClient,
    request: &claurst_api::MessagesRequest,
) -> (Vec<StreamItem>, Result<ModelResponse, ApiError>) {
    let mut stream = client.stream(request);
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(StreamItem::Completed(response)) => return (items, Ok(response)),
            Ok(item) => items.push(item),
            Err(error) => return (items, Err(error)),
        }
    }
    panic!("stream ended without completing or failing")
}

/// A hang is a failure: give up long after any timeout under test should have fired.
async fn within_a_minute<T>(work: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), work).await.unwrap_or_else(|_| panic!("the client hung"))
}

fn retries(items: &[StreamItem]) -> usize {
    items.iter().filter(|item| matches!(item, StreamItem::Retrying { .. })).count()
}

fn rich_turn() -> Turn {
    Turn::new()
        .thinking("considering", "sig-1")
        .text("Let me look.")
        .tool_use("toolu_1", "bash", json!({"command": "ls -la", "timeout": 5000}))
        .usage(120, 30)
        .cache_tokens(10, 90)
}

#[tokio::test]
async fn streams_text_thinking_and_tool_use() {
    let mock = MockApi::start();
    mock.push(Reply::stream(rich_turn()));
    let (items, response) = collect(&client(&mock)).await;
    let response = response.unwrap();

    let text: String = items
        .iter()
        .filter_map(|item| match item {
            StreamItem::Delta(Delta::Text(text)) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "Let me look.");
    assert!(
        items.contains(&StreamItem::Delta(Delta::ToolUseStarted {
            id: "toolu_1".into(),
            name: "bash".into()
        }))
    );
    assert_eq!(response.stop_reason, Some(StopReason::ToolUse));
    assert_eq!(response.usage.input_tokens, 120);
    assert_eq!(response.usage.output_tokens, 30);
    assert_eq!(response.usage.cache_read_input_tokens, 90);
    assert_eq!(
        response.message.content,
        [
            ContentBlock::Thinking { thinking: "considering".into(), signature: "sig-1".into() },
            ContentBlock::text("Let me look."),
            ContentBlock::ToolUse {
                id: "toolu_1".into(),
                name: "bash".into(),
                input: json!({"command": "ls -la", "timeout": 5000})
            },
        ]
    );
}

#[tokio::test]
async fn sends_the_headers_and_body_the_api_expects() {
    let mock = MockApi::start();
    mock.push(Reply::stream(Turn::text_only("ok")));
    collect(&client(&mock)).await.1.unwrap();
    let captured = &mock.requests()[0];
    assert_eq!(captured.method, "POST");
    assert_eq!(captured.path, "/v1/messages");
    assert_eq!(captured.header("x-api-key"), Some("sk-test"));
    assert_eq!(captured.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(captured.body["stream"], json!(true));
    assert_eq!(captured.body["model"], json!("claude-sonnet-4-5"));
    assert_eq!(captured.body["system"][0]["cache_control"], json!({"type": "ephemeral"}));
    assert_eq!(captured.body["messages"][0]["content"][0]["cache_control"], json!({"type": "ephemeral"}));
}

#[tokio::test]
async fn tiny_chunks_and_delays_give_the_same_message() {
    let mock = MockApi::start();
    mock.push(Reply::stream(rich_turn()));
    let (_, whole) = collect(&client(&mock)).await;
    for chunk in [1, 2, 3, 7, 64] {
        mock.push(
            Reply::stream(rich_turn()).chunked_every(chunk).delay_between_chunks(Duration::from_micros(50)),
        );
        let (_, split) = collect(&client(&mock)).await;
        assert_eq!(split.unwrap().message, whole.as_ref().unwrap().message, "chunks of {chunk} bytes");
    }
}

#[tokio::test]
async fn retries_after_overload_then_succeeds() {
    let mock = MockApi::start();
    mock.push(Reply::overloaded());
    mock.push(Reply::stream(Turn::text_only("recovered")));
    let (items, response) = collect(&client(&mock)).await;
    assert_eq!(response.unwrap().message.text(), "recovered");
    assert_eq!(retries(&items), 1);
    let StreamItem::Retrying { attempt, max_attempts, reason, .. } = &items[0] else { panic!("{items:?}") };
    assert_eq!((*attempt, *max_attempts), (2, 3));
    assert!(reason.contains("529"), "{reason}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn rate_limit_honours_retry_after() {
    let mock = MockApi::start();
    mock.push(Reply::rate_limited().retry_after(1));
    mock.push(Reply::stream(Turn::text_only("ok")));
    let started = std::time::Instant::now();
    let (items, response) = collect(&client(&mock)).await;
    response.unwrap();
    let StreamItem::Retrying { delay, .. } = &items[0] else { panic!("{items:?}") };
    assert_eq!(*delay, Duration::from_secs(1));
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_storm_of_retry_after_zero_still_backs_off() {
    let mock = MockApi::start();
    for _ in 0..3 {
        mock.push(Reply::rate_limited().retry_after(0));
    }
    mock.push(Reply::stream(Turn::text_only("ok")));
    let mut config = ClientConfig::new("sk-test", mock.url());
    config.retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(1),
    };
    let (items, response) = collect(&AnthropicClient::new(config).unwrap()).await;
    response.unwrap();
    let delays: Vec<Duration> = items
        .iter()
        .filter_map(|item| match item {
            StreamItem::Retrying { delay, .. } => Some(*delay),
            _ => None,
        })
        .collect();
    let floors = [100, 200, 400].map(Duration::from_millis);
    assert_eq!(delays, floors, "retry-after: 0 does not shorten the exponential backoff");
    // The server saw the spacing too: each retry arrived at least its delay after the one before.
    let arrivals: Vec<_> = mock.requests().iter().map(|request| request.received_at).collect();
    assert_eq!(arrivals.len(), 4);
    for (pair, floor) in arrivals.windows(2).zip(floors) {
        assert!(pair[1] - pair[0] >= floor, "retried after {:?}, floor {floor:?}", pair[1] - pair[0]);
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_is_retried() {
    let mock = MockApi::start();
    mock.push(Reply::stream(Turn::text_only("never sent")).never_answer());
    mock.push(Reply::stream(Turn::text_only("second try")));
    let (items, response) = within_a_minute(collect(&client(&mock))).await;
    assert_eq!(response.unwrap().message.text(), "second try");
    let StreamItem::Retrying { attempt, reason, .. } = &items[0] else { panic!("{items:?}") };
    assert_eq!(*attempt, 2);
    assert!(reason.contains("sent no response"), "{reason}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_fails_after_the_last_attempt() {
    let mock = MockApi::start();
    for _ in 0..3 {
        mock.push(Reply::stream(Turn::text_only("never sent")).never_answer());
    }
    let (items, response) = within_a_minute(collect(&client(&mock))).await;
    assert_eq!(retries(&items), 2);
    let Err(ApiError::RetriesExhausted { attempts: 3, last }) = response else { panic!("{response:?}") };
    assert!(matches!(*last, ApiError::NoResponse(_)), "{last:?}");
}

#[tokio::test]
async fn a_cut_stream_is_retried_from_the_start() {
    let mock = MockApi::start();
    let bytes = rich_turn().to_sse_bytes();
    mock.push(Reply::stream(rich_turn()).disconnect_after(bytes.len() / 2));
    mock.push(Reply::stream(rich_turn()));
    let (items, response) = collect(&client(&mock)).await;
    assert_eq!(retries(&items), 1);
    assert_eq!(response.unwrap().message.content.len(), 3);
}

#[tokio::test]
async fn a_mid_stream_error_event_is_retried() {
    let mock = MockApi::start();
    let mut events: Vec<SseEvent> = Turn::text_only("partial").events().into_iter().take(3).collect();
    events.push(SseEvent::error("overloaded_error", "Overloaded"));
    mock.push(Reply::events(events));
    mock.push(Reply::stream(Turn::text_only("whole")));
    let (items, response) = collect(&client(&mock)).await;
    assert_eq!(retries(&items), 1);
    let StreamItem::Retrying { reason, .. } =
        items.iter().find(|i| matches!(i, StreamItem::Retrying { .. })).unwrap()
    else {
        unreachable!()
    };
    assert!(reason.contains("overloaded_error"), "{reason}");
    assert_eq!(response.unwrap().message.text(), "whole");
}

#[tokio::test]
async fn a_stalled_stream_times_out_and_is_retried() {
    let mock = MockApi::start();
    mock.push(Reply::stream(Turn::text_only("slow")).stall_after(40));
    mock.push(Reply::stream(Turn::text_only("fast")));
    let (items, response) = collect(&client(&mock)).await;
    assert_eq!(retries(&items), 1);
    let StreamItem::Retrying { reason, .. } =
        &items.iter().find(|i| matches!(i, StreamItem::Retrying { .. })).unwrap()
    else {
        unreachable!()
    };
    assert!(reason.contains("sent nothing"), "{reason}");
    assert_eq!(response.unwrap().message.text(), "fast");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let mock = MockApi::start();
    mock.push(Reply::error(400, "invalid_request_error", "max_tokens: too large"));
    let (items, response) = collect(&client(&mock)).await;
    assert_eq!(retries(&items), 0);
    let error = response.unwrap_err();
    assert!(matches!(error, ApiError::Status { status: 400, .. }), "{error:?}");
    assert!(error.to_string().contains("max_tokens: too large"));
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn gives_up_after_the_last_attempt() {
    let mock = MockApi::start();
    for _ in 0..3 {
        mock.push(Reply::overloaded());
    }
    let (items, response) = collect(&client(&mock)).await;
    assert_eq!(retries(&items), 2);
    let error = response.unwrap_err();
    assert!(matches!(error, ApiError::RetriesExhausted { attempts: 3, .. }), "{error:?}");
    assert!(error.to_string().contains("gave up after 3 attempts"));
}

#[tokio::test]
async fn unreachable_server_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut config = ClientConfig::new("sk-test", url);
    config.retry = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    let client = AnthropicClient::new(config).unwrap();
    let (_, response) = collect(&client).await;
    let error = response.unwrap_err();
    assert!(error.to_string().contains("could not reach the API"), "{error}");
}

#[test]
fn an_empty_key_is_refused_with_instructions() {
    let error = AnthropicClient::new(ClientConfig::new("", "http://127.0.0.1:1")).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("ANTHROPIC_API_KEY not set"));
    assert!(message.contains("export ANTHROPIC_API_KEY") && message.contains("[api]"));
}
