//! Servers that live inside the program driving Claurst (an Agent SDK's in-process servers, `"type": "sdk"`):
//! each JSON-RPC message Claurst sends is handed to an [`SdkMcpBridge`], and the reply it brings back is
//! what the server said. The bridge is the only way to reach them, so a session without one cannot start
//! them.

use async_trait::async_trait;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use rmcp::RoleClient;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Replies read ahead of the session.
const INBOX: usize = 64;
/// JSON-RPC's code for "the server failed internally", given to a request whose exchange failed.
const INTERNAL_ERROR: i64 = -32603;

/// The way to the program that serves in-process MCP servers.
///
/// Contract: `exchange` delivers one JSON-RPC `message` (a request or a notification, as a JSON object) to
/// the server named `server` and returns its reply. A request (it has an `id`) must come back as
/// `Ok(Some(reply))`, the reply carrying the same `id` (a JSON-RPC error object is still `Ok`); a
/// notification (no `id`) comes back as `Ok(None)`, whatever the program answered. `Err` says why the
/// message could not be delivered or answered (the program is gone, it refused the request), in words a
/// user can read; the request it carried then fails with that message. Exchanges may run concurrently, and
/// dropping the future abandons the message.
#[async_trait]
pub trait SdkMcpBridge: Send + Sync {
    async fn exchange(&self, server: &str, message: Value) -> Result<Option<Value>, String>;
}

impl std::fmt::Debug for dyn SdkMcpBridge {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SdkMcpBridge")
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SdkError {
    #[error("a message to the server could not be written: {0}")]
    Encode(String),
    #[error("the connection to the program driving Claurst is closed")]
    Closed,
}

/// One in-process server, reached through the bridge. Messages are handed to the bridge in the order they
/// are sent (the server must see `initialize`, then `notifications/initialized`, then the rest), but their
/// replies come back as each is ready, so a slow tool call does not hold back the requests after it.
pub(crate) struct SdkTransport {
    /// Unbounded: each message is queued when rmcp sends it, so their order is kept; the dispatcher hands
    /// every one to the bridge at once, so nothing would be gained by making senders wait.
    outgoing: mpsc::UnboundedSender<Value>,
    inbox: mpsc::Receiver<ServerJsonRpcMessage>,
    dispatcher: tokio::task::JoinHandle<()>,
}

impl SdkTransport {
    pub(crate) fn new(bridge: Arc<dyn SdkMcpBridge>, server: &str) -> Self {
        let (outgoing, queue) = mpsc::unbounded_channel();
        let (replies, inbox) = mpsc::channel(INBOX);
        let dispatcher = tokio::spawn(dispatch(bridge, server.to_string(), queue, replies));
        Self { outgoing, inbox, dispatcher }
    }
}

impl Drop for SdkTransport {
    fn drop(&mut self) {
        self.dispatcher.abort();
    }
}

impl Transport<RoleClient> for SdkTransport {
    type Error = SdkError;

    fn send(
        &mut self,
        item: ClientJsonRpcMessage,
    ) -> impl Future<Output = Result<(), SdkError>> + Send + 'static {
        // Queued now, not when the future first runs: rmcp runs the futures of its sends concurrently, and
        // only the order of these calls is the order it meant.
        let queued = serde_json::to_value(&item)
            .map_err(|error| SdkError::Encode(error.to_string()))
            .and_then(|message| self.outgoing.send(message).map_err(|_| SdkError::Closed));
        async move { queued }
    }

    fn receive(&mut self) -> impl Future<Output = Option<ServerJsonRpcMessage>> + Send {
        self.inbox.recv()
    }

    async fn close(&mut self) -> Result<(), SdkError> {
        self.dispatcher.abort();
        Ok(())
    }
}

/// Hand each queued message to the bridge, in order, and pass on the replies as they come.
async fn dispatch(
    bridge: Arc<dyn SdkMcpBridge>,
    server: String,
    mut queue: mpsc::UnboundedReceiver<Value>,
    replies: mpsc::Sender<ServerJsonRpcMessage>,
) {
    // First polled in the order pushed, so the bridge receives the messages in the order they were queued.
    let mut exchanges = FuturesUnordered::new();
    loop {
        tokio::select! {
            message = queue.recv() => match message {
                Some(message) => exchanges.push(exchange(bridge.clone(), server.clone(), message)),
                None => break,
            },
            Some(reply) = exchanges.next(), if !exchanges.is_empty() => {
                let Some(reply) = reply else { continue };
                match serde_json::from_value::<ServerJsonRpcMessage>(reply) {
                    Ok(reply) => {
                        if replies.send(reply).await.is_err() {
                            break;
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%server, "an in-process MCP server sent a reply that is not JSON-RPC: {error}")
                    }
                }
            }
        }
    }
}

/// One message's round trip: the server's reply, an error reply when a request got none, or nothing.
async fn exchange(bridge: Arc<dyn SdkMcpBridge>, server: String, message: Value) -> Option<Value> {
    let id = message.get("id").cloned();
    match bridge.exchange(&server, message).await {
        Ok(reply) => reply,
        Err(error) => id.map(|id| failure(id, &error)),
    }
}

/// The JSON-RPC error reply to request `id` whose exchange failed.
fn failure(id: Value, error: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": INTERNAL_ERROR, "message": error}})
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Answers `ping` with an empty result, fails `tools/list`, and records notifications.
    struct Echo {
        notified: std::sync::Mutex<Vec<String>>,
    }

    #[async_trait]
    impl SdkMcpBridge for Echo {
        async fn exchange(&self, server: &str, message: Value) -> Result<Option<Value>, String> {
            assert_eq!(server, "calc");
            let method = message["method"].as_str().unwrap_or_default().to_string();
            let Some(id) = message.get("id").cloned() else {
                self.notified.lock().unwrap().push(method);
                return Ok(None);
            };
            match method.as_str() {
                "tools/list" => Err("the program refused".into()),
                _ => Ok(Some(json!({"jsonrpc": "2.0", "id": id, "result": {}}))),
            }
        }
    }

    fn message(value: Value) -> ClientJsonRpcMessage {
        serde_json::from_value(value).unwrap()
    }

    #[tokio::test]
    async fn requests_come_back_as_replies_and_failures_as_errors() {
        let bridge = Arc::new(Echo { notified: Default::default() });
        let mut transport = SdkTransport::new(bridge.clone(), "calc");
        transport.send(message(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))).await.unwrap();
        let reply = serde_json::to_value(transport.receive().await.unwrap()).unwrap();
        assert_eq!(reply["id"], 1);
        assert_eq!(reply["result"], json!({}));

        transport
            .send(message(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})))
            .await
            .unwrap();
        transport.send(message(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}))).await.unwrap();
        // The notification brought no reply: the next thing received is the failure of request 2.
        let reply = serde_json::to_value(transport.receive().await.unwrap()).unwrap();
        assert_eq!(reply["id"], 2);
        assert_eq!(reply["error"]["message"], "the program refused");
        assert_eq!(*bridge.notified.lock().unwrap(), ["notifications/initialized"]);
    }
}
