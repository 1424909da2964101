//! The real binary in a pseudo-terminal: keys in, screen out.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// The interface in a `rows` × `cols` pseudo-terminal, once its first frame is up.
pub(crate) fn start(project: &TempProject, api: &MockApi, rows: u16, cols: u16) -> PtySession {
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), rows, cols);
    session.wait_for("ctx 0%", WAIT);
    session
}

#[test]
fn a_typed_prompt_gets_a_streamed_answer() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Hello from **Claurst**, streamed in pieces.")).chunked_every(20));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("say hello");
    session.send(keys::ENTER);
    let screen = session.wait_for("streamed in pieces.", WAIT);
    assert!(screen.contains("› say hello"), "{screen}");
    assert!(screen.contains("● Hello from Claurst"), "{screen}");
    assert_eq!(api.requests()[0].body["messages"][0]["content"][0]["text"], "say hello");
}

#[test]
fn approving_a_bash_call_with_the_keyboard_runs_it() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "bash",
        json!({"command": "echo made > approved.txt && echo done-writing"}),
    )));
    api.push(Reply::stream(Turn::text_only("The file is written.")));
    let mut session = start(&project, &api, 30, 100);
    session.type_text("write the file");
    session.send(keys::ENTER);
    let modal = session.wait_for("Allow bash?", WAIT);
    assert!(modal.contains("echo made > approved.txt"), "{modal}");
    assert!(modal.contains("1. Yes"), "{modal}");
    session.send("1");
    let screen = session.wait_for("The file is written.", WAIT);
    assert!(screen.contains("(exit 0, 1 line)"), "the tool's outcome is summarised: {screen}");
    assert_eq!(project.read("approved.txt"), "made\n");
}

#[test]
fn denying_a_call_with_a_note_tells_the_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm -rf build"}))));
    api.push(Reply::stream(Turn::text_only("Understood, I will not delete it.")));
    let mut session = start(&project, &api, 30, 100);
    session.type_text("clean up");
    session.send(keys::ENTER);
    session.wait_for("Allow bash?", WAIT);
    session.send(keys::TAB);
    session.type_text("keep the build");
    session.send(keys::ENTER);
    let screen = session.wait_for("Understood", WAIT);
    assert!(screen.contains("You refused: keep the build"), "{screen}");
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert_eq!(result["is_error"], true);
}

#[test]
fn resizing_rewraps_the_screen() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu",
    )));
    let mut session = start(&project, &api, 24, 100);
    session.type_text("greek");
    session.send(keys::ENTER);
    session.wait_for("lambda mu", WAIT);
    session.resize(24, 40);
    let screen = session.wait_until("the reply rewrapped to 40 columns", WAIT, |screen| {
        screen.lines().any(|line| line.trim_end() == "● alpha beta gamma delta epsilon zeta")
    });
    assert!(screen.lines().all(|line| line.chars().count() <= 40), "{screen}");
}

#[test]
fn quitting_restores_the_terminal() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 24, 80);
    assert!(session.on_alternate_screen());
    session.send(keys::CTRL_D);
    assert_eq!(session.wait_exit(WAIT), 0);
    assert!(!session.on_alternate_screen(), "left the alternate screen");
    let raw = String::from_utf8_lossy(&session.raw_output()).into_owned();
    let tail = &raw[raw.rfind("\x1b[?1049l").expect("alternate screen left")..];
    assert!(tail.contains("\x1b[?25h"), "cursor shown again");
    assert!(raw.contains("\x1b[?1000l"), "mouse reporting turned off");
}

#[test]
fn raw_mode_is_undone_after_exit() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut command = claurst_pty_command(Path::new("/bin/sh"), &project, Some(&api));
    command.arg("-c");
    command.arg(format!("{BIN}; echo EXIT=$?; stty -a"));
    let mut session = PtySession::spawn(command, 24, 120);
    session.wait_for("ctx 0%", WAIT);
    session.send(keys::CTRL_C);
    session.send(keys::CTRL_C);
    session.wait_exit(WAIT);
    let screen = session.screen();
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains(" icanon") && screen.contains(" echo"), "cooked mode restored: {screen}");
}

