//! One tool call as the engine sees it: the facts its decision needs, worked out once.

use crate::access::{Access, Effect, url_host};
use crate::engine::Grant;
use crate::error::ShellSplitError;
use crate::gitconfig::config_runs_programs;
use crate::links::{EntryBudget, glob_directory, glob_stays_readable, walk_stays_readable};
use crate::paths::{Location, ShellWord, Workspace};
use crate::readonly::{ReadOnlyCall, classify, is_read_only, path_arguments};
use crate::rule::{EDIT_FAMILY, READ_FAMILY, collapse_whitespace};
use crate::rule_set::{Certainty, CompiledRule};
use crate::shell::{CommandPart, DirectoryChange, fallback_forms, match_forms, split_shell_command};
use std::path::{Path, PathBuf};

/// How many directories a part's relative paths may be relative to (after `cd`s) before it asks.
const MAX_DIRECTORIES: usize = 16;

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
    External { read_only_hint: bool },
    Other(Effect),
}

/// What the engine knows besides the workspace when it looks at a shell command.
pub(crate) struct ShellSettings<'a> {
    /// Whether a read-only command may run unasked at all (false where no sandbox can enforce it).
    pub(crate) auto_approve_read_only: bool,
    pub(crate) xdg_config_home: Option<&'a Path>,
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
    /// Where output redirections write; `None` when a target cannot be known (`> $f`, after `cd -`).
    redirects: Option<Vec<Location>>,
    /// Per part: it only reads, and only where reading needs no approval.
    unasked: Vec<bool>,
}

/// A word of a part read as a path from every directory the part may run in.
enum Resolved {
    Option,
    Unknown,
    Paths(Vec<Location>),
}

impl Resolved {
    fn paths(&self) -> &[Location] {
        match self {
            Resolved::Paths(paths) => paths,
            Resolved::Option | Resolved::Unknown => &[],
        }
    }
}

impl ShellFacts {
    fn new(command: &str, cwd: &Path, workspace: &Workspace, settings: &ShellSettings<'_>) -> ShellFacts {
        let line = collapse_whitespace(command);
        let parts = split_shell_command(command);
        let mut facts = ShellFacts {
            forms: vec![line.clone()],
            line,
            parts: Ok(Vec::new()),
            reads: Vec::new(),
            writes: Vec::new(),
            redirects: Some(Vec::new()),
            unasked: Vec::new(),
        };
        if parts.is_err() {
            facts.forms.extend(fallback_forms(command));
        }
        let mut budget = EntryBudget::new();
        for part in parts.iter().flatten() {
            facts.forms.extend(match_forms(part));
            let bases = directories(cwd, part.directory_changes(), workspace);
            let resolve = |word: &str| resolve(workspace, bases.as_deref(), word);
            let reading = classify(part);
            // Resolved once: for the rules here and, for a read-only part, for where it reads below.
            let arguments: Vec<(&str, Resolved)> = path_arguments(part, reading.as_ref())
                .into_iter()
                .map(|word| (word, resolve(word)))
                .collect();
            let located: Vec<Location> =
                arguments.iter().flat_map(|(_, resolved)| resolved.paths()).cloned().collect();
            for target in part.output_targets() {
                match resolve(target) {
                    Resolved::Paths(paths) => {
                        facts.writes.extend(paths.iter().cloned());
                        if let Some(redirects) = &mut facts.redirects {
                            redirects.extend(paths);
                        }
                    }
                    Resolved::Option | Resolved::Unknown => facts.redirects = None,
                }
            }
            if reading.is_none() {
                facts.writes.extend(located.iter().cloned());
            }
            facts.reads.extend(located);
            let unasked = settings.auto_approve_read_only
                && reading.is_some_and(|call| {
                    let bases = bases.as_deref();
                    reads_only_where_allowed(&call, &arguments, bases, workspace, settings, &mut budget)
                });
            facts.unasked.push(unasked);
        }
        facts.parts = parts;
        facts
    }

    pub(crate) fn line(&self) -> &str {
        &self.line
    }
}

