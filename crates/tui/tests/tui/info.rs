//! The first screen and the informational commands: welcome, the `?` sheet, `/context`, `/doctor`, `/help`.

use crate::{app, assert_screen, key_ops, options, screen, session_info, type_keys};
use claurst_protocol::{AgentEvent, ContextCategory, ContextKind, ContextUsage, ReportKind};
use claurst_tui::{App, FileIndex, Theme, TuiOptions};
use crossterm::event::KeyCode;

/// Both sizes every new screen is checked at.
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

fn welcome_app() -> App {
    let options = TuiOptions { welcome: true, version: "0.1.0".into(), ..options() };
    let mut app = App::new(&options, Theme::monochrome(), FileIndex::from_files(Vec::new()));
    app.handle_agent_event(AgentEvent::SessionStarted(session_info()));
    app
}

fn context_usage() -> ContextUsage {
    let category = |kind, tokens| ContextCategory { kind, tokens };
    ContextUsage {
        model: "claude-sonnet-4-5".into(),
        window: 200_000,
        categories: vec![
            category(ContextKind::SystemPrompt, 3_100),
            category(ContextKind::Tools, 11_800),
            category(ContextKind::Instructions, 1_250),
            category(ContextKind::McpTools, 4_400),
            category(ContextKind::Messages, 38_000),
        ],
        reserved: 30_000,
    }
}

const DOCTOR: &str = "Claurst 0.1.0 health check
  binary: /usr/local/bin/claurst
  config: OK /home/u/.claurst/config.toml
  config: ERROR /work/app/.claurst.toml: [tools] permission_mode: unknown mode `sometimes`
  provider: anthropic at https://api.anthropic.com
  API key: OK, from the ANTHROPIC_API_KEY environment variable
  API: OK (the endpoint answered)
  sandbox: OK (Landlock and seccomp work here)
  MCP github: connected (12 tools)
  hooks: 2 configured, all run
  rg: OK (/usr/bin/rg)
  git: OK (/usr/bin/git)";

#[test]
fn welcome_screen() {
    for (width, height) in SIZES {
        let mut app = welcome_app();
        assert_screen!(format!("welcome_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn the_welcome_is_transcript_content_and_scrolls_away() {
    let mut app = welcome_app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "hello".into() });
    let long: String = (1..=30).map(|n| format!("line {n}\n\n")).collect();
    app.handle_agent_event(AgentEvent::TextDelta { text: long });
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("Welcome to Claurst"), "{text}");
    assert!(text.contains("line 30"), "{text}");
}

#[test]
fn shortcut_sheet() {
    for (width, height) in SIZES {
        let mut app = app();
        key_ops(&mut app, KeyCode::Char('?'));
        assert_screen!(format!("shortcut_sheet_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn the_sheet_closes_on_esc_and_on_a_key_that_is_then_typed() {
    let mut app = app();
    key_ops(&mut app, KeyCode::Char('?'));
    assert!(screen(&mut app, 80, 24).contains("keyboard shortcuts"));
    key_ops(&mut app, KeyCode::Esc);
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("keyboard shortcuts") && !text.contains("› ?"), "{text}");
    key_ops(&mut app, KeyCode::Char('?'));
    key_ops(&mut app, KeyCode::Char('x'));
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("keyboard shortcuts") && text.contains("› x"), "{text}");
    // With text in the prompt, `?` is typed.
    key_ops(&mut app, KeyCode::Char('?'));
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("keyboard shortcuts") && text.contains("› x?"), "{text}");
}

#[test]
fn context_grid() {
    for (width, height) in SIZES {
        let mut app = app();
        type_keys(&mut app, "/context");
        let ops = key_ops(&mut app, KeyCode::Enter);
        assert_eq!(ops, [claurst_protocol::Op::Report(ReportKind::Context)]);
        app.handle_agent_event(AgentEvent::ContextUsage(context_usage()));
        assert_screen!(format!("context_grid_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn doctor_report() {
    for (width, height) in SIZES {
        let mut app = app();
        type_keys(&mut app, "/doctor");
        let ops = key_ops(&mut app, KeyCode::Enter);
        assert_eq!(ops, [claurst_protocol::Op::Report(ReportKind::Doctor)]);
        app.handle_agent_event(AgentEvent::Report { kind: ReportKind::Doctor, text: DOCTOR.into() });
        assert_screen!(format!("doctor_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn help_listing() {
    for (width, height) in SIZES {
        let mut app = app();
        type_keys(&mut app, "/help");
        key_ops(&mut app, KeyCode::Enter);
        assert_screen!(format!("help_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn release_notes_show_this_version() {
    let mut app = app();
    type_keys(&mut app, "/release-notes");
    key_ops(&mut app, KeyCode::Enter);
    let text = crate::notices(&app);
    assert!(text.starts_with(&format!("Claurst {}", env!("CARGO_PKG_VERSION"))), "{text}");
}

#[test]
fn add_dir_needs_a_path_and_sends_it() {
    let mut app = app();
    type_keys(&mut app, "/add-dir");
    assert!(key_ops(&mut app, KeyCode::Enter).is_empty());
    assert!(crate::notices(&app).contains("/add-dir <path>"));
    type_keys(&mut app, "/add-dir ../shared");
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [claurst_protocol::Op::AddDirectory("../shared".into())]);
}
