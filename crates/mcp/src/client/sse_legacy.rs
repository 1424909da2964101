//! The older HTTP+SSE transport, for servers that speak nothing newer: a GET opens an event stream whose
//! first `endpoint` event names the URL to POST messages to; the server's messages arrive as `message`
//! events on the stream. rmcp no longer ships a client for it.

use futures::StreamExt;
use rmcp::RoleClient;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::Transport;
use std::future::Future;
use tokio::sync::mpsc;

/// The largest event accepted from the stream.
const MAX_EVENT_BYTES: usize = 256 * 1024 * 1024;
/// Messages read ahead of the session.
const INBOX: usize = 64;

#[derive(Debug, thiserror::Error)]
pub(crate) enum SseError {
    #[error("the server refused the message: {0}")]
    Post(String),
}

/// An open event stream and the URL the server takes messages at.
pub(crate) struct SseTransport {
    http: reqwest::Client,
    endpoint: reqwest::Url,
    inbox: mpsc::Receiver<ServerJsonRpcMessage>,
    reader: tokio::task::JoinHandle<()>,
}

impl SseTransport {
    /// Open the stream at `url` and wait for its `endpoint` event. Not bounded in time: the caller bounds
    /// it by the server's startup timeout.
    pub(crate) async fn connect(http: reqwest::Client, url: &str) -> Result<Self, String> {
        let base = reqwest::Url::parse(url).map_err(|error| format!("`{url}` is not a URL: {error}"))?;
        let response = http
            .get(base.clone())
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| format!("{url} could not be reached: {error}"))?;
        let mut events = EventReader::new(response);
        let endpoint = loop {
            match events.next().await {
                Some(Event { kind, data }) if kind == "endpoint" => {
                    break base
                        .join(data.trim())
                        .map_err(|error| format!("the endpoint `{data}` is not a URL: {error}"))?;
                }
                Some(_) => continue,
                None => return Err(format!("{url} closed its event stream before naming an endpoint")),
            }
        };
        let (sender, inbox) = mpsc::channel(INBOX);
        let reader = tokio::spawn(forward_messages(events, sender));
        Ok(Self { http, endpoint, inbox, reader })
    }
}

impl Drop for SseTransport {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Transport<RoleClient> for SseTransport {
    type Error = SseError;

    fn send(
        &mut self,
        item: ClientJsonRpcMessage,
    ) -> impl Future<Output = Result<(), SseError>> + Send + 'static {
        let request = self.http.post(self.endpoint.clone()).json(&item);
        async move {
            request
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map(drop)
                .map_err(|error| SseError::Post(error.to_string()))
        }
    }

    fn receive(&mut self) -> impl Future<Output = Option<ServerJsonRpcMessage>> + Send {
        self.inbox.recv()
    }

    async fn close(&mut self) -> Result<(), SseError> {
        self.reader.abort();
        Ok(())
    }
}

/// Pass the stream's `message` events to the session until either side ends.
async fn forward_messages(mut events: EventReader, sender: mpsc::Sender<ServerJsonRpcMessage>) {
    while let Some(event) = events.next().await {
        if event.kind != "message" {
            continue;
        }
        match serde_json::from_str::<ServerJsonRpcMessage>(&event.data) {
            Ok(message) => {
                if sender.send(message).await.is_err() {
                    return;
                }
            }
            Err(error) => tracing::warn!("an SSE MCP server sent a message that is not JSON-RPC: {error}"),
        }
    }
}

/// One server-sent event.
#[derive(Debug, PartialEq, Eq)]
struct Event {
    kind: String,
    data: String,
}

/// Events parsed from a response body as it arrives.
struct EventReader {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl EventReader {
    fn new(response: reqwest::Response) -> Self {
        Self { body: response.bytes_stream().boxed(), buffer: String::new() }
    }

    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = take_event(&mut self.buffer) {
                return Some(event);
            }
            let chunk = self.body.next().await?.ok()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
            if self.buffer.len() > MAX_EVENT_BYTES {
                tracing::warn!(
                    "an SSE MCP server sent an event over {MAX_EVENT_BYTES} bytes; the stream is closed"
                );
                return None;
            }
        }
    }
}

/// The first complete event in `buffer`, removed from it. Comments and unknown fields are skipped.
fn take_event(buffer: &mut String) -> Option<Event> {
    loop {
        let end = buffer.find("\n\n")?;
        let block: String = buffer.drain(..end + 2).collect();
        let mut event = Event { kind: "message".to_string(), data: String::new() };
        let mut has_data = false;
        for line in block.lines() {
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => event.kind = value.to_string(),
                "data" => {
                    if has_data {
                        event.data.push('\n');
                    }
                    event.data.push_str(value);
                    has_data = true;
                }
                _ => {}
            }
        }
        if has_data {
            return Some(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_across_lines_and_skips_comments() {
        let mut buffer =
            ": keep-alive\n\nevent: endpoint\ndata: /messages?id=1\n\ndata: {\"a\":\ndata: 1}\n\nevent: mess"
                .to_string();
        assert_eq!(
            take_event(&mut buffer),
            Some(Event { kind: "endpoint".into(), data: "/messages?id=1".into() })
        );
        assert_eq!(
            take_event(&mut buffer),
            Some(Event { kind: "message".into(), data: "{\"a\":\n1}".into() })
        );
        assert_eq!(take_event(&mut buffer), None);
        assert_eq!(buffer, "event: mess");
    }
}
