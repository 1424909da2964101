//! `[providers.NAME]`: model providers as the user describes them, and how they combine with the built-in ones.
//!
//! An entry may name a built-in provider (`[providers.ollama]`) to change some of its fields; every field it
//! leaves out keeps the built-in value. A new name needs `kind` and `base_url`.

use crate::env::Environment;
use crate::schema::Expected;
use claurst_protocol::{ModelInfo, ModelPrice, ProviderInfo, WireApi};
use toml::Value;

/// Keys of `[providers.NAME]`.
pub(crate) const PROVIDER_KEYS: &[&str] = &["kind", "base_url", "api_key_env", "headers", "models"];
/// Keys of `[providers.NAME.models."MODEL"]`.
pub(crate) const MODEL_KEYS: &[&str] = &[
    "context_window",
    "max_output_tokens",
    "input_price",
    "output_price",
    "cache_read_price",
    "cache_write_price",
    "images",
    "tools",
    "thinking",
];

/// One `[providers.NAME]` entry as written: `None` leaves the built-in value (or the default for a new name).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderEntry {
    pub name: String,
    pub kind: Option<WireApi>,
    pub base_url: Option<String>,
    /// `Some("")` makes a built-in provider keyless.
    pub api_key_env: Option<String>,
    /// Header values as written; `"$VAR"` and `"${VAR}"` are read from the environment when providers are
    /// resolved.
    pub headers: Vec<(String, String)>,
    pub models: Vec<ModelEntry>,
    /// A `base_url` written in a project's file: used only for a provider neither Claurst nor the user's
    /// file defines, so that a cloned repository cannot send the user's key, or a provider the user chose,
    /// to a server of its choosing.
    pub project_base_url: Option<String>,
}

/// One `[providers.NAME.models."MODEL"]` entry as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelEntry {
    pub id: String,
    pub context_window: Option<u64>,
    pub max_output_tokens: Option<u32>,
    pub input_price: Option<f64>,
    pub output_price: Option<f64>,
    pub cache_read_price: Option<f64>,
    pub cache_write_price: Option<f64>,
    pub images: Option<bool>,
    pub tools: Option<bool>,
    pub thinking: Option<bool>,
}

/// A problem in one provider entry: the key (relative to `providers.NAME`) and what it should have been.
pub(crate) struct EntryError {
    pub key: String,
    pub expected: Expected,
    pub found: String,
}

/// A project file's `[providers.NAME]` table without what only the user's file may set: `api_key_env` and
/// headers read from the environment are refused (returned by name), and `base_url` is set apart (see
/// [`ProviderEntry::project_base_url`]). A `base_url` that is not a string stays, for `read_entry` to report.
pub(crate) fn project_limits(fields: &toml::Table) -> (toml::Table, Option<String>, Vec<String>) {
    let mut kept = fields.clone();
    let mut refused = Vec::new();
    if kept.remove("api_key_env").is_some() {
        refused.push("api_key_env".to_string());
    }
    if let Some(Value::Table(headers)) = kept.get_mut("headers") {
        let from_environment: Vec<String> = headers
            .iter()
            .filter(|(_, value)| value.as_str().is_some_and(|raw| raw.starts_with('$')))
            .map(|(name, _)| name.clone())
            .collect();
        for name in from_environment {
            headers.remove(&name);
            refused.push(format!("headers.{name}"));
        }
    }
    let base_url = match kept.remove("base_url") {
        Some(Value::String(url)) => Some(url.trim_end_matches('/').to_string()),
        Some(other) => {
            kept.insert("base_url".into(), other);
            None
        }
        None => None,
    };
    (kept, base_url, refused)
}

