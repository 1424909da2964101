//! Claurst's configuration: what the user set, where, and what wins.
//!
//! Layers, later overriding earlier: built-in defaults, `~/.claurst/config.toml`, the project's `.claurst.toml`,
//! environment variables, then command-line flags (`Overrides`). Every problem names the file (or variable),
//! the key and the line, and says what to write instead; unknown keys are warnings, never errors.
//!
//! This crate reads files and the environment it is given; it never touches the network, a terminal or the agent.

mod atomic_write;
mod env;
mod error;
mod file;
mod hooks;
mod hooks_read;
mod hooks_trust;
mod lsp;
mod mcp;
mod mcp_edit;
mod mcp_expand;
mod mcp_json;
mod mcp_read;
mod mcp_toml;
mod mcp_trust;
mod model;
mod paths;
mod providers;
mod rule_edit;
mod schema;
mod setting_edit;
mod trust_file;
mod web_search;

pub use atomic_write::write_atomically;
pub use env::Environment;
pub use error::ConfigError;
pub use hooks::{DEFAULT_HOOK_TIMEOUT, HookDefinition, HookScope};
pub use hooks_read::{HookSet, hook_definitions, project_fingerprint};
pub use hooks_trust::HookTrust;
pub use lsp::{LspConfig, LspServerConfig};
pub use mcp::{DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, McpScope, McpServerConfig, McpTransport};
pub use mcp_edit::{
    add_server_to_json, add_server_to_toml, remove_server_from_json, remove_server_from_toml,
    write_config_file,
};
pub use mcp_read::{McpFlags, McpServerSet, mcp_servers, read_mcp_json_entry};
pub use mcp_toml::is_valid_server_name;
pub use mcp_trust::{McpTrust, TrustChoice, TrustDecision};
pub use model::{
    AgentsConfig, ApiConfig, ApplyPatchOffer, BuddyConfig, Config, EditorMode, Effort, KairosConfig,
    MAX_AGENT_DEPTH, MAX_PARALLEL_AGENTS, MemoryConfig, SandboxConfig, SessionConfig, ToolsConfig, UiConfig,
    UltraplanConfig,
};
pub use paths::{ClaurstPaths, find_project_root};
pub use providers::{ModelEntry, ProviderEntry, resolve_providers};
pub use rule_edit::{RULE_LISTS, add_rule_to_toml, remove_rule_from_toml, rules_in_toml};
pub use setting_edit::{SettingValue, set_value_in_toml};
pub use web_search::{DEFAULT_BRAVE_KEY_ENV, SearchBackend, WebSearchConfig};

use std::path::{Path, PathBuf};

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub model: Option<String>,
    /// `--provider`
    pub provider: Option<String>,
    /// `--max-thinking-tokens` (0 turns thinking off)
    pub thinking_budget: Option<u32>,
    /// `--effort`
    pub effort: Option<Effort>,
    pub max_tokens: Option<u32>,
    pub bash_timeout_secs: Option<u64>,
    pub permission_mode: Option<claurst_protocol::PermissionMode>,
    /// `--sandbox`
    pub sandbox_mode: Option<claurst_protocol::SandboxMode>,
    /// `--setting-sources`: which files are read.
    pub sources: SettingSources,
}

/// Which configuration files a session reads (`--setting-sources`): each source stands for Claurst's file
/// of that scope and Claude Code's settings file of the same scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSources {
    /// `~/.claurst/config.toml` and `~/.claude/settings.json`.
    pub user: bool,
    /// The project's `.claurst.toml` and `.claude/settings.json`.
    pub project: bool,
    /// The project's `.claude/settings.local.json` (Claurst has no local file of its own).
    pub local: bool,
}

impl Default for SettingSources {
    fn default() -> Self {
        Self::ALL
    }
}

impl SettingSources {
    pub const ALL: Self = Self { user: true, project: true, local: true };
    pub const NONE: Self = Self { user: false, project: false, local: false };

