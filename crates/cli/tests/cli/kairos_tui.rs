//! KAIROS in the real interface: the pane, a tick drawn as KAIROS's, a file it sends you (with the terminal
//! notification), the day's log, and pause/resume, typed as a user would in a pseudo-terminal.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

fn start(project: &TempProject, api: &MockApi) -> PtySession {
    project.write_home(
        ".claurst/config.toml",
        "[kairos]\ntick_interval_secs = 1\n\n[ui]\nnotifications = \"osc9\"\nnotify_after_secs = 0\n",
    );
    let mut command = claurst_pty_command(Path::new(BIN), project, Some(api));
    command.arg("--kairos");
    let session = PtySession::spawn(command, 40, 120);
    session.wait_for("ctx 0%", WAIT);
    session
}

fn type_command(session: &mut PtySession, command: &str) {
    session.type_text(command);
    session.send(keys::ENTER);
}

#[test]
fn a_tick_sends_a_file_the_log_keeps_it_and_kairos_pauses_and_resumes() {
    let project = TempProject::new();
    project.write("report.md", "# Report\nTwo tests are flaky.\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "s1",
        "send_user_file",
        json!({"path": "report.md", "message": "look at this"}),
    )));
    api.push(Reply::stream(Turn::text_only("Sent you the report.")));
    let mut session = start(&project, &api);
    session.wait_for("next tick", WAIT);

    // A change wakes KAIROS; its run is drawn as a tick, not as something the user typed.
    project.write("notes.txt", "flaky: a, b\n");
    let screen = session.wait_for("Sent you the report.", WAIT);
    assert!(screen.contains("◆ KAIROS tick 1"), "{screen}");
    assert!(!screen.contains("› KAIROS"), "{screen}");
    assert!(screen.contains("KAIROS sent you a file:") && screen.contains("│ # Report"), "{screen}");
    session.wait_for_raw(b"\x1b]9;KAIROS sent you report.md: look at this", WAIT);
    let copies = project.home().join(".claurst/kairos");
    let copied = walk(&copies)
        .into_iter()
        .any(|path| path.ends_with("report.md") && path.to_string_lossy().contains("/files/"));
    assert!(copied, "a copy is kept beside the day's log: {:?}", walk(&copies));
    let prompt = api.requests()[0].body["messages"][0]["content"][0]["text"].as_str().unwrap().to_string();
    assert!(prompt.contains("notes.txt"), "{prompt}");

    type_command(&mut session, "/kairos log");
    let screen = session.wait_for("KAIROS log ·", WAIT);
    assert!(screen.contains("report.md"), "the log names the sent file: {screen}");
    // The tick's run ended long before the log came back: a tick never calls the user back as "done".
    let raw = String::from_utf8_lossy(&session.raw_output()).into_owned();
    assert!(!raw.contains("Claurst is done and waiting"), "a tick's end notified the user");

    type_command(&mut session, "/kairos pause");
    session.wait_for("⏸ paused · /kairos resume", WAIT);
    type_command(&mut session, "/kairos resume");
    session.wait_for("KAIROS resumed", WAIT);
    assert_eq!(api.requests().len(), 2, "only the tick called the model");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { walk(&path) } else { vec![path] }
        })
        .collect()
}
