//! How the shell tools confine the commands the model runs: which sandbox level a grant gets under the
//! configured mode, the environment commands inherit (no credentials), and how a refusal by the sandbox is
//! recognised in a failed command's output.

use claurst_permissions::Grant;
use claurst_protocol::SandboxMode;
use claurst_sandbox::{
    Launcher, Level, NamespaceCheck, Network, Protected, SandboxPolicy, Support, Workspace,
};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// Said when approved commands are sandboxed without the mount namespace that protects these paths.
const NO_NAMESPACES_NOTICE: &str = "user namespaces are unavailable here, so approved shell commands are sandboxed \
     without kernel protection for .git/hooks, .git/config and Claurst's settings in the project";

/// Parts of a variable name that mark it as a credential the model's commands must not inherit.
const CREDENTIAL_MARKERS: &[&str] = &["KEY", "SECRET", "TOKEN", "PASSWORD"];

/// The session's sandbox settings, shared by `bash` and background shells.
#[derive(Debug, Clone)]
pub struct ShellSandbox {
    mode: SandboxMode,
    launcher: Option<Launcher>,
    support: Support,
    /// Shared by every clone (the tools' context, hooks): `/add-dir` widens it for all of them at once.
    workspace: Arc<std::sync::RwLock<Workspace>>,
    network: Network,
    env_passthrough: Vec<String>,
    extra_env: Vec<(String, String)>,
    namespaces: PendingNamespaceCheck,
}

/// The namespace check a session started, answered once, off the path to its first frame: only the
/// notice depends on it (the launcher itself falls back to Landlock and seccomp without a namespace).
#[derive(Debug, Clone, Default)]
pub struct PendingNamespaceCheck(Arc<Mutex<Option<NamespaceCheck>>>);

impl PendingNamespaceCheck {
    /// Wait for the check (a short process) and say what the user should know, the first time only.
    pub fn notice(&self) -> Option<String> {
        let check = self.0.lock().ok()?.take()?;
        (check.answer() == Protected::NotEnforced).then(|| NO_NAMESPACES_NOTICE.to_string())
    }
}

/// How one command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confinement {
    /// Unconfined (sandbox off, or unavailable in `auto` mode, or let out by the user), credentials removed.
    Unconfined,
    /// The user's own command (`!command`): unconfined, with the user's whole environment.
    AsUser,
    Sandboxed(SandboxPolicy),
    /// Not at all: a sandbox was required and the kernel cannot provide it.
    Refused(String),
}

/// The settings [`ShellSandbox::new`] reads.
#[derive(Debug, Clone)]
pub struct ShellSandboxSettings {
    pub mode: SandboxMode,
    /// The claurst binary; `None` means no sandbox can be launched.
    pub launcher: Option<Launcher>,
    pub workspace: Workspace,
    /// For approved commands (read-only commands never get the network).
    pub network: Network,
    pub env_passthrough: Vec<String>,
    /// Variables set for every command and hook, over the inherited ones (`env` of `--settings`). The user
    /// set them for the model's commands, so they pass even when their names look like credentials.
    pub extra_env: Vec<(String, String)>,
}

impl Default for ShellSandbox {
    /// No sandbox and no launcher: commands run as before (library users, tests).
    fn default() -> Self {
        Self {
            mode: SandboxMode::Off,
            launcher: None,
            support: Support::Unavailable { reason: "no sandbox launcher was configured".into() },
            workspace: Arc::default(),
            network: Network::Allowed,
            env_passthrough: Vec::new(),
            extra_env: Vec::new(),
            namespaces: PendingNamespaceCheck::default(),
        }
    }
}

impl ShellSandbox {
    /// Settings plus what the kernel supports (probed here unless the mode is `off`). Whether protected
    /// paths are enforced is left to [`ShellSandbox::namespace_check`].
    pub fn new(settings: ShellSandboxSettings) -> Self {
        let (support, namespaces) = match (&settings.mode, &settings.launcher) {
            (SandboxMode::Off, _) => (Support::Unavailable { reason: "the sandbox is off".into() }, None),
            (_, None) => (Support::Unavailable { reason: "no sandbox launcher was configured".into() }, None),
            (_, Some(launcher)) => {
                // The launcher run is started first so that it overlaps the in-process checks.
                let namespaces = NamespaceCheck::start(launcher);
                match claurst_sandbox::probe_kernel() {
                    Ok(()) => (Support::Available { protected_paths: Protected::Unknown }, Some(namespaces)),
                    Err(reason) => (Support::Unavailable { reason }, None),
                }
            }
        };
        let mut sandbox = Self::with_support(settings, support);
        sandbox.namespaces = PendingNamespaceCheck(Arc::new(Mutex::new(namespaces)));
        sandbox
    }

