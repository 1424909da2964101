//! The hook trust store, `~/.claurst/hooks-trust.toml`: per project, whether the user approved or denied the
//! hooks the project defines, with the fingerprint of the definitions the decision was about.
//!
//! Hooks run arbitrary commands on every tool call, so project hooks run only once approved; any change to
//! them (another fingerprint) is asked about again. As with the MCP store, the file is replaced atomically and
//! one that cannot be read is an error, never overwritten.

use crate::error::ConfigError;
use crate::mcp_trust::{TrustChoice, TrustDecision};
use crate::paths::ClaurstPaths;
use crate::trust_file::{Entry, project_key, read_projects, update_projects};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
        self.projects
            .get(&project_key(project_root))
            .map_or(TrustDecision::Unknown, |entry| entry.decision_for(fingerprint))
    }

    /// Remember the user's answer about the project's hooks with this `fingerprint`, on disk at once.
    pub fn record(
        &mut self,
        project_root: &Path,
        fingerprint: &str,
        choice: TrustChoice,
    ) -> Result<(), ConfigError> {
        let entry = Entry::new(fingerprint, choice);
        let key = project_key(project_root);
        self.projects = update_projects(&self.file, HEADER, |projects: &mut BTreeMap<String, Entry>| {
            projects.insert(key, entry);
        })?;
        Ok(())
    }
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
