//! Claude Code's MCP format: `{"mcpServers": {NAME: {...}}}` in `.mcp.json` and `--mcp-config`.
//!
//! An entry is `{"command", "args", "env"}` (with an optional `"type": "stdio"`) or
//! `{"type": "http" | "sse", "url", "headers"}`; a `url` without `type` is HTTP.

use crate::error::ConfigError;
use crate::mcp::{DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, McpScope, McpServerConfig, McpTransport};
use crate::mcp_expand::fingerprint;
use crate::mcp_toml::is_valid_server_name;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Keys of one entry.
const ENTRY_KEYS: &[&str] = &["type", "command", "args", "env", "url", "headers"];

/// Where a JSON document came from, for messages.
#[derive(Debug, Clone)]
pub(crate) struct JsonPlace {
    pub scope: McpScope,
    /// `None` for JSON given on the command line.
    pub file: Option<PathBuf>,
    /// What to call JSON given on the command line.
    pub inline: &'static str,
}

/// The name of inline `--mcp-config` JSON in messages.
const INLINE_FLAG: &str = "--mcp-config (inline JSON)";

impl JsonPlace {
    fn name(&self) -> String {
        match &self.file {
            Some(file) => file.display().to_string(),
            None => self.inline.into(),
        }
    }

    fn error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        let at = if key.is_empty() { self.name() } else { format!("{}: `{key}`", self.name()) };
        ConfigError::McpJson { at, message: message.into() }
    }
}

/// Read a whole document: every server under `mcpServers`, in the order written. Unknown keys are warnings.
pub(crate) fn read_document(
    text: &str,
    place: &JsonPlace,
    warnings: &mut Vec<String>,
) -> Result<Vec<McpServerConfig>, ConfigError> {
    let document: Value = serde_json::from_str(text).map_err(|error| {
        place.error(
            "",
            format!("this is not valid JSON: {error} (line {}, column {})", error.line(), error.column()),
        )
    })?;
    let Some(root) = document.as_object() else {
        return Err(
            place.error("", "must be an object such as {\"mcpServers\": {\"NAME\": {\"command\": \"...\"}}}")
        );
    };
    for key in root.keys().filter(|key| *key != "mcpServers") {
        warnings
            .push(format!("{}: unknown key `{key}` (ignored); servers go under `mcpServers`", place.name()));
    }
    let Some(servers) = root.get("mcpServers") else {
        return Ok(Vec::new());
    };
    let Some(servers) = servers.as_object() else {
        return Err(place.error("mcpServers", "must be an object of servers by name"));
    };
    servers.iter().map(|(name, entry)| read_entry(name, entry, place, warnings)).collect()
}

/// Read one server entry (`{"command": ...}` or `{"type": "http", "url": ...}`), as `claurst mcp add-json` takes.
pub(crate) fn read_entry(
    name: &str,
    entry: &Value,
    place: &JsonPlace,
    warnings: &mut Vec<String>,
) -> Result<McpServerConfig, ConfigError> {
    let path = format!("mcpServers.{name}");
    if !is_valid_server_name(name) {
        return Err(place.error(&path, "a server name may hold letters, digits, `-` and `_` only"));
    }
    let Some(fields) = entry.as_object() else {
        return Err(place.error(
            &path,
            "must be an object such as {\"command\": \"npx\", \"args\": [\"-y\", \"server\"]}",
        ));
    };
    // An SDK's in-process server entry repeats its name (`{"type": "sdk", "name": "calc"}`).
    let sdk = fields.get("type").and_then(Value::as_str) == Some("sdk");
    let known = |key: &str| ENTRY_KEYS.contains(&key) || (sdk && key == "name");
    let unknown = |key: &&String| !known(key.as_str());
    for key in fields.keys().filter(unknown) {
        warnings.push(format!(
            "{}: unknown key `{path}.{key}` (ignored); known keys: {}",
            place.name(),
            ENTRY_KEYS.join(", ")
        ));
    }
    let transport = transport(fields, &path, place)?;
    Ok(McpServerConfig {
        name: name.to_string(),
        fingerprint: fingerprint(&transport),
        written_target: None,
        transport,
        enabled: true,
        startup_timeout: DEFAULT_STARTUP_TIMEOUT,
        tool_timeout: DEFAULT_TOOL_TIMEOUT,
        allowed_tools: None,
        disabled_tools: Vec::new(),
        scope: place.scope,
        source: place.file.clone(),
    })
}