/// The directories a part may run in: the shell's directory, and every `cd` target before it (the
/// union, since a `cd` may fail). `None` when one of them cannot be known.
fn directories(cwd: &Path, changes: &[DirectoryChange], workspace: &Workspace) -> Option<Vec<PathBuf>> {
    let mut dirs = vec![workspace.locate(cwd).physical];
    for change in changes {
        let targets: Vec<PathBuf> = match change {
            DirectoryChange::Home => vec![workspace.home()?.to_path_buf()],
            DirectoryChange::To(dir) => match resolve(workspace, Some(&dirs), dir) {
                Resolved::Paths(paths) => paths.into_iter().map(|l| l.physical).collect(),
                Resolved::Option | Resolved::Unknown => return None,
            },
            DirectoryChange::Unknown => return None,
        };
        dirs.extend(targets);
        dirs.sort();
        dirs.dedup();
        if dirs.len() > MAX_DIRECTORIES {
            return None;
        }
    }
    Some(dirs)
}

fn resolve(workspace: &Workspace, bases: Option<&[PathBuf]>, word: &str) -> Resolved {
    let value = word.strip_prefix('-').map_or(Some(word), |option| option.split_once('=').map(|(_, v)| v));
    let Some(value) = value else { return Resolved::Option };
    let relative = !(value.starts_with('/') || value.starts_with('~'));
    let bases: Vec<&Path> = match bases {
        Some(bases) => bases.iter().map(PathBuf::as_path).collect(),
        None if relative => return Resolved::Unknown,
        None => vec![Path::new("/")],
    };
    let mut locations = Vec::new();
    for base in bases {
        match workspace.shell_word(word, base) {
            ShellWord::Path(location) => locations.push(location),
            ShellWord::Option => return Resolved::Option,
            ShellWord::Unknown => return Resolved::Unknown,
        }
    }
    Resolved::Paths(locations)
}

