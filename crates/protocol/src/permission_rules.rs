//! The permission rules as `/permissions` shows and edits them: each rule with its list and the file (or
//! session) that holds it.

use serde::{Deserialize, Serialize};

/// Which list a rule is in: deny beats ask, ask beats allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RuleListKind {
    Allow,
    Ask,
    Deny,
}

impl RuleListKind {
    pub const ALL: [RuleListKind; 3] = [RuleListKind::Allow, RuleListKind::Ask, RuleListKind::Deny];

    /// The list's key in config files (`[tools] allow = [...]`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleListKind::Allow => "allow",
            RuleListKind::Ask => "ask",
            RuleListKind::Deny => "deny",
        }
    }
}

/// Where a rule is kept, and so how long it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RuleScope {
    /// `~/.claurst/config.toml`: every project of this user.
    User,
    /// The project's `.claurst.toml`, usually committed and shared.
    Project,
    /// The project's `.claurst/permissions.local.toml`: this user's rules for this project ("allow and
    /// remember" saves there).
    Local,
    /// This session only (flags, or added here for the session).
    Session,
}

impl RuleScope {
    pub const ALL: [RuleScope; 4] =
        [RuleScope::User, RuleScope::Project, RuleScope::Local, RuleScope::Session];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleScope::User => "user",
            RuleScope::Project => "project",
            RuleScope::Local => "local",
            RuleScope::Session => "session",
        }
    }
}

/// One rule as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionRuleView {
    pub list: RuleListKind,
    pub scope: RuleScope,
    /// As written in the file (`bash(npm test:*)`).
    pub rule: String,
}

/// Every rule in force, and the file behind each scope that has one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionRulesView {
    pub rules: Vec<PermissionRuleView>,
    /// `(scope, path)` for the scopes kept in a file, whether or not it exists yet.
    pub files: Vec<(RuleScope, String)>,
}

/// A change to the rules asked from `/permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RuleEdit {
    Add(PermissionRuleView),
    Remove(PermissionRuleView),
}