    /// As [`ShellSandbox::new`], with the kernel's support already known.
    pub fn with_support(settings: ShellSandboxSettings, support: Support) -> Self {
        Self {
            mode: settings.mode,
            launcher: settings.launcher,
            support,
            workspace: Arc::new(std::sync::RwLock::new(settings.workspace)),
            network: settings.network,
            env_passthrough: settings.env_passthrough,
            extra_env: settings.extra_env,
            namespaces: PendingNamespaceCheck::default(),
        }
    }

    /// The namespace check [`ShellSandbox::new`] started; its notice is the session's to show.
    pub fn namespace_check(&self) -> PendingNamespaceCheck {
        self.namespaces.clone()
    }

    pub fn mode(&self) -> SandboxMode {
        self.mode
    }

    pub fn support(&self) -> &Support {
        &self.support
    }

    /// Whether a shell command classified read-only may run without anyone's approval: only when the
    /// kernel confines it (or the user turned the sandbox off explicitly). Give this to the permission
    /// policy's `auto_approve_read_only_shell`.
    pub fn auto_approves_read_only(&self) -> bool {
        self.mode == SandboxMode::Off || self.support.is_available()
    }

    /// What to tell the user once at session start, when commands cannot be sandboxed as configured (the
    /// namespace check's notice comes later, from [`ShellSandbox::namespace_check`]).
    pub fn unavailable_notice(&self) -> Option<String> {
        let reason = match &self.support {
            Support::Available { protected_paths: Protected::NotEnforced }
                if self.mode != SandboxMode::Off =>
            {
                return Some(NO_NAMESPACES_NOTICE.into());
            }
            Support::Available { .. } => return None,
            Support::Unavailable { reason } => reason,
        };
        match self.mode {
            SandboxMode::Off => None,
            SandboxMode::Auto => Some(format!(
                "the kernel sandbox is unavailable ({reason}): shell commands run unconfined, and commands that \
                 would have run read-only without approval ask first"
            )),
            SandboxMode::ReadOnly | SandboxMode::WorkspaceWrite => Some(format!(
                "[sandbox] mode = \"{}\" is set but the kernel sandbox is unavailable ({reason}): shell commands \
                 will be refused",
                self.mode
            )),
        }
    }

    /// How a command allowed by `grant` runs.
    pub fn confinement(&self, grant: Grant) -> Confinement {
        let level = match (self.mode, grant) {
            (SandboxMode::Off, _) => return Confinement::Unconfined,
            (_, Grant::ReadOnly) | (SandboxMode::ReadOnly, _) => Level::ReadOnly,
            (SandboxMode::Auto | SandboxMode::WorkspaceWrite, _) => Level::WorkspaceWrite,
        };
        match (&self.support, &self.launcher) {
            (Support::Available { .. }, Some(_)) => Confinement::Sandboxed(self.policy(level)),
            (Support::Unavailable { .. }, _) | (_, None) if self.mode == SandboxMode::Auto => {
                Confinement::Unconfined
            }
            (Support::Unavailable { reason }, _) => Confinement::Refused(format!(
                "the command was not run: [sandbox] mode = \"{}\" requires the kernel sandbox, which is \
                 unavailable here ({reason}). The user can set [sandbox] mode = \"auto\" or \"off\".",
                self.mode
            )),
            (_, None) => Confinement::Refused("the command was not run: no sandbox launcher".into()),
        }
    }

    fn policy(&self, level: Level) -> SandboxPolicy {
        let workspace = self.workspace.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        match level {
            Level::ReadOnly => SandboxPolicy::read_only(&workspace),
            Level::WorkspaceWrite => SandboxPolicy::workspace_write(&workspace, self.network),
        }
    }

    /// Confine commands to `root` as the project from now on (a worktree the session entered or left): it
    /// is writable for approved commands and its protected paths are read-only; the old root no longer is
    /// writable, and its protected paths stay read-only should an added directory hold it.
    pub fn set_project(&self, root: PathBuf) {
        let mut workspace = self.workspace.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        let old = std::mem::replace(&mut workspace.project, root.clone());
        if !workspace.former_projects.contains(&old) {
            workspace.former_projects.push(old);
        }
        workspace.former_projects.retain(|former| *former != root);
    }

