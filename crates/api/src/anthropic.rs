//! The Anthropic Messages API as a wire format: `POST {base_url}/v1/messages`, `x-api-key`, SSE events
//! assembled by `MessageAssembler`.

use crate::assembler::{Delta, MessageAssembler, ModelResponse};
use crate::client::{ClientConfig, HttpCore, ResponseStream, StreamDecoder, Wire};
use crate::error::ApiError;
use crate::request::MessagesRequest;
use crate::sse::SseDecoder;
use claurst_protocol::{ProviderInfo, WireApi};

/// The Messages API version Claurst speaks.
const API_VERSION: &str = "2023-06-01";

/// A Messages API client. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct AnthropicClient {
    core: HttpCore,
    wire: AnthropicWire,
    provider: ProviderInfo,
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
        let provider = ProviderInfo {
            name: "anthropic".into(),
            wire_api: WireApi::AnthropicMessages,
            base_url: config.base_url.clone(),
            api_key_env: Some("ANTHROPIC_API_KEY".into()),
            headers: Vec::new(),
            models: Vec::new(),
        };
        Ok(Self { core: HttpCore::new(config, Vec::new())?, wire: AnthropicWire, provider })
    }

    /// The same client, describing itself as `provider` (its name, models and their metadata) and sending
    /// the provider's extra headers.
    pub fn with_provider(mut self, provider: ProviderInfo) -> Self {
        self.core.extra_headers = provider.headers.clone();
        self.provider = provider;
        self
    }

    pub fn config(&self) -> &ClientConfig {
        &self.core.config
    }

    /// Start a streaming request. Nothing is sent until the stream is first polled. Cancel by dropping it.
    pub fn stream(&self, request: &MessagesRequest) -> ResponseStream<'_> {
        self.core.stream(&self.wire, request)
    }
}

#[async_trait::async_trait]
impl crate::model_client::ModelClient for AnthropicClient {
    fn provider(&self) -> &ProviderInfo {
        &self.provider
    }

    fn stream<'c>(&'c self, request: &MessagesRequest) -> ResponseStream<'c> {
        AnthropicClient::stream(self, request)
    }

    async fn list_models(&self) -> Result<Vec<String>, ApiError> {
        self.core.models_or_configured(&self.wire, &self.provider).await
    }
}

#[derive(Debug, Clone, Copy)]
struct AnthropicWire;

impl Wire for AnthropicWire {
    fn stream_url(&self, base_url: &str) -> String {
        format!("{base_url}/v1/messages")
    }

    fn models_url(&self, base_url: &str) -> String {
        format!("{base_url}/v1/models")
    }

    fn headers(&self, api_key: &str) -> Vec<(String, String)> {
        let mut headers = vec![("anthropic-version".to_string(), API_VERSION.to_string())];
        if !api_key.is_empty() {
            headers.push(("x-api-key".into(), api_key.into()));
        }
        headers
    }

    fn body(&self, request: &MessagesRequest) -> serde_json::Value {
        request.to_body()
    }

    fn decoder(&self) -> Box<dyn StreamDecoder> {
        Box::new(AnthropicDecoder::default())
    }
}

/// SSE events fed to the message assembler.
#[derive(Default)]
pub(crate) struct AnthropicDecoder {
    sse: SseDecoder,
    assembler: MessageAssembler,
    events: Vec<crate::sse::SseEvent>,
}

impl StreamDecoder for AnthropicDecoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<Delta>) -> Result<(), ApiError> {
        self.events.clear();
        self.sse.feed(bytes, &mut self.events);
        for event in &self.events {
            // Anything after `message_stop` belongs to no message.
            if self.assembler.is_complete() {
                break;
            }
            self.assembler.apply(event, out)?;
        }
        Ok(())
    }

    fn is_complete(&self) -> bool {
        self.assembler.is_complete()
    }

    fn finish(self: Box<Self>) -> ModelResponse {
        self.assembler.finish()
    }
}
