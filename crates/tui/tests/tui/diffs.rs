//! Diffs, one-line tool summaries, framed code blocks and the palettes: snapshots at 80×24 and 200×60, and
//! assertions on cell styles where the claim is about colour (snapshots keep only the text).

use crate::{assert_screen, screen};
use claurst_protocol::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, FileChange, ToolFinished,
};
use claurst_tui::{App, FileIndex, Theme, ThemeName};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use serde_json::json;

const EDIT: &str = "--- src/main.rs\n+++ src/main.rs\n@@ -1,5 +1,5 @@\n fn main() {\n-    let greeting = \"helo\";\n+    let greeting = \"hello\";\n     println!(\"{greeting}\");\n-    let count = 1;\n+    let count = 2;\n }\n";

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

fn themed_app(theme: Theme) -> App {
    claurst_tui::markdown::highlight::load_now();
    let mut app = App::new(&crate::options(), theme, FileIndex::from_files(Vec::new()));
    app.handle_agent_event(AgentEvent::SessionStarted(crate::session_info()));
    app
}

fn buffer(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| claurst_tui::draw(frame, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The style of the first cell of the row containing `row_text` whose symbol starts `word`.
fn cell_at(buffer: &Buffer, row_text: &str, word: &str) -> ratatui::buffer::Cell {
    let area = buffer.area;
    for y in 0..area.height {
        let row: String = (0..area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect();
        if let Some(byte) = row.find(row_text).and_then(|at| row[at..].find(word).map(|inner| at + inner)) {
            let x = row[..byte].chars().count() as u16;
            return buffer[(x, y)].clone();
        }
    }
    panic!("`{row_text}` not on screen");
}

fn finish(app: &mut App, id: &str, name: &str, output: &str, summary: &str, change: Option<FileChange>) {
    app.handle_agent_event(AgentEvent::ToolCallStarted { id: id.into() });
    app.handle_agent_event(AgentEvent::ToolCallFinished(ToolFinished {
        id: id.into(),
        name: name.into(),
        output: output.into(),
        is_error: false,
        duration_ms: 120,
        summary: summary.into(),
        change,
    }));
}

fn edited(theme: Theme) -> App {
    let mut app = themed_app(theme);
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "fix the greeting".into() });
    app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call(
        "t1",
        "edit_file",
        json!({"path": "src/main.rs", "old_string": "helo", "new_string": "hello"}),
    )));
    let change = FileChange { path: "src/main.rs".into(), diff: EDIT.into() };
    finish(&mut app, "t1", "edit_file", "Edited src/main.rs (1 place changed).", "", Some(change));
    app
}

#[test]
fn an_edit_in_the_transcript_shows_numbers_summary_and_changed_words() {
    for (width, height) in SIZES {
        let mut app = edited(Theme::monochrome());
        assert_screen!(format!("edit_diff_{width}x{height}"), screen(&mut app, width, height));
    }
    let theme = Theme::colored();
    let mut app = edited(theme);
    let screen = buffer(&mut app, 80, 24);
    // The whole added line has the added background, the changed word a stronger one.
    let line = cell_at(&screen, "2 + ", "let");
    assert_eq!(line.bg, theme.diff_added_line().bg.unwrap());
    let word = cell_at(&screen, "2 + ", "hello");
    assert_eq!(word.bg, theme.diff_added_word().bg.unwrap());
    let removed = cell_at(&screen, "2   - ", "helo");
    assert_eq!(removed.bg, theme.diff_removed_word().bg.unwrap());
    assert_ne!(line.bg, word.bg);
}

#[test]
fn an_approval_previews_the_diff() {
    for (width, height) in SIZES {
        let mut app = themed_app(Theme::monochrome());
        let call = crate::call("t9", "edit_file", json!({"path": "src/main.rs"}));
        app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
        let (responder, _) = ApprovalResponder::channel();
        app.handle_agent_event(AgentEvent::ApprovalRequested(ApprovalRequest {
            call,
            title: "edit_file(src/main.rs)".into(),
            detail: ApprovalDetail::Diff { path: "src/main.rs".into(), diff: EDIT.into() },
            suggested_rule: "edit_file".into(),
            responder,
        }));
        assert_screen!(format!("approval_diff_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn a_wide_line_wraps_under_a_blank_gutter() {
    let long = format!("    let message = \"{}\";", "a long sentence that keeps going ".repeat(6));
    let diff =
        format!("--- notes.rs\n+++ notes.rs\n@@ -1,1 +1,1 @@\n-    let message = \"short\";\n+{long}\n");
    let mut app = themed_app(Theme::monochrome());
    app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call(
        "t1",
        "edit_file",
        json!({"path": "notes.rs"}),
    )));
    finish(
        &mut app,
        "t1",
        "edit_file",
        "Edited notes.rs.",
        "",
        Some(FileChange { path: "notes.rs".into(), diff }),
    );
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("going \";"), "the end of the line is shown, not cut:\n{shown}");
    assert_screen!("wrapped_diff_80x24", shown);
}

