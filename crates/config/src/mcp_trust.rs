//! The MCP trust store, `~/.claurst/mcp-trust.toml`: which project-defined servers the user approved or denied,
//! per project and per server, with the fingerprint of the definition the decision was about.
//!
//! A project's `.claurst.toml` or `.mcp.json` names commands from someone else's repository, so such a server
//! starts only once approved here; a changed definition (another fingerprint) is asked about again. The file is
//! replaced atomically, and one that cannot be read is an error, never overwritten: it holds the user's
//! decisions.

use crate::error::ConfigError;
use crate::mcp::McpServerConfig;
use crate::paths::ClaurstPaths;
use crate::trust_file::{Entry, project_key, read_projects, update_projects};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the user decided about one server definition in one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustDecision {
    /// It may start. Servers the user defined (`~/.claurst/config.toml`, `--mcp-config`) are always approved.
    Approved,
    /// The user said no to this definition.
    Denied,
    /// Never asked, or asked about another definition of that name: ask before starting it.
    Unknown,
}

/// The user's answer, to remember (one type from the protocol to the store).
pub use claurst_protocol::TrustChoice;

/// Project root → server name → decision.
type Projects = BTreeMap<String, BTreeMap<String, Entry>>;

const HEADER: &str = "# Claurst's decisions about MCP servers that projects define (.claurst.toml, .mcp.json).\n\
# Written by Claurst; `claurst mcp reset-project-choices` in a project forgets its decisions.\n\n";

/// The trust store as read from disk.
#[derive(Debug, Clone)]
pub struct McpTrust {
    file: PathBuf,
    projects: Projects,
}

impl McpTrust {
    /// Read `~/.claurst/mcp-trust.toml` (no file is an empty store).
    pub fn load(paths: &ClaurstPaths) -> Result<Self, ConfigError> {
        Self::load_file(paths.claurst_dir().join("mcp-trust.toml"))
    }

    fn load_file(file: PathBuf) -> Result<Self, ConfigError> {
        let projects = read_projects(&file)?;
        Ok(Self { file, projects })
    }

    /// The file decisions are kept in.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Whether `server` may start in the project at `project_root`.
    pub fn decision(&self, project_root: &Path, server: &McpServerConfig) -> TrustDecision {
        if !server.scope.needs_trust() {
            return TrustDecision::Approved;
        }
        self.projects
            .get(&project_key(project_root))
            .and_then(|servers| servers.get(&server.name))
            .map_or(TrustDecision::Unknown, |entry| entry.decision_for(&server.fingerprint))
    }

    /// Remember the user's answer about this definition of `server` in the project, on disk at once.
    pub fn record(
        &mut self,
        project_root: &Path,
        server: &McpServerConfig,
        choice: TrustChoice,
    ) -> Result<(), ConfigError> {
        let entry = Entry::new(&server.fingerprint, choice);
        let key = project_key(project_root);
        self.update(|projects| {
            projects.entry(key).or_default().insert(server.name.clone(), entry);
        })
    }

    /// Forget every decision about the project's servers; returns how many there were.
    pub fn reset_project(&mut self, project_root: &Path) -> Result<usize, ConfigError> {
        let key = project_key(project_root);
        let mut forgotten = 0;
        self.update(|projects| forgotten = projects.remove(&key).map(|servers| servers.len()).unwrap_or(0))?;
        Ok(forgotten)
    }

    /// Apply `change` to what is on disk now (another session may have recorded a decision since this one
    /// loaded), then write it back.
    fn update(&mut self, change: impl FnOnce(&mut Projects)) -> Result<(), ConfigError> {
        self.projects = update_projects(&self.file, HEADER, change)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::mcp::{DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, McpScope, McpTransport};

    fn server(scope: McpScope, command: &str) -> McpServerConfig {
        let transport =
            McpTransport::Stdio { command: command.into(), args: vec![], env: BTreeMap::new(), cwd: None };
        McpServerConfig {
            name: "db".into(),
            fingerprint: crate::mcp_expand::fingerprint(&transport),
            written_target: None,
            transport,
            enabled: true,
            startup_timeout: DEFAULT_STARTUP_TIMEOUT,
            tool_timeout: DEFAULT_TOOL_TIMEOUT,
            allowed_tools: None,
            disabled_tools: vec![],
            scope,
            source: None,
        }
    }

    #[test]
    fn decisions_round_trip_and_follow_the_definition() {
        let home = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let paths = ClaurstPaths::with_home(home.path());
        let mut trust = McpTrust::load(&paths).unwrap();
        let db = server(McpScope::ProjectJson, "db-server");
        assert_eq!(trust.decision(project.path(), &db), TrustDecision::Unknown);
        assert_eq!(trust.decision(project.path(), &server(McpScope::User, "x")), TrustDecision::Approved);

        trust.record(project.path(), &db, TrustChoice::Approve).unwrap();
        let reloaded = McpTrust::load(&paths).unwrap();
        assert_eq!(reloaded.decision(project.path(), &db), TrustDecision::Approved);
        // Another project, or another definition under the same name, is asked about again.
        assert_eq!(reloaded.decision(home.path(), &db), TrustDecision::Unknown);
        let changed = server(McpScope::ProjectJson, "evil-server");
        assert_eq!(reloaded.decision(project.path(), &changed), TrustDecision::Unknown);

        trust.record(project.path(), &changed, TrustChoice::Deny).unwrap();
        let reloaded = McpTrust::load(&paths).unwrap();
        assert_eq!(reloaded.decision(project.path(), &changed), TrustDecision::Denied);
        assert_eq!(reloaded.decision(project.path(), &db), TrustDecision::Unknown);

        assert_eq!(trust.reset_project(project.path()).unwrap(), 1);
        assert_eq!(
            McpTrust::load(&paths).unwrap().decision(project.path(), &changed),
            TrustDecision::Unknown
        );
    }

    #[test]
    fn a_broken_store_is_an_error_and_is_left_alone() {
        let home = tempfile::tempdir().unwrap();
        let paths = ClaurstPaths::with_home(home.path());
        let file = paths.claurst_dir().join("mcp-trust.toml");
        std::fs::create_dir_all(paths.claurst_dir()).unwrap();
        std::fs::write(&file, "[projects\nbroken").unwrap();
        let error = McpTrust::load(&paths).unwrap_err().to_string();
        assert!(error.contains("mcp-trust.toml"), "{error}");

        // A store loaded before the file broke refuses to write over it.
        std::fs::remove_file(&file).unwrap();
        let mut trust = McpTrust::load(&paths).unwrap();
        std::fs::write(&file, "projects = 3").unwrap();
        let project = tempfile::tempdir().unwrap();
        assert!(trust.record(project.path(), &server(McpScope::Project, "x"), TrustChoice::Approve).is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "projects = 3");
    }
}
