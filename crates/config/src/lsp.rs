//! `[lsp]`: which language server serves which files, and whether edits report the diagnostics they cause.
//!
//! `[lsp] diagnostics_after_edit` is a plain key; each `[lsp.LANGUAGE]` table sets `command` and
//! `extensions` for one language, over the built-in defaults. A project's file may not set `command`: that
//! would make Claurst run a program the repository chose, without asking.

use crate::mcp::McpScope;
use toml::Value;

/// `[lsp]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LspConfig {
    /// Append the edited file's diagnostics to the result of `edit_file`, `write_file` and `multi_edit`.
    pub diagnostics_after_edit: bool,
    /// One per language, built-in ones first.
    pub servers: Vec<LspServerConfig>,
}

/// `[lsp.LANGUAGE]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LspServerConfig {
    pub language: String,
    /// The program and its arguments; it must speak LSP on stdin/stdout.
    pub command: Vec<String>,
    /// File extensions (without the dot) this server is used for.
    pub extensions: Vec<String>,
}

/// The keys of an `[lsp.LANGUAGE]` table.
pub(crate) const SERVER_KEYS: &[&str] = &["command", "extensions"];

impl Default for LspConfig {
    fn default() -> Self {
        let server = |language: &str, command: &[&str], extensions: &[&str]| LspServerConfig {
            language: language.to_string(),
            command: command.iter().map(|s| s.to_string()).collect(),
            extensions: extensions.iter().map(|s| s.to_string()).collect(),
        };
        Self {
            diagnostics_after_edit: false,
            servers: vec![
                server("rust", &["rust-analyzer"], &["rs"]),
                server(
                    "typescript",
                    &["typescript-language-server", "--stdio"],
                    &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"],
                ),
                server("python", &["pyright-langserver", "--stdio"], &["py", "pyi"]),
                server("go", &["gopls"], &["go"]),
            ],
        }
    }
}

impl LspConfig {
    /// The server for files ending in `.extension`, if any.
    pub fn server_for_extension(&self, extension: &str) -> Option<&LspServerConfig> {
        self.servers.iter().find(|server| server.extensions.iter().any(|known| known == extension))
    }
}

/// Why an `[lsp]` value was refused: the key (relative to `lsp.`) and what was expected.
#[derive(Debug)]
pub(crate) struct LspValueError {
    pub key: String,
    pub expected: &'static str,
}

/// Apply one file's `[lsp]` table. Unknown keys and, in a project's file, `command` become warnings (the
/// key relative to `lsp.`, and why).
pub(crate) fn apply(
    config: &mut LspConfig,
    table: &toml::Table,
    scope: McpScope,
    warnings: &mut Vec<(String, String)>,
) -> Result<(), LspValueError> {
    for (key, value) in table {
        match value {
            // Switching it on starts language servers (which run the project's build scripts and tools)
            // after every approved edit: the user's choice, never a cloned repository's.
            Value::Boolean(_) if key == "diagnostics_after_edit" && scope != McpScope::User => warnings.push((
                key.clone(),
                "is read from ~/.claurst/config.toml only (ignored here): it starts language servers, which run \
                 the project's code, after every edit"
                    .into(),
            )),
            Value::Boolean(enabled) if key == "diagnostics_after_edit" => {
                config.diagnostics_after_edit = *enabled
            }
            _ if key == "diagnostics_after_edit" => {
                return Err(LspValueError { key: key.clone(), expected: "true or false" });
            }
            Value::Table(server) => apply_server(config, key, server, scope, warnings)?,
            _ => warnings.push((
                key.clone(),
                "unknown key (ignored); [lsp] takes diagnostics_after_edit and [lsp.LANGUAGE] tables".into(),
            )),
        }
    }
    Ok(())
}

