//! Which keys exist in which section, and how each one is read from TOML.

use crate::env::parse_log_level;
use crate::model::{Config, MAX_AGENT_DEPTH, MAX_PARALLEL_AGENTS};
use crate::paths::expand_tilde;
use std::path::{Path, PathBuf};
use toml::Value;

/// Every section and its keys, as users write them. `docs/configuration.md` lists the same.
pub(crate) const SCHEMA: &[(&str, &[&str])] = &[
    (
        "api",
        &[
            "model",
            "provider",
            "thinking_budget",
            "effort",
            "max_tokens",
            "api_key",
            "base_url",
            "context_window",
            "max_retries",
            "stream_idle_timeout_secs",
        ],
    ),
    ("memory", &["memory_dir", "auto_dream", "dream_interval_hours", "dream_session_threshold"]),
    (
        "tools",
        &[
            "allowed",
            "allow",
            "ask",
            "deny",
            "bash_timeout_secs",
            "permission_mode",
            "additional_directories",
            "env_passthrough",
            "apply_patch",
            // A table, `[tools.web_search]`: its keys are in `web_search.rs`.
            "web_search",
        ],
    ),
    ("sandbox", &["mode", "network", "read_paths"]),
    ("session", &["auto_compact_threshold"]),
    (
        "kairos",
        &[
            "enabled",
            "tick_interval_secs",
            "blocking_budget_secs",
            "max_ticks_per_hour",
            "daily_budget_usd",
            "github_api_url",
        ],
    ),
    ("ultraplan", &["enabled", "poll_interval_secs", "max_duration_secs", "model"]),
    ("buddy", &["enabled", "user_id"]),
    ("ui", &["output_style", "notifications", "notify_after_secs", "editor_mode", "statusline", "theme"]),
    ("agents", &["max_parallel", "max_depth", "fast_model"]),
    ("log", &["level"]),
    // `[providers.NAME]` has its own keys; see `providers.rs`.
    // `[mcp_servers.NAME]` has its own keys; see `mcp_toml.rs`.
    // `[prices]` takes any model-id fragment as a key; see `assign_prices`.
];

/// What a value should have been, for the error message.
#[derive(Debug)]
pub(crate) struct Expected(pub &'static str);

/// Where relative paths and `~` in a file are resolved.
pub(crate) struct PathContext<'a> {
    pub home: &'a Path,
    pub file_dir: &'a Path,
}

