//! JSON-RPC 2.0 with a language server over a pair of byte streams: requests matched to their responses by
//! id, notifications sent one way, the server's own requests answered, and the diagnostics it publishes kept
//! per document for whoever waits for them.

use crate::error::LspError;
use crate::framing::{FrameDecoder, encode};
use lsp_types::Diagnostic;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{oneshot, watch};

type Reply = Result<Value, LspError>;
type Writer = Box<dyn AsyncWrite + Send + Unpin>;

/// The diagnostics last published for one document.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// How many times the server has published for this document: a waiter compares it with what it saw.
    pub count: u64,
    /// The document version the server said it analysed, when it says.
    pub version: Option<i32>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the reader task and the callers share.
#[derive(Default)]
struct Shared {
    pending: Mutex<HashMap<i64, oneshot::Sender<Reply>>>,
    diagnostics: Mutex<HashMap<String, Published>>,
}

/// One connection to a server. Dropping it stops the reader task.
pub struct Connection {
    /// Shared with the reader task, which answers the server's own requests; each writer holds the lock for
    /// a whole frame.
    writer: Arc<tokio::sync::Mutex<Writer>>,
    shared: Arc<Shared>,
    next_id: AtomicI64,
    /// Bumped on every publish (and when the connection closes), to wake waiters.
    published: watch::Receiver<u64>,
    /// Whether the reader has seen the end of the stream.
    closed: watch::Receiver<bool>,
    reader: tokio::task::JoinHandle<()>,
}

impl Connection {
    /// A connection reading the server's messages from `input` and writing ours to `output`.
    pub fn new(
        input: impl AsyncRead + Send + Unpin + 'static,
        output: impl AsyncWrite + Send + Unpin + 'static,
    ) -> Self {
        let shared = Arc::new(Shared::default());
        let writer: Arc<tokio::sync::Mutex<Writer>> = Arc::new(tokio::sync::Mutex::new(Box::new(output)));
        let (published_tx, published) = watch::channel(0);
        let (closed_tx, closed) = watch::channel(false);
        let reader =
            tokio::spawn(read_loop(input, Arc::clone(&shared), Arc::clone(&writer), published_tx, closed_tx));
        Self { writer, shared, next_id: AtomicI64::new(1), published, closed, reader }
    }

    /// Send `method` and wait up to `timeout` for its result.
    pub async fn request(&self, method: &str, params: Value, timeout: Duration) -> Result<Value, LspError> {
        if *self.closed.borrow() {
            return Err(LspError::Closed);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = oneshot::channel();
        lock(&self.shared.pending).insert(id, sender);
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        if let Err(error) = self.send(&message).await {
            lock(&self.shared.pending).remove(&id);
            return Err(error);
        }
        match tokio::time::timeout(timeout, receiver).await {
            Ok(Ok(reply)) => reply.map_err(|error| match error {
                LspError::Server { message, .. } => LspError::Server { method: method.to_string(), message },
                other => other,
            }),
            Ok(Err(_)) => Err(LspError::Closed),
            Err(_) => {
                lock(&self.shared.pending).remove(&id);
                Err(LspError::Timeout { method: method.to_string(), timeout })
            }
        }
    }

    pub async fn notify(&self, method: &str, params: Value) -> Result<(), LspError> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params})).await
    }

    async fn send(&self, message: &Value) -> Result<(), LspError> {
        write_frame(&self.writer, message).await
    }

    /// What the server last published for `uri`.
    pub fn published(&self, uri: &str) -> Published {
        lock(&self.shared.diagnostics).get(uri).cloned().unwrap_or_default()
    }

    /// Wait until the server publishes for `uri` more than `seen` times, for a version at least `version`
    /// when it says which it analysed; `None` when `timeout` passes or the connection closes first.
    pub async fn wait_for_publish(
        &self,
        uri: &str,
        seen: u64,
        version: i32,
        timeout: Duration,
    ) -> Option<Published> {
        let mut published = self.published.clone();
        let wait = async {
            loop {
                let now = self.published(uri);
                if now.count > seen && now.version.is_none_or(|analysed| analysed >= version) {
                    return Some(now);
                }
                if *self.closed.borrow() || published.changed().await.is_err() {
                    return None;
                }
            }
        };
        tokio::time::timeout(timeout, wait).await.ok().flatten()
    }

    pub fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn write_frame(writer: &tokio::sync::Mutex<Writer>, message: &Value) -> Result<(), LspError> {
    let frame = encode(message.to_string().as_bytes());
    let mut writer = writer.lock().await;
    writer.write_all(&frame).await.map_err(LspError::Write)?;
    writer.flush().await.map_err(LspError::Write)
}

