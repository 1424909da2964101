//! Which provider and model a session talks to, and the client for them.
//!
//! Users name a model as `MODEL` or `PROVIDER/MODEL`. The prefix counts only when it is a known provider's
//! name, because model ids themselves contain slashes (`openrouter/anthropic/claude-sonnet-4.5` is OpenRouter's
//! `anthropic/claude-sonnet-4.5`). A bare model stays with the current provider, unless that provider does not
//! list it and another one does (`/model claude-opus-4-6` from a local model goes back to Anthropic).

use crate::config::AgentConfig;
use claurst_api::{ApiError, ClientOptions, ModelClient};
use claurst_protocol::{ModelPrice, ProviderInfo, WireApi};
use std::sync::Arc;

/// The provider used when nothing names one.
pub const DEFAULT_PROVIDER: &str = "anthropic";

/// A model at a provider.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    pub provider: ProviderInfo,
    pub model: String,
}

impl Selection {
    /// How the user names it: `MODEL` at Anthropic, `PROVIDER/MODEL` elsewhere.
    pub fn label(&self) -> String {
        model_label(&self.provider.name, &self.model)
    }
}

/// `MODEL` for the default Anthropic provider, `PROVIDER/MODEL` for every other.
pub fn model_label(provider: &str, model: &str) -> String {
    if provider == DEFAULT_PROVIDER { model.to_string() } else { format!("{provider}/{model}") }
}

/// Split `PROVIDER/MODEL` when the part before the first `/` is one of `providers`.
pub fn split_model_spec<'p, 's>(
    spec: &'s str,
    providers: &'p [ProviderInfo],
) -> (Option<&'p ProviderInfo>, &'s str) {
    if let Some((prefix, model)) = spec.split_once('/')
        && !model.is_empty()
        && let Some(provider) = providers.iter().find(|provider| provider.name == prefix)
    {
        return (Some(provider), model);
    }
    (None, spec)
}

/// Resolve `spec` given the current provider.
pub(crate) fn select(spec: &str, current: &ProviderInfo, providers: &[ProviderInfo]) -> Selection {
    let (named, model) = split_model_spec(spec, providers);
    let provider = match named {
        Some(provider) => provider.clone(),
        None if current.model(model).is_some() => current.clone(),
        None => providers
            .iter()
            .find(|provider| provider.model(model).is_some())
            .cloned()
            .unwrap_or_else(|| current.clone()),
    };
    // The session's own provider keeps its overrides (a base URL given for this session) over the list's copy.
    let provider = if provider.name == current.name { current.clone() } else { provider };
    Selection { provider, model: model.to_string() }
}

/// The providers `/model` may switch to: the configured list, or the built-in one.
pub(crate) fn known_providers(config: &AgentConfig) -> Vec<ProviderInfo> {
    if config.providers.is_empty() { claurst_api::builtin_providers() } else { config.providers.clone() }
}

/// The provider a session starts with: the configured one, or Anthropic with `base_url` or
/// `ANTHROPIC_BASE_URL` when given.
pub(crate) fn initial_provider(config: &AgentConfig) -> ProviderInfo {
    if let Some(client) = &config.client {
        return client.provider().clone();
    }
    let mut provider = config.provider.clone().unwrap_or_else(|| {
        let mut anthropic = known_providers(config)
            .into_iter()
            .find(|provider| provider.name == DEFAULT_PROVIDER)
            .unwrap_or_else(claurst_api::builtin_anthropic);
        if let Ok(url) = std::env::var("ANTHROPIC_BASE_URL")
            && !url.is_empty()
        {
            anthropic.base_url = url.trim_end_matches('/').to_string();
        }
        anthropic
    });
    if let Some(url) = &config.base_url {
        provider.base_url = url.trim_end_matches('/').to_string();
    }
    provider
}

/// A client for `provider`: its key is `config.api_key` when it is the session's first provider, else the
/// variable it names.
pub(crate) fn connect(
    config: &AgentConfig,
    provider: &ProviderInfo,
) -> Result<Arc<dyn ModelClient>, ApiError> {
    if let Some(client) = &config.client
        && client.provider().name == provider.name
    {
        return Ok(client.clone());
    }
    let first = config.provider.as_ref().map(|first| first.name.as_str()).unwrap_or(DEFAULT_PROVIDER);
    let key = provider_key(provider, config.api_key.as_deref().filter(|_| provider.name == first));
    let options = ClientOptions {
        retry: config.retry.clone(),
        idle_timeout: config.stream_idle_timeout,
        ..ClientOptions::default()
    };
    claurst_api::connect(provider.clone(), key, options)
}

