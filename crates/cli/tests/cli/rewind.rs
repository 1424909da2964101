//! Checkpoints and rewind through the real binary: headless turns leave checkpoints, the interface rewinds
//! code and conversation with Esc Esc or `/rewind`, files edited outside Claurst are kept, and a headless
//! session resumed in the interface can be rewound.

use crate::{BIN, claurst, run, stdout};
use claurst_test_support::{
    MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, describe, keys,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Turn 1 creates `notes.txt`; turn 2 edits it and creates `extra.txt`.
fn script_two_turns(api: &MockApi) {
    api.push(Reply::stream(Turn::new().tool_use(
        "w1",
        "write_file",
        json!({"path": "notes.txt", "content": "first\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("Wrote the first note.")));
    script_second_turn(api);
}

fn script_second_turn(api: &MockApi) {
    api.push(Reply::stream(Turn::new().tool_use("r2", "read_file", json!({"path": "notes.txt"}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "e2",
        "edit_file",
        json!({"path": "notes.txt", "old_string": "first", "new_string": "second"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use(
        "w2",
        "write_file",
        json!({"path": "extra.txt", "content": "extra\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("Changed the note and added extra.")));
}

/// The session folders of the project (`<projects>/<project>/<session id>/`).
fn checkpoint_logs(project: &TempProject) -> Vec<PathBuf> {
    let projects = project.home().join(".claurst/projects");
    let mut logs = Vec::new();
    for dir in std::fs::read_dir(projects).unwrap().flatten() {
        for session in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let log = session.path().join("checkpoints/turns.jsonl");
            if log.is_file() {
                logs.push(log);
            }
        }
    }
    logs
}

fn records(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// Two headless turns of one session; its id.
fn headless_two_turns(project: &TempProject, api: &MockApi) -> String {
    script_two_turns(api);
    let edits = ["--permission-mode", "acceptEdits", "--output-format", "json"];
    let first = run(claurst(project, api).args(["-p", "write the first note"]).args(edits));
    assert!(first.status.success(), "{}", describe(&first));
    let second = run(claurst(project, api).args(["-c", "-p", "change the note"]).args(edits));
    assert!(second.status.success(), "{}", describe(&second));
    let result: Value = serde_json::from_str(stdout(&second).trim()).unwrap();
    result["session_id"].as_str().unwrap().to_string()
}

#[test]
fn headless_turns_leave_checkpoints_under_the_session_folder() {
    let project = TempProject::new();
    let api = MockApi::start();
    let session_id = headless_two_turns(&project, &api);
    assert_eq!(project.read("notes.txt"), "second\n");

    let logs = checkpoint_logs(&project);
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].parent().unwrap().parent().unwrap().ends_with(&session_id), "{logs:?}");
    let records = records(&logs[0]);
    let prompts: Vec<&str> =
        records.iter().filter(|r| r["kind"] == "turn").map(|r| r["prompt"].as_str().unwrap()).collect();
    assert_eq!(prompts, ["write the first note", "change the note"]);
    let befores: Vec<(u64, String, bool)> = records
        .iter()
        .filter(|r| r["kind"] == "before")
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            (r["turn"].as_u64().unwrap(), path.rsplit('/').next().unwrap().to_string(), r["blob"].is_null())
        })
        .collect();
    assert_eq!(
        befores,
        [(1, "notes.txt".into(), true), (2, "notes.txt".into(), false), (2, "extra.txt".into(), true)],
        "each file is saved once per turn, absent files as null"
    );
    // The one blob is the note as turn 2 found it, named by its content.
    let blobs: Vec<String> = std::fs::read_dir(logs[0].parent().unwrap().join("blobs"))
        .unwrap()
        .flatten()
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap())
        .collect();
    assert_eq!(blobs, ["first\n"]);
}

fn start_tui(project: &TempProject, api: &MockApi, extra: &[&str]) -> PtySession {
    let mut command = claurst_pty_command(Path::new(BIN), project, Some(api));
    command.args(["--permission-mode", "acceptEdits"]);
    command.args(extra);
    let session = PtySession::spawn(command, 30, 100);
    session.wait_for("ctx", WAIT);
    session
}

fn prompt(session: &mut PtySession, text: &str, reply: &str) {
    session.type_text(text);
    session.send(keys::ENTER);
    session.wait_for(reply, WAIT);
}

/// Esc Esc on the empty composer, then the newest turn, then the first answer (code and conversation).
fn rewind_newest_with_escapes(session: &mut PtySession) {
    session.send(keys::ESC);
    session.wait_for("Press Esc again to rewind", WAIT);
    session.send(keys::ESC);
    choose_newest_code_and_conversation(session);
}

fn choose_newest_code_and_conversation(session: &mut PtySession) {
    session.wait_for("pick a turn", WAIT);
    session.send(keys::ENTER);
    let choice = session.wait_for("what to restore", WAIT);
    assert!(choice.contains("Restore code and conversation") && choice.contains("Never mind"), "{choice}");
    session.send(keys::ENTER);
}

#[test]
fn esc_esc_rewinds_code_and_conversation_to_before_the_second_turn() {
    let project = TempProject::new();
    let api = MockApi::start();
    script_two_turns(&api);
    let mut session = start_tui(&project, &api, &[]);
    prompt(&mut session, "write the first note", "Wrote the first note.");
    prompt(&mut session, "change the note", "Changed the note and added extra.");
    assert_eq!(project.read("notes.txt"), "second\n");

    rewind_newest_with_escapes(&mut session);
    let screen = session.wait_for("Rewound the code and the conversation", WAIT);
    assert_eq!(project.read("notes.txt"), "first\n");
    assert!(!project.project().join("extra.txt").exists(), "created in turn 2, so removed");
    assert!(screen.contains("Wrote the first note."), "{screen}");
    assert!(!screen.contains("Changed the note and added extra."), "{screen}");
    assert!(screen.contains("› change the note"), "the prompt is back in the composer:\n{screen}");

    // The conversation the model sees next is the rewound one.
    api.push(Reply::stream(Turn::text_only("Starting over.")));
    session.send(keys::ENTER);
    session.wait_for("Starting over.", WAIT);
    let last = api.requests().last().unwrap().body.clone();
    let texts: Vec<String> = last["messages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["content"].as_array().unwrap().iter())
        .filter_map(|block| block["text"].as_str().map(str::to_string))
        .collect();
    assert_eq!(texts, ["write the first note", "Wrote the first note.", "change the note"]);
}

#[test]
fn slash_rewind_keeps_a_file_the_user_changed_and_says_so() {
    let project = TempProject::new();
    let api = MockApi::start();
    script_two_turns(&api);
    let mut session = start_tui(&project, &api, &[]);
    prompt(&mut session, "write the first note", "Wrote the first note.");
    prompt(&mut session, "change the note", "Changed the note and added extra.");
    project.write("extra.txt", "the user's own words\n");

    session.type_text("/rewind");
    session.send(keys::ENTER);
    choose_newest_code_and_conversation(&mut session);
    let screen =
        session.wait_until("the rewind's report", WAIT, |screen| screen.contains("Not restored: extra.txt"));
    assert!(screen.contains("changed outside Claurst"), "{screen}");
    assert_eq!(project.read("extra.txt"), "the user's own words\n", "never overwritten");
    assert_eq!(project.read("notes.txt"), "first\n", "the other file was restored");
}

#[test]
fn a_headless_session_resumed_in_the_interface_can_be_rewound() {
    let project = TempProject::new();
    let api = MockApi::start();
    let session_id = headless_two_turns(&project, &api);
    let mut session = start_tui(&project, &api, &["-r", &session_id]);
    session.wait_for("Changed the note and added extra.", WAIT);

    rewind_newest_with_escapes(&mut session);
    let screen = session.wait_for("Rewound the code and the conversation", WAIT);
    assert_eq!(project.read("notes.txt"), "first\n");
    assert!(!project.project().join("extra.txt").exists());
    assert!(!screen.contains("Changed the note and added extra."), "{screen}");
    assert!(screen.contains("› change the note"), "{screen}");
}

#[test]
fn conversation_only_keeps_the_files_and_code_only_keeps_the_conversation() {
    let project = TempProject::new();
    let api = MockApi::start();
    script_two_turns(&api);
    let mut session = start_tui(&project, &api, &[]);
    prompt(&mut session, "write the first note", "Wrote the first note.");
    prompt(&mut session, "change the note", "Changed the note and added extra.");

    session.type_text("/rewind");
    session.send(keys::ENTER);
    session.wait_for("pick a turn", WAIT);
    session.send(keys::ENTER);
    session.wait_for("what to restore", WAIT);
    session.send("2");
    let screen = session.wait_for("Rewound the conversation to before that prompt", WAIT);
    assert!(!screen.contains("Changed the note and added extra."), "{screen}");
    assert_eq!(project.read("notes.txt"), "second\n", "files stay as they are");
    assert_eq!(project.read("extra.txt"), "extra\n");

    // Turn 2 left the list; going back before turn 1's code also undoes what turn 2 changed.
    session.send(keys::CTRL_C);
    session.type_text("/rewind");
    session.send(keys::ENTER);
    let list = session.wait_for("pick a turn", WAIT);
    assert!(!list.contains("change the note"), "{list}");
    session.send(keys::ENTER);
    session.wait_for("what to restore", WAIT);
    session.send("3");
    let screen = session.wait_for("Restored the code to before that prompt", WAIT);
    assert!(!project.project().join("notes.txt").exists(), "created in turn 1");
    assert!(!project.project().join("extra.txt").exists(), "created in the dropped turn 2");
    assert!(screen.contains("Wrote the first note."), "the conversation goes on:\n{screen}");
}
