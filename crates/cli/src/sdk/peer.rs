//! Claurst's side of the control protocol as a client: requests it sends to the driving program, each
//! answered by a `control_response` with the same `request_id`.

use super::wire;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{mpsc, oneshot};

/// Why a request to the driving program got no answer.
pub const STDIN_CLOSED: &str = "the program driving Claurst closed its input before answering";

/// Sends lines to stdout (one writer, so lines never interleave) and matches answers to the requests that
/// wait for them.
pub struct ControlPeer {
    lines: mpsc::Sender<Value>,
    pending: Mutex<HashMap<String, oneshot::Sender<Result<Value, String>>>>,
    next_id: AtomicU64,
    /// Set once stdin ends: no answer can arrive any more.
    closed: std::sync::atomic::AtomicBool,
}

impl ControlPeer {
    pub fn new(lines: mpsc::Sender<Value>) -> Self {
        Self {
            lines,
            pending: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Print a line on stdout, after every line sent before it.
    pub async fn send_line(&self, line: Value) {
        // The writer only stops when stdout is gone; nothing can be told then.
        let _ = self.lines.send(line).await;
    }

    /// Send `request` (its `subtype` and fields) and wait for the program's answer.
    pub async fn request(&self, request: Value) -> Result<Value, String> {
        let request_id = format!("claurst_{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let (sender, answer) = oneshot::channel();
        {
            let mut pending = self.pending.lock().map_err(|_| "the control channel failed".to_string())?;
            if self.closed.load(Ordering::Acquire) {
                return Err(STDIN_CLOSED.into());
            }
            pending.insert(request_id.clone(), sender);
        }
        self.send_line(wire::request(&request_id, request)).await;
        answer.await.unwrap_or_else(|_| Err(STDIN_CLOSED.into()))
    }

    /// Deliver an answer to the request waiting for it. An answer nobody waits for is reported, not fatal.
    pub fn answer(&self, request_id: &str, outcome: Result<Value, String>) {
        let waiting = self.pending.lock().ok().and_then(|mut pending| pending.remove(request_id));
        match waiting {
            Some(sender) => {
                let _ = sender.send(outcome);
            }
            None => eprintln!("warning: a control_response for `{request_id}`, which no request awaits"),
        }
    }

    /// Stdin ended: every waiting request fails, and later ones fail at once.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Ok(mut pending) = self.pending.lock() {
            // Dropping the senders fails each waiting request with STDIN_CLOSED.
            pending.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_request_waits_for_its_own_answer() {
        let (lines, mut printed) = mpsc::channel(8);
        let peer = Arc::new(ControlPeer::new(lines));
        let asking = tokio::spawn({
            let peer = peer.clone();
            async move { peer.request(json!({"subtype": "can_use_tool"})).await }
        });
        let line = printed.recv().await.unwrap();
        assert_eq!(line["type"], "control_request");
        assert_eq!(line["request"]["subtype"], "can_use_tool");
        let id = line["request_id"].as_str().unwrap().to_string();
        peer.answer("someone-else", Ok(json!(1)));
        peer.answer(&id, Ok(json!({"behavior": "allow"})));
        assert_eq!(asking.await.unwrap().unwrap(), json!({"behavior": "allow"}));
    }

    #[tokio::test]
    async fn closing_fails_waiting_and_later_requests() {
        let (lines, mut printed) = mpsc::channel(8);
        let peer = Arc::new(ControlPeer::new(lines));
        let asking = tokio::spawn({
            let peer = peer.clone();
            async move { peer.request(json!({"subtype": "hook_callback"})).await }
        });
        printed.recv().await.unwrap();
        peer.close();
        assert_eq!(asking.await.unwrap().unwrap_err(), STDIN_CLOSED);
        assert_eq!(peer.request(json!({})).await.unwrap_err(), STDIN_CLOSED);
    }
}