/// The key for `provider`: `configured` when given (the session's `[api] api_key`), else the environment
/// variable the provider names. A blank value counts as none, so the error names the variable to set.
pub fn provider_key(provider: &ProviderInfo, configured: Option<&str>) -> Option<String> {
    configured
        .map(str::to_string)
        .or_else(|| provider.api_key_env.as_ref().and_then(|var| std::env::var(var).ok()))
        .filter(|key| !key.trim().is_empty())
}

/// What `model` costs at `provider`: `[prices]` first, then the model's metadata, then (for Anthropic's own
/// API) the list prices by model family. `None` when nobody knows: shown as "price unknown", never as $0.
pub(crate) fn price(
    overrides: &[(String, ModelPrice)],
    provider: &ProviderInfo,
    model: &str,
) -> Option<ModelPrice> {
    if let Some((_, price)) = overrides.iter().find(|(fragment, _)| model.contains(fragment.as_str())) {
        return Some(*price);
    }
    if let Some(price) = provider.model(model).and_then(|info| info.price) {
        return Some(price);
    }
    (provider.name == DEFAULT_PROVIDER && provider.wire_api == WireApi::AnthropicMessages)
        .then(|| claurst_api::price_for(model))
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::ModelInfo;

    #[test]
    fn a_provider_s_key_is_the_configured_one_or_its_variable_and_never_blank() {
        let mut hosted = claurst_api::builtin_anthropic();
        hosted.name = "hosted".into();
        hosted.api_key_env = Some("CLAURST_TEST_PROVIDER_KEY_UNSET".into());
        assert_eq!(provider_key(&hosted, Some("sk-configured")).as_deref(), Some("sk-configured"));
        assert_eq!(provider_key(&hosted, Some("  ")), None, "a blank key is no key");
        assert_eq!(provider_key(&hosted, None), None, "the variable is unset");
        hosted.api_key_env = Some("PATH".into());
        assert_eq!(provider_key(&hosted, None), std::env::var("PATH").ok(), "read from the named variable");
    }

    #[test]
    fn a_prefix_counts_only_when_it_names_a_provider() {
        let providers = claurst_api::builtin_providers();
        let (provider, model) = split_model_spec("openrouter/anthropic/claude-sonnet-4.5", &providers);
        assert_eq!(provider.map(|p| p.name.as_str()), Some("openrouter"));
        assert_eq!(model, "anthropic/claude-sonnet-4.5");
        let (provider, model) = split_model_spec("meta-llama/Llama-3-8B", &providers);
        assert!(provider.is_none());
        assert_eq!(model, "meta-llama/Llama-3-8B");
    }

    #[test]
    fn a_bare_model_stays_unless_another_provider_lists_it() {
        let mut providers = claurst_api::builtin_providers();
        let ollama = providers.iter_mut().find(|p| p.name == "ollama").unwrap();
        ollama.models.push(ModelInfo::unknown("qwen3"));
        let ollama = ollama.clone();
        assert_eq!(select("qwen3:8b", &ollama, &providers).provider.name, "ollama");
        assert_eq!(select("claude-opus-4-6", &ollama, &providers).provider.name, "anthropic");
        let selection = select("ollama/qwen3", &claurst_api::builtin_anthropic(), &providers);
        assert_eq!(selection.label(), "ollama/qwen3");
    }

    #[test]
    fn unknown_prices_are_unknown_except_at_anthropic() {
        let providers = claurst_api::builtin_providers();
        let ollama = providers.iter().find(|p| p.name == "ollama").unwrap();
        assert_eq!(price(&[], ollama, "qwen3"), None);
        let overrides = vec![("qwen".to_string(), ModelPrice::standard(0.1, 0.2))];
        assert_eq!(price(&overrides, ollama, "qwen3").map(|p| p.output), Some(0.2));
        assert!(price(&[], &claurst_api::builtin_anthropic(), "claude-mystery").is_some());
    }
}
