//! Custom commands, skills and output styles in the interface: the menu, `/help`, `/skills`, `/output-style`.

use crate::{app, assert_screen, notices, screen};
use crate::{key_ops as key, type_keys as type_text};
use claurst_protocol::{AgentEvent, ExtensionCommandView, ExtensionKind, Op, OutputStyleView, SessionInfo};
use claurst_tui::App;
use crossterm::event::KeyCode;

fn view(
    name: &str,
    arguments: &str,
    description: &str,
    kind: ExtensionKind,
    scope: &str,
) -> ExtensionCommandView {
    ExtensionCommandView {
        name: name.into(),
        arguments: arguments.into(),
        description: description.into(),
        kind,
        scope: scope.into(),
    }
}

/// An app whose session found two custom commands, a skill and a style file.
fn app_with_extensions() -> App {
    let mut app = app();
    app.handle_agent_event(AgentEvent::SessionStarted(SessionInfo {
        tools: vec!["bash".into(), "skill".into()],
        commands: vec![
            view("review", "[focus]", "Review the staged diff", ExtensionKind::Command, "project"),
            view(
                "frontend:test",
                "<file>",
                "Run one frontend test",
                ExtensionKind::Command,
                "user (.claude)",
            ),
            view("pdf-forms", "[request]", "Fill in PDF forms", ExtensionKind::Skill, "project (.claude)"),
        ],
        output_styles: vec![
            OutputStyleView { name: "default".into(), description: "Brief".into(), scope: "built-in".into() },
            OutputStyleView { name: "pirate".into(), description: "Arr".into(), scope: "project".into() },
        ],
        ..crate::session_info()
    }));
    app
}

#[test]
fn the_menu_shows_built_in_custom_and_skill_entries_with_their_source() {
    let mut app = app_with_extensions();
    type_text(&mut app, "/");
    // The end of the list (Up from the first entry wraps to it): the last built-ins, then the files' commands.
    key(&mut app, KeyCode::Up);
    assert_screen!("extensions_menu_all", screen(&mut app, 100, 16));
    let mut app = app_with_extensions();
    type_text(&mut app, "/re");
    assert_screen!("extensions_menu_filtered", screen(&mut app, 100, 12));
}

#[test]
fn a_custom_command_is_sent_by_name_with_its_arguments() {
    let mut app = app_with_extensions();
    type_text(&mut app, "/frontend:test src/App.test.tsx now");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Op::RunCommand { name: "frontend:test".into(), arguments: "src/App.test.tsx now".into() }]
    );
    type_text(&mut app, "/pdf-forms fill the W-9");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Op::RunCommand { name: "pdf-forms".into(), arguments: "fill the W-9".into() }]
    );
}

#[test]
fn help_skills_and_output_style_list_what_the_session_found() {
    let mut app = app_with_extensions();
    type_text(&mut app, "/help");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "/skills");
    // The session answers from every skill it loaded (the menu leaves out a skill a command shadows).
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::Report(claurst_protocol::ReportKind::Skills)]);
    type_text(&mut app, "/output-style");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    let text = notices(&app);
    assert!(text.contains("Review the staged diff (project)"), "{text}");
    assert!(text.contains("/memory [edit]") && text.contains("/dream"), "{text}");
    assert!(text.contains("● default") && text.contains("pirate"), "{text}");
    type_text(&mut app, "/output-style pirate");
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::SetOutputStyle("pirate".into())]);
}

#[test]
fn output_style_and_a_space_opens_a_menu_that_picks() {
    let mut app = app_with_extensions();
    type_text(&mut app, "/output-style ");
    assert_screen!("output_style_menu", screen(&mut app, 80, 10));
    key(&mut app, KeyCode::Down);
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::SetOutputStyle("pirate".into())]);
}
