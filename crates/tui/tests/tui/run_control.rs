//! Run control: Ctrl+C, refusing at an approval, the approval modal on small terminals (scrolling, Ctrl+O),
//! the "more below" marker and queued prompts.

use crate::{app, assert_screen, key_ops, options, screen, type_keys};
use claurst_protocol::{AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, Decision, Op};
use claurst_tui::{App, FileIndex, Theme, draw};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use serde_json::json;
use std::time::{Duration, Instant};

fn ctrl(app: &mut App, character: char) -> Vec<Op> {
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char(character), KeyModifiers::CONTROL)))
        .0
        .into_iter()
        .filter_map(|effect| match effect {
            claurst_tui::Effect::Send(op) => Some(op),
            _ => None,
        })
        .collect()
}

fn quits(app: &mut App, character: char) -> bool {
    let event = Event::Key(KeyEvent::new(KeyCode::Char(character), KeyModifiers::CONTROL));
    app.handle_terminal_event(event).0.contains(&claurst_tui::Effect::Quit)
}

fn run_started(app: &mut App, prompt: &str) {
    app.handle_agent_event(AgentEvent::RunStarted { prompt: prompt.into() });
}

/// A 60-line file to write, asked about.
fn long_write(app: &mut App) -> tokio::sync::oneshot::Receiver<Decision> {
    let content: String = (1..=60).map(|n| format!("line {n} of the new file\n")).collect();
    let call = crate::call("w1", "write_file", json!({"path": "notes.txt", "content": content}));
    app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
    let diff: String = std::iter::once("@@ -0,0 +1,60 @@".to_string())
        .chain((1..=60).map(|n| format!("+line {n} of the new file")))
        .collect::<Vec<_>>()
        .join("\n");
    let (responder, answer) = ApprovalResponder::channel();
    app.handle_agent_event(AgentEvent::ApprovalRequested(ApprovalRequest {
        call,
        title: "write_file(notes.txt)".into(),
        detail: ApprovalDetail::Diff { path: "notes.txt".into(), diff },
        suggested_rule: "write_file(notes.txt)".into(),
        responder,
    }));
    answer
}

#[test]
fn ctrl_c_during_a_run_interrupts_it_like_escape() {
    let mut app = app();
    run_started(&mut app, "go");
    assert_eq!(ctrl(&mut app, 'c'), [Op::Interrupt]);
    assert!(screen(&mut app, 80, 12).contains("Interrupting…"));
    // A second press while the run stops does not quit: it shows the hint, and a third within the window
    // quits, so a run that ignores the interrupt never holds the user.
    assert!(!quits(&mut app, 'c'));
    assert!(screen(&mut app, 80, 12).contains("Press Ctrl+C again to quit"));
    assert!(quits(&mut app, 'c'));
}

#[test]
fn the_quit_hint_lasts_exactly_the_double_press_window_and_shows_over_the_busy_line() {
    let mut app = app();
    assert!(!quits(&mut app, 'c'));
    let shown = screen(&mut app, 80, 12);
    assert!(shown.contains("Press Ctrl+C again to quit"), "{shown}");
    // The loop wakes when the hint expires, to take it off the screen; that is the end of the window.
    let now = Instant::now();
    let expires = app.next_tick(now).expect("the hint's end is a wake-up");
    assert!(expires <= now + Duration::from_millis(1500) && expires > now + Duration::from_millis(1000));
    assert!(quits(&mut app, 'c'), "a second press within the window quits");

    // A flash stays visible while a run is busy: it leads the run's line.
    let mut app = crate::app();
    run_started(&mut app, "go");
    key_ops(&mut app, KeyCode::Tab);
    let busy = screen(&mut app, 80, 12);
    assert!(busy.contains("Thinking on (8000 tokens) for the next turns · "), "{busy}");
    assert!(busy.contains("Working…"), "{busy}");
}

#[test]
fn ctrl_c_on_an_idle_prompt_clears_it_first() {
    let mut app = app();
    type_keys(&mut app, "half a thought");
    assert!(!quits(&mut app, 'c'));
    assert!(!screen(&mut app, 80, 12).contains("half a thought"));
    assert!(!screen(&mut app, 80, 12).contains("again to quit"));
}

