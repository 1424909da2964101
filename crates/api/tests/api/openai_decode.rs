//! The Chat Completions decoder fed recorded-shape streams, whole and split anywhere.

use claurst_api::{DecodedStream, Delta, decode_stream};
use claurst_protocol::{ContentBlock, StopReason, WireApi};
use serde_json::{Value, json};

fn chunk(delta: Value) -> String {
    let chunk = json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "gpt-test",
        "choices": [{"index": 0, "delta": delta, "finish_reason": null}]});
    format!("data: {chunk}\n\n")
}

fn finish(reason: &str) -> String {
    let chunk = json!({"id": "chatcmpl-1", "model": "gpt-test",
        "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]});
    format!("data: {chunk}\n\n")
}

fn usage(prompt: u64, completion: u64, cached: u64) -> String {
    let chunk = json!({"id": "chatcmpl-1", "model": "gpt-test", "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "prompt_tokens_details": {"cached_tokens": cached}}});
    format!("data: {chunk}\n\n")
}

const DONE: &str = "data: [DONE]\n\n";

fn call(index: u64, id: Option<&str>, name: Option<&str>, arguments: &str) -> Value {
    let mut fragment = json!({"index": index, "function": {"arguments": arguments}});
    if let Some(id) = id {
        fragment["id"] = json!(id);
        fragment["type"] = json!("function");
    }
    if let Some(name) = name {
        fragment["function"]["name"] = json!(name);
    }
    json!({"tool_calls": [fragment]})
}

fn decode(stream: &str) -> DecodedStream {
    decode_stream(WireApi::OpenAiChat, &[stream.as_bytes()]).unwrap()
}

/// A stream shaped like a real one: role chunk, reasoning, text with non-ASCII, two parallel tool calls
/// whose fragments interleave, a finish reason, a usage chunk and `[DONE]`.
fn recorded() -> String {
    [
        chunk(json!({"role": "assistant", "content": ""})),
        chunk(json!({"reasoning_content": "weigh ✓ "})),
        chunk(json!({"reasoning_content": "options"})),
        chunk(json!({"content": "Plan — ünï"})),
        chunk(json!({"content": "cödé."})),
        chunk(call(0, Some("call_a"), Some("read_file"), "")),
        chunk(call(1, Some("call_b"), Some("bash"), "{\"comm")),
        chunk(call(0, None, None, "{\"path\": \"src/")),
        chunk(call(1, None, None, "and\": \"ls\"}")),
        chunk(call(0, None, None, "main.rs\"}")),
        chunk(json!({})),
        finish("tool_calls"),
        usage(1200, 80, 1000),
        DONE.to_string(),
    ]
    .concat()
}

#[test]
fn a_recorded_stream_decodes_to_the_whole_message() {
    let decoded = decode(&recorded());
    let response = decoded.response.unwrap();
    assert_eq!(response.model, "gpt-test");
    assert_eq!(response.stop_reason, Some(StopReason::ToolUse));
    assert_eq!(response.usage.input_tokens, 200, "cached tokens are counted apart");
    assert_eq!(response.usage.cache_read_input_tokens, 1000);
    assert_eq!(response.usage.output_tokens, 80);
    assert_eq!(
        response.message.content,
        [
            ContentBlock::Thinking { thinking: "weigh ✓ options".into(), signature: String::new() },
            ContentBlock::text("Plan — ünïcödé."),
            ContentBlock::ToolUse {
                id: "call_a".into(),
                name: "read_file".into(),
                input: json!({"path": "src/main.rs"})
            },
            ContentBlock::ToolUse {
                id: "call_b".into(),
                name: "bash".into(),
                input: json!({"command": "ls"})
            },
        ]
    );
    assert_eq!(
        decoded.deltas,
        [
            Delta::Thinking("weigh ✓ ".into()),
            Delta::Thinking("options".into()),
            Delta::Text("Plan — ünï".into()),
            Delta::Text("cödé.".into()),
            Delta::ToolUseStarted { id: "call_a".into(), name: "read_file".into() },
            Delta::ToolUseStarted { id: "call_b".into(), name: "bash".into() },
        ]
    );
}

#[test]
fn split_at_every_byte_offset_the_stream_decodes_the_same() {
    let stream = recorded();
    let bytes = stream.as_bytes();
    let whole = decode(&stream);
    for split in 0..=bytes.len() {
        let (head, tail) = bytes.split_at(split);
        let pieces = decode_stream(WireApi::OpenAiChat, &[head, tail]).unwrap();
        assert_eq!(pieces.response, whole.response, "split at byte {split}");
        assert_eq!(pieces.deltas.len(), whole.deltas.len(), "split at byte {split}");
    }
    let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode_stream(WireApi::OpenAiChat, &bytewise).unwrap().response, whole.response);
}

#[test]
fn tool_calls_without_ids_get_generated_ones() {
    let stream = [
        chunk(call(0, None, Some("bash"), "{\"command\":")),
        chunk(call(0, None, None, "\"pwd\"}")),
        chunk(call(1, None, Some("read_file"), "{}")),
        finish("tool_calls"),
        DONE.into(),
    ]
    .concat();
    let decoded = decode(&stream);
    let ids: Vec<String> =
        decoded.response.unwrap().message.tool_uses().map(|(id, _, _)| id.to_string()).collect();
    assert_eq!(ids, ["call_0", "call_1"]);
    assert_eq!(decoded.deltas[0], Delta::ToolUseStarted { id: "call_0".into(), name: "bash".into() });
}

#[test]
fn arguments_arriving_whole_or_as_an_object_are_taken() {
    let stream = [
        chunk(call(0, Some("c1"), Some("bash"), "{\"command\": \"ls\"}")),
        chunk(json!({"tool_calls": [{"index": 1, "id": "c2", "function": {"name": "grep", "arguments": {"pattern": "x"}}}]})),
        finish("tool_calls"),
        DONE.into(),
    ]
    .concat();
    let response = decode(&stream).response.unwrap();
    let inputs: Vec<Value> = response.message.tool_uses().map(|(_, _, input)| input.clone()).collect();
    assert_eq!(inputs, [json!({"command": "ls"}), json!({"pattern": "x"})]);
}

#[test]
fn fragments_without_an_index_continue_the_call_they_follow() {
    let stream = [
        chunk(json!({"tool_calls": [{"id": "c1", "function": {"name": "bash", "arguments": "{\"a\":"}}]})),
        chunk(json!({"tool_calls": [{"function": {"arguments": "1}"}}]})),
        chunk(json!({"tool_calls": [{"id": "c2", "function": {"name": "ls", "arguments": "{}"}}]})),
        finish("tool_calls"),
    ]
    .concat();
    let response = decode(&stream).response.unwrap();
    let calls: Vec<(String, Value)> =
        response.message.tool_uses().map(|(id, _, input)| (id.to_string(), input.clone())).collect();
    assert_eq!(calls, [("c1".to_string(), json!({"a": 1})), ("c2".to_string(), json!({}))]);
}

#[test]
fn ids_and_names_repeated_in_every_fragment_are_not_doubled() {
    let stream = [
        chunk(call(0, Some("c1"), Some("bash"), "{\"a\":")),
        chunk(call(0, Some("c1"), Some("bash"), "2}")),
        finish("tool_calls"),
        DONE.into(),
    ]
    .concat();
    let decoded = decode(&stream);
    let response = decoded.response.unwrap();
    assert_eq!(
        response.message.content,
        [ContentBlock::ToolUse { id: "c1".into(), name: "bash".into(), input: json!({"a": 2}) }]
    );
    assert_eq!(decoded.deltas.len(), 1, "one start per call");
}

#[test]
fn malformed_arguments_come_through_as_the_raw_text() {
    let stream =
        [chunk(call(0, Some("c1"), Some("bash"), "{\"command\": ls")), finish("tool_calls"), DONE.into()]
            .concat();
    let response = decode(&stream).response.unwrap();
    assert_eq!(
        response.message.content,
        [ContentBlock::ToolUse { id: "c1".into(), name: "bash".into(), input: json!("{\"command\": ls") }]
    );
    let not_an_object = [chunk(call(0, Some("c1"), Some("bash"), "[1, 2]")), finish("tool_calls")].concat();
    let (_, _, input) = decode(&not_an_object)
        .response
        .unwrap()
        .message
        .tool_uses()
        .next()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.clone()))
        .unwrap();
    assert_eq!(input, json!("[1, 2]"));
}

#[test]
fn a_stream_ending_after_its_finish_reason_without_done_is_complete() {
    let stream = [chunk(json!({"content": "hi"})), finish("stop"), usage(5, 1, 0)].concat();
    let response = decode(&stream).response.unwrap();
    assert_eq!(response.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(response.usage.output_tokens, 1);
    let cut = chunk(json!({"content": "hi"}));
    assert_eq!(decode(&cut).response, None, "no finish reason: the message was cut");
}

#[test]
fn empty_deltas_and_chunks_without_choices_are_skipped() {
    let stream = [
        chunk(json!({})),
        chunk(json!({"content": null})),
        chunk(json!({"content": ""})),
        "data: {\"id\":\"x\",\"choices\":[]}\n\n".into(),
        ": keep-alive comment\n\n".into(),
        chunk(json!({"content": "ok"})),
        finish("stop"),
        DONE.into(),
    ]
    .concat();
    let decoded = decode(&stream);
    assert_eq!(decoded.deltas, [Delta::Text("ok".into())]);
    assert_eq!(decoded.response.unwrap().message.content, [ContentBlock::text("ok")]);
}

#[test]
fn reasoning_under_either_name_is_thinking() {
    let stream =
        [chunk(json!({"reasoning": "a"})), chunk(json!({"reasoning_content": "b"})), finish("stop")].concat();
    let response = decode(&stream).response.unwrap();
    assert_eq!(
        response.message.content,
        [ContentBlock::Thinking { thinking: "ab".into(), signature: String::new() }]
    );
}

#[test]
fn finish_reasons_map_to_stop_reasons() {
    for (reason, expected) in [
        ("stop", StopReason::EndTurn),
        ("length", StopReason::MaxTokens),
        ("tool_calls", StopReason::ToolUse),
        ("function_call", StopReason::ToolUse),
        ("content_filter", StopReason::Refusal),
        ("eos", StopReason::Other("eos".into())),
    ] {
        let stream = [chunk(json!({"content": "x"})), finish(reason), DONE.into()].concat();
        assert_eq!(decode(&stream).response.unwrap().stop_reason, Some(expected), "{reason}");
    }
    let stop_with_calls = [chunk(call(0, Some("c"), Some("bash"), "{}")), finish("stop")].concat();
    assert_eq!(
        decode(&stop_with_calls).response.unwrap().stop_reason,
        Some(StopReason::ToolUse),
        "servers that say `stop` after calling tools still called them"
    );
}

#[test]
fn an_error_object_in_the_stream_is_an_error() {
    let overloaded =
        "data: {\"error\": {\"message\": \"busy\", \"type\": \"server_error\", \"code\": null}}\n\n";
    let error = decode_stream(WireApi::OpenAiChat, &[overloaded.as_bytes()]).unwrap_err();
    assert!(error.is_retryable(), "{error}");
    let numeric = "data: {\"error\": {\"message\": \"slow down\", \"code\": 429}}\n\n";
    assert!(decode_stream(WireApi::OpenAiChat, &[numeric.as_bytes()]).unwrap_err().is_retryable());
    let invalid = "data: {\"error\": {\"message\": \"bad\", \"type\": \"invalid_request_error\"}}\n\n";
    assert!(!decode_stream(WireApi::OpenAiChat, &[invalid.as_bytes()]).unwrap_err().is_retryable());
}
