//! The permission engine of Claurst: for each tool call, whether it runs, asks the user first, or is
//! refused, and why.
//!
//! It owns permission rules (`bash(cargo test:*)`, `edit_file(src/**)`, …) and their config syntax, the
//! decision table over the five permission modes, the shell command parser (tree-sitter-bash) and the
//! option tables of the read-only commands that the decision relies on, the protected settings paths,
//! and the project-local file of rules remembered with "allow and remember". Tools describe each call as an [`Access`]; the agent asks [`PermissionEngine::evaluate`].
//!
//! It is pure decision logic plus that one file: it must never depend on the tools, the agent loop or any
//! user interface. The behaviour is specified in `spec/permissions.md`.

mod access;
mod call;
mod engine;
mod error;
mod gitconfig;
mod links;
mod paths;
mod readonly;
mod remembered;
mod rule;
mod rule_set;
mod shell;
mod suggest;

pub use access::{Access, Effect};
pub use engine::{Grant, PermissionEngine, PermissionPolicy, Verdict};
pub use error::{PermissionError, RuleList, RuleParseError, ShellSplitError};
pub use gitconfig::config_runs_programs as git_config_runs_programs;
pub use readonly::is_read_only;
pub use remembered::{REMEMBERED_RULES_FILE, RememberedRules};
pub use rule::{
    CommandPattern, EDIT_FAMILY, FETCH_TOOL, MCP_PREFIX, READ_FAMILY, Rule, SHELL_TOOL, Specifier,
};
pub use rule_set::RuleSet;
pub use shell::{CommandPart, DirectoryChange, split_shell_command};
