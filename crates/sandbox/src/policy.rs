//! What a sandboxed command may do, how that is computed from the workspace, and how it travels to the
//! launcher (one command-line argument).

use crate::error::SandboxError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How much a command may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Reads confined to the read roots, writes only to the write roots (`/dev/null`, the terminal, the
    /// session's tool-output folder), no network sockets: for commands nobody approved.
    ReadOnly,
    /// Reads anywhere, writes only in the write roots (project, additional directories, temp folders),
    /// protected paths read-only: for commands the user, a rule or the mode approved.
    WorkspaceWrite,
}

/// Whether the command may open network sockets (AF_UNIX sockets are always allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Network {
    Allowed,
    Denied,
}

/// Everything the launcher needs to confine one command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPolicy {
    pub level: Level,
    /// Readable and executable trees (`ReadOnly` only; `WorkspaceWrite` reads everywhere).
    pub read_roots: Vec<PathBuf>,
    /// Trees (or single files) the command may change.
    pub write_roots: Vec<PathBuf>,
    /// Paths inside the write roots that stay read-only (`WorkspaceWrite`, enforced with bind mounts).
    pub protected: Vec<PathBuf>,
    pub network: Network,
}

/// Where system programs and libraries live: readable and executable by every sandboxed command.
pub const SYSTEM_READ_ROOTS: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc", "/opt", "/nix", "/proc", "/sys",
    "/dev",
];

/// Home-relative toolchains and configuration a read-only command may read when `[sandbox] read_paths` is
/// not set. Credentials (`~/.ssh`, `~/.aws`, `~/.config/gh`, keyrings) are deliberately absent. git refuses
/// to run at all when its configuration exists but cannot be read, so `~/.gitconfig` is here.
pub const DEFAULT_HOME_READ_PATHS: &[&str] = &[
    "~/.cargo",
    "~/.rustup",
    "~/.npm",
    "~/.nvm",
    "~/.pyenv",
    "~/.local/bin",
    "~/.local/lib",
    "~/.gitconfig",
    "~/.config/git",
];

/// Files every command may write: the data sinks and the terminal.
pub const DEVICE_WRITE_ROOTS: &[&str] = &["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"];

/// Names inside the project that stay read-only for approved commands: what a write could use to gain
/// permissions or to run code on the next `git status`. Their parent directories inside the project (`.git`)
/// are pinned too, so that renaming the parent away and recreating it cannot get around them.
pub const PROTECTED_PROJECT_NAMES: &[&str] =
    &[".git/hooks", ".git/config", ".claurst.toml", ".claurst", ".claude", ".mcp.json"];

/// The places a session's commands work with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workspace {
    pub project: PathBuf,
    pub additional_directories: Vec<PathBuf>,
    pub home: Option<PathBuf>,
    /// Extra readable trees for read-only commands, already expanded (`[sandbox] read_paths`).
    pub read_paths: Vec<PathBuf>,
    /// The session's tool-output folder: writable even for read-only commands.
    pub tool_output: Option<PathBuf>,
    /// Temporary folders (`/tmp`, `$TMPDIR`): writable for approved commands.
    pub temp_dirs: Vec<PathBuf>,
    /// Projects the session worked in before `project` (the checkout it left for a worktree): not
    /// writable as projects, but their protected names stay read-only when an added directory holds them.
    pub former_projects: Vec<PathBuf>,
}

impl Workspace {
    /// `[sandbox] read_paths` entries with `~` expanded against `home`; entries needing a home are dropped
    /// when there is none.
    pub fn expand_read_paths<S: AsRef<str>>(entries: &[S], home: Option<&Path>) -> Vec<PathBuf> {
        entries
            .iter()
            .filter_map(|entry| {
                let entry = entry.as_ref();
                match entry.strip_prefix("~") {
                    Some(rest) => {
                        let rest = rest.trim_start_matches('/');
                        home.map(|home| if rest.is_empty() { home.to_path_buf() } else { home.join(rest) })
                    }
                    None => Some(PathBuf::from(entry)),
                }
            })
            .collect()
    }

    fn project_dirs(&self) -> impl Iterator<Item = PathBuf> + '_ {
        std::iter::once(self.project.clone()).chain(self.additional_directories.iter().cloned())
    }
}

impl SandboxPolicy {
    /// For commands that run without anyone's approval.
    pub fn read_only(workspace: &Workspace) -> Self {
        let mut read_roots: Vec<PathBuf> = SYSTEM_READ_ROOTS.iter().map(PathBuf::from).collect();
        read_roots.extend(workspace.project_dirs());
        read_roots.extend(workspace.read_paths.iter().cloned());
        let mut write_roots: Vec<PathBuf> = DEVICE_WRITE_ROOTS.iter().map(PathBuf::from).collect();
        write_roots.extend(workspace.tool_output.iter().cloned());
        Self {
            level: Level::ReadOnly,
            read_roots,
            write_roots,
            protected: Vec::new(),
            network: Network::Denied,
        }
    }

    /// For commands the user, a rule or the mode approved.
    pub fn workspace_write(workspace: &Workspace, network: Network) -> Self {
        let mut write_roots: Vec<PathBuf> = DEVICE_WRITE_ROOTS.iter().map(PathBuf::from).collect();
        write_roots.push(PathBuf::from("/dev/pts"));
        write_roots.push(PathBuf::from("/dev/shm"));
        write_roots.extend(workspace.project_dirs());
        write_roots.extend(workspace.temp_dirs.iter().cloned());
        write_roots.extend(workspace.tool_output.iter().cloned());
        let mut protected: Vec<PathBuf> = Vec::new();
        for dir in workspace.project_dirs() {
            protected.extend(PROTECTED_PROJECT_NAMES.iter().map(|name| dir.join(name)));
        }
        for former in &workspace.former_projects {
            // A worktree lives in its checkout's `.claurst/`: pinning that would pin the project itself.
            let names = PROTECTED_PROJECT_NAMES.iter().map(|name| former.join(name));
            protected.extend(names.filter(|path| !workspace.project.starts_with(path)));
        }
        if let Some(home) = &workspace.home {
            protected.push(home.join(".claurst"));
        }
        Self { level: Level::WorkspaceWrite, read_roots: Vec::new(), write_roots, protected, network }
    }