#[test]
fn an_idle_screen_has_nothing_to_wake_for() {
    let mut app = app();
    screen(&mut app, 80, 12);
    assert_eq!(app.next_tick(Instant::now()), None);
    assert!(!app.is_animating());
}

#[test]
fn no_refuses_ends_the_turn_and_shows_a_human_line() {
    let mut app = app();
    run_started(&mut app, "clean up");
    let answer = long_write(&mut app);
    key_ops(&mut app, KeyCode::Char('n'));
    assert_eq!(answer.blocking_recv_or_none(), Some(Decision::DenyAndStop));
    app.handle_agent_event(AgentEvent::ToolCallDenied {
        id: "w1".into(),
        reason: "The user refused this tool call and stopped the turn. Wait for the user's next message."
            .into(),
    });
    crate::states_finish(&mut app);
    let shown = screen(&mut app, 80, 14);
    assert!(shown.contains("Refused by you"), "{shown}");
    assert!(!shown.contains("Wait for the user's next message"), "{shown}");
    assert!(shown.contains("What should Claurst do instead?"), "{shown}");
}

#[test]
fn a_note_after_tab_is_shown_as_the_users_refusal() {
    let mut app = app();
    run_started(&mut app, "clean up");
    let answer = long_write(&mut app);
    key_ops(&mut app, KeyCode::Tab);
    type_keys(&mut app, "use notes.md");
    key_ops(&mut app, KeyCode::Enter);
    assert_eq!(answer.blocking_recv_or_none(), Some(Decision::DenyWithFeedback("use notes.md".into())));
    app.handle_agent_event(AgentEvent::ToolCallDenied {
        id: "w1".into(),
        reason: "The user denied this tool call and said: use notes.md".into(),
    });
    let shown = screen(&mut app, 80, 14);
    assert!(shown.contains("You refused: use notes.md"), "{shown}");
}

#[test]
fn a_long_preview_keeps_every_option_on_a_small_screen_and_scrolls() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = app();
        run_started(&mut app, "write notes");
        let _answer = long_write(&mut app);
        let top = screen(&mut app, width, height);
        for option in ["1. Yes", "2. Yes, and don't ask again", "3. No", "tab: no"] {
            assert!(top.contains(option), "{option} at {width}x{height}:\n{top}");
        }
        assert!(top.contains("+ line 1 of the new file") && !top.contains("+ line 60 of"), "{top}");
        assert_screen!(format!("approval_long_top_{width}x{height}"), top);
        key_ops(&mut app, KeyCode::PageDown);
        let scrolled = screen(&mut app, width, height);
        assert!(!scrolled.contains("+ line 1 of the new file"), "{scrolled}");
        assert!(scrolled.contains("3. No"), "{scrolled}");
        assert_screen!(format!("approval_long_scrolled_{width}x{height}"), scrolled);
        for _ in 0..10 {
            key_ops(&mut app, KeyCode::PageDown);
        }
        assert!(screen(&mut app, width, height).contains("+ line 60 of the new file"));
    }
}

#[test]
fn ctrl_o_shows_the_whole_preview_and_escape_goes_back_without_answering() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = app();
        run_started(&mut app, "write notes");
        let mut answer = long_write(&mut app);
        ctrl(&mut app, 'o');
        let whole = screen(&mut app, width, height);
        assert!(whole.contains("esc or ctrl+o: back"), "{whole}");
        assert_screen!(format!("approval_whole_preview_{width}x{height}"), whole);
        key_ops(&mut app, KeyCode::Esc);
        assert!(answer.try_recv().is_err(), "Esc in the whole view answers nothing");
        assert!(screen(&mut app, width, height).contains("3. No"));
    }
}

