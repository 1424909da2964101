//! The errors this crate reports. Every message says what is wrong and how to fix it.

use std::fmt;
use std::io;
use std::path::PathBuf;
use thiserror::Error;

/// A rule string that is not valid rule syntax (`tool` or `tool(specifier)`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleParseError {
    #[error("empty permission rule; write a tool name such as `read_file`, or `bash(git status)`")]
    Empty,
    #[error(
        "rule `{rule}` does not start with a tool name; write `tool` or `tool(specifier)`, \
         where the tool name uses letters, digits, `_` and `-` (e.g. `bash(git status)`); a trailing `*` \
         is only for an MCP server's tools (`mcp__github__*`)"
    )]
    InvalidToolName { rule: String },
    #[error(
        "rule `{rule}` opens `(` but does not end with `)`; write `tool(specifier)`, e.g. `bash(git status)`"
    )]
    UnclosedParen { rule: String },
    #[error("rule `{rule}` has an empty specifier; write `{tool}` alone to match every {tool} call")]
    EmptySpecifier { rule: String, tool: String },
    #[error(
        "rule `{rule}`: `{tool}` takes no specifier (only bash, the file tools and web_fetch do); \
         write `{tool}` alone to match every {tool} call"
    )]
    SpecifierNotSupported { rule: String, tool: String },
    #[error(
        "rule `{rule}`: a prefix rule is `bash(PREFIX:*)` with a non-empty PREFIX that contains no other `*`, \
         e.g. `bash(npm run test:*)`; use `bash(make *)` for a wildcard rule instead"
    )]
    InvalidCommandPrefix { rule: String },
    #[error(
        "rule `{rule}`: `{pattern}` is not a valid path glob ({message}); use gitignore-style globs such as \
         `src/**`, `./secrets/**`, `//etc/**` (absolute) or `~/notes/**`"
    )]
    InvalidGlob { rule: String, pattern: String, message: String },
    #[error(
        "rule `{rule}`: web_fetch rules name a host as `domain:HOST`, e.g. `web_fetch(domain:example.com)` \
         (which also covers its subdomains); no scheme, path or port"
    )]
    InvalidDomain { rule: String },
}

/// Why a shell command line could not be read exactly. Such a command is never auto-allowed: the engine
/// asks instead (and a deny or ask rule matching the whole line still applies).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShellSplitError {
    #[error("the command is not valid shell syntax")]
    Syntax,
    #[error("{0} is not understood by the permission check")]
    Unsupported(String),
    #[error("commands nested more than {0} levels deep")]
    TooDeep(usize),
    #[error("brace expansion makes more than {0} words")]
    TooManyWords(usize),
}

/// Which list of a rule set a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleList {
    Allow,
    Ask,
    Deny,
}

impl RuleList {
    /// The key of this list in config and in the remembered-rules file.
    pub fn key(self) -> &'static str {
        match self {
            RuleList::Allow => "allow",
            RuleList::Ask => "ask",
            RuleList::Deny => "deny",
        }
    }
}

impl fmt::Display for RuleList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Errors from building an engine or reading and writing the remembered-rules file.
#[derive(Debug, Error)]
pub enum PermissionError {
    #[error("invalid permission rule in the `{list}` list: {source}")]
    InvalidRule {
        list: RuleList,
        #[source]
        source: RuleParseError,
    },
    #[error(
        "{}:{line}: {message}; the file holds lists `allow`, `ask` and `deny` of rule strings, \
         e.g. allow = [\"bash(cargo test:*)\"] — fix it or delete it",
        path.display()
    )]
    RememberedFileSyntax { path: PathBuf, line: usize, message: String },
    #[error("{}:{line}: {source}", path.display())]
    RememberedRule {
        path: PathBuf,
        line: usize,
        #[source]
        source: RuleParseError,
    },
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}
