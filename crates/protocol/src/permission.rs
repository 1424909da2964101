//! Permission modes, shared by the permission engine, the agent and the front-ends.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the permission engine treats tool calls that no rule decides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PermissionMode {
    /// Ask the user for anything not allowed by a rule.
    #[default]
    Default,
    /// File edits inside the project are allowed without asking.
    AcceptEdits,
    /// Read-only: every mutating tool is refused.
    Plan,
    /// Everything is allowed, except what a deny rule forbids.
    BypassPermissions,
    /// Whatever is not allowed by a rule is denied without asking.
    DontAsk,
}

impl PermissionMode {
    pub const ALL: [PermissionMode; 5] = [
        PermissionMode::Default,
        PermissionMode::AcceptEdits,
        PermissionMode::Plan,
        PermissionMode::BypassPermissions,
        PermissionMode::DontAsk,
    ];

    /// The name used in flags, config files and the status line.
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionMode::Default => "default",
            PermissionMode::AcceptEdits => "acceptEdits",
            PermissionMode::Plan => "plan",
            PermissionMode::BypassPermissions => "bypassPermissions",
            PermissionMode::DontAsk => "dontAsk",
        }
    }

    /// The next mode in the Shift+Tab cycle. Bypass is never entered by cycling: it must be chosen explicitly.
    pub fn cycle_next(self) -> PermissionMode {
        match self {
            PermissionMode::Default => PermissionMode::AcceptEdits,
            PermissionMode::AcceptEdits => PermissionMode::Plan,
            PermissionMode::Plan => PermissionMode::Default,
            PermissionMode::BypassPermissions | PermissionMode::DontAsk => PermissionMode::Default,
        }
    }
}

impl fmt::Display for PermissionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A permission mode name that is not one of the five.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPermissionMode(pub String);

impl fmt::Display for UnknownPermissionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown permission mode `{}`; use one of default, acceptEdits, plan, bypassPermissions, dontAsk",
            self.0
        )
    }
}

impl std::error::Error for UnknownPermissionMode {}

impl FromStr for PermissionMode {
    type Err = UnknownPermissionMode;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        PermissionMode::ALL
            .into_iter()
            .find(|mode| mode.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownPermissionMode(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for mode in PermissionMode::ALL {
            assert_eq!(mode.as_str().parse::<PermissionMode>().unwrap(), mode);
            let json = serde_json::to_string(&mode).unwrap();
            assert_eq!(json, format!("\"{}\"", mode.as_str()));
        }
        assert!("sometimes".parse::<PermissionMode>().is_err());
    }

    #[test]
    fn cycling_never_enters_bypass() {
        let mut mode = PermissionMode::Default;
        for _ in 0..10 {
            mode = mode.cycle_next();
            assert_ne!(mode, PermissionMode::BypassPermissions);
        }
    }
}
