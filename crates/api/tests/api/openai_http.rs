//! Chat Completions through the real HTTP mock: streaming, retries, request translation, keys and listings.

use super::{rich_turn, within_a_minute};
use claurst_api::{
    ApiError, ClientOptions, MessagesRequest, ModelClient, ModelResponse, RetryPolicy, StreamItem,
    ToolDefinition, builtin_providers, chat_body, connect,
};
use claurst_protocol::{
    ContentBlock, ImageSource, Message, ModelInfo, ProviderInfo, Role, StopReason, ToolResultContent, WireApi,
};
use claurst_test_support::{MockApi, Reply, SseEvent, Turn, WireFormat};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn provider(base_url: String) -> ProviderInfo {
    ProviderInfo {
        name: "local".into(),
        wire_api: WireApi::OpenAiChat,
        base_url,
        api_key_env: None,
        headers: vec![("x-title".into(), "claurst-tests".into())],
        models: vec![ModelInfo { thinking: true, ..ModelInfo::unknown("thinker") }],
    }
}

fn options() -> ClientOptions {
    ClientOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        },
        idle_timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_secs(5),
    }
}

fn chat_client(mock: &MockApi) -> Arc<dyn ModelClient> {
    connect(provider(mock.openai_url()), Some("sk-local".into()), options()).unwrap()
}

fn request() -> MessagesRequest {
    MessagesRequest {
        model: "gpt-test".into(),
        max_tokens: 512,
        system: vec!["You are terse.".into(), "Project notes.".into()],
        messages: vec![Message::user("hi")],
        tools: vec![],
        thinking_budget: None,
        effort: None,
        web_search: None,
    }
}

async fn collect(client: &dyn ModelClient) -> (Vec<StreamItem>, Result<ModelResponse, ApiError>) {
    super::drain(client, &request()).await
}

fn retries(items: &[StreamItem]) -> usize {
    items.iter().filter(|item| matches!(item, StreamItem::Retrying { .. })).count()
}

fn expected_content() -> Vec<ContentBlock> {
    vec![
        ContentBlock::Thinking { thinking: "considering".into(), signature: String::new() },
        ContentBlock::text("Let me look."),
        ContentBlock::ToolUse {
            id: "toolu_1".into(),
            name: "bash".into(),
            input: json!({"command": "ls -la", "timeout": 5000}),
        },
    ]
}

#[tokio::test]
async fn a_scripted_turn_streams_through_chat_completions_with_arguments_split_at_every_character() {
    let mock = MockApi::start();
    mock.push(Reply::stream(rich_turn()).tool_arguments_every(1).chunked_every(7));
    let (_, response) = within_a_minute(collect(chat_client(&mock).as_ref())).await;
    let response = response.unwrap();
    assert_eq!(response.message.content, expected_content());
    assert_eq!(response.stop_reason, Some(StopReason::ToolUse));
    assert_eq!(response.usage.output_tokens, 30);
    assert_eq!(response.usage.cache_read_input_tokens, 90);
    assert_eq!(
        response.usage.input_tokens, 130,
        "fresh input plus cache writes, which Chat Completions folds in"
    );

    let captured = &mock.requests()[0];
    assert_eq!(captured.wire_format(), Some(WireFormat::ChatCompletions));
    assert_eq!(captured.path, "/v1/chat/completions");
    assert_eq!(captured.header("authorization"), Some("Bearer sk-local"));
    assert_eq!(captured.header("x-title"), Some("claurst-tests"));
    assert_eq!(captured.header("x-api-key"), None);
    assert_eq!(captured.body["stream"], json!(true));
    assert_eq!(captured.body["stream_options"], json!({"include_usage": true}));
    assert_eq!(captured.body["max_tokens"], json!(512));
    assert_eq!(
        captured.body["messages"][0],
        json!({"role": "system", "content": "You are terse.\n\nProject notes."})
    );
    assert!(captured.raw_body.contains("\"stream_options\""));
}

#[tokio::test]
async fn a_base_url_without_the_version_works_and_keyless_providers_send_no_authorization() {
    let mock = MockApi::start();
    mock.push(Reply::stream(Turn::text_only("ok")).without_done_marker());
    let client = connect(provider(mock.url()), None, options()).unwrap();
    let (_, response) = within_a_minute(collect(client.as_ref())).await;
    assert_eq!(response.unwrap().message.text(), "ok");
    let captured = &mock.requests()[0];
    assert_eq!(captured.path, "/chat/completions");
    assert_eq!(captured.header("authorization"), None);
}

