//! KAIROS in the interface (feature `proactive`): the pane, `/kairos`, a tick's run, a sent file, the log,
//! and the typing signal.

use crate::{app, assert_screen, key_ops, notices, screen, states_finish, type_keys};
use claurst_protocol::{
    AgentEvent, DeferredJobView, KairosEvent, KairosRequest, KairosView, Op, SentFile, TickSkip,
};
use claurst_tui::App;
use crossterm::event::KeyCode;
use std::time::{Duration, SystemTime};

/// The frozen "now" of these tests: 2026-12-02 11:30:00 UTC.
fn now() -> SystemTime {
    SystemTime::from(time::macros::datetime!(2026-12-02 11:30:00 UTC))
}

fn view() -> KairosView {
    KairosView {
        paused: false,
        next_tick_at: Some("2026-12-02T11:30:42Z".into()),
        tick_interval_secs: 60,
        ticks_last_hour: 3,
        max_ticks_per_hour: 20,
        spent_today_usd: 0.12,
        daily_budget_usd: 1.0,
        last_action: Some("ran cargo test after src/lib.rs changed".into()),
        deferred: Vec::new(),
        subscriptions: Vec::new(),
        log_path: "/home/ada/.claurst/kairos/app/2026-12-02.log".into(),
    }
}

fn job(id: &str, summary: &str, finished: bool) -> DeferredJobView {
    DeferredJobView {
        id: id.into(),
        tool: "bash".into(),
        summary: summary.into(),
        started_at: "2026-12-02T11:20:00Z".into(),
        finished,
    }
}

fn kairos(app: &mut App, event: KairosEvent) {
    app.handle_agent_event(AgentEvent::Kairos(event));
}

/// A session running KAIROS, its clock frozen at `now()`.
fn kairos_app(view: KairosView) -> App {
    let mut app = app();
    app.freeze_clock(now());
    kairos(&mut app, KairosEvent::Status(view));
    app
}

/// Type `line` and press Enter; the ops Enter sent.
fn submit(app: &mut App, line: &str) -> Vec<Op> {
    type_keys(app, line);
    key_ops(app, KeyCode::Enter)
}

#[test]
fn the_pane_shows_the_countdown_caps_deferred_jobs_and_watched_pull_requests() {
    let busy = KairosView {
        deferred: vec![job("d1", "cargo test --workspace", false), job("d2", "npm run build", true)],
        subscriptions: vec!["acme/app#42".into(), "acme/lib#7".into()],
        ..view()
    };
    let mut app = kairos_app(busy);
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("next tick in 40 s") && wide.contains("acme/app#42"), "{wide}");
    assert_screen!("kairos_pane_running_200x60", wide);
    // Too narrow for the side pane: the status line still says when the next tick comes.
    let narrow = screen(&mut app, 80, 24);
    assert!(narrow.contains("◆ KAIROS in 40 s"), "{narrow}");
    assert_screen!("kairos_pane_running_80x24", narrow);
}

#[test]
fn the_countdown_follows_the_clock() {
    let mut app = kairos_app(view());
    app.freeze_clock(now() + Duration::from_secs(30));
    assert!(screen(&mut app, 200, 60).contains("next tick in 10 s"));
    app.freeze_clock(now() + Duration::from_secs(50));
    assert!(screen(&mut app, 200, 60).contains("next tick due now"));
}

#[test]
fn a_paused_kairos_says_so_and_how_to_resume() {
    let mut app = kairos_app(view());
    let paused = KairosView { paused: true, next_tick_at: None, ticks_last_hour: 20, ..view() };
    kairos(&mut app, KairosEvent::Status(paused));
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("⏸ paused · /kairos resume") && wide.contains("KAIROS paused"), "{wide}");
    assert_screen!("kairos_pane_paused_200x60", wide);
    assert_screen!("kairos_pane_paused_80x24", screen(&mut app, 80, 24));
}

#[test]
fn without_a_kairos_status_there_is_no_pane_and_no_command() {
    let mut app = app();
    let wide = screen(&mut app, 200, 60);
    assert!(!wide.contains("KAIROS"), "{wide}");
    assert!(submit(&mut app, "/kairos pause").is_empty());
    assert!(notices(&app).contains("Unknown command /kairos"), "{}", notices(&app));
}

