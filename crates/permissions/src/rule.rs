//! Permission rules: `tool` or `tool(specifier)`, parsed from and printed to config syntax.

use crate::error::RuleParseError;
use std::fmt;
use std::str::FromStr;

/// The shell tool; its rules take command patterns.
pub const SHELL_TOOL: &str = "bash";
/// The tool whose rules (bare or with a glob) cover every file-editing call.
pub const EDIT_FAMILY: &str = "edit_file";
/// The tool whose rules (bare or with a glob) cover every file-reading call.
pub const READ_FAMILY: &str = "read_file";
/// The fetch tool; its rules take `domain:HOST`.
pub const FETCH_TOOL: &str = "web_fetch";

/// What the names of MCP servers' tools start with: `mcp__<server>__<tool>`.
pub const MCP_PREFIX: &str = "mcp__";

/// Tools that edit files: their rules take path globs.
const EDIT_TOOLS: [&str; 5] = ["edit_file", "write_file", "multi_edit", "notebook_edit", "apply_patch"];
/// Tools that read files or directories: their rules take path globs.
const READ_TOOLS: [&str; 4] = ["read_file", "grep", "search_files", "list_dir"];

/// A permission rule: a tool name (lower-cased) and, optionally, what calls of it the rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    tool: String,
    specifier: Option<Specifier>,
}

/// The part of a rule in parentheses. Which kind a rule may carry depends on its tool.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Specifier {
    /// `bash(...)`: which command lines.
    Command(CommandPattern),
    /// File tools: a gitignore-style glob, kept as written (`src/**`, `//etc/**`, `~/notes/**`).
    Path(String),
    /// `web_fetch(domain:HOST)`: the host (lower-cased) and its subdomains.
    Domain(String),
}

/// How a `bash(...)` rule matches one command.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CommandPattern {
    /// `bash(git status)`: exactly this command.
    Exact(String),
    /// `bash(npm run test:*)`: the prefix alone, or the prefix followed by a space and anything.
    Prefix(String),
    /// `bash(make *)`: `*` matches any run of characters; a trailing ` *` also matches nothing.
    Wildcard(String),
}

impl Rule {
    /// A bare rule matching every call of `tool`.
    pub fn tool(tool: &str) -> Rule {
        Rule { tool: tool.to_ascii_lowercase(), specifier: None }
    }

    /// The tool name, lower-cased.
    pub fn tool_name(&self) -> &str {
        &self.tool
    }

    /// What the rule covers beyond the tool name; `None` for a bare rule.
    pub fn specifier(&self) -> Option<&Specifier> {
        self.specifier.as_ref()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tool)?;
        match &self.specifier {
            None => Ok(()),
            Some(Specifier::Command(CommandPattern::Prefix(prefix))) => write!(f, "({prefix}:*)"),
            Some(Specifier::Command(CommandPattern::Exact(text) | CommandPattern::Wildcard(text))) => {
                write!(f, "({text})")
            }
            Some(Specifier::Path(glob)) => write!(f, "({glob})"),
            Some(Specifier::Domain(host)) => write!(f, "(domain:{host})"),
        }
    }
}

impl FromStr for Rule {
    type Err = RuleParseError;

    fn from_str(text: &str) -> Result<Rule, RuleParseError> {
        let rule = text.trim();
        if rule.is_empty() {
            return Err(RuleParseError::Empty);
        }
        let (name, inner) = match rule.find('(') {
            None => (rule, None),
            Some(open) => {
                let inner = rule[open + 1..]
                    .strip_suffix(')')
                    .ok_or_else(|| RuleParseError::UnclosedParen { rule: rule.to_string() })?;
                (rule[..open].trim_end(), Some(inner.trim()))
            }
        };
        // A trailing `*` names every tool with that prefix (`mcp__github__*`), and nothing shorter than a
        // server's prefix: `*` or `mcp__*` alone would be a silent "allow everything".
        let stem = name.strip_suffix('*').unwrap_or(name);
        let wildcard_too_wide = stem.len() < name.len()
            && !(stem.starts_with(MCP_PREFIX) && stem.len() > MCP_PREFIX.len() + 2 && stem.ends_with("__"));
        if stem.is_empty()
            || wildcard_too_wide
            || !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(RuleParseError::InvalidToolName { rule: rule.to_string() });
        }
        // Claude Code's names (`Read`, `WebFetch`) are read as the Claurst tools they stand for, so settings
        // written for Claude Code keep their meaning.
        let tool = claurst_protocol::tool_names::to_claurst(name).to_ascii_lowercase();
        let specifier = match inner {
            None => None,
            Some("") => {
                return Err(RuleParseError::EmptySpecifier { rule: rule.to_string(), tool });
            }
            Some(inner) => Some(parse_specifier(rule, &tool, inner)?),
        };
        Ok(Rule { tool, specifier })
    }
}

