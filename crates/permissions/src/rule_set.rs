//! Rule sets as configured, and the same rules compiled against the workspace for matching.

use crate::access::Access;
use crate::error::{PermissionError, RuleList, RuleParseError};
use crate::paths::{Location, Workspace};
use crate::rule::{
    CommandPattern, EDIT_FAMILY, MCP_PREFIX, READ_FAMILY, Rule, Specifier, collapse_whitespace,
    domain_matches,
};
use globset::GlobSet;
use std::path::Path;

/// The rules of a session: deny beats ask, ask beats allow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    pub allow: Vec<Rule>,
    pub ask: Vec<Rule>,
    pub deny: Vec<Rule>,
}

impl RuleSet {
    /// Parses config lists. The config loader passes `[tools] allowed` followed by `allow` as `allow`.
    pub fn parse<S: AsRef<str>>(allow: &[S], ask: &[S], deny: &[S]) -> Result<RuleSet, PermissionError> {
        let parse = |list: RuleList, texts: &[S]| {
            texts
                .iter()
                .map(|text| {
                    text.as_ref().parse().map_err(|source| PermissionError::InvalidRule { list, source })
                })
                .collect::<Result<Vec<Rule>, _>>()
        };
        let mut rules = RuleSet::default();
        for (list, texts) in [(RuleList::Allow, allow), (RuleList::Ask, ask), (RuleList::Deny, deny)] {
            for rule in parse(list, texts)? {
                rules.insert(list, rule);
            }
        }
        Ok(rules)
    }

    pub fn list(&self, list: RuleList) -> &[Rule] {
        match list {
            RuleList::Allow => &self.allow,
            RuleList::Ask => &self.ask,
            RuleList::Deny => &self.deny,
        }
    }

    /// Adds a rule unless the list already holds it; returns whether it was added.
    pub fn insert(&mut self, list: RuleList, rule: Rule) -> bool {
        let rules = match list {
            RuleList::Allow => &mut self.allow,
            RuleList::Ask => &mut self.ask,
            RuleList::Deny => &mut self.deny,
        };
        let new = !rules.contains(&rule);
        if new {
            rules.push(rule);
        }
        new
    }

    /// Removes a rule; returns whether the list held it.
    pub fn remove(&mut self, list: RuleList, rule: &Rule) -> bool {
        let rules = match list {
            RuleList::Allow => &mut self.allow,
            RuleList::Ask => &mut self.ask,
            RuleList::Deny => &mut self.deny,
        };
        let before = rules.len();
        rules.retain(|kept| kept != rule);
        rules.len() != before
    }

    /// Adds every rule of `other` that is not already present.
    pub fn extend(&mut self, other: RuleSet) {
        for list in [RuleList::Allow, RuleList::Ask, RuleList::Deny] {
            for rule in other.list(list) {
                self.insert(list, rule.clone());
            }
        }
    }
}

/// A rule ready for matching: its path glob compiled against the workspace.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    rule: Rule,
    pattern: Pattern,
}

#[derive(Debug, Clone)]
enum Pattern {
    Any,
    Command(CommandPattern),
    /// `None`: a `~/` glob with no known home directory, which matches nothing.
    Paths(Option<GlobSet>),
    Domain(String),
}

/// How sure a match must be: allow rules need certainty, deny and ask rules apply on any doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Certainty {
    /// Deny and ask: any part of a command, the lexical or the physical path, an unreadable host.
    Lenient,
    /// Allow: the physical path, a readable host.
    Strict,
}

/// Whether a rule's tool name covers `tool`: the same name, a prefix ending in `*` (`mcp__github__*`), or
/// an MCP server's name alone (`mcp__github`), which covers every tool of that server.
fn names_tool(rule_tool: &str, tool: &str) -> bool {
    let tool = tool.to_ascii_lowercase();
    if let Some(prefix) = rule_tool.strip_suffix('*') {
        return tool.starts_with(prefix);
    }
    if rule_tool == tool {
        return true;
    }
    let is_server_rule =
        rule_tool.strip_prefix(MCP_PREFIX).is_some_and(|server| !server.is_empty() && !server.contains("__"));
    is_server_rule && tool.strip_prefix(rule_tool).is_some_and(|rest| rest.starts_with("__"))
}