fn apply_server(
    config: &mut LspConfig,
    language: &str,
    table: &toml::Table,
    scope: McpScope,
    warnings: &mut Vec<(String, String)>,
) -> Result<(), LspValueError> {
    let strings = |key: &str| -> Result<Option<Vec<String>>, LspValueError> {
        let Some(value) = table.get(key) else { return Ok(None) };
        let error =
            || LspValueError { key: format!("{language}.{key}"), expected: "a non-empty list of strings" };
        let list = value.as_array().ok_or_else(error)?;
        let items: Option<Vec<String>> = list.iter().map(|item| item.as_str().map(str::to_string)).collect();
        items
            .filter(|items| !items.is_empty() && items.iter().all(|s| !s.trim().is_empty()))
            .map(Some)
            .ok_or_else(error)
    };
    let mut command = strings("command")?;
    let extensions = strings("extensions")?
        .map(|list| list.into_iter().map(|ext| ext.trim_start_matches('.').to_string()).collect::<Vec<_>>());
    for key in table.keys().filter(|key| !SERVER_KEYS.contains(&key.as_str())) {
        warnings.push((
            format!("{language}.{key}"),
            format!("unknown key (ignored); known keys: {}", SERVER_KEYS.join(", ")),
        ));
    }
    if scope != McpScope::User && command.is_some() {
        warnings.push((
            format!("{language}.command"),
            "is read from ~/.claurst/config.toml only (ignored here): a project's file must not make Claurst run \
             a command without asking"
                .into(),
        ));
        command = None;
    }
    match config.servers.iter_mut().find(|server| server.language == language) {
        Some(server) => {
            if let Some(command) = command {
                server.command = command;
            }
            if let Some(extensions) = extensions {
                server.extensions = extensions;
            }
        }
        None => match (command, extensions) {
            (Some(command), Some(extensions)) => {
                config.servers.push(LspServerConfig { language: language.to_string(), command, extensions })
            }
            // A project may name extensions for a language only the user can give a command for.
            (None, Some(_)) if scope != McpScope::User => {}
            _ => {
                return Err(LspValueError {
                    key: language.to_string(),
                    expected: "both `command` and `extensions` for a language without a built-in server",
                });
            }
        },
    }
    // An extension belongs to one server: the last one that named it.
    if let Some(claimed) =
        config.servers.iter().find(|s| s.language == language).map(|s| s.extensions.clone())
    {
        for server in config.servers.iter_mut().filter(|s| s.language != language) {
            server.extensions.retain(|ext| !claimed.contains(ext));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, scope: McpScope) -> (Result<LspConfig, LspValueError>, Vec<(String, String)>) {
        let table: toml::Table = text.parse().unwrap();
        let mut config = LspConfig::default();
        let mut warnings = Vec::new();
        let lsp = table["lsp"].as_table().unwrap();
        let result = apply(&mut config, lsp, scope, &mut warnings).map(|()| config);
        (result, warnings)
    }

    #[test]
    fn user_tables_override_and_add_servers() {
        let text = "[lsp]\ndiagnostics_after_edit = true\n[lsp.python]\ncommand = [\"pyls\"]\n\
                    [lsp.zig]\ncommand = [\"zls\"]\nextensions = [\".zig\"]\n[lsp.js]\ncommand = [\"x\"]\nextensions = [\"js\"]\n";
        let (config, warnings) = read(text, McpScope::User);
        let config = config.unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(config.diagnostics_after_edit);
        assert_eq!(config.server_for_extension("py").unwrap().command, ["pyls"]);
        assert_eq!(config.server_for_extension("zig").unwrap().language, "zig");
        assert_eq!(config.server_for_extension("js").unwrap().language, "js");
        assert_eq!(config.server_for_extension("ts").unwrap().language, "typescript");
    }

    #[test]
    fn bad_values_are_errors_and_project_commands_are_ignored() {
        let (result, _) = read("[lsp]\ndiagnostics_after_edit = \"yes\"\n", McpScope::User);
        assert_eq!(result.unwrap_err().key, "diagnostics_after_edit");
        let (result, _) = read("[lsp.zig]\ncommand = [\"zls\"]\n", McpScope::User);
        assert_eq!(result.unwrap_err().key, "zig");
        let (result, _) = read("[lsp.python]\ncommand = []\n", McpScope::User);
        assert_eq!(result.unwrap_err().key, "python.command");
        let (config, warnings) = read("[lsp.python]\ncommand = [\"evil\"]\ncolour = 1\n", McpScope::Project);
        assert_eq!(
            config.unwrap().server_for_extension("py").unwrap().command,
            ["pyright-langserver", "--stdio"]
        );
        let keys: Vec<_> = warnings.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["python.colour", "python.command"]);
        let (config, warnings) = read("[lsp]\ndiagnostics_after_edit = true\n", McpScope::Project);
        assert!(!config.unwrap().diagnostics_after_edit, "a project cannot switch it on");
        assert_eq!(warnings[0].0, "diagnostics_after_edit");
    }
}