    /// Let commands work in `dir` too, from their next run on, as `--add-dir` lets them from the start
    /// (`/add-dir`). Every clone of this sandbox sees it.
    pub fn add_directory(&self, dir: PathBuf) {
        let mut workspace = self.workspace.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !workspace.additional_directories.contains(&dir) {
            workspace.additional_directories.push(dir);
        }
    }

    /// `program` set up to run under `confinement` with the filtered environment. `Refused` is the
    /// caller's to handle; it yields an unconfined command here.
    pub(crate) fn command(&self, confinement: &Confinement, program: &str) -> std::io::Result<Command> {
        if let (Confinement::Sandboxed(policy), Some(launcher)) = (confinement, &self.launcher) {
            let mut command = sandboxed_command(launcher, policy, program.as_ref(), &self.env_passthrough)?;
            command.envs(self.extra_env.iter().map(|(name, value)| (name, value)));
            return Ok(command);
        }
        let mut command = Command::new(program);
        if *confinement != Confinement::AsUser {
            withhold_credentials(&mut command, &self.env_passthrough);
        }
        command.envs(self.extra_env.iter().map(|(name, value)| (name, value)));
        Ok(command)
    }

    /// `sh` set up to run a user's hook: confined as an approved command is (workspace-write when a
    /// sandbox is configured), with the same environment. Why it may not run when the configured sandbox is
    /// required and unavailable.
    pub fn hook_shell(&self) -> Result<Command, String> {
        let confinement = self.confinement(Grant::Approved);
        if let Confinement::Refused(reason) = &confinement {
            return Err(reason.replace("the command was not run", "the hook was not run"));
        }
        self.command(&confinement, "sh").map_err(|error| format!("cannot start sh: {error}"))
    }

    /// Whether the variable `name` is kept from the model's commands.
    #[cfg(test)]
    fn withholds(&self, name: &OsStr) -> bool {
        withholds(name, &self.env_passthrough)
    }
}

/// `program` run through `launcher` under `policy`, set up exactly as the model's sandboxed commands are:
/// credentials withheld (except `env_passthrough`) and, for read-only commands, git's configured programs
/// disabled. `claurst sandbox` uses it too, so what users try is what the model gets.
pub fn sandboxed_command(
    launcher: &Launcher,
    policy: &SandboxPolicy,
    program: &OsStr,
    env_passthrough: &[String],
) -> std::io::Result<Command> {
    let mut command = launcher.command(policy, program).map_err(std::io::Error::other)?;
    withhold_credentials(&mut command, env_passthrough);
    if policy.level == Level::ReadOnly {
        disable_git_config_execution(&mut command);
    }
    Ok(command)
}

/// Remove from `command`'s environment every inherited variable that looks like a credential, except those
/// named in `passthrough` (`env_passthrough`): what the model's commands, and `claurst sandbox`, inherit.
fn withhold_credentials(command: &mut Command, passthrough: &[String]) {
    for (name, _) in std::env::vars_os() {
        if withholds(&name, passthrough) {
            command.env_remove(name);
        }
    }
}

/// The inherited environment variables that look like credentials (API keys, tokens): what other programs
/// Claurst starts on the model's behalf (language servers) do not inherit either.
pub fn credential_variables() -> Vec<std::ffi::OsString> {
    std::env::vars_os().map(|(name, _)| name).filter(|name| withholds(name, &[])).collect()
}

fn withholds(name: &OsStr, passthrough: &[String]) -> bool {
    let name = name.to_string_lossy();
    is_credential_name(&name) && !passthrough.iter().any(|kept| *kept == name)
}

/// Names that look like credentials: containing KEY, SECRET, TOKEN or PASSWORD in any case.
fn is_credential_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    CREDENTIAL_MARKERS.iter().any(|marker| upper.contains(marker))
}

