//! The file layers: `~/.claurst/config.toml` and `.claurst.toml`.

use crate::error::ConfigError;
use crate::mcp::McpScope;
use crate::mcp_toml;
use crate::model::Config;
use crate::paths::ClaurstPaths;
use crate::providers;
use crate::schema::{self, PathContext, SCHEMA};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The file's text, or `None` when there is no such file.
pub(crate) fn read_if_present(file: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Read { file: file.to_path_buf(), source }),
    }
}

/// Keys a project's files may not set, and why: a cloned repository could otherwise run anything by shipping a
/// `.claurst.toml` (a command run with no approval and no sandbox), or send the user's API key elsewhere.
const USER_ONLY_KEYS: &[(&str, &str, &str)] = &[
    ("ui", "statusline", "a project's file must not make Claurst run a command without asking"),
    ("api", "base_url", "a project's file must not choose where the API key and the conversation are sent"),
    ("kairos", "github_api_url", "a project's file must not choose where the GitHub token is sent"),
    ("kairos", "enabled", "a project's file must not start model calls the user did not ask for"),
    (
        "kairos",
        "tick_interval_secs",
        "a project's file must not set how often KAIROS spends the user's money",
    ),
    ("kairos", "max_ticks_per_hour", "a project's file must not raise what KAIROS may spend"),
    ("kairos", "daily_budget_usd", "a project's file must not raise what KAIROS may spend"),
];

/// Apply one file's settings on top of `config`. Unknown sections and keys become warnings.
pub(crate) fn apply(
    config: &mut Config,
    file: &Path,
    text: &str,
    paths: &ClaurstPaths,
    scope: McpScope,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let table: Table = text.parse().map_err(|error: toml::de::Error| syntax_error(file, text, &error))?;
    let file_dir = file.parent().unwrap_or(Path::new("."));
    let context = PathContext { home: paths.home(), file_dir };
    let locator = LineLocator { text };

    for (section, value) in &table {
        if section == "prices" {
            schema::assign_prices(config, value).map_err(|(key, expected)| ConfigError::InvalidValue {
                file: file.to_path_buf(),
                line: locator.key_line(Some("prices"), &key),
                key: format!("prices.{key}"),
                expected: expected.0.to_string(),
                found: describe(table.get("prices").and_then(|v| v.get(&key)).unwrap_or(value)),
            })?;
            continue;
        }
        if section == "providers" {
            apply_providers(config, file, &locator, value, scope, warnings)?;
            continue;
        }
        if section == "hooks" {
            let scope = match scope {
                McpScope::User => crate::hooks::HookScope::User,
                _ => crate::hooks::HookScope::Project,
            };
            config.hooks.extend(crate::hooks_read::read_toml_hooks(value, scope, file, warnings)?);
            continue;
        }
        if section == "lsp" {
            apply_lsp(config, file, &locator, value, scope, warnings)?;
            continue;
        }
        if section == "mcp_servers" {
            apply_mcp_servers(config, file, &locator, value, (scope, &context), warnings)?;
            continue;
        }
        let Some(known) = schema::known_keys(section) else {
            warnings.push(format!(
                "{}:{}: unknown section [{section}] (ignored); known sections: {}",
                file.display(),
                locator.section_line(section),
                SCHEMA.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
            ));
            continue;
        };
        let keys =
            section_table(value, file, &locator, section, &format!("a section written as [{section}]"))?;
        for (key, value) in keys {
            let line = locator.key_line(Some(section), key);
            let user_only = USER_ONLY_KEYS
                .iter()
                .find(|(only_section, only_key, _)| *only_section == section && *only_key == key);
            if let Some((_, _, why)) = user_only.filter(|_| scope != McpScope::User) {
                warnings.push(format!(
                    "{}:{line}: `{section}.{key}` is read from ~/.claurst/config.toml only (ignored here): {why}",
                    file.display()
                ));
                continue;
            }
            if (section.as_str(), key.as_str()) == ("tools", "web_search") {
                apply_web_search(config, file, &locator, value, warnings)?;
                continue;
            }
            match schema::assign(config, section, key, value, &context) {
                Ok(true) => {}
                Ok(false) => warnings.push(format!(
                    "{}:{line}: unknown key `{section}.{key}` (ignored); known keys in [{section}]: {}",
                    file.display(),
                    known.join(", ")
                )),
                Err(expected) => {
                    return Err(ConfigError::InvalidValue {
                        file: file.to_path_buf(),
                        line,
                        key: format!("{section}.{key}"),
                        expected: expected.0.to_string(),
                        found: describe(value),
                    });
                }
            }
        }
    }
    Ok(())
}

