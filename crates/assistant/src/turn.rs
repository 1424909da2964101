//! One model request: stream it, forwarding deltas as events, until the message is complete.

use crate::events::EventSink;
use claurst_api::{ApiError, Delta, MessagesRequest, ModelClient, ModelResponse, StreamItem};
use claurst_protocol::AgentEvent;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Why a turn produced no complete message.
pub(crate) enum TurnFailure {
    /// The user interrupted; `partial_text` is what had streamed so far.
    Interrupted {
        partial_text: String,
    },
    Api(ApiError),
}

/// Whether the API's streaming events reach the front-end as they are (`AgentEvent::ModelStreamEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawEvents {
    Forward,
    Drop,
}

/// Stream one response. Returns the message and the time spent waiting on the API.
pub(crate) async fn stream_turn(
    client: &dyn ModelClient,
    request: &MessagesRequest,
    sink: &EventSink,
    cancel: &CancellationToken,
    raw_events: RawEvents,
) -> (Result<ModelResponse, TurnFailure>, Duration) {
    let mut stream = client.stream(request);
    let mut partial_text = String::new();
    loop {
        let item = tokio::select! {
            biased;
            _ = cancel.cancelled() => {
                return (Err(TurnFailure::Interrupted { partial_text }), stream.api_time());
            }
            item = stream.next() => item,
        };
        let item = match item {
            Some(Ok(item)) => item,
            Some(Err(error)) => return (Err(TurnFailure::Api(error)), stream.api_time()),
            None => return (Err(TurnFailure::Api(ApiError::StreamCut)), stream.api_time()),
        };
        match item {
            StreamItem::Delta(Delta::Text(text)) => {
                partial_text.push_str(&text);
                sink.emit(AgentEvent::TextDelta { text }).await;
            }
            StreamItem::Delta(Delta::Thinking(text)) => sink.emit(AgentEvent::ThinkingDelta { text }).await,
            // Tool calls are announced once their input is complete (with the assistant message).
            StreamItem::Delta(Delta::ToolUseStarted { .. }) => {}
            StreamItem::Delta(Delta::ServerToolUse { id, name, input }) => {
                if name == claurst_protocol::WEB_SEARCH_TOOL {
                    let query = input.get("query").and_then(|q| q.as_str()).unwrap_or_default().to_string();
                    sink.emit(AgentEvent::WebSearchStarted { id, query }).await;
                }
            }
            StreamItem::Delta(Delta::WebSearchResult { tool_use_id, content }) => {
                sink.emit(AgentEvent::WebSearchFinished { id: tool_use_id, outcome: content }).await;
            }
            StreamItem::Delta(Delta::Event(event)) => {
                if raw_events == RawEvents::Forward {
                    sink.emit(AgentEvent::ModelStreamEvent(event)).await;
                }
            }
            StreamItem::Retrying { attempt, max_attempts, delay, reason, status } => {
                partial_text.clear();
                let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                sink.emit(AgentEvent::Retrying {
                    attempt,
                    max_attempts,
                    delay_ms,
                    reason,
                    error_status: status,
                })
                .await;
            }
            StreamItem::Completed(response) => return (Ok(response), stream.api_time()),
        }
    }
}