#[test]
fn kairos_commands_send_kairos_requests() {
    let mut app = kairos_app(view());
    let cases = [
        ("/kairos pause", KairosRequest::Pause),
        ("/kairos resume", KairosRequest::Resume),
        ("/kairos", KairosRequest::Status),
        ("/kairos status", KairosRequest::Status),
        ("/kairos log", KairosRequest::ReadLog { day: None }),
        ("/kairos log 2026-12-01", KairosRequest::ReadLog { day: Some("2026-12-01".into()) }),
    ];
    for (line, request) in cases {
        assert_eq!(submit(&mut app, line), vec![Op::Kairos(request)], "{line}");
    }
    submit(&mut app, "/help");
    assert!(notices(&app).contains("/kairos [status|pause|resume|log [YYYY-MM-DD]]"), "{}", notices(&app));
    assert!(submit(&mut app, "/kairos log yesterday").is_empty());
    assert!(submit(&mut app, "/kairos nap").is_empty());
    let said = notices(&app);
    assert!(said.contains("/kairos log takes a day as YYYY-MM-DD"), "{said}");
    assert!(said.contains("Unknown /kairos option nap"), "{said}");
}

#[test]
fn kairos_status_asked_for_is_reported_in_the_transcript() {
    let mut app = kairos_app(view());
    submit(&mut app, "/kairos status");
    // Statuses nobody asked for (after each tick) only update the pane.
    assert!(!notices(&app).contains("KAIROS is running"));
    kairos(&mut app, KairosEvent::Status(view()));
    let said = notices(&app);
    assert!(said.contains("KAIROS is running · next tick in 40 s (every 60 s)"), "{said}");
    assert!(said.contains("ticks 3 of 20 this hour · spent $0.12 of $1.00 today"), "{said}");
    kairos(&mut app, KairosEvent::Status(view()));
    assert_eq!(notices(&app).matches("KAIROS is running").count(), 1);
}

#[test]
fn typing_sends_user_activity_at_most_once_a_second() {
    let mut app = kairos_app(view());
    let activity = |ops: Vec<Op>| ops.iter().filter(|op| **op == Op::UserActivity).count();
    assert_eq!(activity(key_ops(&mut app, KeyCode::Char('f'))), 1);
    assert_eq!(activity(key_ops(&mut app, KeyCode::Char('i'))), 0);
    app.freeze_clock(now() + Duration::from_millis(999));
    assert_eq!(activity(key_ops(&mut app, KeyCode::Char('x'))), 0);
    app.freeze_clock(now() + Duration::from_secs(1));
    assert_eq!(activity(key_ops(&mut app, KeyCode::Backspace)), 1);
    app.freeze_clock(now() + Duration::from_millis(1500));
    assert_eq!(activity(key_ops(&mut app, KeyCode::Char('y'))), 0);
    app.freeze_clock(now() + Duration::from_millis(2100));
    assert_eq!(activity(key_ops(&mut app, KeyCode::Char('z'))), 1);
}

#[test]
fn typing_without_kairos_sends_nothing() {
    let mut app = app();
    app.freeze_clock(now());
    assert!(key_ops(&mut app, KeyCode::Char('f')).is_empty());
}

#[test]
fn a_tick_run_reads_as_kairos_not_as_the_user() {
    let mut app = kairos_app(view());
    kairos(
        &mut app,
        KairosEvent::TickStarted {
            number: 4,
            changes: vec![
                "2 files changed: src/a.rs, src/b.rs".into(),
                "cargo test finished: 1 failed".into(),
            ],
        },
    );
    app.handle_agent_event(AgentEvent::RunStarted {
        prompt: "KAIROS tick · 2 files changed, 1 test run".into(),
    });
    app.handle_agent_event(AgentEvent::TextDelta {
        text: "The failing test `parses_dates` broke with the change to src/a.rs.".into(),
    });
    states_finish(&mut app);
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("◆ KAIROS tick 4 · 2 files changed, 1 test run"), "{wide}");
    assert!(!wide.contains("› KAIROS") && !wide.contains("· KAIROS tick"), "{wide}");
    assert_screen!("kairos_tick_run_200x60", wide);
    assert_screen!("kairos_tick_run_80x24", screen(&mut app, 80, 24));
    // The next run is the user's again.
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "thanks".into() });
    assert!(screen(&mut app, 80, 24).contains("› thanks"));
}

