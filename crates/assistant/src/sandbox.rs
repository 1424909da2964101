//! From the agent's configuration to the shell tools' sandbox: the roots a session's commands work with.

use crate::config::AgentConfig;
use claurst_sandbox::{DEFAULT_HOME_READ_PATHS, Launcher, Network, Workspace};
use claurst_tools::{ShellSandbox, ShellSandboxSettings};
use std::path::{Path, PathBuf};

/// The sandbox for a session in `project_root` whose tools write under `session_dir`.
pub(crate) fn shell_sandbox(config: &AgentConfig, project_root: &Path, session_dir: &Path) -> ShellSandbox {
    let tool_output = session_dir.join("tool-output");
    // The folder must exist for the kernel rule that lets read-only commands use it.
    if let Err(error) = std::fs::create_dir_all(&tool_output) {
        tracing::warn!(%error, path = %tool_output.display(), "cannot create the tool-output folder");
    }
    let workspace = sandbox_workspace(
        project_root,
        &config.additional_directories,
        config.sandbox.read_paths.as_deref(),
        Some(tool_output),
    );
    let settings = ShellSandboxSettings {
        mode: config.sandbox.mode,
        launcher: config.sandbox.launcher.clone().map(Launcher::new),
        workspace,
        network: if config.sandbox.network { Network::Allowed } else { Network::Denied },
        env_passthrough: config.env_passthrough.clone(),
        extra_env: config.env.clone(),
    };
    ShellSandbox::new(settings)
}

/// The places sandboxed commands work with: the project, `additional_directories`, the readable
/// toolchains (`read_paths`, `~` being `$HOME`; the built-in list when `None`), the temp folders and the
/// session's tool-output folder.
pub fn sandbox_workspace(
    project_root: &Path,
    additional_directories: &[PathBuf],
    read_paths: Option<&[String]>,
    tool_output: Option<PathBuf>,
) -> Workspace {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let read_paths = match read_paths {
        Some(paths) => Workspace::expand_read_paths(paths, home.as_deref()),
        None => Workspace::expand_read_paths(DEFAULT_HOME_READ_PATHS, home.as_deref()),
    };
    let mut temp_dirs = vec![PathBuf::from("/tmp"), PathBuf::from("/var/tmp")];
    temp_dirs.extend(std::env::var_os("TMPDIR").map(PathBuf::from));
    Workspace {
        project: project_root.to_path_buf(),
        additional_directories: additional_directories.to_vec(),
        home,
        read_paths,
        tool_output,
        temp_dirs,
        former_projects: Vec::new(),
    }
}
