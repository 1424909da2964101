//! The `claurst` binary: parse flags, load configuration, then run headless or the interactive interface.

mod args;
mod claude_flags;
#[cfg(feature = "buddy")]
mod companion;
mod compat;
mod headless;
mod hooks_command;
mod interactive;
#[cfg(feature = "proactive")]
mod kairos;
mod logging;
mod mcp_command;
mod mcp_serve;
mod memory;
mod output;
mod planning;
mod sandbox_command;
mod sdk;
mod session;
mod sessions;
mod setup;
mod worktree;

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
        Some(first) if first == "mcp" => return mcp_command::run(),
        Some(first) if first == "hooks" => return hooks_command::run(),
        _ => {}
    }
    // Parsing first: `--version` and `--help` print and exit before anything else starts.
    let args = Args::parse();
    if args.version {
        println!("{}", compat::version_line());
        return ExitCode::SUCCESS;
    }
    let outcome = on_runtime(|runtime| run(args, runtime));
    let code = match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("Error: {error:#}");
            ExitCode::from(headless::EXIT_ERROR)
        }
    };
    // Whatever a command started and left running (a `setsid … &` escapes its process group, and was
    // adopted by this process) dies with the session.
    claurst_assistant::kill_descendants();
    code
}

/// Run `work` on a fresh runtime, then shut it down without waiting more than a moment for blocking tasks:
/// one stuck in a read that never returns must not keep a finished session (or server) from exiting.
pub(crate) fn on_runtime<T>(work: impl FnOnce(&tokio::runtime::Runtime) -> Result<T>) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let outcome = work(&runtime);
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    outcome
}

fn run(args: Args, runtime: &tokio::runtime::Runtime) -> Result<ExitCode> {
    let cwd = setup::working_directory(&args)?;
    let Some(name) = args.worktree.clone() else {
        return run_in(args, runtime, cwd);
    };
    let tree = worktree::enter(&name, &cwd)?;
    let code = run_in(args, runtime, tree.path.clone());
    eprintln!("{}", tree.farewell());
    code
}

/// The session, working in `cwd`.
fn run_in(mut args: Args, runtime: &tokio::runtime::Runtime, cwd: std::path::PathBuf) -> Result<ExitCode> {
    claude_flags::read_prompt_files(&mut args)?;
    let settings = claude_flags::read_settings(&args, &cwd)?;
    let flags = setup::SessionFlags::read(&args, &cwd, settings.as_ref())?;
    let loaded = setup::load_config(&args, &cwd, settings.as_ref())?;
    let level = if args.verbose { "debug" } else { loaded.config.log_level.as_str() };
    // Held to the end of the run: dropping it flushes the queued log lines.
    let _log_guard = logging::init(&loaded.paths.logs_dir(), level);
    tracing::info!(files = ?loaded.files, root = %loaded.project_root.display(), "configuration loaded");

    let mut warnings = loaded.warnings.clone();
    if args.verbose
        && let Some(settings) = &settings
        && !settings.ignored.is_empty()
    {
        // Claude Code's settings hold much that Claurst has no use for; only --verbose says so.
        eprintln!("note: --settings: ignored keys Claurst does not use: {}", settings.ignored.join(", "));
    }
    let provider = setup::choose_provider(&loaded, &mut warnings)?;
    // The key check belongs to the provider: keyless local servers start without any key. Programs reading
    // JSON output get a missing key as an error result instead (each run reports it).
    let results_report_missing_key = prints_json_results(&args);
    if !results_report_missing_key {
        provider.check_key()?;
    }
    if let Err(error) = claurst_assistant::adopt_orphans() {
        tracing::warn!(%error, "processes that commands leave behind cannot be adopted; they may outlive the session");
    }
    let memory = memory::session_memory(&loaded.config);
    if args.dream_now {
        let agent_config = setup::agent_config(&args, &loaded, &flags, &provider, ApprovalMode::DenyUnlisted);
        return Ok(runtime.block_on(memory::dream_now(agent_config, memory, args.verbose)));
    }
    let permission_prompt = sdk::PermissionPrompt::from_flag(args.permission_prompt_tool.as_deref());
    let stream = output::StreamOptions {
        include_partial_messages: args.include_partial_messages,
        api_key_source: provider.api_key_source(),
        result_only: args.output_format == args::OutputFormat::Json,
    };
    let driven = driven_settings(&args, &permission_prompt, &stream)?;
    let interactive = runs_interactively(&args);
    let approval = match permission_prompt {
        // The driving program answers approvals as a user would, through the front-end.
        sdk::PermissionPrompt::Stdio => ApprovalMode::Interactive,
        sdk::PermissionPrompt::Tool(tool) => ApprovalMode::Tool(tool),
        sdk::PermissionPrompt::None if interactive => ApprovalMode::Interactive,
        sdk::PermissionPrompt::None => ApprovalMode::DenyUnlisted,
    };
    let mut connection = driven.as_ref().map(|_| sdk::Connection::open());
    if let Some(request) = connection.as_mut().and_then(sdk::Connection::first_initialize) {
        sdk::apply_launch_settings(request, &mut args).map_err(anyhow::Error::msg)?;
    }
    let mut agent_config = setup::agent_config(&args, &loaded, &flags, &provider, approval);
    agent_config.mcp = setup::mcp_settings(&args, &loaded, &cwd, &mut warnings)?;
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
    // After the planner: hooks belong to sessions, not to the agents a plan runs.
    agent_config.hooks = setup::hook_settings(&loaded, &mut warnings)?;
    if let Some(connection) = &connection {
        sdk::connect_agent(&mut agent_config, &connection.peer);
    }
    #[cfg(feature = "proactive")]
    {
        agent_config.kairos = kairos::settings(&args, &loaded);
    }
    let start = sessions::start(&args, &store, &mut agent_config, interactive)?;
    warnings.extend(start.warnings.iter().cloned());
    let mut agent = if results_report_missing_key {
        Agent::try_new_reporting_missing_key(agent_config.clone())?
    } else {
        Agent::try_new(agent_config.clone())?
    };
    warnings.extend(agent.sandbox_notice().map(str::to_string));
    warnings.extend(agent.unapproved_hooks_notice());
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
        let mut options = interactive::options(&args, &loaded, &agent);
        options.warnings = warnings;
        options.pick_session = start.pick_session;
        #[cfg(feature = "buddy")]
        companion::attach(&mut options, &loaded, &agent, runtime.handle());
        return runtime.block_on(interactive::run(agent, context, start, options));
    }
    warnings.extend(setup::unapproved_mcp_warnings(&agent));
    // The session sends these as notices too, which the interface shows; headless prints notices only with
    // --verbose, and a mistake in an extension file must not go unseen.
    warnings.extend(context.agent_config.extensions.notices.iter().cloned());
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if let (Some(settings), Some(connection)) = (driven, connection) {
        return Ok(runtime.block_on(sdk::run(agent, context, start, connection, settings)));
    }
    #[cfg(feature = "proactive")]
    if kairos::runs_as_daemon(&args, &context.agent_config) {
        return Ok(runtime.block_on(kairos::daemon(agent, context, start, stream)));
    }
    let prompt = headless_prompt(&args)?;
    let printing = headless::Printing { format: args.output_format, verbose: args.verbose, stream };
    Ok(runtime.block_on(headless::run(agent, context, start, prompt, printing)))
}

