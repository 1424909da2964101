//! The real binary in a pseudo-terminal: edits drawn as diffs, and `/theme` saved across restarts.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn start(project: &TempProject, api: &MockApi) -> PtySession {
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), 30, 100);
    session.wait_for("ctx 0%", WAIT);
    session
}

#[test]
fn an_approved_edit_shows_its_summary_and_numbered_lines() {
    let project = TempProject::new();
    project.write("src/greet.rs", "fn greet() {\n    println!(\"helo\");\n}\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "read_file", json!({"path": "src/greet.rs"}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "t2",
        "edit_file",
        json!({"path": "src/greet.rs", "old_string": "helo", "new_string": "hello"}),
    )));
    api.push(Reply::stream(Turn::text_only("Fixed the typo.")));
    let mut session = start(&project, &api);
    session.type_text("fix the typo");
    session.send(keys::ENTER);
    session.wait_for("Allow edit_file?", WAIT);
    session.send("1");
    let screen = session.wait_until("the edit's diff in the transcript", WAIT, |screen| {
        screen.contains("Fixed the typo.") && screen.contains("Added 1 line, removed 1 line")
    });
    // Old and new line numbers beside each changed line.
    assert!(screen.contains("2   -     println!(\"helo\");"), "{screen}");
    assert!(screen.contains("  2 +     println!(\"hello\");"), "{screen}");
    assert!(screen.contains("Read 3 lines"), "the read is summarised in one line: {screen}");
    assert_eq!(project.read("src/greet.rs"), "fn greet() {\n    println!(\"hello\");\n}\n");
}

#[test]
fn theme_light_is_saved_and_used_after_a_restart() {
    let project = TempProject::new();
    project.write_home(".claurst/config.toml", "# my settings\n[ui]\noutput_style = \"default\"\n");
    let api = MockApi::start();
    let mut session = start(&project, &api);
    session.type_text("/theme light");
    session.send(keys::ENTER);
    session.wait_for("Theme: light", WAIT);
    let saved = std::fs::read_to_string(project.home().join(".claurst/config.toml")).unwrap();
    assert!(saved.starts_with("# my settings\n[ui]\noutput_style = \"default\"\n"), "{saved}");
    assert!(saved.contains("theme = \"light\""), "{saved}");
    session.send(keys::CTRL_D);
    session.wait_exit(WAIT);

    let mut again = start(&project, &api);
    again.type_text("/theme ");
    let menu = again.wait_for("themes (preview)", WAIT);
    assert!(menu.contains("light      Dark text on a light terminal · current"), "{menu}");
}
