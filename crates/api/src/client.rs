//! The HTTP core and the retrying response stream every wire format shares.
//!
//! A wire format (`Wire`) says where a request goes, which headers and body it carries, how to decode the
//! response stream and how to read an error body. Everything else — sending, waiting for headers, idle
//! timeouts, retries with backoff and `retry-after` — is here, once.

use crate::assembler::{Delta, ModelResponse};
use crate::error::ApiError;
use crate::request::MessagesRequest;
use crate::retry::{RetryPolicy, parse_retry_after};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::collections::VecDeque;
use std::pin::Pin;
use std::time::{Duration, Instant};

pub use crate::anthropic::AnthropicClient;

/// How to reach the API.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub api_key: String,
    /// Without a trailing slash; requests go to `{base_url}/v1/messages`.
    pub base_url: String,
    pub retry: RetryPolicy,
    /// A server that sends nothing for this long, before the response headers or within the stream, is
    /// treated as gone and the attempt is retried.
    pub idle_timeout: Duration,
    pub connect_timeout: Duration,
}

impl ClientConfig {
    pub fn new(api_key: impl Into<String>, base_url: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            base_url: base_url.into().trim_end_matches('/').to_string(),
            retry: RetryPolicy::default(),
            idle_timeout: Duration::from_secs(90),
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// What the stream yields.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Delta(Delta),
    /// The attempt failed and another starts after `delay`. Output already shown for this request is void:
    /// the next attempt streams the message from its beginning.
    Retrying {
        attempt: u32,
        max_attempts: u32,
        delay: Duration,
        reason: String,
        /// The HTTP status of the failed attempt, when the API answered one.
        status: Option<u16>,
    },
    /// The message is complete; nothing follows.
    Completed(ModelResponse),
}

/// One wire format: how a request is sent and its response read.
pub(crate) trait Wire: Send + Sync + std::fmt::Debug {
    /// Where streaming requests are posted.
    fn stream_url(&self, base_url: &str) -> String;
    /// Where the model listing is fetched.
    fn models_url(&self, base_url: &str) -> String;
    /// Authentication and protocol headers (content type and accept are added by the core).
    fn headers(&self, api_key: &str) -> Vec<(String, String)>;
    /// The JSON body of a streaming request.
    fn body(&self, request: &MessagesRequest) -> serde_json::Value;
    /// A fresh decoder for one attempt's response.
    fn decoder(&self) -> Box<dyn StreamDecoder>;
    /// The error kind and message of an error response body.
    fn error_body(&self, text: &str) -> (String, String) {
        error_body(text)
    }
}

/// Turns one attempt's response bytes into deltas and, at the end, the whole message.
pub(crate) trait StreamDecoder: Send {
    /// Decode a piece of the body; deltas worth showing are appended to `out`.
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<Delta>) -> Result<(), ApiError>;
    /// Whether the stream said it is complete.
    fn is_complete(&self) -> bool;
    /// Whether the message is whole even though the stream ended (or stalled) without its end marker.
    fn complete_without_end_marker(&self) -> bool {
        false
    }
    /// The whole message. Call only once complete.
    fn finish(self: Box<Self>) -> ModelResponse;
}

/// The HTTP client and its settings, shared by every wire format. Cheap to clone; clones share the pool.
#[derive(Debug, Clone)]
pub(crate) struct HttpCore {
    pub http: reqwest::Client,
    pub config: ClientConfig,
    /// Extra headers from the provider's description, sent with every request.
    pub extra_headers: Vec<(String, String)>,
}

