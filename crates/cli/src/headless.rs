//! Headless mode: one prompt, answered without the interactive interface, printed for scripts and CI.

use crate::args::OutputFormat;
use crate::memory::RecordWriter;
use crate::output;
use crate::session::SessionContext;
use crate::sessions::Start;
use claurst_assistant::{Agent, SessionHandle, spawn_session_with};
use claurst_protocol::{AgentEvent, ImageSource, Op, RunOutcome, RunSummary};
use std::io::Write;
use std::process::ExitCode;

/// Exit code when the run failed.
pub const EXIT_ERROR: u8 = 1;
/// Exit code when `--max-turns` or `--max-budget-usd` stopped the run.
pub const EXIT_MAX_TURNS: u8 = 3;
/// Exit code when the user interrupted with Ctrl+C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// How a `-p` run prints.
pub struct Printing {
    pub format: OutputFormat,
    /// Narrate tool calls, retries and notices on stderr.
    pub verbose: bool,
    pub stream: output::StreamOptions,
}

/// Run `prompt` to completion, printing as `printing` says.
pub async fn run(
    agent: Agent,
    context: SessionContext,
    mut start: Start,
    prompt: String,
    printing: Printing,
) -> ExitCode {
    let session_id = agent.session_id();
    let op = prompt_op(prompt, Vec::new(), |name| agent.has_command(name));
    let mut options = context.options(&mut start, false);
    // Nobody watches servers start here: the run begins with their final status and tools.
    options.mcp_start = claurst_assistant::McpStart::BeforeSessionStarted;
    let mut session = spawn_session_with(agent, start.conversation, options);
    let code = print_run(&mut session, op, printing).await;
    let _ = session.ops.send(Op::Shutdown).await;
    if let Ok(conversation) = (&mut session.finished).await {
        context.finish(&session_id, &conversation, RecordWriter::Fallback).await;
    }
    code
}

/// The op that runs a prompt. `/name args` runs a custom command or a skill when `is_command(name)`, as
/// typing it in the interface does; a prompt with images is always the model's.
pub fn prompt_op(text: String, images: Vec<ImageSource>, is_command: impl Fn(&str) -> bool) -> Op {
    if !images.is_empty() {
        return Op::PromptWithImages { text, images };
    }
    match custom_command(&text) {
        Some((name, arguments)) if is_command(name) => {
            Op::RunCommand { name: name.to_string(), arguments: arguments.to_string() }
        }
        _ => Op::Prompt { text },
    }
}

/// What hooks report is shown on stderr whatever the verbosity (a sub-agent's too): a failing hook is the
/// user's to fix.
pub fn report_hooks(event: &AgentEvent) {
    if let (AgentEvent::HookReported(report), _) = innermost(event) {
        eprintln!("hook: {}", report.describe());
    }
}

/// `/name rest` as the command's name and its arguments.
fn custom_command(prompt: &str) -> Option<(&str, &str)> {
    let body = prompt.trim().strip_prefix('/')?;
    let (name, arguments) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    Some((name, arguments.trim()))
}

