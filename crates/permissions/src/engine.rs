//! The decision: deny rules, then ask rules, then the mode, then allow rules and the read-only defaults.

use crate::access::Access;
use crate::call::{Approval, Call, Facts, ShellSettings};
use crate::error::{PermissionError, RuleList};
use crate::paths::Workspace;
use crate::remembered::RememberedRules;
use crate::rule::{READ_FAMILY, Rule};
use crate::rule_set::{Certainty, CompiledRule, CompiledRules, RuleSet};
use crate::shell::CommandPart;
use crate::suggest::suggested_rule;
use claurst_protocol::PermissionMode;
use std::path::{Path, PathBuf};

/// Everything the engine is configured with. Build it with `..PermissionPolicy::default()` for the
/// fields you do not set.
#[derive(Debug, Clone)]
pub struct PermissionPolicy {
    pub mode: PermissionMode,
    /// Rules from config; the remembered-rules file is added to them.
    pub rules: RuleSet,
    pub project_root: PathBuf,
    /// `[tools] additional_directories`: treated like the project for reads and writes. Relative paths are
    /// relative to the project root.
    pub additional_dirs: Vec<PathBuf>,
    /// For `~/` in rules and shell arguments; without it such rules match nothing.
    pub home_dir: Option<PathBuf>,
    /// Whether shell commands the classifier reads as read-only run without asking (`Grant::ReadOnly`).
    /// Set it to false where no sandbox can enforce read-only: such commands then ask. Default true.
    pub auto_approve_read_only_shell: bool,
    /// Directories readable without asking, never writable without approval (the session's tool-output
    /// folder, so that the bash tool's saved large output can be read back).
    pub readable_dirs: Vec<PathBuf>,
    /// `$XDG_CONFIG_HOME`, where git looks for the user's config besides `~/.gitconfig`.
    pub xdg_config_home: Option<PathBuf>,
}

impl Default for PermissionPolicy {
    fn default() -> PermissionPolicy {
        PermissionPolicy {
            mode: PermissionMode::default(),
            rules: RuleSet::default(),
            project_root: PathBuf::new(),
            additional_dirs: Vec::new(),
            home_dir: None,
            auto_approve_read_only_shell: true,
            readable_dirs: Vec::new(),
            xdg_config_home: None,
        }
    }
}

/// What to do with a tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Run it, with what the grant says it may do.
    Allow(Grant),
    /// Ask the user; `suggested_rule` is what "allow and remember" would save.
    Ask { suggested_rule: Rule },
    /// Refuse it; `reason` is shown to the model and says what to do instead.
    Deny { reason: String },
}

/// Why a call may run, which bounds what it may do when it runs (the sandbox a shell command gets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grant {
    /// Nobody approved it: it runs because it only reads. A shell command so allowed runs in a read-only
    /// sandbox, so a misclassification cannot write, connect or read outside the allowed places.
    ReadOnly,
    /// An allow rule, the mode or the user approved it. A shell command runs with the approved sandbox.
    Approved,
}

/// Decides, for each tool call, whether it runs, needs the user's approval, or is refused.
#[derive(Debug, Clone)]
pub struct PermissionEngine {
    mode: PermissionMode,
    rules: RuleSet,
    compiled: CompiledRules,
    workspace: Workspace,
    remembered: RememberedRules,
    auto_approve_read_only_shell: bool,
    xdg_config_home: Option<PathBuf>,
}

impl PermissionEngine {
    /// Builds the engine, adding the rules of the project's remembered-rules file to the policy's.
    pub fn new(policy: PermissionPolicy) -> Result<PermissionEngine, PermissionError> {
        let remembered = RememberedRules::for_project(&policy.project_root);
        let mut rules = policy.rules;
        rules.extend(remembered.load()?);
        let workspace =
            Workspace::new(&policy.project_root, &policy.additional_dirs, policy.home_dir.as_deref())
                .with_readable(&policy.readable_dirs);
        let compiled = CompiledRules::compile(&rules, &workspace)?;
        Ok(PermissionEngine {
            mode: policy.mode,
            rules,
            compiled,
            workspace,
            remembered,
            auto_approve_read_only_shell: policy.auto_approve_read_only_shell,
            xdg_config_home: policy.xdg_config_home,
        })
    }