/// Read-only git must not run programs named by configuration (pager, fsmonitor, hooks): command-line
/// configuration overrides the repository's, through the environment. `diff.external` cannot be switched off
/// this way (an empty value makes every `git diff` fail to run ""), so an external diff a repository names
/// still runs, inside the read-only sandbox.
fn disable_git_config_execution(command: &mut Command) {
    let settings = [("core.pager", "cat"), ("core.fsmonitor", "false"), ("core.hooksPath", "/dev/null")];
    command.env("GIT_CONFIG_COUNT", settings.len().to_string());
    for (index, (key, value)) in settings.iter().enumerate() {
        command.env(format!("GIT_CONFIG_KEY_{index}"), key).env(format!("GIT_CONFIG_VALUE_{index}"), value);
    }
    command.env("GIT_OPTIONAL_LOCKS", "0").env("GIT_PAGER", "cat").env_remove("GIT_EXTERNAL_DIFF");
}

/// A write the sandbox refused, found in a failed command's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxRefusal {
    /// The command as the model wrote it.
    pub command: String,
    /// The path the command could not change.
    pub path: PathBuf,
}

/// The first path the output reports as refused ("Permission denied", "Operation not permitted",
/// "Read-only file system", or "Device or resource busy" from replacing a protected mount point) that
/// `policy` does not let the command write. Conservative: only paths a tool quoted, or wrote as the
/// subject of a `program: … path: reason` message, are considered.
pub(crate) fn find_refusal(output: &str, policy: &SandboxPolicy, cwd: &Path) -> Option<PathBuf> {
    const REFUSALS: &[&str] =
        &["Permission denied", "Operation not permitted", "Read-only file system", "Device or resource busy"];
    output.lines().filter(|line| REFUSALS.iter().any(|refusal| line.contains(refusal))).find_map(|line| {
        refused_path(line)
            .map(|path| crate::context::normalize(&cwd.join(path)))
            .filter(|path| !policy.may_write(path))
    })
}