/// `[tools.web_search]`, its problems named `tools.web_search.KEY` at their line.
fn apply_web_search(
    config: &mut Config,
    file: &Path,
    locator: &LineLocator<'_>,
    value: &Value,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    const SECTION: &str = "tools.web_search";
    let unknown = crate::web_search::apply(&mut config.tools.web_search, value).map_err(|problem| {
        let found = value.get(&problem.key).unwrap_or(value);
        ConfigError::InvalidValue {
            file: file.to_path_buf(),
            line: locator.key_line(Some(SECTION), &problem.key),
            key: format!("{SECTION}.{}", problem.key).trim_end_matches('.').to_string(),
            expected: problem.expected,
            found: describe(found),
        }
    })?;
    for key in unknown {
        warnings.push(format!(
            "{}:{}: unknown key `{SECTION}.{key}` (ignored); known keys in [{SECTION}]: {}",
            file.display(),
            locator.key_line(Some(SECTION), &key),
            crate::web_search::WEB_SEARCH_KEYS.join(", ")
        ));
    }
    Ok(())
}

/// `value`, the whole `[section]`, as a table; else an error naming the file, the line and `expected`.
fn section_table<'v>(
    value: &'v Value,
    file: &Path,
    locator: &LineLocator<'_>,
    section: &str,
    expected: &str,
) -> Result<&'v Table, ConfigError> {
    value.as_table().ok_or_else(|| ConfigError::InvalidValue {
        file: file.to_path_buf(),
        line: locator.key_line(None, section),
        key: section.into(),
        expected: expected.into(),
        found: describe(value),
    })
}

/// `[providers.NAME]` sections, each merged into any entry of the same name from an earlier file.
fn apply_providers(
    config: &mut Config,
    file: &Path,
    locator: &LineLocator<'_>,
    value: &Value,
    scope: McpScope,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let providers = section_table(value, file, locator, "providers", "sections written as [providers.NAME]")?;
    for (name, entry) in providers {
        let section = format!("providers.{name}");
        let mut unknown = Vec::new();
        let mut project_base_url = None;
        let limited;
        let entry = match entry {
            Value::Table(fields) if scope != McpScope::User => {
                let (kept, base_url, refused) = providers::project_limits(fields);
                project_base_url = base_url;
                for key in refused {
                    warnings.push(format!(
                        "{}:{}: `{section}.{key}` is read from ~/.claurst/config.toml only (ignored here): a \
                         project's file must not choose where API keys and credentials are sent",
                        file.display(),
                        locator.provider_line(&section, &key, &key),
                    ));
                }
                limited = Value::Table(kept);
                &limited
            }
            _ => entry,
        };
        providers::read_entry(&mut config.providers, name, entry, &mut unknown).map_err(|error| {
            let key_line = error.key.split('.').next().unwrap_or_default().to_string();
            ConfigError::InvalidValue {
                file: file.to_path_buf(),
                line: if error.key.is_empty() {
                    locator.section_line(&section)
                } else {
                    locator.provider_line(&section, &key_line, &error.key)
                },
                key: if error.key.is_empty() { section.clone() } else { format!("{section}.{}", error.key) },
                expected: error.expected.0.to_string(),
                found: error.found,
            }
        })?;
        if let Some(base_url) = project_base_url
            && let Some(read) = config.providers.iter_mut().find(|read| read.name == *name)
        {
            read.project_base_url = Some(base_url);
        }
        for (key, known) in unknown {
            warnings.push(format!(
                "{}:{}: unknown key `{section}.{key}` (ignored); known keys: {}",
                file.display(),
                locator.provider_line(&section, &key, &key),
                known.join(", ")
            ));
        }
    }
    Ok(())
}

/// `[lsp]` and its `[lsp.LANGUAGE]` tables.
fn apply_lsp(
    config: &mut Config,
    file: &Path,
    locator: &LineLocator<'_>,
    value: &Value,
    scope: McpScope,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let table = section_table(value, file, locator, "lsp", "a section written as [lsp]")?;
    // Where `lsp.KEY` or `lsp.LANGUAGE.KEY` was written.
    let line_of = |key: &str| match key.split_once('.') {
        Some((language, inner)) => locator.key_line(Some(&format!("lsp.{language}")), inner),
        None => locator.key_line(Some("lsp"), key),
    };
    let mut found = Vec::new();
    crate::lsp::apply(&mut config.lsp, table, scope, &mut found).map_err(|error| {
        let mut written = Some(value);
        for part in error.key.split('.') {
            written = written.and_then(|v| v.get(part));
        }
        ConfigError::InvalidValue {
            file: file.to_path_buf(),
            line: line_of(&error.key),
            key: format!("lsp.{}", error.key),
            expected: error.expected.to_string(),
            found: written.map(describe).unwrap_or_else(|| "nothing".into()),
        }
    })?;
    for (key, why) in found {
        warnings.push(format!("{}:{}: `lsp.{key}` {why}", file.display(), line_of(&key)));
    }
    Ok(())
}

