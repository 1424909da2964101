//! MCP server definitions: `[mcp_servers.NAME]` in the config files, Claude Code's `.mcp.json`, and
//! `--mcp-config`. This module holds what a definition is; reading and merging them is below it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// How long a server may take to answer `initialize` when `startup_timeout_secs` is not set.
pub const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one tool call may take when `tool_timeout_secs` is not set.
pub const DEFAULT_TOOL_TIMEOUT: Duration = Duration::from_secs(600);

/// How Claurst reaches a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum McpTransport {
    /// A child process speaking JSON-RPC on its stdin and stdout.
    Stdio {
        command: String,
        args: Vec<String>,
        /// Added to (and overriding) the environment the server inherits.
        env: BTreeMap<String, String>,
        /// The server's working directory; `None` is the project root.
        cwd: Option<PathBuf>,
    },
    /// Streamable HTTP (the current MCP HTTP transport).
    Http { url: String, headers: BTreeMap<String, String> },
    /// The older HTTP+SSE transport, for servers that speak nothing newer.
    Sse { url: String, headers: BTreeMap<String, String> },
    /// A server inside the program that drives Claurst over stream-json (an Agent SDK's in-process server,
    /// `"type": "sdk"`): its messages travel as `mcp_message` control requests. Only reachable in such a
    /// session; elsewhere it fails to start.
    Sdk,
}

impl McpTransport {
    /// `stdio`, `http`, `sse` or `sdk`, as the `type` key spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            McpTransport::Stdio { .. } => "stdio",
            McpTransport::Http { .. } => "http",
            McpTransport::Sse { .. } => "sse",
            McpTransport::Sdk => "sdk",
        }
    }

    /// What starts or is reached, on one line as users read it: the command line (a word a shell would
    /// split or mangle is single-quoted; `${VAR}` references are left as written), or the URL.
    pub fn target(&self) -> String {
        match self {
            McpTransport::Stdio { command, args, .. } => {
                std::iter::once(command).chain(args).map(|word| quote(word)).collect::<Vec<_>>().join(" ")
            }
            McpTransport::Http { url, .. } | McpTransport::Sse { url, .. } => url.clone(),
            McpTransport::Sdk => "the program driving Claurst".to_string(),
        }
    }
}

fn quote(word: &str) -> String {
    let plain =
        !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%${}".contains(c));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

/// Where a definition came from; decides whether it must be trusted before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum McpScope {
    /// `~/.claurst/config.toml`: the user wrote it.
    User,
    /// The project's `.claurst.toml`: someone else's repository may have written it.
    Project,
    /// The project's `.mcp.json` (Claude Code's format): as untrusted as `Project`.
    ProjectJson,
    /// `--mcp-config` on the command line: the user typed it.
    Flag,
}

impl McpScope {
    /// Whether a server from here must be approved for the project before it ever starts.
    pub fn needs_trust(self) -> bool {
        matches!(self, McpScope::Project | McpScope::ProjectJson)
    }

    /// How the scope is shown to users (`claurst mcp list`, `/mcp`).
    pub fn label(self) -> &'static str {
        match self {
            McpScope::User => "user",
            McpScope::Project => "project (.claurst.toml)",
            McpScope::ProjectJson => "project (.mcp.json)",
            McpScope::Flag => "--mcp-config",
        }
    }
}

/// One MCP server as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McpServerConfig {
    /// The key it was defined under; tools appear as `mcp__<name>__<tool>`.
    pub name: String,
    /// Environment references (`${VAR}`, `${VAR:-default}`; `$VAR` in TOML headers) already replaced in what
    /// `mcp_servers` returns as `servers`; as written in `Config::mcp_servers` and `McpServerSet::as_written`.
    pub transport: McpTransport,
    pub enabled: bool,
    pub startup_timeout: Duration,
    pub tool_timeout: Duration,
    /// Only these tools are offered, when set.
    pub allowed_tools: Option<Vec<String>>,
    /// These tools are never offered.
    pub disabled_tools: Vec<String>,
    pub scope: McpScope,
    /// The file that defined it (`None` for inline `--mcp-config` JSON).
    pub source: Option<PathBuf>,
    /// A digest of the definition as written (before environment references are replaced): trust given to
    /// one definition is asked again when it changes.
    pub fingerprint: String,
    /// What starts or is reached as written, when `transport` has environment references replaced (`None`:
    /// `transport` is as written). Users are shown this: a replaced reference may be a secret.
    pub written_target: Option<String>,
}

impl McpServerConfig {
    /// What starts or is reached, as users are shown it: the command line or URL as written.
    pub fn shown_target(&self) -> String {
        self.written_target.clone().unwrap_or_else(|| self.transport.target())
    }

    /// Whether the server offers the tool named `tool` (its own name, without the `mcp__` prefix).
    pub fn offers_tool(&self, tool: &str) -> bool {
        let allowed = self.allowed_tools.as_ref().is_none_or(|list| list.iter().any(|name| name == tool));
        allowed && !self.disabled_tools.iter().any(|name| name == tool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_quotes_what_a_shell_would_split_and_keeps_references() {
        let stdio = McpTransport::Stdio {
            command: "npx".into(),
            args: vec!["-y".into(), "it's here".into(), "${TOKEN}".into(), String::new()],
            env: BTreeMap::new(),
            cwd: None,
        };
        assert_eq!(stdio.target(), r"npx -y 'it'\''s here' ${TOKEN} ''");
        assert_eq!(stdio.kind(), "stdio");
        let sse = McpTransport::Sse { url: "http://127.0.0.1:9/sse".into(), headers: BTreeMap::new() };
        assert_eq!((sse.kind(), sse.target().as_str()), ("sse", "http://127.0.0.1:9/sse"));
    }
}
