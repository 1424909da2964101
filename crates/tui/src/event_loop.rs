//! The interactive loop: terminal input, agent events and frame deadlines, in one `select!`.

use crate::app::{App, Effect};
use crate::clipboard_image::{ClipboardImage, read_clipboard_image};
use crate::completion::FileIndex;
use crate::markdown::highlight;
use crate::render::draw;
use crate::scheduler::FrameScheduler;
use crate::terminal::TerminalGuard;
use crate::theme::Theme;
use crate::{TuiError, TuiOptions};
use base64::Engine;
use claurst_protocol::{AgentEvent, Op};
use crossterm::event::EventStream;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, Write};
use std::time::Instant;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Run the interface until the user quits. `ops` reaches the agent; `events` comes from it.
pub async fn run(
    options: TuiOptions,
    ops: mpsc::Sender<Op>,
    mut events: mpsc::Receiver<AgentEvent>,
) -> Result<(), TuiError> {
    let _guard = TerminalGuard::enter()?;
    // `Terminal::clear` would ask the terminal where its cursor is, a round trip that delays the first frame
    // (and that some terminals never answer); the guard cleared the alternate screen already.
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let mut app =
        App::new(&options, Theme::named(options.theme), FileIndex::build(options.project_root.clone()));
    highlight::warm_up();
    if let Some(prompt) = options.initial_prompt.clone() {
        let _ = ops.send(Op::Prompt { text: prompt }).await;
    }
    if options.pick_session {
        let _ = ops.send(Op::ListSessions).await;
    }

    let mut input = EventStream::new();
    let mut scheduler = FrameScheduler::new();
    scheduler.request();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut first_frame_drawn = false;
    // The status line command's results, and when the next run may start (runs are spaced out).
    let (statusline_done, mut statusline_results) = mpsc::channel::<(u64, Result<String, String>)>(4);
    let mut statusline_not_before = Instant::now();
    // What Ctrl+V found in the clipboard, read on a blocking thread.
    let (clipboard_done, mut clipboard_results) = mpsc::channel::<ClipboardImage>(1);

    while !app.should_quit() {
        let now = Instant::now();
        let deadline = scheduler.deadline(app.is_animating(), app.next_tick(now), now);
        // Nothing is due while the session stands still: no run, no timer, so idle stays idle.
        let statusline_wait = if app.statusline_due() {
            if now >= statusline_not_before {
                start_statusline(&mut app, &statusline_done);
                statusline_not_before = now + crate::statusline_runner::MIN_INTERVAL;
                None
            } else {
                Some(statusline_not_before)
            }
        } else {
            None
        };
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => {
                    let (effects, changed) = app.handle_terminal_event(event);
                    if changed {
                        scheduler.request();
                    }
                    apply(effects, &ops, &clipboard_done, &mut terminal).await?;
                }
                Some(Err(error)) => return Err(error.into()),
                None => break,
            },
            event = events.recv() => match event {
                Some(event) => {
                    app.handle_agent_event(event);
                    scheduler.request();
                    if let Some(sequence) = app.take_notification() {
                        notify(&mut terminal, &sequence)?;
                    }
                }
                None => break,
            },
            _ = sleep_until(deadline), if deadline.is_some() => {
                draw_frame(&mut terminal, &mut app)?;
                scheduler.drawn(Instant::now());
                if !first_frame_drawn {
                    first_frame_drawn = true;
                    let _ = ops.send(Op::FrontEndReady).await;
                }
            }
            Some((generation, result)) = statusline_results.recv() => {
                app.statusline_finished(generation, result);
                scheduler.request();
            }
            Some(clipboard) = clipboard_results.recv() => {
                app.clipboard_image_read(clipboard);
                scheduler.request();
            }
            _ = sleep_until(statusline_wait), if statusline_wait.is_some() => {}
            _ = terminate.recv() => break,
            _ = hangup.recv() => break,
        }
    }
    let _ = ops.send(Op::Shutdown).await;
    Ok(())
}

/// Start the status line command on a task of its own; its result comes back through `done`.
fn start_statusline(app: &mut App, done: &mpsc::Sender<(u64, Result<String, String>)>) {
    if let Some(run) = app.start_statusline() {
        let done = done.clone();
        tokio::spawn(async move {
            let result = crate::statusline_runner::run(&run.command, &run.input).await;
            let _ = done.send((run.generation, result)).await;
        });
    }
}

/// Give the terminal to `$EDITOR` (or `vi`) for `path`, then take it back and redraw everything.
fn edit_file(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    path: &std::path::Path,
) -> std::io::Result<()> {
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    crate::terminal::suspend();
    // The editor may be a command with arguments (`code --wait`).
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status();
    crate::terminal::resume()?;
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    if let Err(error) = status {
        tracing::warn!(%error, "could not start the editor");
    }
    Ok(())
}

async fn sleep_until(deadline: Option<Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline.into()).await;
    }
}

/// One frame, as a synchronized update so the terminal never shows it half drawn.
fn draw_frame(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App) -> std::io::Result<()> {
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| draw(frame, app))?;
    crossterm::execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// Write a notification (OSC 9 or the bell) straight to the terminal, between frames.
fn notify(terminal: &mut Terminal<CrosstermBackend<Stdout>>, sequence: &str) -> std::io::Result<()> {
    let backend = terminal.backend_mut();
    backend.write_all(sequence.as_bytes())?;
    backend.flush()
}

async fn apply(
    effects: Vec<Effect>,
    ops: &mpsc::Sender<Op>,
    clipboard_done: &mpsc::Sender<ClipboardImage>,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
) -> std::io::Result<()> {
    for effect in effects {
        match effect {
            Effect::Send(op) => {
                let _ = ops.send(op).await;
            }
            Effect::Clipboard(text) => {
                // OSC 52: the terminal puts the text on the system clipboard, also over SSH.
                let encoded = base64::engine::general_purpose::STANDARD.encode(text);
                let backend = terminal.backend_mut();
                write!(backend, "\x1b]52;c;{encoded}\x07")?;
                backend.flush()?;
            }
            Effect::EditFile(path) => edit_file(terminal, &path)?,
            Effect::ReadClipboardImage => {
                // The clipboard program may take up to its time limit: keys and frames go on meanwhile.
                let done = clipboard_done.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = done.blocking_send(read_clipboard_image());
                });
            }
            Effect::Quit => {}
        }
    }
    Ok(())
}