/// `[mcp_servers.NAME]` sections: each a server defined in `scope`.
fn apply_mcp_servers(
    config: &mut Config,
    file: &Path,
    locator: &LineLocator<'_>,
    value: &Value,
    (scope, context): (McpScope, &PathContext<'_>),
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let servers =
        section_table(value, file, locator, "mcp_servers", "sections written as [mcp_servers.NAME]")?;
    for (name, entry) in servers {
        let section = format!("mcp_servers.{name}");
        let mut unknown = Vec::new();
        let server =
            mcp_toml::read_server(name, entry, scope, file, context, &mut unknown).map_err(|error| {
                ConfigError::InvalidValue {
                    file: file.to_path_buf(),
                    line: if error.key.is_empty() {
                        locator.section_line(&section)
                    } else {
                        locator.key_line(Some(&section), &error.key)
                    },
                    key: if error.key.is_empty() {
                        section.clone()
                    } else {
                        format!("{section}.{}", error.key)
                    },
                    expected: error.expected.0.to_string(),
                    found: error.found,
                }
            })?;
        config.mcp_servers.push(server);
        for key in unknown {
            warnings.push(format!(
                "{}:{}: unknown key `{section}.{key}` (ignored); known keys: {}",
                file.display(),
                locator.key_line(Some(&section), &key),
                mcp_toml::SERVER_KEYS.join(", ")
            ));
        }
    }
    Ok(())
}

fn syntax_error(file: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let offset = error.span().map(|span| span.start).unwrap_or(0);
    let (line, column) = line_and_column(text, offset);
    ConfigError::Syntax {
        file: PathBuf::from(file),
        line,
        column,
        message: error.message().trim().to_string(),
    }
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|tail| tail.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

/// A value as the user wrote it, for error messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Table(_) => "a table".into(),
        Value::Array(_) => format!("the list {value}"),
        other => other.to_string(),
    }
}

/// Finds the line a key was written on. The `toml` parser drops positions once a file is valid, and our
/// schema is flat (sections of plain keys), so scanning for `[section]` headers and `key =` lines is exact for
/// every file a person writes; dotted or inline-table spellings fall back to the section's header line.
struct LineLocator<'a> {
    text: &'a str,
}

impl LineLocator<'_> {
    fn key_line(&self, section: Option<&str>, key: &str) -> usize {
        let mut current: Option<String> = None;
        let mut header_line = 1;
        for (index, raw) in self.text.lines().enumerate() {
            let line = raw.trim();
            if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.split(']').next()) {
                current = Some(name.trim().to_string());
                if section == Some(name.trim()) {
                    header_line = index + 1;
                }
                continue;
            }
            let Some((lhs, _)) = line.split_once('=') else {
                continue;
            };
            let lhs = lhs.trim().trim_matches('"');
            let matches_here = current.as_deref() == section && lhs == key;
            let dotted_at_root = current.is_none() && section.is_some_and(|s| lhs == format!("{s}.{key}"));
            if matches_here || dotted_at_root {
                return index + 1;
            }
        }
        header_line
    }

    /// The line of a key under `[providers.NAME]` or one of its `[providers.NAME.models."MODEL"]` tables:
    /// `path` is `models."MODEL".KEY` for the latter, `key` the plain key otherwise.
    fn provider_line(&self, section: &str, key: &str, path: &str) -> usize {
        if let Some(rest) = path.strip_prefix("models.")
            && let Some((model, model_key)) = rest.rsplit_once('.')
        {
            let model_section = format!("{section}.models.{model}");
            if self.text.lines().any(|line| line.trim().trim_matches(['[', ']']).trim() == model_section) {
                return self.key_line(Some(&model_section), model_key);
            }
        }
        self.key_line(Some(section), key)
    }

    fn section_line(&self, section: &str) -> usize {
        self.text
            .lines()
            .position(|line| {
                let line = line.trim();
                line.starts_with('[') && line.trim_matches(['[', ']']).trim() == section
            })
            .map(|index| index + 1)
            .unwrap_or_else(|| self.key_line(None, section))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_by_section() {
        let text = "[api]\nmodel = \"a\"\n\n[tools]\nmodel = 1\nallowed = []\n";
        let locator = LineLocator { text };
        assert_eq!(locator.key_line(Some("api"), "model"), 2);
        assert_eq!(locator.key_line(Some("tools"), "model"), 5);
        assert_eq!(locator.key_line(Some("tools"), "allowed"), 6);
        assert_eq!(locator.section_line("tools"), 4);
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("ab", 0), (1, 1));
    }
}