impl HttpCore {
    pub fn new(config: ClientConfig, extra_headers: Vec<(String, String)>) -> Result<Self, ApiError> {
        let http = claurst_http::client_builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("claurst/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ApiError::Connection {
                url: config.base_url.clone(),
                message: error.to_string(),
            })?;
        Ok(Self { http, config, extra_headers })
    }

    /// Start a streaming request in `wire`'s format. Nothing is sent until the stream is first polled.
    pub fn stream<'c>(&'c self, wire: &'c dyn Wire, request: &MessagesRequest) -> ResponseStream<'c> {
        ResponseStream {
            core: self,
            wire,
            body: Bytes::from(wire.body(request).to_string()),
            attempt: 0,
            state: State::Connect,
            pending: VecDeque::new(),
            api_time: Duration::ZERO,
        }
    }

    fn with_headers(&self, wire: &dyn Wire, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let own = wire.headers(&self.config.api_key);
        own.iter()
            .chain(&self.extra_headers)
            .fold(builder, |builder, (name, value)| builder.header(name, value))
    }

    /// The model ids the endpoint's listing names.
    pub async fn fetch_models(&self, wire: &dyn Wire) -> Result<Vec<String>, ApiError> {
        let url = wire.models_url(&self.config.base_url);
        let request = self.with_headers(wire, self.http.get(&url)).send();
        let response = tokio::time::timeout(self.config.idle_timeout, request)
            .await
            .map_err(|_| ApiError::NoResponse(self.config.idle_timeout))?
            .map_err(|error| ApiError::Connection { url: url.clone(), message: error_chain(&error) })?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|error| ApiError::Connection { url, message: error_chain(&error) })?;
        if !status.is_success() {
            let (kind, message) = wire.error_body(&text);
            return Err(ApiError::Status { status: status.as_u16(), kind, message, retry_after: None });
        }
        Ok(model_ids(&text))
    }

    /// The endpoint's listing; an endpoint without one (or failing) falls back to the provider's configured
    /// models, when there are any.
    pub async fn models_or_configured(
        &self,
        wire: &dyn Wire,
        provider: &claurst_protocol::ProviderInfo,
    ) -> Result<Vec<String>, ApiError> {
        match self.fetch_models(wire).await {
            Ok(listed) => Ok(listed),
            Err(error) if provider.models.is_empty() => Err(error),
            Err(error) => {
                tracing::debug!(%error, "model listing failed; using the configured models");
                Ok(provider.models.iter().map(|model| model.id.clone()).collect())
            }
        }
    }

    async fn connect(&self, wire: &dyn Wire, body: Bytes) -> Result<ByteStream, ApiError> {
        let url = wire.stream_url(&self.config.base_url);
        let builder = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", "text/event-stream");
        let sent = self.with_headers(wire, builder).body(body).send();
        // A server can accept the connection and then never answer; the same silence that ends a stream ends
        // the wait for the response headers, so the attempt is retried instead of hanging the session.
        let idle = self.config.idle_timeout;
        let response = tokio::time::timeout(idle, sent)
            .await
            .map_err(|_| ApiError::NoResponse(idle))?
            .map_err(|error| ApiError::Connection { url: url.clone(), message: error_chain(&error) })?;
        let status = response.status();
        if status.is_success() {
            return Ok(Box::pin(response.bytes_stream()));
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(parse_retry_after);
        let text =
            tokio::time::timeout(idle, response.text()).await.ok().and_then(Result::ok).unwrap_or_default();
        let (kind, message) = wire.error_body(&text);
        Err(ApiError::Status { status: status.as_u16(), kind, message, retry_after })
    }
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

enum State {
    Connect,
    Backoff(Duration),
    Streaming(Box<Attempt>),
    Done,
}

/// One attempt's response being read.
struct Attempt {
    bytes: ByteStream,
    decoder: Box<dyn StreamDecoder>,
    started: Instant,
}

/// How one read of the body ended.
enum Read {
    Piece(Bytes),
    /// The body ended.
    End,
    /// Nothing arrived within the idle timeout.
    Stalled,
}

/// One request's stream of deltas, retried on failures worth retrying. Pull items with `next`.
pub struct ResponseStream<'c> {
    core: &'c HttpCore,
    wire: &'c dyn Wire,
    body: Bytes,
    attempt: u32,
    state: State,
    pending: VecDeque<StreamItem>,
    api_time: Duration,
}