/// Whether a read-only command (`call`, its `paths` resolved as `arguments`) keeps every read where
/// reading needs no approval: its directories and paths (from every directory it may run in), the
/// symlinks it follows, the entries its globs expand to; and, for git, no config that runs programs.
fn reads_only_where_allowed(
    call: &ReadOnlyCall<'_>,
    arguments: &[(&str, Resolved)],
    bases: Option<&[PathBuf]>,
    workspace: &Workspace,
    settings: &ShellSettings<'_>,
    budget: &mut EntryBudget,
) -> bool {
    let Some(bases) = bases else { return false };
    if !bases.iter().all(|dir| workspace.readable(dir)) {
        return false;
    }
    let mut dirs: Vec<PathBuf> = bases.to_vec();
    for (word, resolved) in arguments {
        let locations = match resolved {
            Resolved::Option => continue,
            Resolved::Unknown => return false,
            Resolved::Paths(locations) => locations,
        };
        if !locations.iter().all(|l| workspace.readable(&l.physical)) {
            return false;
        }
        if call.follows_links
            && !locations.iter().all(|l| walk_stays_readable(&l.physical, workspace, budget))
        {
            return false;
        }
        match glob_directory(word) {
            None => return false,
            Some(None) => {}
            Some(Some(dir)) => {
                let Resolved::Paths(dirs) = resolve(workspace, Some(bases), dir) else { return false };
                if !dirs.iter().all(|d| glob_stays_readable(&d.physical, workspace, budget)) {
                    return false;
                }
            }
        }
        dirs.extend(locations.iter().map(|l| l.physical.clone()));
    }
    if call.follows_links
        && call.paths.is_empty()
        && !bases.iter().all(|dir| walk_stays_readable(dir, workspace, budget))
    {
        return false;
    }
    !(call.is_git && config_runs_programs(&dirs, workspace.home(), settings.xdg_config_home))
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
    pub(crate) fn describe(
        tool: &'a str,
        access: &'a Access,
        workspace: &Workspace,
        settings: &ShellSettings<'_>,
    ) -> Call<'a> {
        let facts = match access {
            Access::Shell { command, cwd } => {
                Facts::Shell(ShellFacts::new(command, cwd, workspace, settings))
            }
            Access::Read { path } => Facts::Read(workspace.locate(path)),
            Access::Edit { path } => Facts::Edit(workspace.locate(path)),
            // `PermissionEngine::evaluate` judges each path as an `Edit`; whole, it is the cautious kind.
            Access::Edits { .. } => Facts::Other(Effect::Mutating),
            Access::Fetch { url } => Facts::Fetch { host: url_host(url) },
            Access::External { read_only_hint } => Facts::External { read_only_hint: *read_only_hint },
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
            Facts::Other(_) | Facts::External { .. } => rule.is_bare(),
        }
    }

    /// Whether the call changes anything: an edit, a shell command that is not entirely read-only, or a
    /// mutating `Other` call. Reads and fetches do not.
    pub(crate) fn mutates(&self) -> bool {
        match &self.facts {
            Facts::Shell(ShellFacts { parts: Ok(parts), .. }) => !parts.iter().all(is_read_only),
            Facts::Shell(ShellFacts { parts: Err(_), .. }) | Facts::Edit(_) => true,
            Facts::Other(effect) => *effect == Effect::Mutating,
            Facts::External { read_only_hint } => !read_only_hint,
            Facts::Read(_) | Facts::Fetch { .. } => false,
        }
    }

    /// Steps 6 and 7 of the decision: an allow rule, or a read-only call inside the workspace.
    pub(crate) fn approval(&self, allow: &[CompiledRule], workspace: &Workspace) -> Approval<'_> {
        let rules = || allow.iter().filter(|rule| rule.applies_to(self.tool, self.access));
        let granted = match &self.facts {
            Facts::Shell(ShellFacts { line, parts, unasked, .. }) => {
                if let Ok(parts) = parts
                    && !parts.is_empty()
                    && unasked.iter().all(|unasked| *unasked)
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
                let needed = parts.iter().zip(unasked).find(|(part, unasked)| !**unasked && !by_rule(part));
                if let Some((part, _)) = needed {
                    return Approval::Needed { part: Some(part) };
                }
                return Approval::Granted(Grant::Approved);
            }
            Facts::Read(location) => {
                if workspace.readable(&location.physical) {
                    return Approval::Granted(Grant::ReadOnly);
                }
                rules().any(|rule| rule.matches_location(location, Certainty::Strict))
            }
            Facts::Edit(location) => rules().any(|rule| rule.matches_location(location, Certainty::Strict)),
            Facts::Fetch { host } => {
                rules().any(|rule| rule.matches_host(host.as_deref(), Certainty::Strict))
            }
            Facts::Other(Effect::ReadOnly) => return Approval::Granted(Grant::ReadOnly),
            Facts::Other(Effect::Mutating) | Facts::External { .. } => rules().any(CompiledRule::is_bare),
        };
        if granted { Approval::Granted(Grant::Approved) } else { Approval::Needed { part: None } }
    }

    /// Whether the call writes a protected settings path (see `Workspace::is_protected`): an edit, a
    /// redirection, or an argument of a shell command that is not read-only.
    pub(crate) fn touches_protected(&self, workspace: &Workspace) -> bool {
        match &self.facts {
            Facts::Edit(location) => workspace.is_protected(location),
            Facts::Shell(shell) => shell.writes.iter().any(|location| workspace.is_protected(location)),
            _ => false,
        }
    }

    /// For a shell command: the first redirection target outside the workspace, or `Err` when a target
    /// cannot be known.
    pub(crate) fn redirect_outside(&self, workspace: &Workspace) -> Result<Option<&Location>, ()> {
        match &self.facts {
            Facts::Shell(ShellFacts { redirects: None, parts: Ok(_), .. }) => Err(()),
            Facts::Shell(ShellFacts { redirects: Some(targets), .. }) => {
                Ok(targets.iter().find(|location| !workspace.contains(&location.physical)))
            }
            _ => Ok(None),
        }
    }

    /// The first part of a shell command, for suggestions when no particular part is to blame.
    pub(crate) fn first_part(&self) -> Option<&CommandPart> {
        match &self.facts {
            Facts::Shell(ShellFacts { parts: Ok(parts), .. }) => parts.first(),
            _ => None,
        }
    }
}