/// Assign one known key. Returns `Ok(false)` for a key the schema does not know.
pub(crate) fn assign(
    config: &mut Config,
    section: &str,
    key: &str,
    value: &Value,
    paths: &PathContext<'_>,
) -> Result<bool, Expected> {
    match (section, key) {
        ("api", "model") => config.api.model = string(value)?,
        ("api", "provider") => config.api.provider = string(value)?,
        ("api", "thinking_budget") => config.api.thinking_budget = whole(value)?,
        ("api", "effort") => {
            config.api.effort =
                Some(string(value)?.parse().map_err(|_| Expected("one of \"low\", \"medium\", \"high\""))?)
        }
        ("api", "max_tokens") => config.api.max_tokens = positive(value)?,
        ("api", "api_key") => config.api.api_key = Some(string(value)?),
        ("api", "base_url") => config.api.base_url = string(value)?.trim_end_matches('/').to_string(),
        ("api", "context_window") => config.api.context_window = Some(positive(value)?),
        ("api", "max_retries") => config.api.max_retries = whole(value)?,
        ("api", "stream_idle_timeout_secs") => config.api.stream_idle_timeout_secs = positive(value)?,
        ("memory", "memory_dir") => config.memory.memory_dir = path(value, paths)?,
        ("memory", "auto_dream") => config.memory.auto_dream = boolean(value)?,
        ("memory", "dream_interval_hours") => config.memory.dream_interval_hours = whole(value)?,
        ("memory", "dream_session_threshold") => config.memory.dream_session_threshold = whole(value)?,
        ("tools", "allowed") => config.tools.allowed = strings(value)?,
        ("tools", "allow") => config.tools.allow = strings(value)?,
        ("tools", "ask") => config.tools.ask = strings(value)?,
        ("tools", "deny") => config.tools.deny = strings(value)?,
        ("tools", "bash_timeout_secs") => config.tools.bash_timeout_secs = positive(value)?,
        ("tools", "permission_mode") => {
            config.tools.permission_mode = string(value)?.parse().map_err(|_| {
                Expected("one of \"default\", \"acceptEdits\", \"plan\", \"bypassPermissions\", \"dontAsk\"")
            })?
        }
        ("tools", "additional_directories") => {
            config.tools.additional_directories =
                strings(value)?.iter().map(|dir| resolve_path(dir, paths)).collect()
        }
        ("tools", "env_passthrough") => config.tools.env_passthrough = strings(value)?,
        ("tools", "apply_patch") => {
            config.tools.apply_patch = match value {
                Value::Boolean(true) => crate::model::ApplyPatchOffer::Always,
                Value::Boolean(false) => crate::model::ApplyPatchOffer::Never,
                Value::String(text) if text == "auto" => crate::model::ApplyPatchOffer::Auto,
                _ => return Err(Expected("\"auto\", true or false")),
            }
        }
        // The file reader gives `[tools.web_search]` to `web_search::apply`, which names each key's problem;
        // a value reaching here was never read as that table.
        ("tools", "web_search") => return Err(Expected("a section written as [tools.web_search]")),
        ("sandbox", "mode") => {
            config.sandbox.mode = string(value)?
                .parse()
                .map_err(|_| Expected("one of \"auto\", \"read-only\", \"workspace-write\", \"off\""))?
        }
        ("sandbox", "network") => config.sandbox.network = boolean(value)?,
        ("sandbox", "read_paths") => config.sandbox.read_paths = Some(strings(value)?),
        ("session", "auto_compact_threshold") => config.session.auto_compact_threshold = fraction(value)?,
        ("kairos", "enabled") => config.kairos.enabled = boolean(value)?,
        ("kairos", "tick_interval_secs") => config.kairos.tick_interval_secs = at_most_a_day(value)?,
        ("kairos", "blocking_budget_secs") => config.kairos.blocking_budget_secs = at_most_a_day(value)?,
        ("kairos", "github_api_url") => config.kairos.github_api_url = web_url(value)?,
        ("kairos", "max_ticks_per_hour") => config.kairos.max_ticks_per_hour = positive(value)?,
        ("kairos", "daily_budget_usd") => config.kairos.daily_budget_usd = dollars(value)?,
        ("ultraplan", "enabled") => config.ultraplan.enabled = boolean(value)?,
        ("ultraplan", "poll_interval_secs") => config.ultraplan.poll_interval_secs = positive(value)?,
        ("ultraplan", "max_duration_secs") => config.ultraplan.max_duration_secs = positive(value)?,
        ("ultraplan", "model") => config.ultraplan.model = string(value)?,
        ("buddy", "enabled") => config.buddy.enabled = boolean(value)?,
        ("buddy", "user_id") => config.buddy.user_id = Some(string(value)?),
        ("ui", "output_style") => config.ui.output_style = string(value)?,
        ("ui", "theme") => config.ui.theme = string(value)?,
        ("ui", "notifications") => {
            let mode = string(value)?;
            if !["auto", "osc9", "bell", "off"].contains(&mode.as_str()) {
                return Err(Expected("one of \"auto\", \"osc9\", \"bell\", \"off\""));
            }
            config.ui.notifications = mode;
        }
        ("ui", "notify_after_secs") => {
            // 0 is meaningful: every run that ends while the terminal is in the background notifies.
            config.ui.notify_after_secs =
                Some(within(value, 0..=86_400, Expected("a whole number of seconds from 0 to 86400"))?)
        }
        ("ui", "editor_mode") => {
            config.ui.editor_mode = match string(value)?.as_str() {
                "vim" => crate::model::EditorMode::Vim,
                "normal" => crate::model::EditorMode::Normal,
                _ => return Err(Expected("\"vim\" or \"normal\"")),
            }
        }
        ("ui", "statusline") => {
            config.ui.statusline = Some(string(value)?).filter(|command| !command.trim().is_empty())
        }
        ("agents", "max_parallel") => {
            config.agents.max_parallel = within(value, 1..=MAX_PARALLEL_AGENTS as i64, PARALLEL_RANGE)?
        }
        ("agents", "max_depth") => {
            config.agents.max_depth = within(value, 0..=i64::from(MAX_AGENT_DEPTH), DEPTH_RANGE)?
        }
        ("agents", "fast_model") => config.agents.fast_model = Some(string(value)?),
        ("log", "level") => {
            config.log_level = parse_log_level(&string(value)?)
                .ok_or(Expected("one of \"trace\", \"debug\", \"info\", \"warn\", \"error\""))?
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// `[prices]`: each key is a model-id fragment, each value `{ input = …, output = …, cache_write = …,
/// cache_read = … }` in US dollars per million tokens (cache prices default to 1.25× and 0.1× input).
pub(crate) fn assign_prices(config: &mut Config, value: &Value) -> Result<(), (String, Expected)> {
    const EXPECTED: Expected =
        Expected("a table such as { input = 3.0, output = 15.0 } (dollars per million tokens)");
    let Value::Table(models) = value else { return Err(("".into(), EXPECTED)) };
    for (model, price) in models {
        let number = |key: &str| {
            price.get(key).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|n| n as f64)))
        };
        let (Some(input), Some(output)) = (number("input"), number("output")) else {
            return Err((model.clone(), EXPECTED));
        };
        let mut entry = claurst_protocol::ModelPrice::standard(input, output);
        entry.cache_write = number("cache_write").unwrap_or(entry.cache_write);
        entry.cache_read = number("cache_read").unwrap_or(entry.cache_read);
        config.prices.push((model.clone(), entry));
    }
    Ok(())
}

