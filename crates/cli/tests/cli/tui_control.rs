//! Run control in the real binary: Ctrl+C, the quit window, "No" ending the turn, the approval modal on a
//! small terminal, and the resume hint on exit.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn start(project: &TempProject, api: &MockApi, rows: u16, cols: u16) -> PtySession {
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), rows, cols);
    session.wait_for("ctx 0%", WAIT);
    session
}

#[test]
fn ctrl_c_interrupts_a_run_and_does_not_quit() {
    let project = TempProject::new();
    let api = MockApi::start();
    let long = "word ".repeat(200);
    api.push(
        Reply::stream(Turn::text_only(&long))
            .chunked_every(40)
            .delay_between_chunks(Duration::from_millis(100)),
    );
    let mut session = start(&project, &api, 24, 80);
    session.type_text("talk a lot");
    session.send(keys::ENTER);
    session.wait_for("● word", WAIT);
    session.send(keys::CTRL_C);
    let screen = session.wait_for("Interrupted. Tell Claurst what to do instead.", WAIT);
    assert!(!screen.contains("Working…"), "{screen}");
    // Still running: the interface answers a new prompt.
    api.push(Reply::stream(Turn::text_only("Back again.")));
    session.type_text("hello");
    session.send(keys::ENTER);
    session.wait_for("Back again.", WAIT);
}

#[test]
fn a_single_ctrl_c_after_the_hint_is_gone_does_not_quit_and_two_within_it_do() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 24, 80);
    session.send(keys::CTRL_C);
    session.wait_for("Press Ctrl+C again to quit", WAIT);
    session.wait_until("the hint to go", WAIT, |screen| !screen.contains("again to quit"));
    // The window closed with the hint: this press only shows the hint again.
    session.send(keys::CTRL_C);
    session.wait_for("Press Ctrl+C again to quit", WAIT);
    session.type_text("still here");
    session.wait_for("› still here", WAIT);
    session.send(keys::CTRL_C);
    session.wait_until("the prompt cleared", WAIT, |screen| !screen.contains("still here"));
    session.send(keys::CTRL_C);
    session.wait_for("Press Ctrl+C again to quit", WAIT);
    session.send(keys::CTRL_C);
    assert_eq!(session.wait_exit(WAIT), 0);
}

#[test]
fn no_refuses_the_call_and_ends_the_turn() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm -rf build"})).tool_use(
        "t2",
        "bash",
        json!({"command": "rm -rf dist"}),
    )));
    api.push(Reply::stream(Turn::text_only("Fine, cleaning with make instead.")));
    let mut session = start(&project, &api, 30, 100);
    session.type_text("clean up");
    session.send(keys::ENTER);
    session.wait_for("Allow bash?", WAIT);
    session.send("n");
    let screen = session.wait_until("the turn to end", WAIT, |screen| {
        screen.contains("What should Claurst do instead?") && !screen.contains("Working…")
    });
    assert!(screen.contains("Refused by you"), "{screen}");
    assert!(!screen.contains("Wait for the user"), "the model's text is not shown: {screen}");
    assert!(!screen.contains("Allow bash?"), "the second call is not asked about: {screen}");
    assert_eq!(api.requests().len(), 1, "the model is not called again after No");
    assert_eq!(api.pending(), 1);
    // The conversation stays well-formed: the next prompt carries a result for each call.
    session.type_text("use make clean");
    session.send(keys::ENTER);
    session.wait_for("cleaning with make instead", WAIT);
    let requests = api.requests();
    let results = &requests[1].body["messages"][2]["content"];
    assert_eq!(results[0]["tool_use_id"], "t1");
    assert_eq!(results[0]["is_error"], true);
    assert!(results[0]["content"].to_string().contains("refused"), "{results}");
    assert_eq!(results[1]["tool_use_id"], "t2");
    assert!(results[1]["content"].to_string().contains("Not run"), "{results}");
}

#[test]
fn tab_refuses_with_a_note_and_the_turn_goes_on() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm -rf build"}))));
    api.push(Reply::stream(Turn::text_only("Understood, I will use make clean.")));
    let mut session = start(&project, &api, 30, 100);
    session.type_text("clean up");
    session.send(keys::ENTER);
    session.wait_for("Allow bash?", WAIT);
    session.send(keys::TAB);
    session.type_text("use make clean");
    session.send(keys::ENTER);
    let screen = session.wait_for("Understood, I will use make clean.", WAIT);
    assert!(screen.contains("You refused: use make clean"), "{screen}");
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert!(result["content"].to_string().contains("use make clean"), "{result}");
}

#[test]
fn a_long_write_shows_every_option_at_80x24_and_its_preview_scrolls() {
    let project = TempProject::new();
    let api = MockApi::start();
    let content: String = (1..=60).map(|n| format!("row {n:02} of sixty\n")).collect();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "write_file",
        json!({"path": "sixty.txt", "content": content}),
    )));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("write sixty rows");
    session.send(keys::ENTER);
    let modal = session.wait_for("Allow write_file?", WAIT);
    for option in ["1. Yes", "2. Yes, and don't ask again", "3. No", "tab: no"] {
        assert!(modal.contains(option), "{option}:\n{modal}");
    }
    assert!(modal.contains("row 01 of sixty") && !modal.contains("row 30 of sixty"), "{modal}");
    session.send(keys::PAGE_DOWN);
    session.send(keys::PAGE_DOWN);
    let scrolled =
        session.wait_until("the preview to scroll", WAIT, |screen| !screen.contains("row 01 of sixty"));
    assert!(scrolled.contains("3. No"), "{scrolled}");
    session.send(keys::CTRL_O);
    let whole = session.wait_for("esc or ctrl+o: back", WAIT);
    assert!(!whole.contains("3. No"), "{whole}");
    session.send(keys::ESC);
    session.wait_for("3. No", WAIT);
    session.send("y");
    session.wait_until("the file written", WAIT, |_| project.path("sixty.txt").exists());
}

#[test]
fn the_resume_hint_is_printed_after_the_terminal_is_restored() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Noted.")));
    let mut session = start(&project, &api, 24, 80);
    session.type_text("remember this");
    session.send(keys::ENTER);
    session.wait_for("Noted.", WAIT);
    session.send(keys::CTRL_D);
    assert_eq!(session.wait_exit(WAIT), 0);
    let raw = String::from_utf8_lossy(&session.raw_output()).into_owned();
    let left = raw.rfind("\x1b[?1049l").expect("alternate screen left");
    let hint = raw.rfind("Resume this session with: claurst -r ").expect("the hint is printed");
    assert!(hint > left, "printed on the normal screen, after the interface is gone");
    assert!(raw.contains("\x1b[?1004l"), "focus reporting turned off");
}

#[test]
fn no_resume_hint_for_an_empty_session() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 24, 80);
    session.send(keys::CTRL_D);
    assert_eq!(session.wait_exit(WAIT), 0);
    let raw = String::from_utf8_lossy(&session.raw_output()).into_owned();
    assert!(!raw.contains("Resume this session"), "{raw}");
}
