//! The program driving Claurst as the answerer of its own hooks and MCP servers: hook callbacks become
//! `hook_callback` requests, in-process server messages `mcp_message` requests, both through the control
//! channel.

use super::peer::{ControlPeer, STDIN_CLOSED};
use async_trait::async_trait;
use claurst_assistant::{AgentConfig, HookCallbacks, SdkMcpBridge};
use serde_json::{Value, json};
use std::sync::{Arc, Weak};

/// Let the session reach the program through `peer`: the hooks it registers and its in-process MCP servers.
pub fn connect_agent(config: &mut AgentConfig, peer: &Arc<ControlPeer>) {
    let link = Arc::new(PeerLink(Arc::downgrade(peer)));
    config.hooks.callbacks = Some(link.clone());
    config.mcp.sdk_bridge = Some(link);
}

/// The agent's way to the peer. Weak, because the agent's configuration outlives the conversation with the
/// program: the last line is printed when the peer's sender goes, which a strong reference here would
/// prevent.
struct PeerLink(Weak<ControlPeer>);

impl PeerLink {
    fn peer(&self) -> Result<Arc<ControlPeer>, String> {
        self.0.upgrade().ok_or_else(|| STDIN_CLOSED.to_string())
    }
}

#[async_trait]
impl HookCallbacks for PeerLink {
    async fn call(
        &self,
        callback_id: &str,
        input: Value,
        tool_use_id: Option<&str>,
    ) -> Result<Value, String> {
        self.peer()?.call(callback_id, input, tool_use_id).await
    }
}

#[async_trait]
impl SdkMcpBridge for PeerLink {
    async fn exchange(&self, server: &str, message: Value) -> Result<Option<Value>, String> {
        self.peer()?.exchange(server, message).await
    }
}

#[async_trait]
impl HookCallbacks for ControlPeer {
    async fn call(
        &self,
        callback_id: &str,
        input: Value,
        tool_use_id: Option<&str>,
    ) -> Result<Value, String> {
        let request = json!({
            "subtype": "hook_callback",
            "callback_id": callback_id,
            "input": input,
            "tool_use_id": tool_use_id,
        });
        self.request(request).await
    }
}

#[async_trait]
impl SdkMcpBridge for ControlPeer {
    async fn exchange(&self, server: &str, message: Value) -> Result<Option<Value>, String> {
        let is_request = message.get("id").is_some_and(|id| !id.is_null());
        let request = json!({"subtype": "mcp_message", "server_name": server, "message": message});
        let answer = self.request(request).await?;
        // A notification gets no JSON-RPC reply. The SDKs still answer the control request that carried it
        // (to say it was delivered); that answer holds nothing for the MCP client, so it is not passed on.
        if !is_request {
            return Ok(None);
        }
        match answer.get("mcp_response") {
            Some(reply) if reply.is_object() => Ok(Some(reply.clone())),
            _ => Err(format!("the program's answer to an MCP message for `{server}` has no `mcp_response`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    /// A peer, and the task that reads each line it prints and answers it with `answer(request)`.
    fn answered_by(answer: fn(&Value) -> Result<Value, String>) -> (Arc<ControlPeer>, mpsc::Receiver<Value>) {
        let (lines, mut printed) = mpsc::channel(8);
        let peer = Arc::new(ControlPeer::new(lines));
        let (seen_sender, seen) = mpsc::channel(8);
        let answering = peer.clone();
        tokio::spawn(async move {
            while let Some(line) = printed.recv().await {
                let request = line["request"].clone();
                answering.answer(line["request_id"].as_str().unwrap(), answer(&request));
                seen_sender.send(request).await.unwrap();
            }
        });
        (peer, seen)
    }

    #[tokio::test]
    async fn a_hook_callback_carries_the_input_and_returns_the_answer() {
        let (peer, mut seen) = answered_by(|_| Ok(json!({"decision": "block", "reason": "no"})));
        let answer =
            HookCallbacks::call(&*peer, "hook_3", json!({"tool_name": "bash"}), Some("toolu_1")).await;
        assert_eq!(answer.unwrap(), json!({"decision": "block", "reason": "no"}));
        assert_eq!(
            seen.recv().await.unwrap(),
            json!({"subtype": "hook_callback", "callback_id": "hook_3", "input": {"tool_name": "bash"},
                   "tool_use_id": "toolu_1"})
        );
    }

    #[tokio::test]
    async fn mcp_messages_bring_back_replies_and_notifications_nothing() {
        let (peer, mut seen) = answered_by(|_| {
            Ok(json!({"mcp_response": {"jsonrpc": "2.0", "id": 7, "result": {"tools": []}}}))
        });
        let message = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/list"});
        let reply = peer.exchange("calc", message.clone()).await.unwrap().unwrap();
        assert_eq!(reply["result"], json!({"tools": []}));
        assert_eq!(
            seen.recv().await.unwrap(),
            json!({"subtype": "mcp_message", "server_name": "calc", "message": message})
        );
        let notification = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
        assert_eq!(peer.exchange("calc", notification).await.unwrap(), None);

        let (peer, _seen) = answered_by(|_| Ok(json!({})));
        let message = json!({"jsonrpc": "2.0", "id": 8, "method": "tools/list"});
        assert!(peer.exchange("calc", message).await.unwrap_err().contains("no `mcp_response`"));
    }
}