#[test]
fn denying_an_edit_shows_its_diff_and_leaves_the_file() {
    let project = TempProject::new();
    project.write("src/greet.rs", "fn greet() {\n    println!(\"helo\");\n}\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "read_file", json!({"path": "src/greet.rs"}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "t2",
        "edit_file",
        json!({"path": "src/greet.rs", "old_string": "helo", "new_string": "hello"}),
    )));
    let mut session = start(&project, &api, 30, 100);
    session.type_text("fix the typo");
    session.send(keys::ENTER);
    // The whole modal, diff included, is on screen before the answer.
    session.wait_until("the edit's diff in the approval modal", WAIT, |screen| {
        screen.contains("Allow edit_file?")
            && screen.contains("-     println!(\"helo\");")
            && screen.contains("+     println!(\"hello\");")
    });
    session.send("n");
    session.wait_for("Refused by you", WAIT);
    assert_eq!(project.read("src/greet.rs"), "fn greet() {\n    println!(\"helo\");\n}\n");
}

#[test]
fn sigterm_restores_the_terminal() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 24, 80);
    let pid = session.pid().unwrap();
    std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    session.wait_exit(WAIT);
    assert!(!session.on_alternate_screen(), "left the alternate screen");
    let raw = String::from_utf8_lossy(&session.raw_output()).into_owned();
    assert!(raw.rfind("\x1b[?1049l").is_some_and(|left| raw[left..].contains("\x1b[?25h")), "cursor shown");
}

#[test]
fn memory_edit_opens_the_instructions_in_the_editor() {
    let project = TempProject::new();
    let editor = project.write("editor.sh", "#!/bin/sh\necho 'Use tabs.' >> \"$1\"\n");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let api = MockApi::start();
    let mut command = claurst_pty_command(Path::new(BIN), &project, Some(&api));
    command.env("EDITOR", &editor);
    let mut session = PtySession::spawn(command, 24, 80);
    session.wait_for("ctx 0%", WAIT);
    // The command menu closes by itself once the text holds a space, so Enter sends the command as typed.
    session.type_text("/memory edit");
    session.send(keys::ENTER);
    session.wait_until("the instructions to be edited", WAIT, |_| {
        std::fs::read_to_string(project.path("CLAURST.md")).is_ok_and(|text| text.contains("Use tabs."))
    });
    let screen = session.wait_for("ctx 0%", WAIT);
    assert!(session.on_alternate_screen(), "the interface came back: {screen}");
}

#[test]
fn a_bang_command_runs_and_becomes_context() {
    let project = TempProject::new();
    project.write("VERSION", "1.2.3\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Version noted.")));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("!cat VERSION");
    session.send(keys::ENTER);
    session.wait_for("1.2.3", WAIT);
    session.type_text("what version is it?");
    session.send(keys::ENTER);
    session.wait_for("Version noted.", WAIT);
    let prompt = api.requests()[0].body["messages"][0].to_string();
    assert!(
        prompt.contains("cat VERSION") && prompt.contains("1.2.3") && prompt.contains("what version is it?"),
        "{prompt}"
    );
}

#[test]
fn the_cursor_sits_at_the_caret() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 24, 80);
    session.type_text("abc");
    let screen = session.wait_for("› abc", WAIT);
    let row = screen.lines().position(|line| line.starts_with("› abc")).unwrap() as u16;
    // Polled outside `wait_until`: its condition runs while the screen is locked.
    let deadline = std::time::Instant::now() + WAIT;
    while session.cursor() != (row, 5) {
        assert!(
            std::time::Instant::now() < deadline,
            "cursor at {:?}, not after the text:\n{screen}",
            session.cursor()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn clear_starts_a_new_session_and_keeps_the_old_one() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("first answer")));
    api.push(Reply::stream(Turn::text_only("second answer")));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("first");
    session.send(keys::ENTER);
    session.wait_for("first answer", WAIT);
    session.type_text("/clear");
    session.send(keys::ENTER);
    session.wait_for("Started a fresh conversation.", WAIT);
    session.type_text("second");
    session.send(keys::ENTER);
    session.wait_for("second answer", WAIT);
    assert_eq!(crate::sessions::texts(&api.requests()[1].body), ["second"], "the new session starts empty");
    assert_eq!(crate::sessions::transcripts(&project).len(), 2, "the old session is kept beside the new one");
}