/// Read `[providers.NAME]` into `entries`, merging with an entry of the same name from an earlier file.
/// Unknown keys are returned as `(key path, known keys)` for warnings.
pub(crate) fn read_entry(
    entries: &mut Vec<ProviderEntry>,
    name: &str,
    value: &Value,
    unknown: &mut Vec<(String, &'static [&'static str])>,
) -> Result<(), EntryError> {
    let Value::Table(fields) = value else {
        return Err(EntryError {
            key: String::new(),
            expected: Expected("a section written as [providers.NAME] with kind and base_url"),
            found: describe(value),
        });
    };
    let index = match entries.iter().position(|entry| entry.name == name) {
        Some(index) => index,
        None => {
            entries.push(ProviderEntry { name: name.to_string(), ..Default::default() });
            entries.len() - 1
        }
    };
    let entry = &mut entries[index];
    for (key, value) in fields {
        let wrong = |expected: Expected| EntryError { key: key.clone(), expected, found: describe(value) };
        match key.as_str() {
            "kind" => entry.kind = Some(wire_api(value).map_err(wrong)?),
            "base_url" => entry.base_url = Some(string(value).map_err(wrong)?.trim_end_matches('/').into()),
            "api_key_env" => entry.api_key_env = Some(string(value).map_err(wrong)?),
            "headers" => read_headers(entry, value).map_err(wrong)?,
            "models" => read_models(entry, value, unknown)?,
            _ => unknown.push((key.clone(), PROVIDER_KEYS)),
        }
    }
    Ok(())
}

fn read_headers(entry: &mut ProviderEntry, value: &Value) -> Result<(), Expected> {
    const EXPECTED: Expected = Expected("a table of strings, such as { \"X-Title\" = \"claurst\" }");
    let Value::Table(headers) = value else { return Err(EXPECTED) };
    for (name, value) in headers {
        let value = value.as_str().ok_or(EXPECTED)?.to_string();
        entry.headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        entry.headers.push((name.clone(), value));
    }
    Ok(())
}

fn read_models(
    entry: &mut ProviderEntry,
    value: &Value,
    unknown: &mut Vec<(String, &'static [&'static str])>,
) -> Result<(), EntryError> {
    let Value::Table(models) = value else {
        return Err(EntryError {
            key: "models".into(),
            expected: Expected("tables written as [providers.NAME.models.\"MODEL\"]"),
            found: describe(value),
        });
    };
    for (id, fields) in models {
        let index = match entry.models.iter().position(|model| model.id == *id) {
            Some(index) => index,
            None => {
                entry.models.push(ModelEntry { id: id.clone(), ..Default::default() });
                entry.models.len() - 1
            }
        };
        let model = &mut entry.models[index];
        let Value::Table(fields) = fields else {
            return Err(EntryError {
                key: format!("models.\"{id}\""),
                expected: Expected("a table such as { context_window = 32768, tools = true }"),
                found: describe(fields),
            });
        };
        for (key, value) in fields {
            read_model_field(model, key, value).map_err(|expected| EntryError {
                key: format!("models.\"{id}\".{key}"),
                expected,
                found: describe(value),
            })?;
            if !MODEL_KEYS.contains(&key.as_str()) {
                unknown.push((format!("models.\"{id}\".{key}"), MODEL_KEYS));
            }
        }
    }
    Ok(())
}

fn read_model_field(model: &mut ModelEntry, key: &str, value: &Value) -> Result<(), Expected> {
    match key {
        "context_window" => model.context_window = Some(positive(value)?),
        "max_output_tokens" => {
            model.max_output_tokens = Some(u32::try_from(positive(value)?).map_err(|_| POSITIVE)?)
        }
        "input_price" => model.input_price = Some(price(value)?),
        "output_price" => model.output_price = Some(price(value)?),
        "cache_read_price" => model.cache_read_price = Some(price(value)?),
        "cache_write_price" => model.cache_write_price = Some(price(value)?),
        "images" => model.images = Some(boolean(value)?),
        "tools" => model.tools = Some(boolean(value)?),
        "thinking" => model.thinking = Some(boolean(value)?),
        _ => {}
    }
    Ok(())
}