/// Whether this is a headless run whose output is JSON (`-p`, piped, or driven by a program): its failures
/// are printed as results.
fn prints_json_results(args: &Args) -> bool {
    !runs_interactively(args)
        && args.output_format != args::OutputFormat::Text
        && args.ultraplan.is_none()
        && !args.dream_now
}

/// Whether the session runs in the interactive interface: nothing asked for headless mode (`-p`,
/// `--no-interactive`, a driving program) and both ends are a terminal.
fn runs_interactively(args: &Args) -> bool {
    !args.print
        && !args.no_interactive
        && args.input_format != args::InputFormat::StreamJson
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
}

/// How a program drives this session (`--input-format stream-json`), or `None` for every other mode.
fn driven_settings(
    args: &Args,
    permission_prompt: &sdk::PermissionPrompt,
    stream: &output::StreamOptions,
) -> Result<Option<sdk::Settings>> {
    if args.input_format != args::InputFormat::StreamJson {
        if *permission_prompt == sdk::PermissionPrompt::Stdio {
            bail!(
                "--permission-prompt-tool stdio needs --input-format stream-json: the approvals are asked on \
                 stdin and stdout\n  add --input-format stream-json --output-format stream-json"
            );
        }
        return Ok(None);
    }
    if args.output_format != args::OutputFormat::StreamJson {
        bail!(
            "--input-format stream-json needs --output-format stream-json: the answers to its messages are \
             JSON lines too\n  add --output-format stream-json"
        );
    }
    if args.prompt.is_some() {
        bail!(
            "with --input-format stream-json, prompts come as user messages on stdin, not as an argument\n  \
             drop the prompt argument, or use --input-format text"
        );
    }
    Ok(Some(sdk::Settings { permission_prompt: permission_prompt.clone(), stream: stream.clone() }))
}

/// The prompt for headless mode: the argument, with piped stdin added as context (or stdin alone).
fn headless_prompt(args: &Args) -> Result<String> {
    let piped = if std::io::stdin().is_terminal() {
        None
    } else {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes)?;
        Some(decode_piped(bytes)).filter(|text| !text.trim().is_empty())
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

/// Piped input as text. Bytes that are not UTF-8 (a Latin-1 file, a binary) are replaced with U+FFFD rather
/// than refusing the run, and the model is told, so it does not take the replacement characters at face value.
fn decode_piped(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let mut text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            text.push_str(
                "\n(Note from Claurst: this input was not valid UTF-8; each invalid byte sequence was replaced \
                 with U+FFFD.)",
            );
            text
        }
    }
}