fn transport(
    fields: &Map<String, Value>,
    path: &str,
    place: &JsonPlace,
) -> Result<McpTransport, ConfigError> {
    let text = |key: &str| -> Result<Option<String>, ConfigError> {
        match fields.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(place.error(&format!("{path}.{key}"), "must be a string")),
        }
    };
    let kind = match (text("type")?, fields.contains_key("url")) {
        (Some(kind), _) => kind,
        (None, true) => "http".to_string(),
        (None, false) => "stdio".to_string(),
    };
    match kind.as_str() {
        "stdio" => {
            let command = text("command")?
                .filter(|command| !command.trim().is_empty())
                .ok_or_else(|| place.error(path, "a stdio server needs \"command\": the program to start"))?;
            let args = match fields.get("args") {
                None => Vec::new(),
                Some(value) => string_list(value)
                    .ok_or_else(|| place.error(&format!("{path}.args"), "must be a list of strings"))?,
            };
            let env = string_map(fields.get("env"), &format!("{path}.env"), place)?;
            Ok(McpTransport::Stdio { command, args, env, cwd: None })
        }
        "http" | "sse" => {
            let url =
                text("url")?.ok_or_else(|| place.error(path, format!("an {kind} server needs \"url\"")))?;
            let headers = string_map(fields.get("headers"), &format!("{path}.headers"), place)?;
            Ok(if kind == "sse" {
                McpTransport::Sse { url, headers }
            } else {
                McpTransport::Http { url, headers }
            })
        }
        // The program serves it in-process; `name` is the key's, whatever the entry repeats.
        "sdk" => Ok(McpTransport::Sdk),
        other => Err(place.error(
            &format!("{path}.type"),
            format!("must be \"stdio\", \"http\", \"sse\" or \"sdk\", found {other:?}"),
        )),
    }
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    value.as_array()?.iter().map(|item| item.as_str().map(str::to_string)).collect()
}

fn string_map(
    value: Option<&Value>,
    path: &str,
    place: &JsonPlace,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let Some(value) = value else { return Ok(BTreeMap::new()) };
    let wrong = || place.error(path, "must be an object of strings, such as {\"API_KEY\": \"${MY_KEY}\"}");
    let map = value.as_object().ok_or_else(wrong)?;
    map.iter().map(|(key, value)| Ok((key.clone(), value.as_str().ok_or_else(wrong)?.to_string()))).collect()
}

/// Read one `--mcp-config` value: inline JSON when it starts with `{`, else a file (relative to `cwd`).
pub(crate) fn read_flag_value(
    value: &str,
    cwd: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<McpServerConfig>, ConfigError> {
    if value.trim_start().starts_with('{') {
        return read_document(
            value,
            &JsonPlace { scope: McpScope::Flag, file: None, inline: INLINE_FLAG },
            warnings,
        );
    }
    let file = cwd.join(value);
    let text =
        std::fs::read_to_string(&file).map_err(|source| ConfigError::Read { file: file.clone(), source })?;
    read_document(
        &text,
        &JsonPlace { scope: McpScope::Flag, file: Some(file), inline: INLINE_FLAG },
        warnings,
    )
}

/// The project's `.mcp.json`, when there is one.
pub(crate) fn read_project_file(
    project_root: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<McpServerConfig>, ConfigError> {
    let file = project_root.join(".mcp.json");
    match crate::file::read_if_present(&file)? {
        Some(text) => read_document(
            &text,
            &JsonPlace { scope: McpScope::ProjectJson, file: Some(file), inline: INLINE_FLAG },
            warnings,
        ),
        None => Ok(Vec::new()),
    }
}
