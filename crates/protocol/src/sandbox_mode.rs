//! The sandbox mode, shared by the configuration, the agent and the front-ends (the status line shows it).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the kernel sandbox confines the commands the model runs (`[sandbox] mode`, `--sandbox`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxMode {
    /// Auto-approved commands run read-only, approved ones workspace-write; where the kernel cannot
    /// sandbox, commands run unconfined and nothing runs without approval.
    #[default]
    Auto,
    /// Every command runs read-only, approved or not.
    ReadOnly,
    /// Auto-approved commands run read-only, approved ones workspace-write; refused where unsupported.
    WorkspaceWrite,
    /// No sandbox: commands run as the user, as before.
    Off,
}

impl SandboxMode {
    pub const ALL: [SandboxMode; 4] =
        [SandboxMode::Auto, SandboxMode::ReadOnly, SandboxMode::WorkspaceWrite, SandboxMode::Off];

    /// The name used in flags, config files and the status line.
    pub fn as_str(self) -> &'static str {
        match self {
            SandboxMode::Auto => "auto",
            SandboxMode::ReadOnly => "read-only",
            SandboxMode::WorkspaceWrite => "workspace-write",
            SandboxMode::Off => "off",
        }
    }
}

impl fmt::Display for SandboxMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sandbox mode name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSandboxMode(pub String);

impl fmt::Display for UnknownSandboxMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown sandbox mode `{}`: use auto, read-only, workspace-write or off", self.0)
    }
}

impl std::error::Error for UnknownSandboxMode {}

impl FromStr for SandboxMode {
    type Err = UnknownSandboxMode;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        SandboxMode::ALL
            .into_iter()
            .find(|mode| mode.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownSandboxMode(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_flags_and_config() {
        for mode in SandboxMode::ALL {
            assert_eq!(mode.as_str().parse::<SandboxMode>().unwrap(), mode);
            assert_eq!(serde_json::to_string(&mode).unwrap(), format!("\"{}\"", mode.as_str()));
        }
        let error = "strict".parse::<SandboxMode>().unwrap_err();
        assert!(error.to_string().contains("auto, read-only, workspace-write or off"), "{error}");
    }
}
