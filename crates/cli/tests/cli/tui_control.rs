//! Run control in the real binary: Ctrl+C, the quit window, "No" ending the turn, the approval modal on a
//! small terminal, and the resume hint on exit.

use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, keys};
use serde_json::json;
use std::time::Duration;

use crate::tui::start;

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn escape_and_ctrl_c_interrupt_a_run_and_do_not_quit() {
    for key in [keys::ESC, keys::CTRL_C] {
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
        session.send(key);
        let screen = session.wait_for("Interrupted. Tell Claurst what to do instead.", WAIT);
        assert!(!screen.contains("Working…"), "{key:?}: {screen}");
        // Still running: the interface answers a new prompt.
        api.push(Reply::stream(Turn::text_only("Back again.")));
        session.type_text("hello");
        session.send(keys::ENTER);
        session.wait_for("Back again.", WAIT);
    }
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

/// The raw bytes the interface wrote, as text.
fn raw(session: &PtySession) -> String {
    String::from_utf8_lossy(&session.raw_output()).into_owned()
}

#[test]
fn a_finished_run_and_an_approval_while_unfocused_notify_through_osc9() {
    let project = TempProject::new();
    project.write_home(".claurst/config.toml", "[ui]\nnotifications = \"osc9\"\nnotify_after_secs = 0\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("All done.")));
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "write_file",
        json!({"path": "a.txt", "content": "x"}),
    )));
    let mut session = start(&project, &api, 24, 80);
    assert!(raw(&session).contains("\x1b[?1004h"), "focus reporting is asked for");

    session.type_text("work");
    session.send(keys::ENTER);
    session.wait_for("All done.", WAIT);
    session.wait_for_raw(b"\x1b]9;Claurst is done", WAIT);

    // The terminal says it lost focus (`CSI O`): an approval now asks for attention.
    session.send("\x1b[O");
    session.type_text("write a file");
    session.send(keys::ENTER);
    session.wait_for("Allow write_file?", WAIT);
    session.wait_for_raw(b"\x1b]9;Claurst needs your approval", WAIT);
}

#[test]
fn the_bell_rings_when_asked_and_nothing_is_written_when_off() {
    for (mode, rings) in [("bell", true), ("off", false)] {
        let project = TempProject::new();
        let config = format!("[ui]\nnotifications = \"{mode}\"\nnotify_after_secs = 0\n");
        project.write_home(".claurst/config.toml", config);
        let api = MockApi::start();
        api.push(Reply::stream(Turn::text_only("All done.")));
        let mut session = start(&project, &api, 24, 80);
        session.type_text("work");
        session.send(keys::ENTER);
        session.wait_for("All done.", WAIT);
        // The notification is written when the run's end is handled, before the frame that drops the busy line.
        session.wait_until("the run to end", WAIT, |screen| !screen.contains("Working"));
        if rings {
            session.wait_for_raw(b"\x07", WAIT);
        } else {
            assert!(!raw(&session).contains('\x07'), "notifications are off: no bell, no OSC 9");
        }
    }
}

/// Attack: a cloned repository ships `.claurst.toml` naming a status line command. Starting the interface in it
/// must not run that command (it would run with no approval and no sandbox); the user is told it was ignored.
#[test]
fn a_repositorys_status_line_command_never_runs() {
    let project = TempProject::new();
    let marker = project.path("markers/statusline");
    std::fs::create_dir_all(project.path("markers")).unwrap();
    project.write(".claurst.toml", format!("[ui]\nstatusline = \"touch {}\"\n", marker.display()));
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Hello.")));
    let mut session = start(&project, &api, 30, 120);
    session.wait_for("ui.statusline", WAIT);
    // Status changes (a run, its cost and context) are what re-run a status line command.
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("Hello.", WAIT);
    assert!(!marker.exists(), "the repository's status line command ran");
}
