//! Adding and removing MCP servers in the files users keep: `config.toml` / `.claurst.toml` (edited in place,
//! keeping comments and layout) and `.mcp.json` (rewritten with two-space indentation and keys sorted, the
//! values unchanged). Each edit is a pure function of the file's text; `write_config_file` puts the result in
//! place.

use crate::error::ConfigError;
use crate::mcp::McpTransport;
use std::collections::BTreeMap;
use std::path::Path;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

/// `text` (a TOML config file, possibly empty) with `[mcp_servers.NAME]` added for `transport`. A name
/// already there is an error: the user removes it first, so no definition is replaced unseen.
pub fn add_server_to_toml(
    text: &str,
    file: &Path,
    name: &str,
    transport: &McpTransport,
    scope_label: &'static str,
) -> Result<String, ConfigError> {
    let mut document = parse_toml(text, file)?;
    let root = document.as_table_mut();
    if !root.contains_key("mcp_servers") {
        let mut servers = Table::new();
        // No bare `[mcp_servers]` header: only `[mcp_servers.NAME]` appears, as a person would write it.
        servers.set_implicit(true);
        root.insert("mcp_servers", Item::Table(servers));
    }
    let servers = servers_table(&mut document, file)?;
    if servers.contains_key(name) {
        return Err(ConfigError::McpServerExists {
            name: name.into(),
            file: file.into(),
            scope: scope_label,
        });
    }
    servers.insert(name, Item::Table(toml_entry(transport)));
    Ok(document.to_string())
}

/// `text` without `[mcp_servers.NAME]`, or `None` when the file does not define it.
pub fn remove_server_from_toml(text: &str, file: &Path, name: &str) -> Result<Option<String>, ConfigError> {
    let mut document = parse_toml(text, file)?;
    if !document.as_table().contains_key("mcp_servers") {
        return Ok(None);
    }
    let servers = servers_table(&mut document, file)?;
    if servers.remove(name).is_none() {
        return Ok(None);
    }
    if servers.is_empty() && servers.is_implicit() {
        document.as_table_mut().remove("mcp_servers");
    }
    Ok(Some(document.to_string()))
}

pub(crate) fn parse_toml(text: &str, file: &Path) -> Result<DocumentMut, ConfigError> {
    text.parse::<DocumentMut>().map_err(|error| ConfigError::Syntax {
        file: file.to_path_buf(),
        line: error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1),
        column: 1,
        message: error.message().trim().to_string(),
    })
}

fn servers_table<'a>(document: &'a mut DocumentMut, file: &Path) -> Result<&'a mut Table, ConfigError> {
    document.as_table_mut().get_mut("mcp_servers").and_then(Item::as_table_mut).ok_or_else(|| {
        ConfigError::InvalidValue {
            file: file.to_path_buf(),
            line: 1,
            key: "mcp_servers".into(),
            expected: "sections written as [mcp_servers.NAME] (Claurst edits only that spelling)".into(),
            found: "another spelling".into(),
        }
    })
}

fn toml_entry(transport: &McpTransport) -> Table {
    let mut table = Table::new();
    let strings = |items: &[String]| Array::from_iter(items.iter().map(String::as_str));
    let map = |pairs: &BTreeMap<String, String>| {
        InlineTable::from_iter(pairs.iter().map(|(key, text)| (key.as_str(), text.as_str())))
    };
    match transport {
        McpTransport::Stdio { command, args, env, cwd } => {
            table.insert("command", value(command.as_str()));
            if !args.is_empty() {
                table.insert("args", value(strings(args)));
            }
            if !env.is_empty() {
                table.insert("env", value(map(env)));
            }
            if let Some(cwd) = cwd {
                table.insert("cwd", value(cwd.to_string_lossy().as_ref()));
            }
        }
        McpTransport::Http { url, headers } | McpTransport::Sse { url, headers } => {
            if matches!(transport, McpTransport::Sse { .. }) {
                table.insert("type", value("sse"));
            }
            table.insert("url", value(url.as_str()));
            if !headers.is_empty() {
                table.insert("headers", value(map(headers)));
            }
        }
        McpTransport::Sdk => {
            table.insert("type", value("sdk"));
        }
    }
    table
}

/// `text` (a `.mcp.json`, or `None` for a new one) with `mcpServers.NAME` added for `transport`.
pub fn add_server_to_json(
    text: Option<&str>,
    file: &Path,
    name: &str,
    transport: &McpTransport,
) -> Result<String, ConfigError> {
    let mut document = match text {
        Some(text) if !text.trim().is_empty() => parse_json(text, file)?,
        _ => serde_json::json!({}),
    };
    let servers = json_servers(&mut document, file)?;
    if servers.contains_key(name) {
        return Err(ConfigError::McpServerExists { name: name.into(), file: file.into(), scope: "project" });
    }
    servers.insert(name.to_string(), json_entry(transport));
    Ok(pretty(&document))
}