fn parse_specifier(rule: &str, tool: &str, inner: &str) -> Result<Specifier, RuleParseError> {
    if tool == SHELL_TOOL {
        parse_command_pattern(rule, inner).map(Specifier::Command)
    } else if takes_path_glob(tool) {
        validate_glob(rule, inner)?;
        Ok(Specifier::Path(inner.to_string()))
    } else if tool == FETCH_TOOL {
        parse_domain(rule, inner).map(Specifier::Domain)
    } else {
        Err(RuleParseError::SpecifierNotSupported { rule: rule.to_string(), tool: tool.to_string() })
    }
}

fn parse_command_pattern(rule: &str, inner: &str) -> Result<CommandPattern, RuleParseError> {
    if let Some(prefix) = inner.strip_suffix(":*") {
        let prefix = prefix.trim_end();
        if prefix.is_empty() || prefix.contains('*') {
            return Err(RuleParseError::InvalidCommandPrefix { rule: rule.to_string() });
        }
        return Ok(CommandPattern::Prefix(prefix.to_string()));
    }
    if inner.contains('*') {
        Ok(CommandPattern::Wildcard(inner.to_string()))
    } else {
        Ok(CommandPattern::Exact(inner.to_string()))
    }
}

fn validate_glob(rule: &str, pattern: &str) -> Result<(), RuleParseError> {
    let invalid = |message: String| RuleParseError::InvalidGlob {
        rule: rule.to_string(),
        pattern: pattern.to_string(),
        message,
    };
    if pattern.starts_with('~') && pattern != "~" && !pattern.starts_with("~/") {
        return Err(invalid("only `~/` (your home directory) is supported, not `~user`".to_string()));
    }
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| invalid(e.kind().to_string()))?;
    Ok(())
}

fn parse_domain(rule: &str, inner: &str) -> Result<String, RuleParseError> {
    let host = inner.strip_prefix("domain:").map(str::trim).unwrap_or_default().to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let valid = !host.is_empty()
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if valid { Ok(host.to_string()) } else { Err(RuleParseError::InvalidDomain { rule: rule.to_string() }) }
}

/// Whether rules for `tool` take a path glob.
pub(crate) fn takes_path_glob(tool: &str) -> bool {
    EDIT_TOOLS.contains(&tool) || READ_TOOLS.contains(&tool)
}

impl CommandPattern {
    /// Whether one command (whitespace already collapsed) matches this pattern.
    pub(crate) fn matches(&self, command: &str) -> bool {
        match self {
            CommandPattern::Exact(text) => collapse_whitespace(text) == command,
            CommandPattern::Prefix(prefix) => {
                let prefix = collapse_whitespace(prefix);
                command
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            }
            CommandPattern::Wildcard(pattern) => {
                let pattern = collapse_whitespace(pattern);
                wildcard_match(&pattern, command)
                    || pattern.strip_suffix(" *").is_some_and(|head| wildcard_match(head, command))
            }
        }
    }
}

/// Whether `host` is `domain` or one of its subdomains.
pub(crate) fn domain_matches(domain: &str, host: &str) -> bool {
    host == domain || host.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
}