#[test]
fn a_scrolled_up_transcript_says_how_much_is_below() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = app();
        for n in 0..60 {
            run_started(&mut app, &format!("prompt {n}"));
            crate::states_finish(&mut app);
        }
        screen(&mut app, width, height);
        key_ops(&mut app, KeyCode::PageUp);
        let shown = screen(&mut app, width, height);
        assert!(shown.contains("more lines below · End to follow"), "{shown}");
        assert_screen!(format!("more_below_{width}x{height}"), shown);
        key_ops(&mut app, KeyCode::End);
        assert!(!screen(&mut app, width, height).contains("more lines below"));
    }
}

#[test]
fn queued_prompts_show_dimmed_and_up_takes_the_last_back() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = app();
        run_started(&mut app, "first");
        for prompt in ["then run the tests", "and commit"] {
            type_keys(&mut app, prompt);
            key_ops(&mut app, KeyCode::Enter);
        }
        let shown = screen(&mut app, width, height);
        assert!(
            shown.contains("queued: then run the tests") && shown.contains("queued: and commit"),
            "{shown}"
        );
        assert_screen!(format!("queued_prompts_{width}x{height}"), shown);
    }
    let mut app = app();
    run_started(&mut app, "first");
    type_keys(&mut app, "and commit");
    key_ops(&mut app, KeyCode::Enter);
    assert_eq!(key_ops(&mut app, KeyCode::Up), [Op::WithdrawQueuedPrompt { text: "and commit".into() }]);
    let shown = screen(&mut app, 80, 12);
    assert!(shown.contains("› and commit") && !shown.contains("queued:"), "{shown}");
}

#[test]
fn the_queue_follows_the_runs_that_start_and_the_conversation_it_belongs_to() {
    let mut app = app();
    run_started(&mut app, "first");
    for prompt in ["one", "two"] {
        type_keys(&mut app, prompt);
        key_ops(&mut app, KeyCode::Enter);
    }
    // A run the user did not queue (`/init`, a custom command) takes nothing from the list.
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "/init · Analysing the project…".into() });
    let shown = screen(&mut app, 80, 16);
    assert!(shown.contains("queued: one") && shown.contains("queued: two"), "{shown}");
    // The queued prompt that starts leaves it.
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "two".into() });
    let shown = screen(&mut app, 80, 16);
    assert!(shown.contains("queued: one") && !shown.contains("queued: two"), "{shown}");
    // `/clear` drops the session's queue: the list goes with it.
    app.handle_agent_event(AgentEvent::ConversationCleared);
    assert!(!screen(&mut app, 80, 16).contains("queued:"));
}

#[test]
fn queued_prompts_are_drawn_dim() {
    let mut app = App::new(&options(), Theme::colored(), FileIndex::from_files(Vec::new()));
    run_started(&mut app, "first");
    type_keys(&mut app, "later");
    key_ops(&mut app, KeyCode::Enter);
    let mut terminal = Terminal::new(TestBackend::new(40, 10)).unwrap();
    terminal.draw(|frame| draw(frame, &mut app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let row = (0..10).find(|&y| {
        let text: String = (0..40).map(|x| buffer[(x, y)].symbol().to_string()).collect();
        text.contains("queued: later")
    });
    let row = row.expect("the queued prompt is on screen");
    assert_eq!(buffer[(4, row)].fg, Color::DarkGray);
}

trait TryAnswer {
    fn blocking_recv_or_none(self) -> Option<Decision>;
}

impl TryAnswer for tokio::sync::oneshot::Receiver<Decision> {
    fn blocking_recv_or_none(mut self) -> Option<Decision> {
        self.try_recv().ok()
    }
}

#[test]
fn a_retry_wakes_the_loop_at_the_next_whole_second_and_counts_down() {
    let mut app = app();
    run_started(&mut app, "go");
    app.handle_agent_event(AgentEvent::Retrying {
        attempt: 1,
        max_attempts: 3,
        delay_ms: 4_000,
        reason: "overloaded".into(),
        error_status: Some(529),
    });
    let shown = screen(&mut app, 100, 12);
    assert!(shown.contains("retrying 1/3 in 4s: overloaded"), "{shown}");
    let now = Instant::now();
    let wake = app.next_tick(now).expect("the countdown wakes the loop");
    assert!(wake <= now + Duration::from_secs(1));
}