/// Read messages until the stream ends, then fail every request still waiting.
async fn read_loop(
    mut input: impl AsyncRead + Unpin,
    shared: Arc<Shared>,
    writer: Arc<tokio::sync::Mutex<Writer>>,
    published: watch::Sender<u64>,
    closed: watch::Sender<bool>,
) {
    let mut decoder = FrameDecoder::default();
    let mut chunk = vec![0u8; 64 * 1024];
    'reading: loop {
        let read = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        decoder.push(&chunk[..read]);
        loop {
            match decoder.next_message() {
                Ok(Some(body)) => handle(&body, &shared, &writer, &published).await,
                Ok(None) => break,
                Err(error) => {
                    tracing::warn!(%error, "language server framing broken; closing the connection");
                    break 'reading;
                }
            }
        }
    }
    let _ = closed.send(true);
    published.send_modify(|count| *count += 1);
    for (_, waiter) in lock(&shared.pending).drain() {
        let _ = waiter.send(Err(LspError::Closed));
    }
}

/// Act on one message from the server.
async fn handle(
    body: &[u8],
    shared: &Shared,
    writer: &tokio::sync::Mutex<Writer>,
    published: &watch::Sender<u64>,
) {
    let Ok(message) = serde_json::from_slice::<Value>(body) else {
        tracing::warn!("language server sent a message that is not JSON");
        return;
    };
    let method = message.get("method").and_then(Value::as_str);
    let id = message.get("id").cloned();
    match (method, id) {
        (Some(method), Some(id)) => {
            let reply = json!({"jsonrpc": "2.0", "id": id, "result": answer(method, message.get("params"))});
            if let Err(error) = write_frame(writer, &reply).await {
                tracing::debug!(%error, method, "cannot answer the language server's request");
            }
        }
        (Some("textDocument/publishDiagnostics"), None) => {
            record_diagnostics(shared, message.get("params"));
            published.send_modify(|count| *count += 1);
        }
        (Some(_), None) => {}
        (None, Some(id)) => {
            let Some(id) = id.as_i64() else { return };
            let Some(waiter) = lock(&shared.pending).remove(&id) else { return };
            let reply = match message.get("error") {
                Some(error) => Err(LspError::Server {
                    method: String::new(),
                    message: error.get("message").and_then(Value::as_str).unwrap_or("unknown").to_string(),
                }),
                None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
            };
            let _ = waiter.send(reply);
        }
        (None, None) => {}
    }
}

/// Our answer to a request the server makes of us. Servers ask for settings (none: their defaults), to
/// register capabilities or create progress tokens (accepted): none needs more than an empty result.
fn answer(method: &str, params: Option<&Value>) -> Value {
    match method {
        "workspace/configuration" => {
            let items = params.and_then(|p| p.get("items")).and_then(Value::as_array).map_or(0, Vec::len);
            Value::Array(vec![Value::Null; items])
        }
        _ => Value::Null,
    }
}

fn record_diagnostics(shared: &Shared, params: Option<&Value>) {
    let Some(params) = params else { return };
    let Some(uri) = params.get("uri").and_then(Value::as_str) else { return };
    let diagnostics: Vec<Diagnostic> = params
        .get("diagnostics")
        .cloned()
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default();
    let version = params.get("version").and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok());
    let mut all = lock(&shared.diagnostics);
    let entry = all.entry(uri.to_string()).or_default();
    entry.count += 1;
    entry.version = version;
    entry.diagnostics = diagnostics;
}