/// The providers in force: the built-in ones with the user's entries applied, then the user's new ones.
/// Entries that cannot make a provider (a new name without `kind` or `base_url`) and headers naming an unset
/// variable become warnings.
pub fn resolve_providers(
    builtins: Vec<ProviderInfo>,
    entries: &[ProviderEntry],
    env: &Environment,
    warnings: &mut Vec<String>,
) -> Vec<ProviderInfo> {
    let mut providers = builtins;
    for entry in entries {
        let defined_elsewhere =
            entry.base_url.is_some() || providers.iter().any(|provider| provider.name == entry.name);
        if entry.project_base_url.is_some() && defined_elsewhere {
            warnings.push(format!(
                "[providers.{}] base_url in the project's .claurst.toml is ignored: a project may define new \
                 providers, not move one Claurst or ~/.claurst/config.toml defines",
                entry.name
            ));
        }
        match providers.iter_mut().find(|provider| provider.name == entry.name) {
            Some(provider) => apply_entry(provider, entry, env, warnings),
            None => {
                let base_url = entry.base_url.clone().or_else(|| entry.project_base_url.clone());
                let (Some(kind), Some(base_url)) = (entry.kind, base_url) else {
                    warnings.push(format!(
                        "[providers.{0}] is not a built-in provider, so it needs both kind (\"anthropic\" or \
                         \"openai-chat\") and base_url; it is ignored\n  for example: [providers.{0}] kind = \
                         \"openai-chat\", base_url = \"http://localhost:8000/v1\"",
                        entry.name
                    ));
                    continue;
                };
                let mut provider = ProviderInfo {
                    name: entry.name.clone(),
                    wire_api: kind,
                    base_url,
                    api_key_env: None,
                    headers: Vec::new(),
                    models: Vec::new(),
                };
                apply_entry(&mut provider, entry, env, warnings);
                providers.push(provider);
            }
        }
    }
    providers
}

fn apply_entry(
    provider: &mut ProviderInfo,
    entry: &ProviderEntry,
    env: &Environment,
    warnings: &mut Vec<String>,
) {
    if let Some(kind) = entry.kind {
        provider.wire_api = kind;
    }
    if let Some(url) = &entry.base_url {
        provider.base_url = url.clone();
    }
    if let Some(var) = &entry.api_key_env {
        provider.api_key_env = Some(var.clone()).filter(|var| !var.trim().is_empty());
    }
    for (name, raw) in &entry.headers {
        let Some(value) = header_value(raw, env) else {
            warnings.push(format!(
                "[providers.{}] header {name} reads {raw}, which is not set; the header is not sent",
                entry.name
            ));
            continue;
        };
        provider.headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        provider.headers.push((name.clone(), value));
    }
    for model in &entry.models {
        match provider.models.iter_mut().find(|known| known.id == model.id) {
            Some(known) => apply_model(known, model),
            None => {
                let mut known = ModelInfo::unknown(&model.id);
                apply_model(&mut known, model);
                provider.models.push(known);
            }
        }
    }
}

fn apply_model(info: &mut ModelInfo, entry: &ModelEntry) {
    info.context_window = entry.context_window.or(info.context_window);
    info.max_output_tokens = entry.max_output_tokens.or(info.max_output_tokens);
    info.images = entry.images.unwrap_or(info.images);
    info.tools = entry.tools.unwrap_or(info.tools);
    info.thinking = entry.thinking.unwrap_or(info.thinking);
    if let (Some(input), Some(output)) = (entry.input_price, entry.output_price) {
        info.price = Some(ModelPrice::standard(input, output));
    }
    if let Some(price) = &mut info.price {
        price.cache_read = entry.cache_read_price.unwrap_or(price.cache_read);
        price.cache_write = entry.cache_write_price.unwrap_or(price.cache_write);
    }
}

/// A header value: `"$VAR"` or `"${VAR}"` is the variable's value (`None` when unset); anything else is literal.
fn header_value(raw: &str, env: &Environment) -> Option<String> {
    let var = raw
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .or_else(|| raw.strip_prefix('$').filter(|name| !name.is_empty() && !name.contains(' ')));
    match var {
        Some(name) => env.get(name).map(str::to_string),
        None => Some(raw.to_string()),
    }
}

const POSITIVE: Expected = Expected("a positive whole number");

