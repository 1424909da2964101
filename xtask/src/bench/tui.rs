//! The interactive interface: launch to first frame, render time with a long transcript, a fast stream,
//! idle CPU, memory, and resuming a long session. Terminal measurements use the release binary in a
//! pseudo-terminal; render measurements drive the interface in process, through ratatui's TestBackend.

use crate::measure::{Timing, mib, ms, release_binary};
use anyhow::{Context, Result};
use claurst_protocol::{AgentEvent, Message, RunOutcome, RunSummary};
use claurst_test_support::{MockApi, PtySession, TempProject, claurst_pty_command};
use claurst_tui::{App, FileIndex, Theme, TuiOptions, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::time::{Duration, Instant};

const LAUNCHES: usize = 20;
const TURNS: usize = 10_000;
const FRAMES: usize = 600;

pub fn run() -> Result<()> {
    let binary = release_binary()?;
    println!("| measure | result | target |\n|---|---|---|");
    first_frame(&binary, &[], "")?;
    first_frame(&binary, &["--sandbox", "off"], ", sandbox off (no kernel probe)")?;
    idle(&binary)?;
    resume(&binary, 10_000, "resume a 10,000-message session", "< 200 ms")?;
    resume(&binary, 20_000, "a 20,000-message session (10,000 model turns)", "")?;
    render()?;
    stream()?;
    Ok(())
}

fn launch(binary: &Path, project: &TempProject, api: &MockApi, args: &[&str]) -> PtySession {
    let mut command = claurst_pty_command(binary, project, Some(api));
    command.args(args);
    PtySession::spawn(command, 60, 200)
}

/// From starting the process to the first frame on screen (the status line drawn).
fn first_frame(binary: &Path, args: &[&str], variant: &str) -> Result<()> {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut samples = Vec::new();
    for _ in 0..LAUNCHES {
        let started = Instant::now();
        let mut session = launch(binary, &project, &api, args);
        session.wait_for("ctx 0%", Duration::from_secs(10));
        samples.push(started.elapsed());
        session.send(claurst_test_support::keys::CTRL_D);
        session.wait_exit(Duration::from_secs(10));
    }
    let timing = Timing::from_samples(samples);
    println!(
        "| launch to first drawn frame, 200×60{variant} (median of {LAUNCHES}) | {} (p99 {}) | < 30 ms |",
        ms(timing.median),
        ms(timing.p99)
    );
    Ok(())
}

/// CPU used while the screen sits idle, and resident memory then.
fn idle(binary: &Path) -> Result<()> {
    let project = TempProject::new();
    let api = MockApi::start();
    let session = launch(binary, &project, &api, &[]);
    session.wait_for("ctx 0%", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(500));
    let pid = session.pid().context("no pid")?;
    let before = cpu_ticks(pid)?;
    std::thread::sleep(Duration::from_secs(10));
    let after = cpu_ticks(pid)?;
    let (rss, _) = memory(pid)?;
    println!(
        "| CPU while idle for 10 s | {} ms ({:.2} % of one core) | ~0 |",
        (after - before) * 10,
        (after - before) as f64 * 10.0 / 10_000.0 * 100.0
    );
    println!("| resident memory, idle | {} | < 30 MiB |", mib(rss));
    Ok(())
}

/// `claurst --resume <id>` on a long session: time until its history is on screen, and memory.
fn resume(binary: &Path, messages: usize, label: &str, time_target: &str) -> Result<()> {
    let project = TempProject::new();
    let api = MockApi::start();
    let projects = project.home().join(".claurst/projects");
    let root = project.project().canonicalize()?;
    crate::bench::sessions::write_session(&projects, &root, "bench-session", messages)?;
    let mut samples = Vec::new();
    let mut last = (0, 0);
    for _ in 0..5 {
        let started = Instant::now();
        let mut session = launch(binary, &project, &api, &["--resume", "bench-session"]);
        session.wait_for("Resumed.", Duration::from_secs(30));
        samples.push(started.elapsed());
        last = memory(session.pid().context("no pid")?)?;
        session.send(claurst_test_support::keys::CTRL_D);
        session.wait_exit(Duration::from_secs(30));
    }
    let timing = Timing::from_samples(samples);
    println!(
        "| {label}: launch to the history on screen (median of 5) | {} | {time_target} |",
        ms(timing.median)
    );
    println!("| {label}: resident memory after / peak | {} / {} | < 150 MiB |", mib(last.0), mib(last.1));
    Ok(())
}

/// Frame time at 200×60 with a 10,000-turn transcript, following the end and while scrolling.
fn render() -> Result<()> {
    claurst_tui::markdown::highlight::load_now();
    let mut app = app();
    for turn in 0..TURNS {
        finished_turn(&mut app, turn);
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;
    let mut following = Vec::new();
    for _ in 0..FRAMES {
        let started = Instant::now();
        terminal.draw(|frame| draw(frame, &mut app))?;
        following.push(started.elapsed());
    }
    let mut scrolling = Vec::new();
    for frame in 0..FRAMES {
        let key = if frame % 200 < 100 {
            crossterm_key(ratatui::crossterm::event::KeyCode::PageUp)
        } else {
            crossterm_key(ratatui::crossterm::event::KeyCode::PageDown)
        };
        app.handle_terminal_event(key);
        let started = Instant::now();
        terminal.draw(|frame| draw(frame, &mut app))?;
        scrolling.push(started.elapsed());
    }
    let following = Timing::from_samples(following);
    let scrolling = Timing::from_samples(scrolling);
    println!(
        "| frame at 200×60 with {TURNS} turns, following the end ({FRAMES} frames) | median {}, p99 {} | p99 < 4 ms |",
        ms(following.median),
        ms(following.p99)
    );
    println!(
        "| … while paging through it | median {}, p99 {} | p99 < 4 ms |",
        ms(scrolling.median),
        ms(scrolling.p99)
    );
    Ok(())
}

/// A reply streamed at 2,000 tokens a second, drawn at 60 frames a second: every frame's work (handling that
/// frame's deltas and drawing) must fit in the frame, or a backlog builds.
fn stream() -> Result<()> {
    const TOKENS_PER_SECOND: usize = 2_000;
    const SECONDS: usize = 10;
    const FRAME: Duration = Duration::from_millis(16);
    let mut app = app();
    for turn in 0..50 {
        finished_turn(&mut app, turn);
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "write a long essay".into() });
    let per_frame = TOKENS_PER_SECOND * FRAME.as_millis() as usize / 1000;
    let frames = SECONDS * 1000 / FRAME.as_millis() as usize;
    let mut work = Vec::new();
    let mut late = Duration::ZERO;
    let started = Instant::now();
    for frame in 0..frames {
        let due = started + FRAME * frame as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let begun = Instant::now();
        late = late.max(begun.saturating_duration_since(due));
        for token in 0..per_frame {
            let text = if (frame * per_frame + token) % 60 == 59 { "word.\n\n" } else { "word " };
            app.handle_agent_event(AgentEvent::TextDelta { text: text.into() });
        }
        terminal.draw(|frame| draw(frame, &mut app))?;
        work.push(begun.elapsed());
    }
    let timing = Timing::from_samples(work);
    println!(
        "| streaming 2,000 tokens/s for {SECONDS} s at 60 frames/s: work per frame | median {}, p99 {}, latest start {} | fits in 16 ms (no backlog) |",
        ms(timing.median),
        ms(timing.p99),
        ms(late)
    );
    Ok(())
}

fn app() -> App {
    let options = TuiOptions {
        project_root: "/tmp".into(),
        display_cwd: "~/bench".into(),
        model: "claude-sonnet-4-5".into(),
        context_window: 200_000,
        ..TuiOptions::default()
    };
    App::new(&options, Theme::colored(), FileIndex::from_files(Vec::new()))
}

/// One prompt and a markdown reply with a code block.
fn finished_turn(app: &mut App, turn: usize) {
    app.handle_agent_event(AgentEvent::RunStarted {
        prompt: format!("Question {turn}: how does the parser handle nested lists?"),
    });
    let reply = format!(
        "## Answer {turn}\n\nThe parser keeps a **stack** of open lists; each `Item` pushes a marker.\n\n```rust\nfn depth(stack: &[List]) -> usize {{\n    stack.len()\n}}\n```\n\n- first point\n- second point with more words to wrap around the pane"
    );
    app.handle_agent_event(AgentEvent::TextDelta { text: reply.clone() });
    app.handle_agent_event(AgentEvent::AssistantMessage {
        message: Message::assistant(reply),
        reply: Default::default(),
    });
    app.handle_agent_event(AgentEvent::RunFinished(RunSummary {
        outcome: RunOutcome::Success,
        final_text: String::new(),
        num_turns: 1,
        duration_ms: 0,
        duration_api_ms: 0,
        total_cost_usd: 0.0,
        usage: Default::default(),
        session_id: String::new(),
        permission_denials: Vec::new(),
        model_usage: Vec::new(),
    }));
}

fn crossterm_key(code: ratatui::crossterm::event::KeyCode) -> ratatui::crossterm::event::Event {
    ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::new(
        code,
        ratatui::crossterm::event::KeyModifiers::NONE,
    ))
}

/// User plus system CPU time of a process, in clock ticks (10 ms each on Linux).
fn cpu_ticks(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after_name = stat.rsplit(')').next().context("malformed stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    Ok(fields[11].parse::<u64>()? + fields[12].parse::<u64>()?)
}

/// Resident and peak resident memory of a process, in KiB.
fn memory(pid: u32) -> Result<(i64, i64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<i64> {
        let line = status.lines().find(|line| line.starts_with(name)).context("no such field")?;
        Ok(line.split_whitespace().nth(1).context("no value")?.parse()?)
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}
