//! The environment layer.

use crate::error::ConfigError;
use crate::model::Config;
use crate::paths::{ClaurstPaths, expand_tilde};
use std::collections::HashMap;
use std::ffi::OsString;

/// A snapshot of the environment variables Claurst reads. Tests build one from a map; the binary takes the
/// process environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: HashMap<String, OsString>,
}

impl Environment {
    /// The process environment.
    pub fn from_process() -> Self {
        Self { vars: std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v))).collect() }
    }

    /// An environment holding exactly these variables.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self { vars: pairs.into_iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect() }
    }

    /// A variable's value, if set and valid UTF-8. Empty values count as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|value| value.to_str()).filter(|value| !value.is_empty())
    }

    pub fn get_os(&self, name: &str) -> Option<&OsString> {
        self.vars.get(name).filter(|value| !value.is_empty())
    }
}

pub(crate) fn apply(config: &mut Config, env: &Environment, paths: &ClaurstPaths) -> Result<(), ConfigError> {
    if let Some(key) = env.get("ANTHROPIC_API_KEY") {
        config.api.api_key = Some(key.to_string());
    }
    if let Some(url) = env.get("ANTHROPIC_BASE_URL") {
        config.api.base_url = url.trim_end_matches('/').to_string();
    }
    if let Some(model) = env.get("CLAURST_MODEL") {
        config.api.model = model.to_string();
    }
    if let Some(provider) = env.get("CLAURST_PROVIDER") {
        config.api.provider = provider.to_string();
    }
    if let Some(theme) = env.get("CLAURST_THEME") {
        config.ui.theme = theme.to_string();
    }
    if let Some(dir) = env.get("CLAURST_MEMORY_DIR") {
        config.memory.memory_dir = expand_tilde(dir, paths.home());
    }
    if let Some(level) = env.get("CLAURST_LOG_LEVEL") {
        config.log_level = parse_log_level(level).ok_or_else(|| ConfigError::InvalidEnv {
            var: "CLAURST_LOG_LEVEL".into(),
            value: level.into(),
            expected: "one of trace, debug, info, warn, error".into(),
        })?;
    }
    if let Some(tokens) = env.get("CLAURST_MAX_TOKENS") {
        config.api.max_tokens = parse_positive("CLAURST_MAX_TOKENS", tokens)?;
    }
    if let Some(secs) = env.get("CLAURST_BASH_TIMEOUT") {
        config.tools.bash_timeout_secs = parse_positive("CLAURST_BASH_TIMEOUT", secs)?;
    }
    Ok(())
}

/// The canonical spelling of a log level, if `level` is one.
pub(crate) fn parse_log_level(level: &str) -> Option<String> {
    let lower = level.to_ascii_lowercase();
    ["trace", "debug", "info", "warn", "error"].contains(&lower.as_str()).then_some(lower)
}

fn parse_positive<T: std::str::FromStr + PartialOrd + Default>(
    var: &str,
    value: &str,
) -> Result<T, ConfigError> {
    value.trim().parse::<T>().ok().filter(|n| *n > T::default()).ok_or_else(|| ConfigError::InvalidEnv {
        var: var.into(),
        value: value.into(),
        expected: "a positive whole number".into(),
    })
}