/// `text` without `mcpServers.NAME`, or `None` when the file does not define it.
pub fn remove_server_from_json(text: &str, file: &Path, name: &str) -> Result<Option<String>, ConfigError> {
    let mut document = parse_json(text, file)?;
    let servers = json_servers(&mut document, file)?;
    if servers.remove(name).is_none() {
        return Ok(None);
    }
    Ok(Some(pretty(&document)))
}

fn parse_json(text: &str, file: &Path) -> Result<serde_json::Value, ConfigError> {
    serde_json::from_str(text).map_err(|error| ConfigError::McpJson {
        at: file.display().to_string(),
        message: format!("this is not valid JSON: {error}"),
    })
}

fn json_servers<'a>(
    document: &'a mut serde_json::Value,
    file: &Path,
) -> Result<&'a mut serde_json::Map<String, serde_json::Value>, ConfigError> {
    let wrong = || ConfigError::McpJson {
        at: file.display().to_string(),
        message: "must be an object with an object `mcpServers`".into(),
    };
    let root = document.as_object_mut().ok_or_else(wrong)?;
    root.entry("mcpServers").or_insert_with(|| serde_json::json!({})).as_object_mut().ok_or_else(wrong)
}

/// The entry as Claude Code writes it, without empty lists and tables. `.mcp.json` has no `cwd`: a stdio
/// server there runs in the project root.
fn json_entry(transport: &McpTransport) -> serde_json::Value {
    let mut entry = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        let empty = value.as_array().is_some_and(Vec::is_empty)
            || value.as_object().is_some_and(|map| map.is_empty());
        if !empty {
            entry.insert(key.to_string(), value);
        }
    };
    match transport {
        McpTransport::Stdio { command, args, env, cwd: _ } => {
            put("type", transport.kind().into());
            put("command", command.as_str().into());
            put("args", serde_json::json!(args));
            put("env", serde_json::json!(env));
        }
        McpTransport::Http { url, headers } | McpTransport::Sse { url, headers } => {
            put("type", transport.kind().into());
            put("url", url.as_str().into());
            put("headers", serde_json::json!(headers));
        }
        McpTransport::Sdk => put("type", transport.kind().into()),
    }
    serde_json::Value::Object(entry)
}

fn pretty(document: &serde_json::Value) -> String {
    // Serialising a `Value` cannot fail: its keys are strings.
    format!("{}\n", serde_json::to_string_pretty(document).unwrap_or_default())
}

/// Replace `file` with `contents` atomically (see `crate::write_atomically`), creating its directory when
/// missing; errors name the file.
pub fn write_config_file(file: &Path, contents: &str) -> Result<(), ConfigError> {
    let io = |source| ConfigError::Write { file: file.to_path_buf(), source };
    if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    crate::write_atomically(file, contents.as_bytes()).map_err(io)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn stdio() -> McpTransport {
        McpTransport::Stdio {
            command: "npx".into(),
            args: vec!["-y".into(), "server".into()],
            env: BTreeMap::from([("KEY".into(), "${KEY}".into())]),
            cwd: None,
        }
    }

    #[test]
    fn toml_add_and_remove_keep_comments() {
        let file = Path::new("config.toml");
        let text = "# my settings\n[api]\nmodel = \"x\" # pinned\n";
        let added = add_server_to_toml(text, file, "db", &stdio(), "user").unwrap();
        assert!(added.starts_with(text), "{added}");
        assert!(
            added.contains("[mcp_servers.db]\ncommand = \"npx\"\nargs = [\"-y\", \"server\"]\n"),
            "{added}"
        );
        assert!(!added.contains("[mcp_servers]\n"), "{added}");
        let error = add_server_to_toml(&added, file, "db", &stdio(), "user").unwrap_err().to_string();
        assert!(error.contains("already defined") && error.contains("claurst mcp remove db"), "{error}");
        let removed = remove_server_from_toml(&added, file, "db").unwrap().unwrap();
        assert_eq!(removed, text);
        assert_eq!(remove_server_from_toml(text, file, "db").unwrap(), None);
    }

    #[test]
    fn json_add_and_remove() {
        let file = Path::new(".mcp.json");
        let http = McpTransport::Http { url: "https://x/mcp".into(), headers: BTreeMap::new() };
        let text = add_server_to_json(None, file, "web", &http).unwrap();
        let text = add_server_to_json(Some(&text), file, "db", &stdio()).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["mcpServers"]["web"]["url"], "https://x/mcp");
        assert_eq!(value["mcpServers"]["db"]["env"]["KEY"], "${KEY}");
        assert!(add_server_to_json(Some(&text), file, "db", &stdio()).is_err());
        let text = remove_server_from_json(&text, file, "db").unwrap().unwrap();
        assert!(!text.contains("\"db\""));
        assert_eq!(remove_server_from_json(&text, file, "db").unwrap(), None);
    }

    #[test]
    fn atomic_write_keeps_permissions_and_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_config_file(&link, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file is left behind");
    }
}
