//! The companion in the side pane and `/buddy` (feature `buddy`).

use crate::{assert_screen, options, screen};
use claurst_buddy::{BuddyProfile, Companion};
use claurst_protocol::{AgentEvent, ToolFinished};
use claurst_tui::{App, CompanionOptions, FileIndex, Theme, TuiOptions, draw};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use serde_json::json;

fn companion_options(user_id: &str, name: Option<&str>, personality: Option<&str>) -> TuiOptions {
    let mut profile = BuddyProfile::generate(time::macros::date!(2026 - 04 - 01));
    profile.user_id = user_id.into();
    profile.name = name.map(str::to_string);
    profile.personality = personality.map(str::to_string);
    let companion = Companion::hatch(user_id);
    TuiOptions { companion: Some(CompanionOptions { companion, profile, naming: None }), ..options() }
}

fn buddy_app_with(options: &TuiOptions, theme: Theme) -> App {
    claurst_tui::markdown::highlight::load_now();
    App::new(options, theme, FileIndex::from_files(vec!["src/main.rs".into()]))
}

/// Alice's companion: Piperfen, a Common Pebblecrab.
fn buddy_app() -> App {
    buddy_app_with(&companion_options("alice", None, None), Theme::monochrome())
}

fn type_line(app: &mut App, text: &str) {
    for character in text.chars() {
        app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char(character), KeyModifiers::NONE)));
    }
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
}

fn bash(app: &mut App, id: &str, command: &str, is_error: bool) {
    app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call(
        id,
        "bash",
        json!({ "command": command }),
    )));
    app.handle_agent_event(AgentEvent::ToolCallStarted { id: id.into() });
    app.handle_agent_event(AgentEvent::ToolCallFinished(ToolFinished {
        id: id.into(),
        name: "bash".into(),
        output: if is_error { "error: could not compile".into() } else { "test result: ok".into() },
        is_error,
        duration_ms: 120,
        summary: String::new(),
        change: None,
    }));
}

#[test]
fn idle_companion_in_the_side_pane() {
    assert_screen!("companion_idle", screen(&mut buddy_app(), 110, 14));
}

#[test]
fn a_failing_tool_makes_it_sad_and_it_says_so() {
    let mut app = buddy_app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "build it".into() });
    bash(&mut app, "t1", "cargo build", true);
    assert_screen!("companion_tool_failed", screen(&mut app, 110, 18));
}

#[test]
fn passing_tests_make_it_cheer() {
    let mut app = buddy_app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "run the tests".into() });
    bash(&mut app, "t1", "cargo test --workspace", false);
    assert_screen!("companion_tests_passed", screen(&mut app, 110, 18));
}

#[test]
fn petting_shows_hearts() {
    let mut app = buddy_app();
    // The first frame puts the pane on screen, as it is before anyone can type.
    screen(&mut app, 110, 18);
    type_line(&mut app, "/buddy pet");
    assert_screen!("companion_petting", screen(&mut app, 110, 18));
}

#[test]
fn the_card_in_the_transcript() {
    let options = companion_options(
        "alice",
        Some("Captain Pinch"),
        Some("Guards your semicolons with its life and judges your variable names."),
    );
    let mut app = buddy_app_with(&options, Theme::monochrome());
    type_line(&mut app, "/buddy");
    assert_screen!("companion_card", screen(&mut app, 80, 30));
}

#[test]
fn the_card_fits_in_40_columns() {
    let mut app = buddy_app();
    type_line(&mut app, "/buddy");
    assert_screen!("companion_card_40", screen(&mut app, 40, 28));
}

#[test]
fn a_shiny_companion_sparkles() {
    let options = companion_options("user-161", None, None);
    let mut app = buddy_app_with(&options, Theme::monochrome());
    assert_screen!("companion_shiny", screen(&mut app, 110, 14));
}

#[test]
fn shiny_colours_and_no_colour() {
    let options = companion_options("user-161", None, None);
    for (theme, sparkle_colour) in
        [(Theme::colored(), Color::LightYellow), (Theme::monochrome(), Color::Reset)]
    {
        let mut app = buddy_app_with(&options, theme);
        let mut terminal = Terminal::new(TestBackend::new(110, 14)).unwrap();
        terminal.draw(|frame| draw(frame, &mut app)).unwrap();
        let buffer = terminal.backend().buffer();
        let sparkle = buffer.content().iter().find(|cell| cell.symbol() == "✦").expect("sparkles are drawn");
        assert_eq!(sparkle.fg, sparkle_colour);
    }
}

#[test]
fn below_100_columns_the_pane_is_hidden() {
    let mut app = buddy_app();
    let narrow = screen(&mut app, 80, 12);
    assert!(!narrow.contains("Piperfen"), "{narrow}");
    assert_screen!("companion_hidden_at_80", narrow);
}

#[test]
fn hide_and_show() {
    let mut app = buddy_app();
    type_line(&mut app, "/buddy hide");
    let hidden = screen(&mut app, 110, 12);
    assert!(!hidden.contains("(_\\.-'''-./_)"), "{hidden}");
    assert_screen!("companion_hidden_by_command", hidden);
    type_line(&mut app, "/buddy show");
    assert!(screen(&mut app, 110, 12).contains("Piperfen"));
}

#[test]
fn buddy_is_in_the_menu_only_with_a_companion() {
    let mut app = buddy_app();
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)));
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char('b'), KeyModifiers::NONE)));
    assert_screen!("companion_command_menu", screen(&mut app, 80, 12));

    let mut without = buddy_app_with(&options(), Theme::monochrome());
    for character in ['/', 'b'] {
        without
            .handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char(character), KeyModifiers::NONE)));
    }
    let menu = screen(&mut without, 80, 12);
    assert!(!menu.contains("/buddy"), "{menu}");
}