pub(crate) fn known_keys(section: &str) -> Option<&'static [&'static str]> {
    SCHEMA.iter().find(|(name, _)| *name == section).map(|(_, keys)| *keys)
}

fn string(value: &Value) -> Result<String, Expected> {
    value.as_str().map(str::to_string).ok_or(Expected("a string in quotes"))
}

/// An `http://` or `https://` address, without a trailing slash.
/// An `https://` address, or `http://` on this machine only: a token is sent there.
fn web_url(value: &Value) -> Result<String, Expected> {
    const EXPECTED: Expected =
        Expected("an https:// URL in quotes (http:// only for localhost or 127.0.0.1)");
    let url = value.as_str().map(|url| url.trim().trim_end_matches('/')).unwrap_or_default();
    let local = |rest: &str| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()));
        let host = host.map_or(rest.split(['/', '?', '#']).next().unwrap_or_default(), |(host, _)| host);
        matches!(host, "localhost" | "127.0.0.1" | "[::1]")
    };
    let rest = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => rest,
        (None, Some(rest)) if local(rest) => rest,
        _ => return Err(EXPECTED),
    };
    if rest.is_empty() {
        return Err(EXPECTED);
    }
    Ok(url.to_string())
}

fn boolean(value: &Value) -> Result<bool, Expected> {
    value.as_bool().ok_or(Expected("true or false"))
}

fn whole<T: TryFrom<i64>>(value: &Value) -> Result<T, Expected> {
    value.as_integer().and_then(|n| T::try_from(n).ok()).ok_or(Expected("a whole number, 0 or more"))
}

fn positive<T: TryFrom<i64>>(value: &Value) -> Result<T, Expected> {
    value
        .as_integer()
        .filter(|n| *n > 0)
        .and_then(|n| T::try_from(n).ok())
        .ok_or(Expected("a positive whole number"))
}

/// A number of seconds from 1 to a day (86,400): longer ones mean nothing for a tick and overflow clocks.
fn at_most_a_day(value: &Value) -> Result<u64, Expected> {
    value
        .as_integer()
        .filter(|n| (1..=86_400).contains(n))
        .and_then(|n| u64::try_from(n).ok())
        .ok_or(Expected("a whole number of seconds from 1 to 86400"))
}