    /// One more file or tree the command may write (the shell's working-directory record).
    pub fn allow_write(&mut self, path: impl Into<PathBuf>) {
        self.write_roots.push(path.into());
    }

    /// Whether `path` lies where this policy lets a command write (protected paths excluded).
    pub fn may_write(&self, path: &Path) -> bool {
        self.write_roots.iter().any(|root| path.starts_with(root))
            && !self.protected.iter().any(|protected| path.starts_with(protected))
    }

    /// The policy as one command-line argument for the launcher.
    pub fn encode(&self) -> Result<String, SandboxError> {
        serde_json::to_string(self).map_err(|error| SandboxError::Policy(error.to_string()))
    }

    pub fn decode(text: &str) -> Result<Self, SandboxError> {
        serde_json::from_str(text).map_err(|error| SandboxError::Policy(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn workspace() -> Workspace {
        Workspace {
            project: PathBuf::from("/work/p"),
            additional_directories: vec![PathBuf::from("/work/shared")],
            home: Some(PathBuf::from("/home/ada")),
            read_paths: Workspace::expand_read_paths(
                &["~/.cargo", "/opt/tools"],
                Some(Path::new("/home/ada")),
            ),
            tool_output: Some(PathBuf::from("/home/ada/.claurst/sessions/s1/tool-output")),
            temp_dirs: vec![PathBuf::from("/tmp")],
            former_projects: Vec::new(),
        }
    }

    #[test]
    fn a_left_checkout_keeps_its_settings_read_only_but_not_its_worktrees() {
        let workspace = Workspace {
            project: PathBuf::from("/work/p/.claurst/worktrees/w"),
            additional_directories: vec![PathBuf::from("/work")],
            former_projects: vec![PathBuf::from("/work/p")],
            ..Workspace::default()
        };
        let policy = SandboxPolicy::workspace_write(&workspace, Network::Denied);
        assert!(!policy.may_write(Path::new("/work/p/.git/hooks/pre-commit")));
        assert!(!policy.may_write(Path::new("/work/p/.claurst.toml")));
        assert!(policy.may_write(Path::new("/work/p/.claurst/worktrees/w/src/a.rs")), "the worktree itself");
        assert!(!policy.may_write(Path::new("/work/p/.claurst/worktrees/w/.claurst.toml")));
    }

    #[test]
    fn encoding_round_trips() {
        let mut policy = SandboxPolicy::workspace_write(&workspace(), Network::Denied);
        policy.allow_write("/tmp/cwd-file");
        let text = policy.encode().unwrap();
        assert_eq!(SandboxPolicy::decode(&text).unwrap(), policy);
        let read_only = SandboxPolicy::read_only(&workspace());
        assert_eq!(SandboxPolicy::decode(&read_only.encode().unwrap()).unwrap(), read_only);
        assert!(SandboxPolicy::decode("{\"level\":\"everything\"}").is_err());
        assert!(SandboxPolicy::decode("").is_err());
    }

    #[test]
    fn read_only_reads_the_project_and_toolchains_but_not_the_home() {
        let policy = SandboxPolicy::read_only(&workspace());
        assert_eq!(policy.level, Level::ReadOnly);
        assert_eq!(policy.network, Network::Denied);
        for root in ["/usr", "/etc", "/work/p", "/work/shared", "/home/ada/.cargo", "/opt/tools"] {
            assert!(policy.read_roots.contains(&PathBuf::from(root)), "{root} should be readable");
        }
        assert!(!policy.read_roots.iter().any(|root| root == Path::new("/home/ada")));
        assert!(policy.may_write(Path::new("/dev/null")));
        assert!(policy.may_write(Path::new("/home/ada/.claurst/sessions/s1/tool-output/bash-1.txt")));
        assert!(!policy.may_write(Path::new("/work/p/src/lib.rs")));
        assert!(!policy.may_write(Path::new("/tmp/x")));
    }

    #[test]
    fn workspace_write_protects_settings_and_hooks() {
        let policy = SandboxPolicy::workspace_write(&workspace(), Network::Allowed);
        assert!(policy.may_write(Path::new("/work/p/src/lib.rs")));
        assert!(policy.may_write(Path::new("/work/shared/notes")));
        assert!(policy.may_write(Path::new("/tmp/build")));
        assert!(!policy.may_write(Path::new("/home/ada/.bashrc")));
        for protected in ["/work/p/.git/hooks/pre-commit", "/work/p/.git/config", "/work/p/.claurst.toml"] {
            assert!(!policy.may_write(Path::new(protected)), "{protected} should be protected");
        }
        assert!(!policy.may_write(Path::new("/work/shared/.claude/settings.json")));
        assert!(policy.protected.contains(&PathBuf::from("/home/ada/.claurst")));
    }

    #[test]
    fn read_paths_expand_the_home() {
        let home = Path::new("/home/ada");
        let paths = Workspace::expand_read_paths(&["~", "~/.npm", "/srv"], Some(home));
        assert_eq!(
            paths,
            vec![PathBuf::from("/home/ada"), PathBuf::from("/home/ada/.npm"), PathBuf::from("/srv")]
        );
        assert_eq!(Workspace::expand_read_paths(&["~/.npm", "/srv"], None), vec![PathBuf::from("/srv")]);
    }
}