#[test]
fn a_new_file_shows_all_added() {
    let diff = "--- /dev/null\n+++ src/lib.rs\n@@ -0,0 +1,3 @@\n+pub fn add(a: i32, b: i32) -> i32 {\n+    a + b\n+}\n";
    for (width, height) in SIZES {
        let mut app = themed_app(Theme::monochrome());
        app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call(
            "t1",
            "write_file",
            json!({"path": "src/lib.rs", "content": "pub fn add"}),
        )));
        let change = FileChange { path: "src/lib.rs".into(), diff: diff.into() };
        finish(
            &mut app,
            "t1",
            "write_file",
            "Created src/lib.rs (3 lines).",
            "Created src/lib.rs (3 lines)",
            Some(change),
        );
        assert_screen!(format!("new_file_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn a_tool_result_is_one_line_until_ctrl_o() {
    for (width, height) in SIZES {
        let mut app = themed_app(Theme::monochrome());
        app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call(
            "t1",
            "bash",
            json!({"command": "cargo test"}),
        )));
        let output: String = (1..=54).map(|n| format!("test case_{n} ... ok\n")).collect();
        finish(&mut app, "t1", "bash", &output, "Ran `cargo test` (exit 0, 54 lines)", None);
        let collapsed = screen(&mut app, width, height);
        assert!(!collapsed.contains("case_1 "), "{collapsed}");
        assert_screen!(format!("summary_collapsed_{width}x{height}"), collapsed);
        app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL)));
        let expanded = screen(&mut app, width, height);
        assert!(expanded.contains("case_54 ... ok"), "{expanded}");
        assert_screen!(format!("summary_expanded_{width}x{height}"), expanded);
    }
}

#[test]
fn a_code_block_is_framed_with_its_language() {
    for (width, height) in SIZES {
        let mut app = themed_app(Theme::monochrome());
        app.handle_agent_event(AgentEvent::RunStarted { prompt: "show me".into() });
        app.handle_agent_event(AgentEvent::TextDelta {
            text: "Here it is:\n\n```python\ndef greet(name):\n    return f\"hi {name}\"\n```\n\nDone."
                .into(),
        });
        assert_screen!(format!("code_block_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn the_theme_menu_previews_the_highlighted_palette() {
    for (width, height) in SIZES {
        let mut app = edited(Theme::monochrome());
        crate::type_keys(&mut app, "/theme");
        crate::key_ops(&mut app, KeyCode::Enter);
        crate::key_ops(&mut app, KeyCode::Down);
        assert_eq!(app.shown_theme().name(), ThemeName::Light);
        assert_eq!(app.theme().name(), ThemeName::Dark, "previewing changes nothing yet");
        assert_screen!(format!("theme_picker_{width}x{height}"), screen(&mut app, width, height));
    }
    let mut app = edited(Theme::colored());
    crate::type_keys(&mut app, "/theme ");
    crate::key_ops(&mut app, KeyCode::Down);
    let screen = buffer(&mut app, 80, 24);
    let line = cell_at(&screen, "2 + ", "let");
    assert_eq!(line.bg, Theme::colored().with_name(ThemeName::Light).diff_added_line().bg.unwrap());
    crate::key_ops(&mut app, KeyCode::Esc);
    assert_eq!(app.shown_theme().name(), ThemeName::Dark, "esc leaves the palette as it was");
}

#[test]
fn the_light_and_colour_blind_palettes_apply_everywhere() {
    for name in [ThemeName::Light, ThemeName::ColorBlind] {
        let theme = Theme::colored().with_name(name);
        let mut app = edited(theme);
        for (width, height) in SIZES {
            assert_screen!(
                format!("palette_{}_{width}x{height}", name.as_str()),
                screen(&mut app, width, height)
            );
        }
        let screen = buffer(&mut app, 80, 24);
        assert_eq!(cell_at(&screen, "2 + ", "let").bg, theme.diff_added_line().bg.unwrap());
        assert_eq!(cell_at(&screen, "2 + ", "+").fg, theme.diff_added().fg.unwrap());
    }
    // Colour-blind: additions are blue and removals orange, never green and red.
    let blind = Theme::colored().with_name(ThemeName::ColorBlind);
    let Some(Color::Rgb(red, green, blue)) = blind.diff_added().fg else { panic!("an RGB colour") };
    assert!(blue > red && blue > green, "additions are blue");
    let Some(Color::Rgb(red, green, blue)) = blind.diff_removed().fg else { panic!("an RGB colour") };
    assert!(red > green && green > blue, "removals are orange");
}

#[test]
fn without_colour_nothing_is_coloured_and_changed_words_stand_out() {
    let mut app = edited(Theme::monochrome());
    let screen = buffer(&mut app, 80, 24);
    for cell in screen.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let word = cell_at(&screen, "2 + ", "hello");
    assert!(word.modifier.contains(ratatui::style::Modifier::UNDERLINED));
}

#[test]
fn theme_by_name_applies_and_asks_to_be_saved() {
    let mut app = themed_app(Theme::monochrome());
    crate::type_keys(&mut app, "/theme colorblind");
    let (effects, _) =
        app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(
        matches!(
            effects.as_slice(),
            [claurst_tui::Effect::Send(claurst_protocol::Op::SaveUserSetting(
                claurst_protocol::UserSetting::Theme(name)
            ))] if name == "colorblind"
        ),
        "{effects:?}"
    );
    assert_eq!(app.theme().name(), ThemeName::ColorBlind);
    crate::type_keys(&mut app, "/theme neon");
    crate::key_ops(&mut app, KeyCode::Enter);
    assert!(crate::notices(&app).contains("Unknown theme `neon`"));
}