impl ResponseStream<'_> {
    /// The next item, or `None` after `Completed` or an error.
    pub async fn next(&mut self) -> Option<Result<StreamItem, ApiError>> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(Ok(item));
            }
            let outcome = match &mut self.state {
                State::Done => return None,
                State::Backoff(delay) => {
                    tokio::time::sleep(*delay).await;
                    self.state = State::Connect;
                    continue;
                }
                State::Connect => self.start_attempt().await,
                State::Streaming(_) => self.pump().await,
            };
            if let Err(error) = outcome
                && let Some(failure) = self.fail(error)
            {
                return Some(Err(failure));
            }
        }
    }

    /// Time spent waiting on the API across attempts.
    pub fn api_time(&self) -> Duration {
        self.api_time
    }

    async fn start_attempt(&mut self) -> Result<(), ApiError> {
        self.attempt += 1;
        let started = Instant::now();
        let bytes = self.core.connect(self.wire, self.body.clone()).await;
        self.api_time += started.elapsed();
        self.state = State::Streaming(Box::new(Attempt {
            bytes: bytes?,
            decoder: self.wire.decoder(),
            started: Instant::now(),
        }));
        Ok(())
    }

    /// Read one piece of the body and turn it into items.
    async fn pump(&mut self) -> Result<(), ApiError> {
        let idle = self.core.config.idle_timeout;
        let State::Streaming(attempt) = &mut self.state else {
            return Ok(());
        };
        let read = match tokio::time::timeout(idle, attempt.bytes.next()).await {
            Err(_) => Read::Stalled,
            Ok(None) => Read::End,
            Ok(Some(Err(error))) => {
                tracing::debug!(error = %error_chain(&error), "stream read failed");
                return Err(ApiError::StreamCut);
            }
            Ok(Some(Ok(piece))) => Read::Piece(piece),
        };
        let ended = !matches!(read, Read::Piece(_));
        match read {
            Read::Piece(piece) => {
                let mut deltas = Vec::new();
                attempt.decoder.feed(&piece, &mut deltas)?;
                self.pending.extend(deltas.into_iter().map(StreamItem::Delta));
            }
            // Some servers end (or fall silent) after the message's last part without the end marker; a
            // message the decoder knows to be whole is complete, anything else was cut.
            Read::End | Read::Stalled if attempt.decoder.complete_without_end_marker() => {}
            Read::End => return Err(ApiError::StreamCut),
            Read::Stalled => return Err(ApiError::IdleTimeout(idle)),
        }
        let whole = attempt.decoder.is_complete() || ended;
        if whole {
            self.api_time += attempt.started.elapsed();
            let State::Streaming(attempt) = std::mem::replace(&mut self.state, State::Done) else {
                return Ok(());
            };
            self.pending.push_back(StreamItem::Completed(attempt.decoder.finish()));
        }
        Ok(())
    }

    /// Schedule a retry for `error`, or end the stream and return the error to report.
    fn fail(&mut self, error: ApiError) -> Option<ApiError> {
        if let State::Streaming(attempt) = &self.state {
            self.api_time += attempt.started.elapsed();
        }
        let policy = &self.core.config.retry;
        if !error.is_retryable() {
            self.state = State::Done;
            return Some(error);
        }
        if self.attempt >= policy.max_attempts {
            self.state = State::Done;
            return Some(ApiError::RetriesExhausted { attempts: self.attempt, last: Box::new(error) });
        }
        let delay = policy.delay(self.attempt + 1, error.retry_after());
        tracing::warn!(attempt = self.attempt, ?delay, %error, "retrying request");
        self.pending.push_back(StreamItem::Retrying {
            attempt: self.attempt + 1,
            max_attempts: policy.max_attempts,
            delay,
            reason: first_line(&error.to_string()),
            status: error.status(),
        });
        self.state = State::Backoff(delay);
        None
    }
}

/// The `data[].id` of a model listing (the shape Anthropic and OpenAI-compatible servers share).
pub(crate) fn model_ids(text: &str) -> Vec<String> {
    let listing: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    listing
        .get("data")
        .and_then(serde_json::Value::as_array)
        .map(|models| {
            models.iter().filter_map(|model| model.get("id")?.as_str().map(str::to_string)).collect()
        })
        .unwrap_or_default()
}

/// The kind and message of an error body: `{"error": {"type", "message"}}` (Anthropic; OpenAI too, where
/// the kind may be null and a `code` given instead: see [`error_kind`]), or the raw text.
pub(crate) fn error_body(text: &str) -> (String, String) {
    let parsed = serde_json::from_str::<serde_json::Value>(text).ok().and_then(|value| {
        let error = value.get("error")?;
        let message = error.get("message")?.as_str()?.to_string();
        Some((error_kind(error), message))
    });
    parsed.unwrap_or_else(|| ("http_error".into(), text.chars().take(300).collect()))
}

/// The kind of an error object, in a body or in a stream: its `type`, else its `code` (OpenAI-compatible
/// servers may leave the type null); a numeric code of 429 or 5xx reads as the matching retryable kind.
pub(crate) fn error_kind(error: &serde_json::Value) -> String {
    use serde_json::Value;
    match (error.get("type").and_then(Value::as_str), error.get("code")) {
        (Some(kind), _) if !kind.is_empty() => kind.to_string(),
        (_, Some(Value::String(code))) => code.clone(),
        (_, Some(Value::Number(code))) => match code.as_u64() {
            Some(429) => "rate_limit_error".into(),
            Some(529) => "overloaded_error".into(),
            Some(500..=599) => "api_error".into(),
            _ => format!("error_{code}"),
        },
        _ => "api_error".into(),
    }
}

/// reqwest's outer error rarely says what went wrong; the innermost source usually does.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    message
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::error_body;

    #[test]
    fn an_error_body_names_its_kind_by_type_else_code() {
        let kind = |text: &str| error_body(text).0;
        assert_eq!(kind(r#"{"error": {"type": "overloaded_error", "message": "busy"}}"#), "overloaded_error");
        assert_eq!(
            kind(r#"{"error": {"type": null, "code": "rate_limit_exceeded", "message": "m"}}"#),
            "rate_limit_exceeded"
        );
        assert_eq!(kind(r#"{"error": {"code": 429, "message": "slow down"}}"#), "rate_limit_error");
        assert_eq!(kind(r#"{"error": {"code": 503, "message": "down"}}"#), "api_error");
        assert_eq!(
            error_body("<html>bad gateway</html>"),
            ("http_error".into(), "<html>bad gateway</html>".into())
        );
    }
}