#[test]
fn a_skipped_tick_updates_the_pane_and_not_the_transcript() {
    let mut app = kairos_app(view());
    let cells = app.transcript().len();
    kairos(&mut app, KairosEvent::TickSkipped { reason: TickSkip::NothingChanged });
    kairos(&mut app, KairosEvent::TickSkipped { reason: TickSkip::HourlyLimit { limit: 20 } });
    assert_eq!(app.transcript().len(), cells);
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("last: skipped (20 ticks"), "{wide}");
}

#[test]
fn deferred_jobs_are_told_and_tracked_in_the_pane() {
    let mut app = kairos_app(view());
    kairos(&mut app, KairosEvent::Deferred { job: job("d1", "cargo test --workspace", false) });
    assert!(screen(&mut app, 200, 60).contains("○ cargo test --workspace"));
    kairos(&mut app, KairosEvent::DeferredFinished { job: job("d1", "cargo test --workspace", true) });
    let said = notices(&app);
    assert!(said.contains("KAIROS moved cargo test --workspace (bash) to the background"), "{said}");
    assert!(said.contains("The deferred cargo test --workspace (bash) finished"), "{said}");
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("✓ cargo test --workspace") && !wide.contains("○ cargo"), "{wide}");
    assert_screen!("kairos_deferred_200x60", wide);
}

fn sent_file() -> SentFile {
    SentFile {
        path: "/work/app/reports/flaky-tests.md".into(),
        message: "Two tests failed twice in the last hour; here is what they share.".into(),
        preview:
            "# Flaky tests\n\n- parses_dates: timezone from the environment\n- cache_expiry: sleeps 10 ms\n…"
                .into(),
        copy_path: "/home/ada/.claurst/kairos/app/files/2026-12-02/flaky-tests.md".into(),
    }
}

#[test]
fn a_sent_file_is_a_notice_with_its_preview_and_a_notification() {
    let mut app = kairos_app(view());
    kairos(&mut app, KairosEvent::FileSent(sent_file()));
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("KAIROS sent you a file: /work/app/reports/flaky-tests.md"), "{wide}");
    assert!(wide.contains("│ - parses_dates: timezone from the environment"), "{wide}");
    assert_screen!("kairos_file_sent_200x60", wide);
    assert_screen!("kairos_file_sent_80x24", screen(&mut app, 80, 24));
    // The default channel is the bell; the terminal has not said it has focus.
    assert_eq!(app.take_notification().as_deref(), Some("\x07"));
}

#[test]
fn a_sent_file_does_not_ring_a_focused_terminal() {
    let mut app = kairos_app(view());
    app.handle_terminal_event(crossterm::event::Event::FocusGained);
    kairos(&mut app, KairosEvent::FileSent(sent_file()));
    assert_eq!(app.take_notification(), None);
}

#[test]
fn the_days_log_is_shown_in_the_transcript() {
    let mut app = kairos_app(view());
    submit(&mut app, "/kairos log");
    let text = "11:02:10 tick 1: 1 file changed: src/lib.rs\n11:02:31 ran cargo test: 2 passed\n\
                11:15:00 skipped: nothing changed\n11:29:12 sent reports/flaky-tests.md";
    kairos(&mut app, KairosEvent::Log { day: "2026-12-02".into(), text: text.into() });
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains("◆ KAIROS log · 2026-12-02") && wide.contains("11:29:12 sent"), "{wide}");
    assert_screen!("kairos_log_200x60", wide);
    assert_screen!("kairos_log_80x24", screen(&mut app, 80, 24));
    kairos(&mut app, KairosEvent::Log { day: "2026-11-30".into(), text: String::new() });
    assert!(screen(&mut app, 80, 24).contains("Nothing was logged that day."));
}