/// Collapses runs of whitespace into one space and trims the ends.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `*` matches any run of characters (including none); everything else matches itself.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Rule {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn parses_each_kind_and_round_trips() {
        let cases = [
            ("bash", "bash"),
            ("Bash(git status)", "bash(git status)"),
            ("bash(npm run test:*)", "bash(npm run test:*)"),
            ("bash(make *)", "bash(make *)"),
            ("EDIT_FILE(src/**)", "edit_file(src/**)"),
            ("read_file(./secrets/**)", "read_file(./secrets/**)"),
            ("read_file(//etc/**)", "read_file(//etc/**)"),
            ("write_file(~/notes/**)", "write_file(~/notes/**)"),
            ("web_fetch(domain:Docs.RS)", "web_fetch(domain:docs.rs)"),
            ("todo_write", "todo_write"),
            ("mcp__github__create_issue", "mcp__github__create_issue"),
            ("  bash( git  log )  ", "bash(git  log)"),
        ];
        for (input, printed) in cases {
            let rule = parse(input);
            assert_eq!(rule.to_string(), printed, "{input}");
            assert_eq!(parse(&rule.to_string()), rule, "{input} must round-trip");
        }
    }

    #[test]
    fn tool_names_match_case_insensitively() {
        assert_eq!(parse("Bash(git status)"), parse("bash(git status)"));
        assert_eq!(parse("READ_FILE"), Rule::tool("read_file"));
    }

    #[test]
    fn claude_code_tool_names_are_read_as_ours() {
        assert_eq!(parse("Read"), Rule::tool("read_file"));
        assert_eq!(parse("WebFetch(domain:docs.rs)"), parse("web_fetch(domain:docs.rs)"));
        assert_eq!(parse("Edit(src/**)"), parse("edit_file(src/**)"));
        assert_eq!(parse("Bash(git diff:*)").to_string(), "bash(git diff:*)");
        assert_eq!(parse("Task"), Rule::tool("agent"));
    }

    #[test]
    fn command_pattern_kinds() {
        assert_eq!(
            parse("bash(npm run test:*)").specifier(),
            Some(&Specifier::Command(CommandPattern::Prefix("npm run test".into())))
        );
        assert_eq!(
            parse("bash(make *)").specifier(),
            Some(&Specifier::Command(CommandPattern::Wildcard("make *".into())))
        );
        assert_eq!(
            parse("bash(echo $(date))").specifier(),
            Some(&Specifier::Command(CommandPattern::Exact("echo $(date)".into())))
        );
    }

    #[test]
    fn parse_errors_are_typed() {
        let err = |text: &str| text.parse::<Rule>().unwrap_err();
        assert_eq!(err("   "), RuleParseError::Empty);
        assert!(matches!(err("bash(git status"), RuleParseError::UnclosedParen { .. }));
        assert!(matches!(err("(git status)"), RuleParseError::InvalidToolName { .. }));
        assert!(matches!(err("ba sh"), RuleParseError::InvalidToolName { .. }));
        assert!(matches!(err("bash()"), RuleParseError::EmptySpecifier { .. }));
        assert!(matches!(err("todo_write(x)"), RuleParseError::SpecifierNotSupported { .. }));
        assert!(matches!(err("bash(:*)"), RuleParseError::InvalidCommandPrefix { .. }));
        assert!(matches!(err("bash(git * :*)"), RuleParseError::InvalidCommandPrefix { .. }));
        assert!(matches!(err("edit_file(src/[a)"), RuleParseError::InvalidGlob { .. }));
        assert!(matches!(err("read_file(~bob/x)"), RuleParseError::InvalidGlob { .. }));
        assert!(matches!(err("web_fetch(example.com)"), RuleParseError::InvalidDomain { .. }));
        assert!(matches!(err("web_fetch(domain:https://x.com/a)"), RuleParseError::InvalidDomain { .. }));
        let message = err("todo_write(x)").to_string();
        assert!(message.contains("write `todo_write` alone"), "{message}");
    }

    #[test]
    fn command_matching() {
        let pattern = |text: &str| match parse(&format!("bash({text})")).specifier() {
            Some(Specifier::Command(pattern)) => pattern.clone(),
            other => panic!("{other:?}"),
        };
        let exact = pattern("git status");
        assert!(exact.matches("git status"));
        assert!(!exact.matches("git status --short"));
        let prefix = pattern("npm run test:*");
        assert!(prefix.matches("npm run test"));
        assert!(prefix.matches("npm run test --watch"));
        assert!(!prefix.matches("npm run testing"));
        assert!(!prefix.matches("npm run tes"));
        let wildcard = pattern("make *");
        assert!(wildcard.matches("make"));
        assert!(wildcard.matches("make build install"));
        assert!(!wildcard.matches("makefile"));
        let inner = pattern("git * --dry-run");
        assert!(inner.matches("git push --dry-run"));
        assert!(!inner.matches("git push --dry-run --force"));
        assert!(pattern("*").matches("anything at all"));
        assert!(wildcard_match("a*a", "aa"));
        assert!(!wildcard_match("a*a", "a"));
    }

    #[test]
    fn domains_cover_subdomains_only() {
        assert!(domain_matches("example.com", "example.com"));
        assert!(domain_matches("example.com", "docs.example.com"));
        assert!(!domain_matches("example.com", "badexample.com"));
        assert!(!domain_matches("example.com", "example.com.evil.net"));
    }
}