// The ranges as the messages say them (a test keeps them equal to the constants).
const PARALLEL_RANGE: Expected = Expected("a whole number from 1 to 16");
const DEPTH_RANGE: Expected = Expected("a whole number from 0 to 4");

/// A whole number in `range`.
fn within<T: TryFrom<i64>>(
    value: &Value,
    range: std::ops::RangeInclusive<i64>,
    expected: Expected,
) -> Result<T, Expected> {
    value.as_integer().filter(|n| range.contains(n)).and_then(|n| T::try_from(n).ok()).ok_or(expected)
}

fn fraction(value: &Value) -> Result<f64, Expected> {
    let number = value.as_float().or_else(|| value.as_integer().map(|n| n as f64));
    number.filter(|n| *n > 0.0 && *n <= 1.0).ok_or(Expected("a number between 0 and 1, such as 0.85"))
}

/// An amount of US dollars: 0 or more (0 stops every tick that would call the model).
fn dollars(value: &Value) -> Result<f64, Expected> {
    let number = value.as_float().or_else(|| value.as_integer().map(|n| n as f64));
    number
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or(Expected("an amount of dollars, 0 or more, such as 2.5"))
}

fn strings(value: &Value) -> Result<Vec<String>, Expected> {
    let items = value.as_array().ok_or(Expected("a list of strings, such as [\"bash\", \"grep\"]"))?;
    items
        .iter()
        .map(|item| item.as_str().map(str::to_string))
        .collect::<Option<Vec<_>>>()
        .ok_or(Expected("a list of strings, such as [\"bash\", \"grep\"]"))
}

fn path(value: &Value, paths: &PathContext<'_>) -> Result<PathBuf, Expected> {
    Ok(resolve_path(&string(value)?, paths))
}

/// `~` is the home directory; relative paths are relative to the file that names them.
pub(crate) fn resolve_path(raw: &str, paths: &PathContext<'_>) -> PathBuf {
    let expanded = expand_tilde(raw, paths.home);
    if expanded.is_absolute() { expanded } else { paths.file_dir.join(expanded) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::ClaurstPaths;

    #[test]
    fn every_schema_key_is_assignable() {
        let paths = ClaurstPaths::with_home("/home/ada");
        let context = PathContext { home: Path::new("/home/ada"), file_dir: Path::new("/p") };
        for (section, keys) in SCHEMA {
            for key in *keys {
                let mut config = Config::defaults(&paths);
                // A value of the wrong type proves the key is known: unknown keys return Ok(false) instead.
                let outcome = assign(&mut config, section, key, &Value::Table(Default::default()), &context);
                assert!(outcome.is_err(), "{section}.{key} is in SCHEMA but `assign` does not handle it");
            }
        }
    }

    #[test]
    fn notifications_take_one_of_four_modes() {
        let paths = ClaurstPaths::with_home("/home/ada");
        let context = PathContext { home: Path::new("/home/ada"), file_dir: Path::new("/p") };
        let mut config = Config::defaults(&paths);
        let osc9 = assign(&mut config, "ui", "notifications", &Value::String("osc9".into()), &context);
        assert!(matches!(osc9, Ok(true)));
        let after = assign(&mut config, "ui", "notify_after_secs", &Value::Integer(30), &context);
        assert!(matches!(after, Ok(true)));
        assert_eq!((config.ui.notifications.as_str(), config.ui.notify_after_secs), ("osc9", Some(30)));
        assert!(assign(&mut config, "ui", "notifications", &Value::String("loud".into()), &context).is_err());
    }

    #[test]
    fn range_messages_match_the_limits() {
        assert!(PARALLEL_RANGE.0.ends_with(&format!("to {MAX_PARALLEL_AGENTS}")));
        assert!(DEPTH_RANGE.0.ends_with(&format!("to {MAX_AGENT_DEPTH}")));
    }
}
