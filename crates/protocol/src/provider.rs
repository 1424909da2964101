//! Model providers as data: which wire format a provider speaks, where it lives, how it is authenticated and
//! what its models can do. Configuration fills these in; the api crate builds a client from them; front-ends
//! list them.

use crate::message::ModelPrice;
use serde::{Deserialize, Serialize};

/// The HTTP API a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WireApi {
    /// Anthropic's Messages API (`POST {base_url}/v1/messages`, SSE).
    #[serde(rename = "anthropic")]
    AnthropicMessages,
    /// OpenAI's Chat Completions API and the many servers that copy it (`POST {base_url}/chat/completions`).
    #[serde(rename = "openai-chat")]
    OpenAiChat,
}

impl WireApi {
    /// The name used in configuration (`kind = "openai-chat"`).
    pub fn config_name(self) -> &'static str {
        match self {
            WireApi::AnthropicMessages => "anthropic",
            WireApi::OpenAiChat => "openai-chat",
        }
    }
}

/// One provider: a named endpoint with its credentials and known models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// How users name it: `anthropic`, `ollama`, or the `NAME` of `[providers.NAME]`.
    pub name: String,
    pub wire_api: WireApi,
    /// Without a trailing slash. For Anthropic, requests go to `{base_url}/v1/messages`; for OpenAI-compatible
    /// servers the base URL includes the version (`http://localhost:11434/v1`).
    pub base_url: String,
    /// The environment variable holding the API key; `None` for keyless local servers.
    pub api_key_env: Option<String>,
    /// Extra HTTP headers sent with every request (values already resolved).
    pub headers: Vec<(String, String)>,
    /// Models this provider is known to serve, with what Claurst knows about them.
    pub models: Vec<ModelInfo>,
}

impl ProviderInfo {
    /// What Claurst knows of `model` at this provider, if anything.
    pub fn model(&self, model: &str) -> Option<&ModelInfo> {
        self.models.iter().find(|info| info.id == model)
    }
}

/// What a model can do and what it costs. Unknown values are `None`: prices unknown are shown as such,
/// never as $0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub context_window: Option<u64>,
    pub max_output_tokens: Option<u32>,
    pub price: Option<ModelPrice>,
    /// Whether the model takes image input.
    pub images: bool,
    /// Whether the model can call tools.
    pub tools: bool,
    /// Whether the model can think before answering (extended thinking or reasoning).
    pub thinking: bool,
}

impl ModelInfo {
    /// A model about which nothing is known beyond its name: assumed to call tools, nothing else.
    pub fn unknown(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            context_window: None,
            max_output_tokens: None,
            price: None,
            images: false,
            tools: true,
            thinking: false,
        }
    }
}
