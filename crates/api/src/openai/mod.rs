//! OpenAI's Chat Completions API as a wire format, for OpenAI and the many servers that copy it (Ollama,
//! vLLM, llama.cpp, LM Studio, OpenRouter, LiteLLM): `POST {base_url}/chat/completions` with `stream: true`,
//! `Authorization: Bearer KEY` when there is a key.

mod decoder;
mod request;

use crate::client::{ClientConfig, HttpCore, ResponseStream, StreamDecoder, Wire};
use crate::error::ApiError;
use crate::request::MessagesRequest;
use claurst_protocol::ProviderInfo;

pub(crate) use decoder::ChatDecoder;
pub use request::chat_body;

/// A Chat Completions client. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct OpenAiChatClient {
    core: HttpCore,
    wire: ChatWire,
}

impl OpenAiChatClient {
    /// A client for `provider`, which must speak Chat Completions. The key (if any) and timeouts come from
    /// `config`; its base URL is the provider's. Keys are not checked here: see `connect`.
    pub fn new(provider: ProviderInfo, mut config: ClientConfig) -> Result<Self, ApiError> {
        config.base_url = provider.base_url.trim_end_matches('/').to_string();
        let core = HttpCore::new(config, provider.headers.clone())?;
        Ok(Self { core, wire: ChatWire { provider } })
    }

    /// Start a streaming request. Nothing is sent until the stream is first polled. Cancel by dropping it.
    pub fn stream(&self, request: &MessagesRequest) -> ResponseStream<'_> {
        self.core.stream(&self.wire, request)
    }
}

#[async_trait::async_trait]
impl crate::model_client::ModelClient for OpenAiChatClient {
    fn provider(&self) -> &ProviderInfo {
        &self.wire.provider
    }

    fn stream<'c>(&'c self, request: &MessagesRequest) -> ResponseStream<'c> {
        OpenAiChatClient::stream(self, request)
    }

    async fn list_models(&self) -> Result<Vec<String>, ApiError> {
        self.core.models_or_configured(&self.wire, &self.wire.provider).await
    }
}

#[derive(Debug, Clone)]
struct ChatWire {
    provider: ProviderInfo,
}

impl Wire for ChatWire {
    fn stream_url(&self, base_url: &str) -> String {
        format!("{base_url}/chat/completions")
    }

    fn models_url(&self, base_url: &str) -> String {
        format!("{base_url}/models")
    }

    fn headers(&self, api_key: &str) -> Vec<(String, String)> {
        if api_key.is_empty() {
            return Vec::new();
        }
        vec![("authorization".into(), format!("Bearer {api_key}"))]
    }

    fn body(&self, request: &MessagesRequest) -> serde_json::Value {
        chat_body(request, &self.provider)
    }

    fn decoder(&self) -> Box<dyn StreamDecoder> {
        Box::new(ChatDecoder::default())
    }
}