#[test]
fn memory_and_dream_reports_show_in_the_transcript() {
    let project = TempProject::new();
    project.write_home(".claurst/memory/MEMORY.md", "- prefers tabs\n");
    let api = MockApi::start();
    let mut session = start(&project, &api, 30, 90);
    // Enter runs the command the menu selected.
    session.type_text("/memory");
    session.send(keys::ENTER);
    let screen = session.wait_for("MEMORY.md", WAIT);
    assert!(screen.contains("loaded into every session"), "{screen}");
    session.type_text("/dream");
    session.send(keys::ENTER);
    session.wait_until("the dream status", WAIT, |screen| screen.contains("ession"));
}

#[test]
fn switching_the_model_applies_to_the_next_request_and_is_saved() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("from opus")));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("/model claude-opus-4-6");
    session.send(keys::ENTER);
    session.wait_for("Model set to claude-opus-4-6", WAIT);
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("from opus", WAIT);
    assert_eq!(api.requests()[0].body["model"], "claude-opus-4-6");
    let files = crate::sessions::transcripts(&project);
    let transcript = std::fs::read_to_string(&files[0]).unwrap();
    assert!(transcript.contains("\"kind\":\"model_changed\""), "{transcript}");
}

#[test]
fn no_color_drops_every_colour() {
    let colour_codes = |raw: &str| raw.contains("\x1b[38;") || raw.contains("\x1b[48;");
    let project = TempProject::new();
    let api = MockApi::start();
    let coloured = start(&project, &api, 24, 80);
    assert!(colour_codes(&String::from_utf8_lossy(&coloured.raw_output())), "colour is used by default");

    let mut command = claurst_pty_command(Path::new(BIN), &project, Some(&api));
    command.env("NO_COLOR", "1");
    let plain = PtySession::spawn(command, 24, 80);
    plain.wait_for("ctx 0%", WAIT);
    let raw = String::from_utf8_lossy(&plain.raw_output()).into_owned();
    assert!(!colour_codes(&raw), "NO_COLOR output still has colour codes");
}

#[test]
fn no_interactive_answers_in_a_terminal_without_the_interface() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("plain answer")));
    let mut command = claurst_pty_command(Path::new(BIN), &project, Some(&api));
    command.args(["--no-interactive", "say it"]);
    let mut session = PtySession::spawn(command, 24, 80);
    assert_eq!(session.wait_exit(WAIT), 0);
    assert!(!session.raw_output().windows(8).any(|w| w == b"\x1b[?1049h"), "the interface never started");
    assert!(String::from_utf8_lossy(&session.raw_output()).contains("plain answer"));
}

#[test]
fn copy_sends_the_last_reply_through_osc_52() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("copy me")));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("copy me", WAIT);
    session.type_text("/copy");
    session.send(keys::ENTER);
    session.wait_for("Copied the last reply", WAIT);
    // "copy me" in base64.
    assert!(String::from_utf8_lossy(&session.raw_output()).contains("\x1b]52;c;Y29weSBtZQ==\x07"));
}

#[test]
fn cost_reports_tokens_and_dollars_per_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("answered").usage(1200, 30)));
    let mut session = start(&project, &api, 24, 100);
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("answered", WAIT);
    session.type_text("/cost");
    session.send(keys::ENTER);
    let screen = session.wait_for("Cache write", WAIT);
    assert!(
        screen.contains("claude-sonnet-4-5") && screen.contains("1,200") && screen.contains("$0.0040"),
        "{screen}"
    );
}
