//! `claurst sandbox`: run a command in the project the way the model's commands run, or report what the
//! kernel supports, so users can see for themselves what the sandbox allows.

use anyhow::{Context, Result};
use clap::Parser;
use claurst_config::{Environment, Overrides};
use claurst_sandbox::{Launcher, Network, SandboxPolicy};
use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitCode;

/// Run a command in the project under the kernel sandbox, as Claurst runs the model's commands.
#[derive(Debug, Parser)]
#[command(name = "claurst sandbox")]
struct SandboxArgs {
    /// As a command nobody approved: read only the system, the project and the toolchains; write nowhere.
    #[arg(long, conflicts_with = "workspace_write")]
    read_only: bool,
    /// As an approved command (the default): write only in the project, additional directories and temp.
    #[arg(long)]
    workspace_write: bool,
    /// No network sockets (read-only commands never have them).
    #[arg(long)]
    no_network: bool,
    /// Print what this kernel supports and exit.
    #[arg(long, conflicts_with = "command")]
    status: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, value_name = "COMMAND", required_unless_present = "status")]
    command: Vec<OsString>,
}

/// `claurst sandbox …` (the arguments after `sandbox`).
pub fn run() -> ExitCode {
    let args = SandboxArgs::parse_from(std::env::args_os().skip(1));
    match run_with(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("Error: {error:#}");
            ExitCode::from(crate::headless::EXIT_ERROR)
        }
    }
}

fn run_with(args: SandboxArgs) -> Result<ExitCode> {
    let launcher = Launcher::current_exe().context("cannot find the claurst binary")?;
    let support = claurst_sandbox::probe(Some(&launcher));
    if args.status {
        println!("sandbox: {support}");
        return Ok(if support.is_available() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    if !support.is_available() {
        anyhow::bail!("the kernel sandbox is {support}");
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let loaded = claurst_config::load(&cwd, &Environment::from_process(), &Overrides::default())?;
    let config = &loaded.config;
    let workspace = claurst_assistant::sandbox_workspace(
        &loaded.project_root,
        &config.tools.additional_directories,
        config.sandbox.read_paths.as_deref(),
        None,
    );
    let policy = if args.read_only {
        SandboxPolicy::read_only(&workspace)
    } else {
        let network =
            if args.no_network || !config.sandbox.network { Network::Denied } else { Network::Allowed };
        SandboxPolicy::workspace_write(&workspace, network)
    };
    let (program, rest) =
        args.command.split_first().context("no command given: claurst sandbox -- COMMAND")?;
    let mut command =
        claurst_assistant::sandboxed_command(&launcher, &policy, program, &config.tools.env_passthrough)?;
    command.args(rest).current_dir(&loaded.project_root);
    let status = command.status().with_context(|| format!("cannot run {}", launcher.path().display()))?;
    let code = status.code().or_else(|| status.signal().map(|signal| 128 + signal)).unwrap_or(1);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}
