//! KAIROS from the command line: `--kairos` and `[kairos]` resolved into the session's settings, and the
//! headless daemon (`claurst --kairos --no-interactive`), which prints its events as JSON lines until
//! SIGTERM or SIGINT.

use crate::args::Args;
use crate::memory::RecordWriter;
use crate::output;
use crate::session::SessionContext;
use crate::sessions::Start;
use claurst_assistant::kairos::{DailyLog, LogKind};
use claurst_assistant::{Agent, AgentConfig, KairosSettings, spawn_session_with};
use claurst_config::LoadedConfig;
use claurst_protocol::Op;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};

/// How long the daemon keeps printing after the session ended, once no event comes.
const DRAIN_SILENCE: Duration = Duration::from_millis(300);

/// The session's KAIROS settings when `--kairos` or `[kairos] enabled` turns it on.
pub fn settings(args: &Args, loaded: &LoadedConfig) -> Option<KairosSettings> {
    let config = &loaded.config.kairos;
    if !args.kairos && !config.enabled {
        return None;
    }
    let folder = claurst_session::project_dir_name(&loaded.project_root);
    Some(KairosSettings {
        tick_interval: Duration::from_secs(config.tick_interval_secs),
        blocking_budget: Duration::from_secs(config.blocking_budget_secs),
        max_ticks_per_hour: config.max_ticks_per_hour,
        daily_budget_usd: config.daily_budget_usd,
        dir: loaded.paths.claurst_dir().join("kairos").join(folder),
        github_api_url: config.github_api_url.clone(),
    })
}

/// Whether this run is the daemon: KAIROS on, headless, and no prompt to answer.
pub fn runs_as_daemon(args: &Args, config: &AgentConfig) -> bool {
    config.kairos.is_some() && args.no_interactive && !args.print && args.prompt.is_none()
}

/// Run KAIROS with no front-end but stdout: every event the stream-json printer knows becomes a line
/// (`{"type":"kairos",…}` for KAIROS's own). SIGTERM or SIGINT interrupts a running tick, writes a log entry,
/// and exits 0 once the session has ended.
pub async fn daemon(
    agent: Agent,
    context: SessionContext,
    mut start: Start,
    stream: output::StreamOptions,
) -> ExitCode {
    let session_id = agent.session_id();
    let log = context.agent_config.kairos.as_ref().map(|settings| DailyLog::new(&settings.dir));
    let mut options = context.options(&mut start, false);
    options.mcp_start = claurst_assistant::McpStart::BeforeSessionStarted;
    let mut session = spawn_session_with(agent, start.conversation, options);
    let (Ok(mut terminate), Ok(mut interrupt)) =
        (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
    else {
        eprintln!("Error: cannot listen for SIGTERM and SIGINT; the daemon would not stop cleanly");
        return ExitCode::from(crate::headless::EXIT_ERROR);
    };
    let mut lines = output::StreamState::new(stream);
    let mut stdout = std::io::stdout().lock();
    let mut print = |event: &claurst_protocol::AgentEvent| {
        for line in output::stream_line(event, &mut lines) {
            let _ = writeln!(stdout, "{line}");
        }
        let _ = stdout.flush();
    };
    let mut stopping = false;
    // The session's end, not the event channel's: a deferred call still running holds a sender until it
    // finishes, and the daemon must not wait for it.
    let finished = loop {
        let signal = tokio::select! {
            event = session.events.recv() => {
                if let Some(event) = event {
                    print(&event);
                }
                continue;
            }
            finished = &mut session.finished => break finished,
            _ = terminate.recv(), if !stopping => "SIGTERM",
            _ = interrupt.recv(), if !stopping => "SIGINT",
        };
        stopping = true;
        if let Some(log) = &log
            && let Err(error) = log.append(LogKind::Stop, &format!("{signal} received: stopping the daemon"))
        {
            eprintln!("warning: cannot write the KAIROS log: {error}");
        }
        // Shutdown interrupts a running tick (every tool call answered) and ends the session.
        let _ = session.ops.send(Op::Shutdown).await;
    };
    // What the session said last may still be on its way (KAIROS relays events through a task): print until
    // the channel closes or falls silent.
    while let Ok(Some(event)) = tokio::time::timeout(DRAIN_SILENCE, session.events.recv()).await {
        print(&event);
    }
    if let Ok(conversation) = finished {
        context.finish(&session_id, &conversation, RecordWriter::Fallback).await;
    }
    ExitCode::SUCCESS
}