fn wire_api(value: &Value) -> Result<WireApi, Expected> {
    match value.as_str() {
        Some("anthropic") => Ok(WireApi::AnthropicMessages),
        Some("openai-chat") => Ok(WireApi::OpenAiChat),
        _ => Err(Expected("one of \"anthropic\", \"openai-chat\"")),
    }
}

fn string(value: &Value) -> Result<String, Expected> {
    value.as_str().map(str::to_string).ok_or(Expected("a string in quotes"))
}

fn boolean(value: &Value) -> Result<bool, Expected> {
    value.as_bool().ok_or(Expected("true or false"))
}

fn positive(value: &Value) -> Result<u64, Expected> {
    value.as_integer().filter(|n| *n > 0).and_then(|n| u64::try_from(n).ok()).ok_or(POSITIVE)
}

fn price(value: &Value) -> Result<f64, Expected> {
    let number = value.as_float().or_else(|| value.as_integer().map(|n| n as f64));
    number.filter(|n| *n >= 0.0).ok_or(Expected("a number of US dollars per million tokens, such as 0.5"))
}

fn describe(value: &Value) -> String {
    match value {
        Value::Table(_) => "a table".into(),
        Value::Array(_) => format!("the list {value}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin_ollama() -> ProviderInfo {
        ProviderInfo {
            name: "ollama".into(),
            wire_api: WireApi::OpenAiChat,
            base_url: "http://localhost:11434/v1".into(),
            api_key_env: None,
            headers: Vec::new(),
            models: Vec::new(),
        }
    }

    fn entries(text: &str) -> Vec<ProviderEntry> {
        let table: toml::Table = text.parse().unwrap();
        let mut entries = Vec::new();
        let mut unknown = Vec::new();
        for (name, value) in table["providers"].as_table().unwrap() {
            assert!(read_entry(&mut entries, name, value, &mut unknown).is_ok());
        }
        entries
    }

    #[test]
    fn an_entry_overrides_a_builtin_and_adds_models() {
        let entries = entries(
            "[providers.ollama]\nbase_url = \"http://gpu:11434/v1/\"\n\
             [providers.ollama.models.\"qwen3\"]\ncontext_window = 32768\ninput_price = 0\noutput_price = 0\n",
        );
        let providers =
            resolve_providers(vec![builtin_ollama()], &entries, &Environment::default(), &mut vec![]);
        assert_eq!(providers[0].base_url, "http://gpu:11434/v1");
        let qwen = providers[0].model("qwen3").unwrap();
        assert_eq!(qwen.context_window, Some(32768));
        assert_eq!(qwen.price.map(|p| p.output), Some(0.0));
        assert!(qwen.tools);
    }

    #[test]
    fn a_new_provider_needs_kind_and_base_url() {
        let entries = entries("[providers.mine]\nbase_url = \"http://x/v1\"\n");
        let mut warnings = Vec::new();
        let providers = resolve_providers(Vec::new(), &entries, &Environment::default(), &mut warnings);
        assert!(providers.is_empty());
        assert!(warnings[0].contains("kind"), "{warnings:?}");
    }

    #[test]
    fn header_values_read_the_environment() {
        let entries = entries(
            "[providers.mine]\nkind = \"openai-chat\"\nbase_url = \"http://x/v1\"\napi_key_env = \"MINE_KEY\"\n\
             headers = { \"X-A\" = \"$A\", \"X-B\" = \"${B}\", \"X-C\" = \"plain\", \"X-D\" = \"$UNSET\" }\n",
        );
        let env = Environment::from_pairs([("A", "one"), ("B", "two")]);
        let mut warnings = Vec::new();
        let providers = resolve_providers(Vec::new(), &entries, &env, &mut warnings);
        let headers = &providers[0].headers;
        assert!(headers.contains(&("X-A".into(), "one".into())));
        assert!(headers.contains(&("X-B".into(), "two".into())));
        assert!(headers.contains(&("X-C".into(), "plain".into())));
        assert_eq!(headers.len(), 3);
        assert!(warnings[0].contains("$UNSET"));
        assert_eq!(providers[0].api_key_env.as_deref(), Some("MINE_KEY"));
    }
}