#[tokio::test]
async fn rate_limits_overload_and_server_errors_are_retried() {
    for fault in
        [Reply::rate_limited().retry_after(0), Reply::overloaded(), Reply::error(503, "server_error", "down")]
    {
        let mock = MockApi::start();
        mock.push(fault);
        mock.push(Reply::stream(rich_turn()));
        let (items, response) = within_a_minute(collect(chat_client(&mock).as_ref())).await;
        assert_eq!(response.unwrap().message.content, expected_content());
        assert_eq!(retries(&items), 1);
    }
}

#[tokio::test]
async fn error_bodies_in_openai_format_are_read_and_client_errors_not_retried() {
    let mock = MockApi::start();
    mock.push(Reply::error(400, "invalid_request_error", "model `nope` does not exist"));
    let (items, response) = within_a_minute(collect(chat_client(&mock).as_ref())).await;
    let error = response.unwrap_err();
    assert!(
        matches!(&error, ApiError::Status { status: 400, kind, message, .. }
        if kind == "invalid_request_error" && message.contains("does not exist")),
        "{error}"
    );
    assert_eq!(retries(&items), 0);
}

#[tokio::test]
async fn a_cut_stream_and_a_mid_stream_error_are_retried() {
    let mock = MockApi::start();
    let cut = Reply::stream(rich_turn());
    let half = cut.chat_body().len() / 2;
    mock.push(cut.disconnect_after(half));
    let mut events = Turn::text_only("partial").events();
    events.truncate(4);
    events.push(SseEvent::error("overloaded_error", "Overloaded"));
    mock.push(Reply::events(events));
    mock.push(Reply::stream(rich_turn()));
    let (items, response) = within_a_minute(collect(chat_client(&mock).as_ref())).await;
    assert_eq!(response.unwrap().message.content, expected_content());
    assert_eq!(retries(&items), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_or_stalls_is_retried() {
    let mock = MockApi::start();
    mock.push(Reply::stream(rich_turn()).never_answer());
    mock.push(Reply::stream(rich_turn()).stall_after(40));
    mock.push(Reply::stream(rich_turn()));
    let (items, response) = within_a_minute(collect(chat_client(&mock).as_ref())).await;
    assert_eq!(response.unwrap().message.content, expected_content());
    assert_eq!(retries(&items), 2);
}

#[tokio::test]
async fn a_stream_that_falls_silent_after_its_finish_reason_is_complete() {
    let mock = MockApi::start();
    let reply = Reply::stream(rich_turn()).without_done_marker();
    let whole = reply.chat_body().len();
    mock.push(reply.stall_after(whole));
    let (items, response) = within_a_minute(collect(chat_client(&mock).as_ref())).await;
    assert_eq!(response.unwrap().message.content, expected_content());
    assert_eq!(retries(&items), 0);
}

#[tokio::test]
async fn an_unanswered_tool_call_is_refused_by_the_mock_like_the_real_api() {
    let mock = MockApi::start();
    mock.push(Reply::stream(Turn::text_only("kept")));
    let client = chat_client(&mock);
    let mut unpaired = request();
    unpaired.messages = vec![
        Message::user("go"),
        Message {
            role: Role::Assistant,
            content: vec![ContentBlock::ToolUse { id: "c1".into(), name: "bash".into(), input: json!({}) }],
        },
        Message::user("never mind"),
    ];
    let mut stream = client.stream(&unpaired);
    let error = within_a_minute(stream.next()).await.unwrap().unwrap_err();
    assert!(
        matches!(&error, ApiError::Status { status: 400, message, .. } if message.contains("c1")),
        "{error}"
    );
    assert_eq!(mock.pending(), 1);
}

#[tokio::test]
async fn models_are_listed_in_both_formats() {
    let mock = MockApi::start();
    mock.set_models(&["llama3.2", "qwen3"]);
    let chat = connect(provider(mock.openai_url()), None, options()).unwrap();
    assert_eq!(chat.list_models().await.unwrap(), ["llama3.2", "qwen3"]);
    let bare = connect(provider(mock.url()), None, options()).unwrap();
    assert_eq!(bare.list_models().await.unwrap(), ["llama3.2", "qwen3"]);
    let anthropic = ProviderInfo { base_url: mock.url(), ..builtin_providers().remove(0) };
    let anthropic = connect(anthropic, Some("sk-test".into()), options()).unwrap();
    assert_eq!(anthropic.list_models().await.unwrap(), ["llama3.2", "qwen3"]);
    let paths: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/v1/models", "/models", "/v1/models"]);

    let no_listing = connect(provider(format!("{}/elsewhere", mock.url())), None, options()).unwrap();
    assert_eq!(
        no_listing.list_models().await.unwrap(),
        ["thinker"],
        "configured models when the listing fails"
    );
    let nothing_configured = ProviderInfo { models: vec![], ..provider(format!("{}/elsewhere", mock.url())) };
    let error = connect(nothing_configured, None, options()).unwrap().list_models().await.unwrap_err();
    assert!(matches!(error, ApiError::Status { status: 404, .. }), "{error}");
}

#[test]
fn keys_are_checked_per_provider() {
    for provider in builtin_providers() {
        let needs_key = provider.api_key_env.clone();
        let name = provider.name.clone();
        match (connect(provider, None, ClientOptions::default()), needs_key) {
            (Ok(client), None) => assert_eq!(client.provider().name, name),
            (Err(ApiError::MissingProviderKey { provider, env }), Some(expected)) => {
                assert_eq!((provider.as_str(), env.as_str()), (name.as_str(), expected.as_str()))
            }
            (outcome, needs) => panic!("{name}: needs {needs:?}, got {:?}", outcome.map(|_| ())),
        }
    }
    let error = connect(builtin_providers().remove(2), None, ClientOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no API key for provider `openrouter`: set OPENROUTER_API_KEY, or configure [providers.openrouter] api_key_env"
    );
}

fn png(data: &str) -> ImageSource {
    ImageSource { kind: "base64".into(), media_type: "image/png".into(), data: data.into() }
}

#[test]
fn a_conversation_translates_into_chat_completions() {
    let mut request = request();
    request.model = "thinker".into();
    request.thinking_budget = Some(8_000);
    request.tools = vec![ToolDefinition {
        name: "bash".into(),
        description: "Run a command".into(),
        input_schema: json!({"type": "object", "properties": {"command": {"type": "string"}}}),
    }];
    request.messages = vec![
        Message {
            role: Role::User,
            content: vec![ContentBlock::text("What is this?"), ContentBlock::Image { source: png("AAA") }],
        },
        Message {
            role: Role::Assistant,
            content: vec![
                ContentBlock::Thinking { thinking: "hidden".into(), signature: "s".into() },
                ContentBlock::text("Checking."),
                ContentBlock::ToolUse {
                    id: "c1".into(),
                    name: "bash".into(),
                    input: json!({"command": "file x"}),
                },
                ContentBlock::ToolUse {
                    id: "c2".into(),
                    name: "bash".into(),
                    input: json!("{\"command\": bro"),
                },
            ],
        },
        Message {
            role: Role::User,
            content: vec![
                ContentBlock::ToolResult {
                    tool_use_id: "c1".into(),
                    content: vec![
                        ToolResultContent::Text { text: "PNG image".into() },
                        ToolResultContent::Image { source: png("BBB") },
                    ],
                    is_error: false,
                },
                ContentBlock::tool_result("c2", "invalid input", true),
            ],
        },
    ];
    let body = chat_body(&request, &provider("http://localhost:11434/v1".into()));
    assert_eq!(
        body,
        json!({
            "model": "thinker",
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_tokens": 512,
            "reasoning_effort": "medium",
            "tools": [{"type": "function", "function": {"name": "bash", "description": "Run a command",
                "parameters": {"type": "object", "properties": {"command": {"type": "string"}}}}}],
            "messages": [
                {"role": "system", "content": "You are terse.\n\nProject notes."},
                {"role": "user", "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAA"}},
                ]},
                {"role": "assistant", "content": "Checking.", "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "bash", "arguments": "{\"command\":\"file x\"}"}},
                    {"id": "c2", "type": "function", "function": {"name": "bash", "arguments": "{\"command\": bro"}},
                ]},
                {"role": "tool", "tool_call_id": "c1", "content": "PNG image"},
                {"role": "tool", "tool_call_id": "c2", "content": "Error: invalid input"},
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,BBB"}}]},
            ],
        })
    );
}

#[test]
fn effort_goes_only_to_models_that_think_and_openai_gets_max_completion_tokens() {
    let mut request = request();
    request.effort = Some("high".into());
    let local = provider("http://localhost:8000/v1".into());
    assert!(chat_body(&request, &local).get("reasoning_effort").is_none(), "gpt-test is not known to think");
    request.model = "thinker".into();
    assert_eq!(chat_body(&request, &local)["reasoning_effort"], json!("high"));
    let openai = builtin_providers().into_iter().find(|p| p.name == "openai").unwrap();
    request.model = "gpt-5".into();
    let body = chat_body(&request, &openai);
    assert_eq!(body["max_completion_tokens"], json!(512));
    assert!(body.get("max_tokens").is_none());
    assert_eq!(body["reasoning_effort"], json!("high"));
}