    /// `user,project,local` as `--setting-sources` takes it: names separated by commas (spaces allowed),
    /// the empty string for none. An unknown name is an error naming it.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut sources = Self::NONE;
        for name in list.split(',').map(str::trim).filter(|name| !name.is_empty()) {
            match name {
                "user" => sources.user = true,
                "project" => sources.project = true,
                "local" => sources.local = true,
                other => {
                    return Err(format!(
                        "unknown setting source `{other}`: the sources are user, project and local"
                    ));
                }
            }
        }
        Ok(sources)
    }
}

/// The configuration in force, with where it came from and what was odd about it.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    pub paths: ClaurstPaths,
    /// The project root: nearest ancestor holding `.claurst.toml`, else the git root, else the working directory.
    pub project_root: PathBuf,
    /// Files that were read, in the order applied.
    pub files: Vec<PathBuf>,
    /// Things the user should fix but that did not stop loading (unknown keys).
    pub warnings: Vec<String>,
    /// Which files were allowed to be read (`--setting-sources`).
    pub sources: SettingSources,
}

impl LoadedConfig {
    /// The providers in force: `builtins` (from the api crate) with `[api] base_url` / `ANTHROPIC_BASE_URL`
    /// applied to `anthropic`, then the `[providers.NAME]` entries. Problems become `warnings`.
    pub fn providers(
        &self,
        mut builtins: Vec<claurst_protocol::ProviderInfo>,
        env: &Environment,
        warnings: &mut Vec<String>,
    ) -> Vec<claurst_protocol::ProviderInfo> {
        if let Some(anthropic) = builtins.iter_mut().find(|provider| provider.name == "anthropic") {
            anthropic.base_url = self.config.api.base_url.clone();
        }
        resolve_providers(builtins, &self.config.providers, env, warnings)
    }
}

/// Load every layer for a session started in `cwd`.
pub fn load(cwd: &Path, env: &Environment, overrides: &Overrides) -> Result<LoadedConfig, ConfigError> {
    let paths = ClaurstPaths::from_env(env)?;
    let project_root = find_project_root(cwd);
    let mut config = Config::defaults(&paths);
    let mut warnings = Vec::new();
    let mut files = Vec::new();

    let layers = [
        (paths.global_config(), McpScope::User, overrides.sources.user),
        (project_root.join(".claurst.toml"), McpScope::Project, overrides.sources.project),
    ];
    for (file, scope, _) in layers.into_iter().filter(|(_, _, wanted)| *wanted) {
        if let Some(text) = file::read_if_present(&file)? {
            file::apply(&mut config, &file, &text, &paths, scope, &mut warnings)?;
            files.push(file);
        }
    }
    env::apply(&mut config, env, &paths)?;
    apply_overrides(&mut config, overrides);
    Ok(LoadedConfig { config, paths, project_root, files, warnings, sources: overrides.sources })
}

fn apply_overrides(config: &mut Config, overrides: &Overrides) {
    if let Some(model) = &overrides.model {
        config.api.model = model.clone();
    }
    if let Some(provider) = &overrides.provider {
        config.api.provider = provider.clone();
    }
    if let Some(budget) = overrides.thinking_budget {
        config.api.thinking_budget = budget;
    }
    if let Some(effort) = overrides.effort {
        config.api.effort = Some(effort);
    }
    if let Some(max_tokens) = overrides.max_tokens {
        config.api.max_tokens = max_tokens;
    }
    if let Some(secs) = overrides.bash_timeout_secs {
        config.tools.bash_timeout_secs = secs;
    }
    if let Some(mode) = overrides.permission_mode {
        config.tools.permission_mode = mode;
    }
    if let Some(mode) = overrides.sandbox_mode {
        config.sandbox.mode = mode;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_sources_are_named_in_a_list() {
        assert_eq!(SettingSources::parse(""), Ok(SettingSources::NONE));
        assert_eq!(SettingSources::parse("user, project,local"), Ok(SettingSources::ALL));
        let project_only = SettingSources { project: true, ..SettingSources::NONE };
        assert_eq!(SettingSources::parse("project"), Ok(project_only));
        assert!(SettingSources::parse("user,team").unwrap_err().contains("`team`"));
    }
}
