//! The `claurst` binary: parse flags, load configuration, then run headless or the interactive interface.

mod args;
#[cfg(feature = "buddy")]
mod companion;
mod headless;
mod interactive;
mod logging;
mod memory;
mod output;
mod planning;
mod sandbox_command;
mod session;
mod sessions;
mod setup;

use anyhow::{Result, bail};
use args::Args;
use clap::Parser;
use claurst_assistant::{Agent, ApprovalMode, SessionStore};
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

fn main() -> ExitCode {
    // The sandbox launcher first, before any thread or runtime exists: it must be single-threaded to enter
    // a user namespace, and it runs before every sandboxed command, so it must start fast.
    let mut raw = std::env::args_os().skip(1);
    match raw.next() {
        Some(first) if first == claurst_sandbox::LAUNCHER_ARG => {
            let error = claurst_sandbox::run_launcher(raw.collect());
            eprintln!("claurst sandbox: {error}");
            return ExitCode::from(claurst_sandbox::LAUNCH_FAILED);
        }
        Some(first) if first == "sandbox" => return sandbox_command::run(),
        _ => {}
    }
    // Parsing first: `--version` and `--help` print and exit before anything else starts.
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("Error: {error:#}");
            ExitCode::from(headless::EXIT_ERROR)
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    let cwd = setup::working_directory(&args)?;
    let loaded = setup::load_config(&args, &cwd)?;
    let level = if args.verbose { "debug" } else { loaded.config.log_level.as_str() };
    logging::init(&loaded.paths.logs_dir(), level);
    tracing::info!(files = ?loaded.files, root = %loaded.project_root.display(), "configuration loaded");

    if loaded.config.api.api_key.is_none() {
        bail!("{}", claurst_api::ApiError::MissingApiKey);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let memory = memory::session_memory(&loaded.config);
    if args.dream_now {
        let agent_config = setup::agent_config(&args, &loaded, ApprovalMode::DenyUnlisted);
        return Ok(runtime.block_on(memory::dream_now(agent_config, memory, args.verbose)));
    }
    let interactive = !args.print
        && !args.no_interactive
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let approval = if interactive { ApprovalMode::Interactive } else { ApprovalMode::DenyUnlisted };
    let mut agent_config = setup::agent_config(&args, &loaded, approval);
    let mut warnings = loaded.warnings.clone();
    // System prompt sections after the built-in ones: memory, project instructions, then the user's addition.
    if let Err(error) = memory.prepare(&mut agent_config) {
        warnings.push(format!("memory is unavailable this session: {error}"));
    }
    let instructions = claurst_session::load_instructions(&loaded.paths, &loaded.project_root);
    warnings.extend(instructions.warnings.iter().cloned());
    agent_config.system_sections.extend(instructions.system_prompt_section());
    agent_config.system_sections.extend(args.append_system_prompt.clone());
    if let Some(task) = &args.ultraplan {
        let settings = &loaded.config.ultraplan;
        return Ok(runtime.block_on(planning::run(
            settings,
            agent_config,
            &loaded.project_root,
            task,
            args.output_format,
        )));
    }
    let store = SessionStore {
        paths: loaded.paths.clone(),
        project_root: loaded.project_root.clone(),
        cwd: cwd.clone(),
    };
    let start = sessions::start(&args, &store, &mut agent_config, interactive)?;
    warnings.extend(start.warnings.iter().cloned());
    let mut agent = Agent::try_new(agent_config.clone())?;
    warnings.extend(agent.sandbox_notice().map(str::to_string));
    if let Err(error) = memory.register_tools(&mut agent) {
        warnings.push(format!("the memory tools are unavailable this session: {error}"));
    }
    let context = session::SessionContext {
        agent_config,
        memory,
        store,
        project_root: loaded.project_root.clone(),
        started_at: time::OffsetDateTime::now_utc(),
    };
    if interactive {
        // Warnings are shown inside the interface, where they stay readable.
        let mut options = interactive::options(&args, &loaded);
        options.warnings = warnings;
        options.pick_session = start.pick_session;
        #[cfg(feature = "buddy")]
        companion::attach(&mut options, &loaded, runtime.handle());
        return runtime.block_on(interactive::run(agent, context, start, options));
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let prompt = headless_prompt(&args)?;
    Ok(runtime.block_on(headless::run(agent, context, start, prompt, args.output_format, args.verbose)))
}

/// The prompt for headless mode: the argument, with piped stdin added as context (or stdin alone).
fn headless_prompt(args: &Args) -> Result<String> {
    let piped = if std::io::stdin().is_terminal() {
        None
    } else {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        Some(input).filter(|text| !text.trim().is_empty())
    };
    match (args.prompt.as_deref().filter(|p| !p.trim().is_empty()), piped) {
        (Some(prompt), Some(input)) => Ok(format!("{prompt}\n\n<stdin>\n{}\n</stdin>", input.trim_end())),
        (Some(prompt), None) => Ok(prompt.to_string()),
        (None, Some(input)) => Ok(input),
        (None, None) => {
            bail!("no prompt given\n  pass one: claurst -p \"what to do\"  (or pipe it on stdin)")
        }
    }
}
