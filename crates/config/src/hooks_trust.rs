//! The hook trust store, `~/.claurst/hooks-trust.toml`: per project, whether the user approved or denied the
//! hooks the project defines, with the fingerprint of the definitions the decision was about.
//!
//! Hooks run arbitrary commands on every tool call, so project hooks run only once approved; any change to
//! them (another fingerprint) is asked about again. As with the MCP store, the file is replaced atomically and
//! one that cannot be read is an error, never overwritten.

use crate::error::ConfigError;
use crate::mcp_edit::write_atomically;
use crate::mcp_trust::{TrustChoice, TrustDecision};
use crate::paths::ClaurstPaths;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Stored {
    Approved,
    Denied,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    decision: Stored,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StoreFile {
    #[serde(default)]
    projects: BTreeMap<String, Entry>,
}

const HEADER: &str = "# Claurst's decisions about hooks that projects define (.claurst.toml, .claude/settings*.json).\n\
# Written by Claurst; `claurst hooks approve` / `claurst hooks deny` in a project change them.\n\n";

/// The hook trust store as read from disk.
#[derive(Debug, Clone)]
pub struct HookTrust {
    file: PathBuf,
    projects: BTreeMap<String, Entry>,
}

impl HookTrust {
    /// Read `~/.claurst/hooks-trust.toml` (no file is an empty store).
    pub fn load(paths: &ClaurstPaths) -> Result<Self, ConfigError> {
        let file = paths.claurst_dir().join("hooks-trust.toml");
        let projects = read_projects(&file)?;
        Ok(Self { file, projects })
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Whether the project's hooks with this `fingerprint` may run.
    pub fn decision(&self, project_root: &Path, fingerprint: &str) -> TrustDecision {
        match self.projects.get(&project_key(project_root)) {
            Some(entry) if entry.fingerprint == fingerprint => match entry.decision {
                Stored::Approved => TrustDecision::Approved,
                Stored::Denied => TrustDecision::Denied,
            },
            _ => TrustDecision::Unknown,
        }
    }

    /// Remember the user's answer about the project's hooks with this `fingerprint`, on disk at once.
    pub fn record(
        &mut self,
        project_root: &Path,
        fingerprint: &str,
        choice: TrustChoice,
    ) -> Result<(), ConfigError> {
        let decision = match choice {
            TrustChoice::Approve => Stored::Approved,
            TrustChoice::Deny => Stored::Denied,
        };
        let entry = Entry { fingerprint: fingerprint.to_string(), decision };
        // Another session may have recorded a decision since this one loaded: change what is on disk now.
        let mut projects = read_projects(&self.file)?;
        projects.insert(project_key(project_root), entry);
        let text = toml::to_string(&StoreFile { projects: projects.clone() }).map_err(|error| {
            ConfigError::TrustStore { file: self.file.clone(), message: format!("cannot encode: {error}") }
        })?;
        write_atomically(&self.file, &format!("{HEADER}{text}"))?;
        self.projects = projects;
        Ok(())
    }
}

fn read_projects(file: &Path) -> Result<BTreeMap<String, Entry>, ConfigError> {
    let Some(text) = crate::file::read_if_present(file)? else {
        return Ok(BTreeMap::new());
    };
    let store: StoreFile =
        toml::from_str(&text).map_err(|error: toml::de::Error| ConfigError::TrustStore {
            file: file.to_path_buf(),
            message: format!("cannot be read: {}", error.message().trim()),
        })?;
    Ok(store.projects)
}

/// Projects are keyed by their canonical root, so a symlinked path or `..` finds the same decision.
fn project_key(project_root: &Path) -> String {
    std::fs::canonicalize(project_root)
        .unwrap_or_else(|_| project_root.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn decisions_round_trip_and_follow_the_fingerprint() {
        let home = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let paths = ClaurstPaths::with_home(home.path());
        let mut trust = HookTrust::load(&paths).unwrap();
        assert_eq!(trust.decision(project.path(), "a"), TrustDecision::Unknown);
        trust.record(project.path(), "a", TrustChoice::Approve).unwrap();
        let reloaded = HookTrust::load(&paths).unwrap();
        assert_eq!(reloaded.decision(project.path(), "a"), TrustDecision::Approved);
        assert_eq!(reloaded.decision(project.path(), "b"), TrustDecision::Unknown);
        assert_eq!(reloaded.decision(home.path(), "a"), TrustDecision::Unknown);
        trust.record(project.path(), "a", TrustChoice::Deny).unwrap();
        assert_eq!(HookTrust::load(&paths).unwrap().decision(project.path(), "a"), TrustDecision::Denied);
    }
}
