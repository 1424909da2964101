//! The built-in providers and the factory that turns a provider description into a client.
//!
//! Providers are data (`ProviderInfo`); this module knows the endpoints Claurst ships with and which client
//! speaks each wire format. The key check lives here: a provider that names a key variable needs a key, a
//! keyless local server needs none.

use crate::anthropic::AnthropicClient;
use crate::client::ClientConfig;
use crate::error::ApiError;
use crate::model_client::ModelClient;
use crate::openai::OpenAiChatClient;
use crate::retry::RetryPolicy;
use claurst_protocol::{ModelInfo, ModelPrice, ProviderInfo, WireApi};
use std::sync::Arc;
use std::time::Duration;

/// How every client retries and times out, whatever the provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    pub retry: RetryPolicy,
    /// A server that sends nothing for this long, before the response headers or within the stream, is
    /// treated as gone and the attempt is retried.
    pub idle_timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            idle_timeout: Duration::from_secs(90),
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// A client for `provider`. `api_key` is the key already read (from the provider's `api_key_env` or the
/// configuration); a provider with `api_key_env` and no key is refused with an error naming both.
pub fn connect(
    provider: ProviderInfo,
    api_key: Option<String>,
    options: ClientOptions,
) -> Result<Arc<dyn ModelClient>, ApiError> {
    let api_key = api_key.filter(|key| !key.trim().is_empty());
    if let (None, Some(env)) = (&api_key, &provider.api_key_env) {
        return Err(ApiError::MissingProviderKey { provider: provider.name.clone(), env: env.clone() });
    }
    let mut config = ClientConfig::new(api_key.unwrap_or_default(), provider.base_url.clone());
    config.retry = options.retry;
    config.idle_timeout = options.idle_timeout;
    config.connect_timeout = options.connect_timeout;
    match provider.wire_api {
        WireApi::AnthropicMessages => {
            Ok(Arc::new(AnthropicClient::with_config(config)?.with_provider(provider)))
        }
        WireApi::OpenAiChat => Ok(Arc::new(OpenAiChatClient::new(provider, config)?)),
    }
}

/// The providers Claurst knows without any configuration.
pub fn builtin_providers() -> Vec<ProviderInfo> {
    vec![
        builtin_anthropic(),
        openai(),
        openai_compatible("openrouter", "https://openrouter.ai/api/v1", Some("OPENROUTER_API_KEY")),
        openai_compatible("ollama", "http://localhost:11434/v1", None),
        openai_compatible("lmstudio", "http://localhost:1234/v1", None),
        openai_compatible("vllm", "http://localhost:8000/v1", None),
        openai_compatible("llamacpp", "http://localhost:8080/v1", None),
    ]
}

/// Anthropic's own API, with its models' limits and prices.
pub fn builtin_anthropic() -> ProviderInfo {
    let claude = |id: &str, max_output: u32, input: f64, output: f64| ModelInfo {
        id: id.into(),
        context_window: Some(200_000),
        max_output_tokens: Some(max_output),
        price: Some(ModelPrice::standard(input, output)),
        images: true,
        tools: true,
        thinking: true,
    };
    ProviderInfo {
        name: "anthropic".into(),
        wire_api: WireApi::AnthropicMessages,
        base_url: "https://api.anthropic.com".into(),
        api_key_env: Some("ANTHROPIC_API_KEY".into()),
        headers: Vec::new(),
        models: vec![
            claude("claude-opus-4-6", 64_000, 5.0, 25.0),
            claude("claude-opus-4-5", 64_000, 5.0, 25.0),
            claude("claude-sonnet-4-5", 64_000, 3.0, 15.0),
            claude("claude-haiku-4-5", 64_000, 1.0, 5.0),
            claude("claude-opus-4-1", 32_000, 15.0, 75.0),
            claude("claude-sonnet-4-0", 64_000, 3.0, 15.0),
        ],
    }
}

/// OpenAI's own models. Prices are per million tokens (input, cached input, output); OpenAI has no separate
/// cache-write charge, so writes cost plain input.
fn openai() -> ProviderInfo {
    let gpt = |id: &str, context: u64, max_output: u32, [input, cache_read, output]: [f64; 3], thinking| {
        ModelInfo {
            id: id.into(),
            context_window: Some(context),
            max_output_tokens: Some(max_output),
            price: Some(ModelPrice { input, output, cache_write: input, cache_read }),
            images: true,
            tools: true,
            thinking,
        }
    };
    ProviderInfo {
        models: vec![
            gpt("gpt-5", 400_000, 128_000, [1.25, 0.125, 10.0], true),
            gpt("gpt-5-mini", 400_000, 128_000, [0.25, 0.025, 2.0], true),
            gpt("gpt-4.1", 1_047_576, 32_768, [2.0, 0.5, 8.0], false),
            gpt("gpt-4o", 128_000, 16_384, [2.5, 1.25, 10.0], false),
        ],
        ..openai_compatible("openai", "https://api.openai.com/v1", Some("OPENAI_API_KEY"))
    }
}

fn openai_compatible(name: &str, base_url: &str, api_key_env: Option<&str>) -> ProviderInfo {
    ProviderInfo {
        name: name.into(),
        wire_api: WireApi::OpenAiChat,
        base_url: base_url.into(),
        api_key_env: api_key_env.map(str::to_string),
        headers: Vec::new(),
        models: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> ProviderInfo {
        builtin_providers().into_iter().find(|provider| provider.name == name).unwrap()
    }

    #[test]
    fn builtin_providers_are_unique_and_local_servers_are_keyless() {
        let providers = builtin_providers();
        let mut names: Vec<&str> = providers.iter().map(|provider| provider.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), providers.len());
        for local in ["ollama", "lmstudio", "vllm", "llamacpp"] {
            assert_eq!(named(local).api_key_env, None, "{local}");
            assert_eq!(named(local).wire_api, WireApi::OpenAiChat);
        }
        assert_eq!(named("anthropic").wire_api, WireApi::AnthropicMessages);
    }

    #[test]
    fn anthropic_prices_match_the_price_table() {
        for model in named("anthropic").models {
            assert_eq!(model.price, Some(crate::price_for(&model.id)), "{}", model.id);
        }
    }

    #[test]
    fn a_missing_key_names_the_provider_and_the_variable() {
        let error = connect(named("openrouter"), None, ClientOptions::default()).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("`openrouter`") && message.contains("OPENROUTER_API_KEY"), "{message}");
        let blank = connect(named("anthropic"), Some("  ".into()), ClientOptions::default()).unwrap_err();
        assert!(matches!(blank, ApiError::MissingProviderKey { ref env, .. } if env == "ANTHROPIC_API_KEY"));
    }

    #[test]
    fn keyless_providers_need_no_key() {
        let anthropic_proxy = ProviderInfo { api_key_env: None, ..named("anthropic") };
        let client = connect(anthropic_proxy, None, ClientOptions::default()).unwrap();
        assert_eq!(client.provider().name, "anthropic");
    }
}