    /// A copy of this engine that also allows what `extra`'s allow list allows, for one run (a custom
    /// command's `allowed-tools`). Nothing is saved; deny and ask rules keep winning; `extra`'s ask and deny
    /// lists are added too, so a caller cannot lose a rule by passing one.
    pub fn with_allowed(&self, extra: RuleSet) -> Result<PermissionEngine, PermissionError> {
        let mut engine = self.clone();
        engine.rules.extend(extra);
        engine.compiled = CompiledRules::compile(&engine.rules, &engine.workspace)?;
        Ok(engine)
    }

    /// Treat `dir` like the project for reads and writes from now on, as `additional_dirs` does at start
    /// (`/add-dir`); relative paths are relative to the project root. Rules are compiled again because a
    /// rule's paths are read against the workspace.
    pub fn add_directory(&mut self, dir: &Path) -> Result<(), PermissionError> {
        let mut workspace = self.workspace.clone();
        workspace.add_directory(dir);
        self.compiled = CompiledRules::compile(&self.rules, &workspace)?;
        self.workspace = workspace;
        Ok(())
    }

    /// Work in `root` instead of the project root from now on (a worktree the session entered or left):
    /// reads and writes there need no approval, protected paths are those under `root`, and the old root is
    /// no longer part of the workspace. Rules, remembered rules, the mode and the added directories stay;
    /// the rules are compiled again because their relative paths are read against the root.
    pub fn set_project_root(&mut self, root: &Path) -> Result<(), PermissionError> {
        let workspace = self.workspace.with_root(root);
        self.compiled = CompiledRules::compile(&self.rules, &workspace)?;
        self.workspace = workspace;
        Ok(())
    }

    pub fn mode(&self) -> PermissionMode {
        self.mode
    }

    pub fn set_mode(&mut self, mode: PermissionMode) {
        self.mode = mode;
    }

    /// The rules in force: config plus remembered plus remembered this session.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Applies `rule` in `list` from now on (the caller saved it where the user chose); returns whether it
    /// was new.
    pub fn add_rule(&mut self, list: RuleList, rule: Rule) -> Result<bool, PermissionError> {
        let mut rules = self.rules.clone();
        if !rules.insert(list, rule) {
            return Ok(false);
        }
        self.compiled = CompiledRules::compile(&rules, &self.workspace)?;
        self.rules = rules;
        Ok(true)
    }

    /// Stops applying `rule` in `list`; returns whether it was there.
    pub fn remove_rule(&mut self, list: RuleList, rule: &Rule) -> Result<bool, PermissionError> {
        let mut rules = self.rules.clone();
        if !rules.remove(list, rule) {
            return Ok(false);
        }
        self.compiled = CompiledRules::compile(&rules, &self.workspace)?;
        self.rules = rules;
        Ok(true)
    }

    /// Where "allow and remember" saves rules.
    pub fn remembered_rules(&self) -> &RememberedRules {
        &self.remembered
    }

    /// Allows calls matching `rule` from now on, and saves it to the remembered-rules file so that later
    /// sessions allow them too. The rule applies to this session even if saving fails.
    pub fn remember(&mut self, rule: Rule) -> Result<PathBuf, PermissionError> {
        if self.rules.insert(RuleList::Allow, rule.clone()) {
            let compiled = CompiledRule::compile(RuleList::Allow, rule.clone(), &self.workspace)?;
            self.compiled.allow.push(compiled);
        }
        self.remembered.append(RuleList::Allow, &rule)?;
        Ok(self.remembered.path().to_path_buf())
    }

