//! Which hooks a tool call (or a session source) selects.
//!
//! A matcher is written as in Claude Code: empty or `*` selects everything; a name or `A|B` selects those
//! names exactly; anything else is a regular expression that must match the whole name. A tool is known by
//! Claurst's name (`bash`) and by the name Claude Code gives the same tool (`Bash`, from
//! `claurst_protocol::tool_names`), so settings written for Claude Code select the same calls here.

use claurst_protocol::tool_names::claude_name;
use regex::Regex;

/// A compiled matcher.
#[derive(Debug, Clone)]
pub enum Matcher {
    Everything,
    Names(Vec<String>),
    Pattern(Regex),
    /// A pattern that does not compile selects nothing (and was reported when the runner was built).
    Nothing,
}

impl Matcher {
    /// The matcher written `text`, or why its regular expression is invalid.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() || text == "*" {
            return Ok(Matcher::Everything);
        }
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '|';
        if text.chars().all(plain) {
            return Ok(Matcher::Names(
                text.split('|').filter(|name| !name.is_empty()).map(String::from).collect(),
            ));
        }
        Regex::new(&format!("^(?:{text})$")).map(Matcher::Pattern).map_err(|error| error.to_string())
    }

    /// Whether `subject` (a tool name, or a source such as `startup`) is selected.
    pub fn selects(&self, subject: &str) -> bool {
        let names = [Some(subject), claude_name(subject)];
        let mut names = names.iter().flatten();
        match self {
            Matcher::Everything => true,
            Matcher::Nothing => false,
            Matcher::Names(wanted) => names.any(|name| wanted.iter().any(|wanted| wanted == name)),
            Matcher::Pattern(pattern) => names.any(|name| pattern.is_match(name)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn selects(matcher: &str, subject: &str) -> bool {
        Matcher::parse(matcher).unwrap().selects(subject)
    }

    #[test]
    fn empty_and_star_select_everything() {
        assert!(selects("", "bash"));
        assert!(selects("*", "mcp__db__query"));
    }

    #[test]
    fn names_are_exact_in_either_vocabulary() {
        assert!(selects("bash", "bash"));
        assert!(selects("Bash", "bash"));
        assert!(selects("Bash|Edit", "edit_file"));
        assert!(selects("Glob", "search_files"));
        assert!(!selects("Edit", "multi_edit"), "a name never matches part of another");
        assert!(!selects("bash", "bash_output"));
        assert!(selects("Task", "agent"));
        assert!(selects("startup", "startup"));
        assert!(!selects("startup", "resume"));
    }

    #[test]
    fn patterns_match_whole_names() {
        assert!(selects("mcp__db__.*", "mcp__db__query"));
        assert!(!selects("mcp__db__.*", "mcp__other__query"));
        assert!(selects("(Edit|Write).*", "write_file"));
        assert!(selects(".*_file", "read_file"));
        assert!(!selects("ba.", "bash"));
        assert!(Matcher::parse("(unclosed").is_err());
    }
}
