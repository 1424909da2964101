//! Which MCP servers are in force: every definition from every place, one per name.
//!
//! A name defined in several places takes the definition from the place that wins, in this order (strongest
//! first): `--mcp-config` (later flags over earlier), the project's `.claurst.toml`, the project's `.mcp.json`,
//! then `~/.claurst/config.toml`. As in Claude Code, the project's definition replaces the user's: it is what
//! the project expects to run, and it still starts only once the user approves it for this project.

use crate::LoadedConfig;
use crate::env::Environment;
use crate::error::ConfigError;
use crate::mcp::{McpScope, McpServerConfig};
use crate::mcp_expand::expand_server;
use crate::mcp_json;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `--mcp-config` and `--strict-mcp-config` as given.
#[derive(Debug, Clone, Default)]
pub struct McpFlags {
    /// Each `--mcp-config` value: inline JSON (starting with `{`) or a file path.
    pub configs: Vec<String>,
    /// `--strict-mcp-config`: only the servers from `configs` are used.
    pub strict: bool,
    /// Where relative `--mcp-config` paths are read from: the directory Claurst was started in.
    pub cwd: PathBuf,
}

/// The MCP servers of a session.
#[derive(Debug, Clone, Default)]
pub struct McpServerSet {
    /// In force, one per name, sorted by name, with environment references replaced. Disabled servers
    /// (`enabled = false`) are here too: callers skip them, and `claurst mcp list` shows them.
    pub servers: Vec<McpServerConfig>,
    /// The same servers as written (environment references not replaced), in the same order: what to show
    /// users, since a replaced reference may be a secret.
    pub as_written: Vec<McpServerConfig>,
    /// Definitions that lost to one of the same name in a stronger place (or to `--strict-mcp-config`),
    /// as written.
    pub overridden: Vec<McpServerConfig>,
    /// Problems that did not stop reading (unknown keys, unset variables).
    pub warnings: Vec<String>,
}

impl McpServerSet {
    /// The server in force named `name`.
    pub fn get(&self, name: &str) -> Option<&McpServerConfig> {
        self.servers.iter().find(|server| server.name == name)
    }
}

/// Every MCP server definition for the session `loaded` describes. The TOML entries were read (and checked)
/// when `loaded` was; this reads `.mcp.json` and each `--mcp-config`, then decides which wins per name.
pub fn mcp_servers(
    loaded: &LoadedConfig,
    flags: &McpFlags,
    env: &Environment,
) -> Result<McpServerSet, ConfigError> {
    let mut warnings = Vec::new();
    let mut from_flags = Vec::new();
    for value in &flags.configs {
        from_flags.extend(mcp_json::read_flag_value(value, &flags.cwd, &mut warnings)?);
    }
    let project_json = mcp_json::read_project_file(&loaded.project_root, &mut warnings)?;
    // Weakest first: a later definition of the same name replaces an earlier one.
    let by_strength = |scope: McpScope| match scope {
        McpScope::User => 0,
        McpScope::ProjectJson => 1,
        McpScope::Project => 2,
        McpScope::Flag => 3,
    };
    let mut written: Vec<McpServerConfig> =
        loaded.config.mcp_servers.iter().cloned().chain(project_json).collect();
    written.sort_by_key(|server| by_strength(server.scope));
    written.extend(from_flags);

    let mut overridden = Vec::new();
    let mut in_force: BTreeMap<String, McpServerConfig> = BTreeMap::new();
    for server in written {
        if flags.strict && server.scope != McpScope::Flag {
            overridden.push(server);
            continue;
        }
        if let Some(weaker) = in_force.insert(server.name.clone(), server) {
            overridden.push(weaker);
        }
    }
    let servers = in_force.values().map(|server| expand_server(server, env, &mut warnings)).collect();
    let as_written = in_force.into_values().collect();
    Ok(McpServerSet { servers, as_written, overridden, warnings })
}

/// One server entry in Claude Code's JSON form (`{"command": ...}` or `{"type": "http", "url": ...}`), as
/// `claurst mcp add-json NAME JSON` takes it; `scope` is where it will be written.
pub fn read_mcp_json_entry(
    name: &str,
    json: &str,
    scope: McpScope,
    warnings: &mut Vec<String>,
) -> Result<McpServerConfig, ConfigError> {
    let place = mcp_json::JsonPlace { scope, file: None, inline: "the JSON given" };
    let entry: serde_json::Value = serde_json::from_str(json).map_err(|error| ConfigError::McpJson {
        at: format!("the JSON for `{name}`"),
        message: format!("this is not valid JSON: {error}"),
    })?;
    mcp_json::read_entry(name, &entry, &place, warnings)
}

#[cfg(test)]
#[path = "mcp_read_tests.rs"]
mod tests;