    /// Whether a deny rule of the read family (`read_file(…)`) forbids reading `path`: tools that walk
    /// directories (grep, search_files, list_dir) skip such paths.
    pub fn denies_read(&self, path: &Path) -> bool {
        let mut rules =
            self.compiled.deny.iter().filter(|rule| rule.rule().tool_name() == READ_FAMILY).peekable();
        // The walking tools ask this for every entry, and resolving a path reads each of its components'
        // links: without a read deny rule (the usual case) there is nothing to resolve it for.
        if rules.peek().is_none() {
            return false;
        }
        let location = self.workspace.locate(path);
        rules.any(|rule| rule.matches_location(&location, Certainty::Lenient))
    }

    /// Whether a bare deny rule names `tool` (`bash`, `mcp__github` for each of that server's tools): every
    /// call of it would be refused, so the model is not offered it at all, as Claude Code does.
    pub fn hides_tool(&self, tool: &str) -> bool {
        self.compiled.deny.iter().any(|rule| rule.is_bare() && rule.names(tool))
    }

    /// Whether a tool that cannot be asked about call by call (the API's own web search) may be offered at
    /// all: not when a bare deny rule hides it, not when a bare ask rule names it (the user wants to be
    /// asked, and cannot be), and in `dontAsk` mode only when a bare allow rule names it.
    pub fn offers_unasked(&self, tool: &str) -> bool {
        let names = |rules: &[CompiledRule]| rules.iter().any(|rule| rule.is_bare() && rule.names(tool));
        if self.hides_tool(tool) || names(&self.compiled.ask) {
            return false;
        }
        self.mode != PermissionMode::DontAsk || names(&self.compiled.allow)
    }

    /// The verdict on `tool` doing `access`. See spec/permissions.md for the decision table.
    pub fn evaluate(&self, tool: &str, access: &Access) -> Verdict {
        if let Access::Edits { paths } = access {
            return self.evaluate_edits(tool, paths);
        }
        let settings = ShellSettings {
            auto_approve_read_only: self.auto_approve_read_only_shell,
            xdg_config_home: self.xdg_config_home.as_deref(),
        };
        let call = Call::describe(tool, access, &self.workspace, &settings);
        if let Some(rule) = call.matched_by(&self.compiled.deny) {
            return Verdict::Deny { reason: reasons::denied_by_rule(rule.rule()) };
        }
        if let Some(rule) = call.matched_by(&self.compiled.ask) {
            return match self.mode {
                PermissionMode::DontAsk => {
                    Verdict::Deny { reason: reasons::ask_rule_in_dont_ask(rule.rule()) }
                }
                PermissionMode::Plan if call.mutates() => Verdict::Deny { reason: reasons::plan_mode(tool) },
                _ => self.ask(&call, self.unapproved_part(&call)),
            };
        }
        if self.mode != PermissionMode::BypassPermissions && call.touches_protected(&self.workspace) {
            return match self.mode {
                PermissionMode::DontAsk | PermissionMode::Plan => {
                    Verdict::Deny { reason: reasons::protected(tool) }
                }
                _ => self.ask(&call, self.unapproved_part(&call)),
            };
        }
        if self.mode == PermissionMode::Plan && call.mutates() {
            return Verdict::Deny { reason: reasons::plan_mode(tool) };
        }
        if self.mode == PermissionMode::BypassPermissions {
            return Verdict::Allow(Grant::Approved);
        }
        if let Facts::Edit(location) = &call.facts
            && !self.workspace.contains(&location.physical)
        {
            return self.ask_or_deny(&call, None, || reasons::write_outside(&location.physical));
        }
        match call.redirect_outside(&self.workspace) {
            Ok(None) => {}
            Ok(Some(location)) => {
                return self.ask_or_deny(&call, None, || reasons::write_outside(&location.physical));
            }
            Err(()) => return self.ask_or_deny(&call, None, reasons::unknown_redirect),
        }
        let part = match call.approval(&self.compiled.allow, &self.workspace) {
            Approval::Granted(grant) => return Verdict::Allow(grant),
            Approval::Needed { part } => part,
        };
        if self.mode == PermissionMode::AcceptEdits && matches!(call.facts, Facts::Edit(_)) {
            return Verdict::Allow(Grant::Approved);
        }
        self.ask_or_deny(&call, part, || {
            let rule = suggested_rule(&call, part.or_else(|| call.first_part()), &self.workspace);
            reasons::not_allowed(tool, &rule)
        })
    }

