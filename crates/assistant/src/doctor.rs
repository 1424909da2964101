//! `/doctor`: the installation's health as one report. Each check says OK or what is wrong, in words a
//! user can act on; none of them changes anything.

use crate::agent::Agent;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the API reachability check waits: a health report must not hang on a dead network.
const REACHABILITY_TIMEOUT: Duration = Duration::from_secs(5);

impl Agent {
    /// The report, one section per check.
    pub(crate) async fn doctor_report(&self) -> String {
        let mut lines = vec![format!("Claurst {} health check", env!("CARGO_PKG_VERSION"))];
        let binary = std::env::current_exe().map(|path| path.display().to_string());
        lines.push(format!("  binary: {}", binary.unwrap_or_else(|error| format!("unknown ({error})"))));
        lines.extend(self.config_check());
        lines.extend(self.key_check());
        lines.push(format!("  API: {}", self.reachability().await));
        let support = claurst_sandbox::probe_kernel();
        lines.push(match support {
            Ok(()) => "  sandbox: OK (Landlock and seccomp work here)".to_string(),
            Err(reason) => format!("  sandbox: unavailable ({reason}); shell commands ask before running"),
        });
        lines.extend(self.mcp_check());
        let hooks = self.hook_views();
        let not_running = hooks.iter().filter(|hook| !hook.runs).count();
        lines.push(match (hooks.len(), not_running) {
            (0, _) => "  hooks: none configured".to_string(),
            (count, 0) => format!("  hooks: {count} configured, all run"),
            (count, idle) => format!("  hooks: {count} configured, {idle} not approved (see /hooks)"),
        });
        for program in ["rg", "git"] {
            lines.push(match find_on_path(program) {
                Some(path) => format!("  {program}: OK ({})", path.display()),
                None => format!("  {program}: not found on PATH"),
            });
        }
        lines.join("\n")
    }

    /// The configuration files in force, read again so a mistake made since the session started shows
    /// with its file and key.
    fn config_check(&self) -> Vec<String> {
        let env = claurst_config::Environment::from_process();
        match claurst_config::load(&self.project_root, &env, &claurst_config::Overrides::default()) {
            Ok(loaded) => {
                let mut lines = Vec::new();
                if loaded.files.is_empty() {
                    lines.push("  config: OK (no config file; built-in defaults)".to_string());
                }
                for file in &loaded.files {
                    lines.push(format!("  config: OK {}", file.display()));
                }
                lines.extend(loaded.warnings.iter().map(|warning| format!("  config warning: {warning}")));
                lines
            }
            Err(error) => vec![format!("  config: ERROR {error}")],
        }
    }

    /// Whether the current provider has a key, and where it comes from (never the key itself).
    fn key_check(&self) -> Vec<String> {
        let provider = self.provider();
        let from_env = provider.api_key_env.as_ref().and_then(|var| {
            std::env::var(var).ok().filter(|key| !key.trim().is_empty()).map(|key| (var.clone(), key))
        });
        let configured = self.config.api_key.as_deref().filter(|key| !key.trim().is_empty());
        // The front-end passes the key it resolved as `api_key`: it came from the environment when it is the
        // variable's value.
        let source = match (configured, from_env) {
            (Some(key), Some((var, value))) if key == value => {
                Some(format!("the {var} environment variable"))
            }
            (Some(_), _) => Some("[api] api_key in the configuration".to_string()),
            (None, Some((var, _))) => Some(format!("the {var} environment variable")),
            (None, None) => None,
        };
        let key = match (source, &provider.api_key_env) {
            (Some(source), _) => format!("  API key: OK, from {source}"),
            (None, Some(var)) => format!("  API key: MISSING: set {var}"),
            (None, None) => "  API key: none needed by this provider".to_string(),
        };
        vec![format!("  provider: {} at {}", provider.name, provider.base_url), key]
    }

    /// A quick request to the provider (its model list), with a short timeout.
    async fn reachability(&self) -> String {
        let client = match self.turn_client() {
            Ok((_, client)) => client,
            Err(error) => return format!("not checked ({error})"),
        };
        match tokio::time::timeout(REACHABILITY_TIMEOUT, client.list_models()).await {
            Ok(Ok(_)) => "OK (the endpoint answered)".to_string(),
            Ok(Err(error)) => format!("ERROR {error}"),
            Err(_) => format!("ERROR no answer within {} seconds", REACHABILITY_TIMEOUT.as_secs()),
        }
    }

    fn mcp_check(&self) -> Vec<String> {
        let servers = self.mcp_servers();
        if servers.is_empty() {
            return vec!["  MCP: no servers configured".to_string()];
        }
        servers
            .iter()
            .map(|server| match &server.status {
                claurst_protocol::McpServerStatus::Failed { reason } => {
                    format!("  MCP {}: failed ({reason})", server.name)
                }
                status => format!("  MCP {}: {} ({} tools)", server.name, status.label(), server.tools.len()),
            })
            .collect()
    }
}

/// The first `program` on `PATH`.
fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    path.is_file()
}
