//! What the trust stores (`mcp-trust.toml`, `hooks-trust.toml`) share: an entry per decision with the
//! fingerprint it was about, projects keyed by their canonical root, reading that refuses a broken file, and
//! writing that re-reads what is on disk first (another session may have recorded a decision meanwhile) and
//! replaces the file atomically.

use crate::error::ConfigError;
use crate::mcp_edit::write_config_file;
use crate::mcp_trust::{TrustChoice, TrustDecision};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Stored {
    Approved,
    Denied,
}

/// One remembered decision and the fingerprint of the definition it was about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    fingerprint: String,
    decision: Stored,
}

impl Entry {
    pub(crate) fn new(fingerprint: &str, choice: TrustChoice) -> Self {
        let decision = match choice {
            TrustChoice::Approve => Stored::Approved,
            TrustChoice::Deny => Stored::Denied,
        };
        Self { fingerprint: fingerprint.to_string(), decision }
    }

    /// The decision, if it was about this `fingerprint`; a changed definition is `Unknown` (ask again).
    pub(crate) fn decision_for(&self, fingerprint: &str) -> TrustDecision {
        match (self.fingerprint == fingerprint, self.decision) {
            (false, _) => TrustDecision::Unknown,
            (true, Stored::Approved) => TrustDecision::Approved,
            (true, Stored::Denied) => TrustDecision::Denied,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StoreFile<Projects: Default> {
    #[serde(default)]
    projects: Projects,
}

/// The projects recorded in `file` (no file: none).
pub(crate) fn read_projects<Projects: DeserializeOwned + Default>(
    file: &Path,
) -> Result<Projects, ConfigError> {
    let Some(text) = crate::file::read_if_present(file)? else {
        return Ok(Projects::default());
    };
    let store: StoreFile<Projects> =
        toml::from_str(&text).map_err(|error: toml::de::Error| ConfigError::TrustStore {
            file: file.to_path_buf(),
            message: format!("cannot be read: {}", error.message().trim()),
        })?;
    Ok(store.projects)
}

/// Apply `change` to the projects on disk now, write them back under `header`, and return them.
pub(crate) fn update_projects<Projects: Serialize + DeserializeOwned + Default>(
    file: &Path,
    header: &str,
    change: impl FnOnce(&mut Projects),
) -> Result<Projects, ConfigError> {
    let mut projects = read_projects(file)?;
    change(&mut projects);
    let store = StoreFile { projects };
    let text = toml::to_string(&store).map_err(|error| ConfigError::TrustStore {
        file: file.to_path_buf(),
        message: format!("cannot encode: {error}"),
    })?;
    write_config_file(file, &format!("{header}{text}"))?;
    Ok(store.projects)
}

/// Projects are keyed by their canonical root, so a symlinked path or `..` finds the same decisions.
pub(crate) fn project_key(project_root: &Path) -> String {
    std::fs::canonicalize(project_root)
        .unwrap_or_else(|_| project_root.to_path_buf())
        .to_string_lossy()
        .into_owned()
}