    /// A call that edits several files: refused when any path is, asked when any path asks (with the first
    /// such path's suggested rule), allowed only when every path is. No path: nothing is touched.
    fn evaluate_edits(&self, tool: &str, paths: &[PathBuf]) -> Verdict {
        if paths.is_empty() {
            return self.evaluate(tool, &Access::Other { effect: crate::access::Effect::ReadOnly });
        }
        let verdicts: Vec<Verdict> =
            paths.iter().map(|path| self.evaluate(tool, &Access::Edit { path: path.clone() })).collect();
        if let Some(deny) = verdicts.iter().find(|verdict| matches!(verdict, Verdict::Deny { .. })) {
            return deny.clone();
        }
        if let Some(ask) = verdicts.iter().find(|verdict| matches!(verdict, Verdict::Ask { .. })) {
            return ask.clone();
        }
        Verdict::Allow(Grant::Approved)
    }

    fn unapproved_part<'c>(&self, call: &'c Call<'_>) -> Option<&'c CommandPart> {
        match call.approval(&self.compiled.allow, &self.workspace) {
            Approval::Needed { part: Some(part) } => Some(part),
            _ => call.first_part(),
        }
    }

    fn ask(&self, call: &Call<'_>, part: Option<&CommandPart>) -> Verdict {
        Verdict::Ask {
            suggested_rule: suggested_rule(call, part.or_else(|| call.first_part()), &self.workspace),
        }
    }

    fn ask_or_deny(
        &self,
        call: &Call<'_>,
        part: Option<&CommandPart>,
        reason: impl FnOnce() -> String,
    ) -> Verdict {
        if self.mode == PermissionMode::DontAsk {
            Verdict::Deny { reason: reason() }
        } else {
            self.ask(call, part)
        }
    }
}

/// The reasons shown to the model: what happened, and what to do instead.
mod reasons {
    use crate::rule::Rule;
    use std::path::Path;

    pub(super) fn denied_by_rule(rule: &Rule) -> String {
        format!(
            "Denied by the permission rule `{rule}`. Do not retry this call or work around the rule; choose \
             another approach, or ask the user to change their permission settings."
        )
    }

    pub(super) fn ask_rule_in_dont_ask(rule: &Rule) -> String {
        format!(
            "The permission rule `{rule}` requires the user's approval, and dontAsk mode denies instead of \
             asking. Choose another approach, or ask the user to run this themselves."
        )
    }

    pub(super) fn plan_mode(tool: &str) -> String {
        format!(
            "Plan mode is read-only: `{tool}` would change files or run a command that is not known to be \
             read-only. Keep investigating with read-only tools and present your plan; the user leaves plan \
             mode to carry it out."
        )
    }

    pub(super) fn protected(tool: &str) -> String {
        format!(
            "This `{tool}` call would change protected settings (`.git/`, `.claurst.toml`, `.claurst/`, \
             `.claude/`, `.mcp.json` or `~/.claurst/`), which always need the user's approval; this mode does \
             not ask. Leave these files alone, or ask the user to make the change."
        )
    }

    pub(super) fn unknown_redirect() -> String {
        "This command redirects output to a file named by an expansion or relative to an unknown \
         directory, which needs the user's approval; dontAsk mode denies instead of asking. Name the file \
         plainly, inside the project."
            .to_string()
    }

    pub(super) fn write_outside(path: &Path) -> String {
        format!(
            "Writing {} needs the user's approval because it is outside the project and its additional \
             directories; dontAsk mode denies instead of asking. Write inside the project instead.",
            path.display()
        )
    }

    pub(super) fn not_allowed(tool: &str, suggested: &Rule) -> String {
        format!(
            "This `{tool}` call is not allowed by a rule; dontAsk mode denies instead of asking. Use an \
             approach the rules allow, or ask the user to add a rule such as `{suggested}`."
        )
    }
}