async fn print_run(session: &mut SessionHandle, op: Op, printing: Printing) -> ExitCode {
    if session.ops.send(op).await.is_err() {
        eprintln!("Error: the agent stopped before it could start");
        return ExitCode::from(EXIT_ERROR);
    }
    let Printing { format, verbose, stream } = printing;
    let mut stdout = std::io::stdout().lock();
    let mut interrupted = false;
    let mut lines = output::StreamState::new(stream);
    // What the session cost so far, for `--verbose`: "price unknown" rather than $0 for unpriced models.
    let mut cost = None;
    loop {
        let event = tokio::select! {
            event = session.events.recv() => event,
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                let _ = session.ops.send(Op::Interrupt).await;
                continue;
            }
        };
        let Some(event) = event else { break };
        if verbose {
            narrate(&event);
        }
        report_hooks(&event);
        if let AgentEvent::Usage { session_total, session_cost_usd, price_unknown, .. } = &event {
            cost = Some(format!(
                "cost: {} ({} input, {} output tokens)",
                claurst_session::cost_text(*session_cost_usd, *price_unknown),
                session_total.input_tokens
                    + session_total.cache_read_input_tokens
                    + session_total.cache_creation_input_tokens,
                session_total.output_tokens
            ));
        }
        if verbose
            && matches!(event, AgentEvent::RunFinished(_))
            && let Some(cost) = &cost
        {
            eprintln!("{cost}");
        }
        // JSON output sees every event through the printer (its result needs what the printer learnt); for
        // `json` the printer builds the result line only.
        if format != OutputFormat::Text {
            for line in output::stream_line(&event, &mut lines) {
                let _ = writeln!(stdout, "{line}");
                let _ = stdout.flush();
            }
        }
        if let AgentEvent::RunFinished(summary) = event {
            match format {
                OutputFormat::Text => match &summary.outcome {
                    RunOutcome::Success => {
                        let _ = writeln!(stdout, "{}", summary.final_text);
                    }
                    RunOutcome::Error(message) => eprintln!("Error: {message}"),
                    RunOutcome::MaxTurns | RunOutcome::MaxBudget => {
                        if !summary.final_text.is_empty() {
                            let _ = writeln!(stdout, "{}", summary.final_text);
                        }
                        eprintln!("Error: {}", limit_reached(&summary));
                    }
                    RunOutcome::Interrupted => eprintln!("Interrupted."),
                },
                // Printed above, with the other lines.
                OutputFormat::Json | OutputFormat::StreamJson => {}
            }
            let _ = stdout.flush();
            return exit_code(&summary.outcome);
        }
    }
    eprintln!("Error: the agent stopped unexpectedly; see ~/.claurst/logs/claurst.log");
    ExitCode::from(EXIT_ERROR)
}

/// Which limit stopped a run that `--max-turns` or `--max-budget-usd` ended, for the text output.
fn limit_reached(summary: &RunSummary) -> String {
    if summary.outcome == RunOutcome::MaxBudget {
        format!("stopped after the session's cost passed --max-budget-usd (${:.4})", summary.total_cost_usd)
    } else {
        format!("stopped after reaching the turn limit (--max-turns {})", summary.num_turns)
    }
}

/// The process exit code for a run that ended so.
pub fn exit_code(outcome: &RunOutcome) -> ExitCode {
    match outcome {
        RunOutcome::Success => ExitCode::SUCCESS,
        RunOutcome::Error(_) => ExitCode::from(EXIT_ERROR),
        RunOutcome::MaxTurns | RunOutcome::MaxBudget => ExitCode::from(EXIT_MAX_TURNS),
        RunOutcome::Interrupted => ExitCode::from(EXIT_INTERRUPTED),
    }
}

/// `--verbose`: a line on stderr per tool call and result, and per retry or notice.
/// `--verbose`: what happens, one line each on stderr; a sub-agent's lines are indented under its call.
fn narrate(event: &AgentEvent) {
    let (event, depth) = innermost(event);
    let indent = "  ".repeat(depth);
    match event {
        AgentEvent::ToolCallRequested(call) => eprintln!("{indent}→ {} {}", call.name, call.input),
        AgentEvent::ToolCallDenied { id, reason } => eprintln!("{indent}✗ {id} denied: {reason}"),
        AgentEvent::ToolCallFinished(done) => {
            let status = if done.is_error { "error" } else { "ok" };
            let first = done.output.lines().next().unwrap_or_default();
            eprintln!("{indent}← {} {status} in {} ms: {first}", done.name, done.duration_ms);
        }
        AgentEvent::SubagentStarted(view) => {
            eprintln!("{indent}⇢ {} sub-agent on {}: {}", view.agent_type, view.model, view.description)
        }
        AgentEvent::Retrying { attempt, max_attempts, delay_ms, reason, .. } => {
            eprintln!("{indent}… retrying ({attempt}/{max_attempts}) in {delay_ms} ms: {reason}");
        }
        AgentEvent::Notice { text } => eprintln!("{indent}note: {text}"),
        _ => {}
    }
}

/// The event a sub-agent's wrapping carries, and how many sub-agents deep it comes from.
fn innermost(mut event: &AgentEvent) -> (&AgentEvent, usize) {
    let mut depth = 0;
    while let AgentEvent::Subagent { event: inner, .. } = event {
        event = inner;
        depth += 1;
    }
    (event, depth)
}