impl CompiledRule {
    pub(crate) fn compile(
        list: RuleList,
        rule: Rule,
        workspace: &Workspace,
    ) -> Result<Self, PermissionError> {
        let pattern = match rule.specifier() {
            None => Pattern::Any,
            Some(Specifier::Command(command)) => Pattern::Command(command.clone()),
            Some(Specifier::Domain(host)) => Pattern::Domain(host.clone()),
            Some(Specifier::Path(glob)) => {
                Pattern::Paths(workspace.compile_glob(glob).map_err(|e| PermissionError::InvalidRule {
                    list,
                    source: RuleParseError::InvalidGlob {
                        rule: rule.to_string(),
                        pattern: glob.clone(),
                        message: e.kind().to_string(),
                    },
                })?)
            }
        };
        Ok(CompiledRule { rule, pattern })
    }

    pub(crate) fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Whether the rule is about this tool: by name, or for `edit_file`/`read_file` rules by what the call
    /// does (every editing, resp. reading, tool).
    pub(crate) fn applies_to(&self, tool: &str, access: &Access) -> bool {
        let family_covers = match self.rule.tool_name() {
            EDIT_FAMILY => matches!(access, Access::Edit { .. } | Access::Edits { .. }),
            READ_FAMILY => matches!(access, Access::Read { .. }),
            _ => false,
        };
        family_covers || names_tool(self.rule.tool_name(), tool)
    }

    /// Whether the rule names `tool` itself (not through the family its tool stands for).
    pub(crate) fn names(&self, tool: &str) -> bool {
        names_tool(self.rule.tool_name(), tool)
    }

    /// Whether the rule matches every call of its tool.
    pub(crate) fn is_bare(&self) -> bool {
        matches!(self.pattern, Pattern::Any)
    }

    /// Whether the rule names paths (`read_file(src/**)`), as opposed to being bare or about something else.
    pub(crate) fn has_path_pattern(&self) -> bool {
        matches!(self.pattern, Pattern::Paths(_))
    }

    /// Whether one command (whitespace collapsed) matches.
    pub(crate) fn matches_command(&self, command: &str) -> bool {
        match &self.pattern {
            Pattern::Any => true,
            Pattern::Command(pattern) => pattern.matches(command),
            Pattern::Paths(_) | Pattern::Domain(_) => false,
        }
    }

    /// Whether a whole command line the splitter could not read is matched: only by a bare rule or an
    /// exact rule naming precisely this command line, since anything broader could hide a command.
    pub(crate) fn matches_unsplit_command(&self, command: &str) -> bool {
        match &self.pattern {
            Pattern::Any => true,
            Pattern::Command(CommandPattern::Exact(text)) => collapse_whitespace(text) == command,
            _ => false,
        }
    }

    pub(crate) fn matches_location(&self, location: &Location, certainty: Certainty) -> bool {
        let matches = |path: &Path| match &self.pattern {
            Pattern::Any => true,
            Pattern::Paths(Some(globs)) => globs.is_match(path),
            _ => false,
        };
        matches(&location.physical) || (certainty == Certainty::Lenient && matches(&location.lexical))
    }

    pub(crate) fn matches_host(&self, host: Option<&str>, certainty: Certainty) -> bool {
        match (&self.pattern, host) {
            (Pattern::Any, _) => true,
            (Pattern::Domain(domain), Some(host)) => domain_matches(domain, host),
            (Pattern::Domain(_), None) => certainty == Certainty::Lenient,
            _ => false,
        }
    }
}

/// The three lists, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct CompiledRules {
    pub(crate) allow: Vec<CompiledRule>,
    pub(crate) ask: Vec<CompiledRule>,
    pub(crate) deny: Vec<CompiledRule>,
}

impl CompiledRules {
    pub(crate) fn compile(rules: &RuleSet, workspace: &Workspace) -> Result<Self, PermissionError> {
        let compile = |list: RuleList| -> Result<Vec<CompiledRule>, PermissionError> {
            rules.list(list).iter().map(|rule| CompiledRule::compile(list, rule.clone(), workspace)).collect()
        };
        Ok(CompiledRules {
            allow: compile(RuleList::Allow)?,
            ask: compile(RuleList::Ask)?,
            deny: compile(RuleList::Deny)?,
        })
    }
}
