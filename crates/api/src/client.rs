//! The HTTP client and the retrying response stream.

use crate::assembler::{Delta, MessageAssembler, ModelResponse};
use crate::error::ApiError;
use crate::request::MessagesRequest;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::sse::{SseDecoder, SseEvent};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::collections::VecDeque;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// The Messages API version Claurst speaks.
const API_VERSION: &str = "2023-06-01";

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

/// A Messages API client. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct AnthropicClient {
    http: reqwest::Client,
    config: ClientConfig,
    provider: claurst_protocol::ProviderInfo,
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
    },
    /// The message is complete; nothing follows.
    Completed(ModelResponse),
}

impl AnthropicClient {
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        if config.api_key.trim().is_empty() {
            return Err(ApiError::MissingApiKey);
        }
        Self::with_config(config)
    }

    /// A client without the key check: keyless endpoints (a local proxy) and the provider factory, which
    /// checks keys itself.
    pub(crate) fn with_config(config: ClientConfig) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("claurst/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ApiError::Connection {
                url: config.base_url.clone(),
                message: error.to_string(),
            })?;
        let provider = claurst_protocol::ProviderInfo {
            name: "anthropic".into(),
            wire_api: claurst_protocol::WireApi::AnthropicMessages,
            base_url: config.base_url.clone(),
            api_key_env: Some("ANTHROPIC_API_KEY".into()),
            headers: Vec::new(),
            models: Vec::new(),
        };
        Ok(Self { http, config, provider })
    }

    /// The same client, describing itself as `provider` (its name, models and their metadata).
    pub fn with_provider(mut self, provider: claurst_protocol::ProviderInfo) -> Self {
        self.provider = provider;
        self
    }

    /// The model ids `GET {base_url}/v1/models` lists.
    async fn fetch_models(&self) -> Result<Vec<String>, ApiError> {
        let url = format!("{}/v1/models", self.config.base_url);
        let request = self
            .http
            .get(&url)
            .header("x-api-key", &self.config.api_key)
            .header("anthropic-version", API_VERSION)
            .send();
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
            let (kind, message) = error_body(&text);
            return Err(ApiError::Status { status: status.as_u16(), kind, message, retry_after: None });
        }
        Ok(model_ids(&text))
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Start a streaming request. Nothing is sent until the stream is first polled. Cancel by dropping it.
    pub fn stream(&self, request: &MessagesRequest) -> ResponseStream<'_> {
        ResponseStream {
            client: self,
            body: Bytes::from(request.to_body().to_string()),
            attempt: 0,
            state: State::Connect,
            pending: VecDeque::new(),
            api_time: Duration::ZERO,
        }
    }

    async fn connect(&self, body: Bytes) -> Result<ByteStream, ApiError> {
        let url = format!("{}/v1/messages", self.config.base_url);
        let sent = self
            .http
            .post(&url)
            .header("x-api-key", &self.config.api_key)
            .header("anthropic-version", API_VERSION)
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .body(body)
            .send();
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
        let (kind, message) = error_body(&text);
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
    decoder: SseDecoder,
    assembler: MessageAssembler,
    started: Instant,
}

/// One request's stream of deltas, retried on failures worth retrying. Pull items with `next`.
pub struct ResponseStream<'c> {
    client: &'c AnthropicClient,
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
        let bytes = self.client.connect(self.body.clone()).await;
        self.api_time += started.elapsed();
        self.state = State::Streaming(Box::new(Attempt {
            bytes: bytes?,
            decoder: SseDecoder::new(),
            assembler: MessageAssembler::default(),
            started: Instant::now(),
        }));
        Ok(())
    }

    /// Read one piece of the body and turn it into items.
    async fn pump(&mut self) -> Result<(), ApiError> {
        let idle = self.client.config.idle_timeout;
        let State::Streaming(attempt) = &mut self.state else {
            return Ok(());
        };
        let Attempt { bytes, decoder, assembler, started } = attempt.as_mut();
        let piece = match tokio::time::timeout(idle, bytes.next()).await {
            Err(_) => return Err(ApiError::IdleTimeout(idle)),
            Ok(None) => return Err(ApiError::StreamCut),
            Ok(Some(Err(error))) => {
                tracing::debug!(error = %error_chain(&error), "stream read failed");
                return Err(ApiError::StreamCut);
            }
            Ok(Some(Ok(piece))) => piece,
        };
        let mut events: Vec<SseEvent> = Vec::new();
        decoder.feed(&piece, &mut events);
        let mut deltas = Vec::new();
        for event in &events {
            assembler.apply(event, &mut deltas)?;
            if assembler.is_complete() {
                break;
            }
        }
        self.pending.extend(deltas.into_iter().map(StreamItem::Delta));
        if assembler.is_complete() {
            self.api_time += started.elapsed();
            let State::Streaming(attempt) = std::mem::replace(&mut self.state, State::Done) else {
                return Ok(());
            };
            self.pending.push_back(StreamItem::Completed(attempt.assembler.finish()));
        }
        Ok(())
    }

    /// Schedule a retry for `error`, or end the stream and return the error to report.
    fn fail(&mut self, error: ApiError) -> Option<ApiError> {
        if let State::Streaming(attempt) = &self.state {
            self.api_time += attempt.started.elapsed();
        }
        let policy = &self.client.config.retry;
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
        });
        self.state = State::Backoff(delay);
        None
    }
}

#[async_trait::async_trait]
impl crate::model_client::ModelClient for AnthropicClient {
    fn provider(&self) -> &claurst_protocol::ProviderInfo {
        &self.provider
    }

    fn stream<'c>(&'c self, request: &MessagesRequest) -> ResponseStream<'c> {
        AnthropicClient::stream(self, request)
    }

    async fn list_models(&self) -> Result<Vec<String>, ApiError> {
        self.fetch_models().await
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

/// The error type and message of an Anthropic-format error body, or the raw text.
fn error_body(text: &str) -> (String, String) {
    let parsed: Option<(String, String)> =
        serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| {
            let error = v.get("error")?;
            Some((error.get("type")?.as_str()?.to_string(), error.get("message")?.as_str()?.to_string()))
        });
    parsed.unwrap_or_else(|| ("http_error".into(), text.chars().take(300).collect()))
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
