//! `[mcp_servers.NAME]` in `~/.claurst/config.toml` and `.claurst.toml`.

use crate::mcp::{DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, McpScope, McpServerConfig, McpTransport};
use crate::mcp_expand::fingerprint;
use crate::providers::EntryError;
use crate::schema::{Expected, PathContext, resolve_path};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use toml::Value;

/// Keys of `[mcp_servers.NAME]`. `docs/configuration.md` lists the same.
pub(crate) const SERVER_KEYS: &[&str] = &[
    "type",
    "command",
    "args",
    "env",
    "cwd",
    "url",
    "headers",
    "enabled",
    "startup_timeout_secs",
    "tool_timeout_secs",
    "allowed_tools",
    "disabled_tools",
];

/// Whether `name` can name a server: it becomes part of tool names (`mcp__NAME__tool`).
pub fn is_valid_server_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

const ENV_EXPECTED: &str = "a table of strings, such as { API_KEY = \"${MY_KEY}\" }";
const HEADERS_EXPECTED: &str = "a table of strings, such as { Authorization = \"Bearer $MY_TOKEN\" }";

/// The fields of one entry, before its transport is decided.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    command: Option<String>,
    args: Vec<String>,
    env: BTreeMap<String, String>,
    cwd: Option<std::path::PathBuf>,
    url: Option<String>,
    headers: BTreeMap<String, String>,
}

/// Read one `[mcp_servers.NAME]` entry as written (environment references are replaced later). Unknown keys
/// are pushed on `unknown`.
pub(crate) fn read_server(
    name: &str,
    value: &Value,
    scope: McpScope,
    file: &Path,
    paths: &PathContext<'_>,
    unknown: &mut Vec<String>,
) -> Result<McpServerConfig, EntryError> {
    let Value::Table(table) = value else {
        return Err(entry_error("", Expected("a section written as [mcp_servers.NAME]"), value));
    };
    if !is_valid_server_name(name) {
        return Err(EntryError {
            key: String::new(),
            expected: Expected(
                "a server name of letters, digits, `-` and `_` only, such as [mcp_servers.github]",
            ),
            found: format!("{name:?}"),
        });
    }
    let mut fields = Fields::default();
    let mut server = McpServerConfig {
        name: name.to_string(),
        transport: McpTransport::Stdio {
            command: String::new(),
            args: vec![],
            env: BTreeMap::new(),
            cwd: None,
        },
        enabled: true,
        startup_timeout: DEFAULT_STARTUP_TIMEOUT,
        tool_timeout: DEFAULT_TOOL_TIMEOUT,
        allowed_tools: None,
        disabled_tools: Vec::new(),
        scope,
        source: Some(file.to_path_buf()),
        fingerprint: String::new(),
        written_target: None,
    };
    for (key, value) in table {
        let wrong = |expected: Expected| entry_error(key, expected, value);
        match key.as_str() {
            "type" => fields.kind = Some(string(value).map_err(wrong)?),
            "command" => fields.command = Some(string(value).map_err(wrong)?),
            "args" => fields.args = strings(value).map_err(wrong)?,
            "env" => fields.env = string_table(value, ENV_EXPECTED).map_err(wrong)?,
            "cwd" => fields.cwd = Some(resolve_path(&string(value).map_err(wrong)?, paths)),
            "url" => fields.url = Some(string(value).map_err(wrong)?),
            "headers" => fields.headers = string_table(value, HEADERS_EXPECTED).map_err(wrong)?,
            "enabled" => server.enabled = value.as_bool().ok_or(Expected("true or false")).map_err(wrong)?,
            "startup_timeout_secs" => server.startup_timeout = seconds(value).map_err(wrong)?,
            "tool_timeout_secs" => server.tool_timeout = seconds(value).map_err(wrong)?,
            "allowed_tools" => server.allowed_tools = Some(strings(value).map_err(wrong)?),
            "disabled_tools" => server.disabled_tools = strings(value).map_err(wrong)?,
            _ => unknown.push(key.clone()),
        }
    }
    server.transport = transport(fields, table)?;
    server.fingerprint = fingerprint(&server.transport);
    Ok(server)
}