/// The path in `touch: cannot touch '/x': Permission denied` or `bash: /x: Permission denied`.
fn refused_path(line: &str) -> Option<&str> {
    for (open, close) in [('\'', '\''), ('‘', '’'), ('"', '"')] {
        if let Some(start) = line.find(open) {
            let rest = &line[start + open.len_utf8()..];
            if let Some(end) = rest.find(close) {
                return Some(&rest[..end]).filter(|path| !path.is_empty());
            }
        }
    }
    // `program: path: reason`, the shell's own redirection errors among them.
    let parts: Vec<&str> = line.split(": ").collect();
    let middle = parts.get(1..parts.len().saturating_sub(1))?;
    let is_path = |word: &&str| word.starts_with('/') || word.starts_with('.');
    // `bash: /x: …` names the path alone; `error: could not write config file .git/config: …` ends with it.
    middle.iter().find_map(|part| {
        if is_path(part) { Some(*part) } else { part.split(' ').next_back().filter(is_path) }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn settings(mode: SandboxMode) -> ShellSandboxSettings {
        ShellSandboxSettings {
            mode,
            launcher: Some(Launcher::new("/usr/bin/claurst")),
            workspace: Workspace { project: PathBuf::from("/work/p"), ..Workspace::default() },
            network: Network::Allowed,
            env_passthrough: vec!["GH_TOKEN".into()],
            extra_env: Vec::new(),
        }
    }

    fn available() -> Support {
        Support::Available { protected_paths: claurst_sandbox::Protected::Enforced }
    }

    fn unavailable() -> Support {
        Support::Unavailable { reason: "no Landlock".into() }
    }

    #[test]
    fn grants_choose_the_level() {
        let auto = ShellSandbox::with_support(settings(SandboxMode::Auto), available());
        let level = |sandbox: &ShellSandbox, grant| match sandbox.confinement(grant) {
            Confinement::Sandboxed(policy) => Some(policy.level),
            _ => None,
        };
        assert_eq!(level(&auto, Grant::ReadOnly), Some(Level::ReadOnly));
        assert_eq!(level(&auto, Grant::Approved), Some(Level::WorkspaceWrite));
        let read_only = ShellSandbox::with_support(settings(SandboxMode::ReadOnly), available());
        assert_eq!(level(&read_only, Grant::Approved), Some(Level::ReadOnly));
        let off = ShellSandbox::with_support(settings(SandboxMode::Off), available());
        assert_eq!(off.confinement(Grant::ReadOnly), Confinement::Unconfined);
        assert!(auto.auto_approves_read_only() && off.auto_approves_read_only());
        assert_eq!(auto.unavailable_notice(), None);
        let no_namespaces = Support::Available { protected_paths: claurst_sandbox::Protected::NotEnforced };
        let partial = ShellSandbox::with_support(settings(SandboxMode::Auto), no_namespaces);
        assert!(partial.auto_approves_read_only());
        assert!(partial.unavailable_notice().unwrap().contains("user namespaces are unavailable"));
    }

    #[test]
    fn an_added_directory_becomes_writable_for_every_clone() {
        let sandbox = ShellSandbox::with_support(settings(SandboxMode::Auto), available());
        let in_context = sandbox.clone();
        let writable = |sandbox: &ShellSandbox| match sandbox.confinement(Grant::Approved) {
            Confinement::Sandboxed(policy) => policy.write_roots,
            other => panic!("{other:?}"),
        };
        assert!(!writable(&in_context).contains(&PathBuf::from("/work/shared")));
        sandbox.add_directory(PathBuf::from("/work/shared"));
        sandbox.add_directory(PathBuf::from("/work/shared"));
        let roots = writable(&in_context);
        assert_eq!(
            roots.iter().filter(|root| root.as_path() == Path::new("/work/shared")).count(),
            1,
            "{roots:?}"
        );
    }

    #[test]
    fn the_namespace_check_is_reported_once_and_only_when_namespaces_are_missing() {
        let pending = |launcher: &str| {
            let check = NamespaceCheck::start(&Launcher::new(launcher));
            PendingNamespaceCheck(Arc::new(Mutex::new(Some(check))))
        };
        // A launcher whose namespace run fails, as on a kernel without unprivileged user namespaces.
        let missing = pending("/bin/false");
        assert!(missing.notice().unwrap().contains("user namespaces are unavailable"));
        assert_eq!(missing.notice(), None, "said once");
        assert_eq!(pending("/bin/true").notice(), None);
        assert_eq!(PendingNamespaceCheck::default().notice(), None);
    }

    #[test]
    fn without_kernel_support_auto_asks_and_explicit_modes_refuse() {
        let auto = ShellSandbox::with_support(settings(SandboxMode::Auto), unavailable());
        assert_eq!(auto.confinement(Grant::ReadOnly), Confinement::Unconfined);
        assert!(!auto.auto_approves_read_only());
        assert!(auto.unavailable_notice().unwrap().contains("ask first"));
        let explicit = ShellSandbox::with_support(settings(SandboxMode::WorkspaceWrite), unavailable());
        assert!(
            matches!(explicit.confinement(Grant::Approved), Confinement::Refused(reason) if reason.contains("no Landlock"))
        );
        assert!(explicit.unavailable_notice().unwrap().contains("refused"));
    }

    #[test]
    fn credentials_are_withheld_unless_passed_through() {
        let sandbox = ShellSandbox::with_support(settings(SandboxMode::Off), unavailable());
        for name in ["ANTHROPIC_API_KEY", "aws_secret_access_key", "GITHUB_TOKEN", "DB_PASSWORD", "SSH_KEYS"]
        {
            assert!(sandbox.withholds(OsStr::new(name)), "{name}");
        }
        for name in ["PATH", "HOME", "GH_TOKEN", "LANG"] {
            assert!(!sandbox.withholds(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn refusals_name_a_path_outside_the_write_roots() {
        let workspace = Workspace { project: PathBuf::from("/work/p"), ..Workspace::default() };
        let policy = SandboxPolicy::workspace_write(&workspace, Network::Allowed);
        let cwd = Path::new("/work/p");
        let refused = |output: &str| find_refusal(output, &policy, cwd);
        assert_eq!(
            refused("touch: cannot touch '/home/ada/x': Permission denied"),
            Some(PathBuf::from("/home/ada/x"))
        );
        assert_eq!(refused("bash: line 1: /etc/motd: Permission denied"), Some(PathBuf::from("/etc/motd")));
        assert_eq!(
            refused("cp: cannot create regular file '.git/hooks/pre-commit': Read-only file system"),
            Some(PathBuf::from("/work/p/.git/hooks/pre-commit"))
        );
        assert_eq!(
            refused("error: could not write config file .git/config: Device or resource busy"),
            Some(PathBuf::from("/work/p/.git/config"))
        );
        assert_eq!(refused("touch: cannot touch 'src/x': Permission denied"), None, "inside the write roots");
        assert_eq!(refused("error: something unrelated failed"), None);
        assert_eq!(refused("Permission denied (publickey)."), None);
    }
}
