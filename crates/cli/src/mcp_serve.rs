//! `claurst mcp serve`: offer Claurst's tools to another agent or editor over stdio MCP.
//!
//! Standard output carries the protocol and nothing else: logs go to the log file, and only a failure to
//! start is written, to standard error.

use crate::args::Args;
use anyhow::{Context, Result};
use clap::Parser;
use claurst_assistant::ApprovalMode;
use claurst_mcp::serve::ToolServer;
use claurst_protocol::{PermissionMode, SandboxMode};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// Serve Claurst's tools (read, edit, grep, bash…) over MCP on stdin/stdout, under the project's permission
/// rules and the kernel sandbox. Calls that would need approval are refused with the rule that allows them.
#[derive(Debug, Parser)]
#[command(name = "claurst mcp serve")]
struct ServeArgs {
    /// The project to work in instead of the current directory.
    #[arg(long, value_name = "DIR")]
    cwd: Option<PathBuf>,
    /// How tool calls are approved: default, acceptEdits, plan, bypassPermissions or dontAsk.
    #[arg(long, value_name = "MODE")]
    permission_mode: Option<PermissionMode>,
    /// How the kernel sandbox confines shell commands: auto, read-only, workspace-write or off.
    #[arg(long, value_name = "MODE")]
    sandbox: Option<SandboxMode>,
    /// Seconds before a bash command is killed.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    bash_timeout: Option<u64>,
    /// Debug logs in the log file.
    #[arg(long)]
    verbose: bool,
}

/// `claurst mcp serve …`: `args` are the arguments after `serve`.
pub fn run(args: Vec<OsString>) -> ExitCode {
    let args = ServeArgs::parse_from(std::iter::once(OsString::from("claurst mcp serve")).chain(args));
    let outcome = crate::on_runtime(|runtime| serve(args, runtime));
    // Whatever the tools started and left running dies with the server.
    claurst_assistant::kill_descendants();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error:#}");
            ExitCode::from(crate::headless::EXIT_ERROR)
        }
    }
}

fn serve(args: ServeArgs, runtime: &tokio::runtime::Runtime) -> Result<()> {
    // The main binary's flags, with only what this command takes set: configuration loads exactly as there.
    let mut main_args = Args::parse_from(["claurst"]);
    main_args.cwd = args.cwd;
    main_args.permission_mode = args.permission_mode;
    main_args.sandbox = args.sandbox;
    main_args.bash_timeout = args.bash_timeout;
    let cwd = crate::setup::working_directory(&main_args)?;
    let loaded = crate::setup::load_config(&main_args, &cwd, None)?;
    let level = if args.verbose { "debug" } else { loaded.config.log_level.as_str() };
    // Held to the end: dropping it flushes the queued log lines.
    let _log_guard = crate::logging::init(&loaded.paths.logs_dir(), level);
    tracing::info!(files = ?loaded.files, root = %loaded.project_root.display(), "serving tools over MCP");
    let mut warnings = loaded.warnings.clone();
    // Only the tool settings matter here; the provider is chosen as usual so that the configuration is
    // read the same way, but no model is ever called.
    let provider = crate::setup::choose_provider(&loaded, &mut warnings)?;
    for warning in &warnings {
        tracing::warn!(%warning, "configuration");
    }
    let config = crate::setup::agent_config(
        &main_args,
        &loaded,
        &crate::setup::SessionFlags::default(),
        &provider,
        ApprovalMode::DenyUnlisted,
    );
    if let Err(error) = claurst_assistant::adopt_orphans() {
        tracing::warn!(%error, "processes that commands leave behind cannot be adopted; they may outlive the server");
    }
    runtime.block_on(async {
        let served = claurst_assistant::served_tools(&config).context("cannot set up the tools")?;
        // Owns the temporary session folder: kept until the client is gone.
        let _scratch = served.scratch;
        let mut server = ToolServer::new(served.tools, served.permissions);
        if let Some(notice) = &served.sandbox_notice {
            tracing::warn!(%notice, "sandbox");
            server = server.with_note(notice);
        }
        server.serve_stdio().await.context("serving MCP over stdio")
    })
}
