//! One tool call as the engine sees it: the facts its decision needs, worked out once.

use crate::access::{Access, Effect, url_host};
use crate::engine::Grant;
use crate::error::ShellSplitError;
use crate::paths::{Location, ShellWord, Workspace};
use crate::readonly::{is_read_only, path_arguments};
use crate::rule::{EDIT_FAMILY, READ_FAMILY, collapse_whitespace};
use crate::rule_set::{Certainty, CompiledRule};
use crate::shell::{CommandPart, match_forms, split_shell_command};

pub(crate) struct Call<'a> {
    pub(crate) tool: &'a str,
    pub(crate) access: &'a Access,
    pub(crate) facts: Facts,
}

pub(crate) enum Facts {
    Shell(ShellFacts),
    Read(Location),
    Edit(Location),
    Fetch { host: Option<String> },
    Other(Effect),
}

pub(crate) struct ShellFacts {
    /// The command line, whitespace collapsed.
    line: String,
    parts: Result<Vec<CommandPart>, ShellSplitError>,
    /// Every spelling deny and ask rules are matched against (see `match_forms`).
    forms: Vec<String>,
    /// Files the command may read (arguments) and write (redirections, arguments of commands that are not
    /// read-only), for deny and ask rules of `read_file` and `edit_file`.
    reads: Vec<Location>,
    writes: Vec<Location>,
}

impl ShellFacts {
    fn new(command: &str, workspace: &Workspace) -> ShellFacts {
        let line = collapse_whitespace(command);
        let parts = split_shell_command(command);
        let mut forms = vec![line.clone()];
        let (mut reads, mut writes) = (Vec::new(), Vec::new());
        for part in parts.iter().flatten() {
            forms.extend(match_forms(part));
            let path = |word: &str| match workspace.shell_word(word) {
                ShellWord::Path(location) => Some(location),
                ShellWord::Option | ShellWord::Unknown => None,
            };
            let arguments: Vec<Location> = path_arguments(part).into_iter().filter_map(path).collect();
            writes.extend(part.output_targets().iter().filter_map(|target| path(target)));
            if !is_read_only(part) {
                writes.extend(arguments.iter().cloned());
            }
            reads.extend(arguments);
        }
        ShellFacts { line, parts, forms, reads, writes }
    }

    pub(crate) fn line(&self) -> &str {
        &self.line
    }
}

/// Whether a call is allowed by the allow rules and the read-only defaults.
pub(crate) enum Approval<'c> {
    Granted(Grant),
    /// Not granted. For a shell command, the first part that nothing allows (`None` when the command
    /// could not be split).
    Needed {
        part: Option<&'c CommandPart>,
    },
}

impl<'a> Call<'a> {
    pub(crate) fn describe(tool: &'a str, access: &'a Access, workspace: &Workspace) -> Call<'a> {
        let facts = match access {
            Access::Shell { command } => Facts::Shell(ShellFacts::new(command, workspace)),
            Access::Read { path } => Facts::Read(workspace.locate(path)),
            Access::Edit { path } => Facts::Edit(workspace.locate(path)),
            Access::Fetch { url } => Facts::Fetch { host: url_host(url) },
            Access::Other { effect } => Facts::Other(*effect),
        };
        Call { tool, access, facts }
    }

    /// The first rule of a deny or ask list that applies: to any spelling of the command line or its
    /// parts, to the path as named or as resolved, to the host (or to an unreadable host). Path rules of
    /// `read_file` and `edit_file` also apply to the files a shell command reads or writes.
    pub(crate) fn matched_by<'r>(&self, rules: &'r [CompiledRule]) -> Option<&'r CompiledRule> {
        rules.iter().find(|rule| self.matched_leniently(rule))
    }

    fn matched_leniently(&self, rule: &CompiledRule) -> bool {
        if let Facts::Shell(shell) = &self.facts {
            let touched = match rule.rule().tool_name() {
                READ_FAMILY => shell.reads.as_slice(),
                EDIT_FAMILY => shell.writes.as_slice(),
                _ => &[],
            };
            if rule.has_path_pattern() && touched.iter().any(|l| rule.matches_location(l, Certainty::Lenient))
            {
                return true;
            }
        }
        if !rule.applies_to(self.tool, self.access) {
            return false;
        }
        match &self.facts {
            Facts::Shell(shell) => shell.forms.iter().any(|form| rule.matches_command(form)),
            Facts::Read(location) | Facts::Edit(location) => {
                rule.matches_location(location, Certainty::Lenient)
            }
            Facts::Fetch { host } => rule.matches_host(host.as_deref(), Certainty::Lenient),
            Facts::Other(_) => rule.is_bare(),
        }
    }

    /// Whether the call changes anything: an edit, a shell command that is not entirely read-only, or a
    /// mutating `Other` call. Reads and fetches do not.
    pub(crate) fn mutates(&self) -> bool {
        match &self.facts {
            Facts::Shell(ShellFacts { parts: Ok(parts), .. }) => !parts.iter().all(is_read_only),
            Facts::Shell(ShellFacts { parts: Err(_), .. }) | Facts::Edit(_) => true,
            Facts::Other(effect) => *effect == Effect::Mutating,
            Facts::Read(_) | Facts::Fetch { .. } => false,
        }
    }

    /// Steps 6 and 7 of the decision: an allow rule, or a read-only call inside the workspace.
    pub(crate) fn approval(&self, allow: &[CompiledRule], workspace: &Workspace) -> Approval<'_> {
        let rules = || allow.iter().filter(|rule| rule.applies_to(self.tool, self.access));
        let granted = match &self.facts {
            Facts::Shell(ShellFacts { line, parts, .. }) => {
                let read_only = |part: &CommandPart| {
                    is_read_only(part) && path_arguments(part).iter().all(|w| workspace.shell_word_inside(w))
                };
                if let Ok(parts) = parts
                    && !parts.is_empty()
                    && parts.iter().all(read_only)
                {
                    return Approval::Granted(Grant::ReadOnly);
                }
                if rules().any(|rule| rule.matches_unsplit_command(line)) {
                    return Approval::Granted(Grant::Approved);
                }
                let Ok(parts) = parts else {
                    return Approval::Needed { part: None };
                };
                let by_rule = |part: &CommandPart| rules().any(|rule| rule.matches_command(part.text()));
                if let Some(part) = parts.iter().find(|part| !read_only(part) && !by_rule(part)) {
                    return Approval::Needed { part: Some(part) };
                }
                return Approval::Granted(Grant::Approved);
            }
            Facts::Read(location) => {
                if workspace.contains(&location.physical) {
                    return Approval::Granted(Grant::ReadOnly);
                }
                rules().any(|rule| rule.matches_location(location, Certainty::Strict))
            }
            Facts::Edit(location) => rules().any(|rule| rule.matches_location(location, Certainty::Strict)),
            Facts::Fetch { host } => {
                rules().any(|rule| rule.matches_host(host.as_deref(), Certainty::Strict))
            }
            Facts::Other(Effect::ReadOnly) => return Approval::Granted(Grant::ReadOnly),
            Facts::Other(Effect::Mutating) => rules().any(CompiledRule::is_bare),
        };
        if granted { Approval::Granted(Grant::Approved) } else { Approval::Needed { part: None } }
    }

    /// The first part of a shell command, for suggestions when no particular part is to blame.
    pub(crate) fn first_part(&self) -> Option<&CommandPart> {
        match &self.facts {
            Facts::Shell(ShellFacts { parts: Ok(parts), .. }) => parts.first(),
            _ => None,
        }
    }
}
