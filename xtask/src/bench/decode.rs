//! Stream decoding: the same 2,000-token assistant message (text, then one tool call whose arguments
//! stream in fragments) decoded from an OpenAI Chat Completions stream and from an Anthropic Messages
//! stream, interleaved run by run so background load hits both alike.

use crate::measure::Timing;
use anyhow::{Result, bail};
use claurst_api::decode_stream;
use claurst_protocol::WireApi;
use claurst_test_support::{Reply, SseEvent};
use serde_json::json;
use std::time::{Duration, Instant};

const RUNS: usize = 300;
const TEXT_TOKENS: usize = 1_500;
const ARGUMENT_TOKENS: usize = 500;
/// Bytes per network read: the body reaches the decoder in pieces of about one TCP segment.
const PIECE: usize = 1_400;

pub fn run() -> Result<()> {
    let reply = Reply::events(events());
    let anthropic = reply.body().to_vec();
    let openai = reply.chat_body();
    let same = decode(WireApi::AnthropicMessages, &anthropic)?.message
        == decode(WireApi::OpenAiChat, &openai)?.message;
    if !same {
        bail!("the two streams decoded to different messages");
    }
    let (mut chat_samples, mut messages_samples) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        chat_samples.push(time(WireApi::OpenAiChat, &openai)?);
        messages_samples.push(time(WireApi::AnthropicMessages, &anthropic)?);
    }
    let (chat, messages) = (Timing::from_samples(chat_samples), Timing::from_samples(messages_samples));
    let ratio = chat.median.as_secs_f64() / messages.median.as_secs_f64();
    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| decode a {}-token message: OpenAI Chat Completions stream ({} KiB) vs Anthropic Messages stream \
         ({} KiB), median of {RUNS} interleaved | {} vs {} ({ratio:.2}×) | ≤ 1.0× |",
        TEXT_TOKENS + ARGUMENT_TOKENS,
        openai.len() / 1024,
        anthropic.len() / 1024,
        micros(chat.median),
        micros(messages.median),
    );
    Ok(())
}

/// One token per delta, as models stream: a text block, then a tool call's arguments.
fn events() -> Vec<SseEvent> {
    let event = |name: &str, mut data: serde_json::Value| {
        data["type"] = json!(name);
        SseEvent::new(name, data)
    };
    let mut events = vec![
        event(
            "message_start",
            json!({"message": {"id": "msg_bench", "model": "bench-model",
            "usage": {"input_tokens": 2_000, "output_tokens": 1}}}),
        ),
        event("content_block_start", json!({"index": 0, "content_block": {"type": "text", "text": ""}})),
    ];
    let words = ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dög, ", "again. "];
    events.extend((0..TEXT_TOKENS).map(|n| {
        event(
            "content_block_delta",
            json!({"index": 0, "delta": {"type": "text_delta", "text": words[n % 10]}}),
        )
    }));
    events.push(event("content_block_stop", json!({"index": 0})));
    events.push(event(
        "content_block_start",
        json!({"index": 1, "content_block":
        {"type": "tool_use", "id": "toolu_bench", "name": "write_file", "input": {}}}),
    ));
    let mut arguments = vec!["{\"path\": \"src/lib.rs\", \"content\": \"".to_string()];
    arguments.extend((2..ARGUMENT_TOKENS).map(|n| format!("line {n} ")));
    arguments.push("\"}".into());
    events.extend(arguments.iter().map(|piece| {
        event(
            "content_block_delta",
            json!({"index": 1, "delta": {"type": "input_json_delta", "partial_json": piece}}),
        )
    }));
    events.push(event("content_block_stop", json!({"index": 1})));
    events.push(event(
        "message_delta",
        json!({"delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 2_000}}),
    ));
    events.push(event("message_stop", json!({})));
    events
}

fn decode(wire: WireApi, body: &[u8]) -> Result<claurst_api::ModelResponse> {
    let pieces: Vec<&[u8]> = body.chunks(PIECE).collect();
    match decode_stream(wire, &pieces)?.response {
        Some(response) => Ok(response),
        None => bail!("the {wire:?} stream did not decode to a whole message"),
    }
}

fn time(wire: WireApi, body: &[u8]) -> Result<Duration> {
    let started = Instant::now();
    std::hint::black_box(decode(wire, body)?);
    Ok(started.elapsed())
}

fn micros(duration: Duration) -> String {
    format!("{:.0} µs", duration.as_secs_f64() * 1e6)
}