/// The transport the fields describe: `type` when written, else `command` means stdio and `url` HTTP.
fn transport(fields: Fields, table: &toml::Table) -> Result<McpTransport, EntryError> {
    let kind = match (fields.kind.as_deref(), &fields.command, &fields.url) {
        (Some(kind @ ("stdio" | "http" | "sse")), _, _) => kind,
        (Some(_), _, _) => {
            return Err(entry_error(
                "type",
                Expected("one of \"stdio\", \"http\", \"sse\""),
                table.get("type").unwrap_or(&Value::Boolean(false)),
            ));
        }
        (None, Some(_), Some(_)) => {
            return Err(EntryError {
                key: "url".into(),
                expected: Expected("left out when `command` is set: a server is either a command or a URL"),
                found: format!("{:?}", fields.url.unwrap_or_default()),
            });
        }
        (None, _, Some(_)) => "http",
        (None, _, None) => "stdio",
    };
    let misplaced =
        |keys: &[&str], expected: Expected| match keys.iter().find(|key| table.contains_key(**key)) {
            Some(key) => Err(EntryError {
                key: (*key).to_string(),
                expected,
                found: table.get(*key).map(describe).unwrap_or_default(),
            }),
            None => Ok(()),
        };
    if kind == "stdio" {
        misplaced(&["url", "headers"], Expected("left out for a stdio server (one started with `command`)"))?;
        let command = fields.command.filter(|command| !command.trim().is_empty()).ok_or(EntryError {
            key: String::new(),
            expected: Expected("a section with `command = \"...\"` (a program to start) or `url = \"...\"`"),
            found: "neither".into(),
        })?;
        return Ok(McpTransport::Stdio { command, args: fields.args, env: fields.env, cwd: fields.cwd });
    }
    misplaced(
        &["command", "args", "env", "cwd"],
        Expected("left out for an http or sse server (one with `url`)"),
    )?;
    let url = fields.url.ok_or(EntryError {
        key: String::new(),
        expected: Expected("a section with `url = \"https://...\"` for an http or sse server"),
        found: "no url".into(),
    })?;
    Ok(if kind == "sse" {
        McpTransport::Sse { url, headers: fields.headers }
    } else {
        McpTransport::Http { url, headers: fields.headers }
    })
}

fn entry_error(key: &str, expected: Expected, value: &Value) -> EntryError {
    EntryError { key: key.to_string(), expected, found: describe(value) }
}

fn string(value: &Value) -> Result<String, Expected> {
    value.as_str().map(str::to_string).ok_or(Expected("a string in quotes"))
}

fn strings(value: &Value) -> Result<Vec<String>, Expected> {
    const EXPECTED: Expected = Expected("a list of strings, such as [\"-y\", \"some-server\"]");
    let items = value.as_array().ok_or(EXPECTED)?;
    items.iter().map(|item| item.as_str().map(str::to_string)).collect::<Option<Vec<_>>>().ok_or(EXPECTED)
}

/// A table of strings; `expected` says what to write instead.
fn string_table(value: &Value, expected: &'static str) -> Result<BTreeMap<String, String>, Expected> {
    let expected = Expected(expected);
    let Value::Table(table) = value else { return Err(expected) };
    table
        .iter()
        .map(|(key, value)| value.as_str().map(|text| (key.clone(), text.to_string())))
        .collect::<Option<BTreeMap<_, _>>>()
        .ok_or(expected)
}

fn seconds(value: &Value) -> Result<Duration, Expected> {
    value
        .as_integer()
        .filter(|n| *n > 0)
        .and_then(|n| u64::try_from(n).ok())
        .map(Duration::from_secs)
        .ok_or(Expected("a positive whole number of seconds"))
}

fn describe(value: &Value) -> String {
    match value {
        Value::Table(_) => "a table".into(),
        Value::Array(_) => format!("the list {value}"),
        other => other.to_string(),
    }
}
