//! The settings panels (`/model`, `/permissions`, `/config`), `/vim` and `/statusline` in the real binary,
//! driven through a pseudo-terminal against the mock model server.

use crate::BIN;
use claurst_test_support::{
    CapturedRequest, MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys,
};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn start(project: &TempProject, api: &MockApi) -> PtySession {
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), 30, 100);
    session.wait_for("ctx 0%", WAIT);
    session
}

/// The requests for a model's reply (not the model listings).
fn message_requests(api: &MockApi) -> Vec<CapturedRequest> {
    api.requests().into_iter().filter(|request| request.method == "POST").collect()
}

#[test]
fn the_model_picker_offers_the_endpoints_models_and_switches_the_next_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.set_models(&["claude-sonnet-4-5", "claude-endpoint-special"]);
    api.push(Reply::stream(Turn::text_only("answered by the special model")));
    let mut session = start(&project, &api);
    // Enter runs the command the `/` menu selected: `/model` itself.
    session.type_text("/model");
    session.send(keys::ENTER);
    session.wait_for("claude-endpoint-special", WAIT);
    session.type_text("special");
    session.send(keys::ENTER);
    session.wait_for("Model set to claude-endpoint-special", WAIT);
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("answered by the special model", WAIT);
    assert_eq!(message_requests(&api)[0].body["model"], "claude-endpoint-special");
}

#[test]
fn a_deny_rule_added_in_permissions_is_saved_to_the_project_and_refuses_the_next_call() {
    let project = TempProject::new();
    project.write(".claurst.toml", "# team settings\n[tools]\nallow = [\"read_file\"]\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm -rf build"}))));
    api.push(Reply::stream(Turn::text_only("I will leave the build folder alone.")));
    let mut session = start(&project, &api);
    session.type_text("/permissions");
    session.send(keys::ENTER);
    session.wait_for("read_file", WAIT);
    session.send("a");
    session.wait_for("New rule:", WAIT);
    // An invalid rule is refused with the reason, and nothing is saved.
    session.type_text("bash(");
    session.send(keys::ENTER);
    session.wait_for("Refused:", WAIT);
    session.send(keys::BACKSPACE);
    session.type_text("(rm:*)");
    session.send(keys::TAB); // allow → ask
    session.send(keys::TAB); // ask → deny
    session.wait_for("list: deny", WAIT);
    session.send(keys::ENTER);
    session.wait_until("the rule listed", WAIT, |screen| {
        screen.contains("bash(rm:*)") && screen.contains("a add")
    });
    let saved = project.read(".claurst.toml");
    assert!(saved.starts_with("# team settings\n"), "{saved}");
    assert!(saved.contains("deny = [\"bash(rm:*)\"]"), "{saved}");
    session.send("q");
    session.type_text("clean up");
    session.send(keys::ENTER);
    session.wait_for("leave the build folder alone", WAIT);
    let screen = session.screen();
    assert!(!screen.contains("Allow bash?"), "no approval was asked: {screen}");
    let second = &message_requests(&api)[1];
    assert!(second.raw_body.contains("Denied by the permission rule `bash(rm:*)`"), "{}", second.raw_body);
}

#[test]
fn vim_editing_changes_the_prompt_before_it_is_sent_and_the_choice_is_saved() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("edited prompt received")));
    let mut session = start(&project, &api);
    session.type_text("/vim");
    session.send(keys::ENTER);
    session.wait_for("-- INSERT --", WAIT);
    session.type_text("hello big world");
    session.send(keys::ESC);
    session.wait_for("-- NORMAL --", WAIT);
    session.type_text("0dw");
    session.wait_until("the first word deleted", WAIT, |screen| screen.contains("› big world"));
    session.type_text("i");
    session.wait_for("-- INSERT --", WAIT);
    session.type_text("small ");
    session.send(keys::ENTER);
    session.wait_for("edited prompt received", WAIT);
    assert_eq!(message_requests(&api)[0].body["messages"][0]["content"][0]["text"], "small big world");
    let config = std::fs::read_to_string(project.home().join(".claurst/config.toml")).unwrap();
    assert!(config.contains("editor_mode = \"vim\""), "{config}");
}

#[test]
fn a_statusline_command_replaces_the_status_line_and_is_saved() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api);
    // The shell computes the text, so seeing it proves the command ran (the typed line never shows `42`).
    session.type_text("/statusline echo STATUS-$((6*7))");
    session.send(keys::ENTER);
    session.wait_until("the command's output as the status line", WAIT, |screen| {
        screen.lines().any(|line| line.contains("STATUS-42"))
    });
    session.wait_for("Saved ui.statusline", WAIT);
    let config = std::fs::read_to_string(project.home().join(".claurst/config.toml")).unwrap();
    assert!(config.contains("statusline = \"echo STATUS-$((6*7))\""), "{config}");
    session.type_text("/statusline off");
    session.send(keys::ENTER);
    session.wait_until("the usual status line back", WAIT, |screen| {
        screen.contains("ctx 0%") && !screen.contains("STATUS-42")
    });
}

#[test]
fn a_coloured_status_line_shows_its_text_without_escape_debris() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api);
    session.type_text(r"/statusline printf '\033[1;32mGREEN-%s\033[0m \033[38;5;208mok\033[0m' $((6*7))");
    session.send(keys::ENTER);
    let screen = session.wait_until("the coloured status line", WAIT, |screen| {
        screen.lines().any(|line| line.contains("GREEN-42 ok"))
    });
    assert!(!screen.contains("[1;32m") && !screen.contains("[0m"), "escape codes must not show:\n{screen}");
}

#[test]
fn config_changes_a_setting_and_saves_it_to_the_user_file() {
    let project = TempProject::new();
    project.write_home(".claurst/config.toml", "# my settings\n[memory]\nauto_dream = true # for now\n");
    let api = MockApi::start();
    let mut session = start(&project, &api);
    session.type_text("/config");
    session.send(keys::ENTER);
    session.wait_for("Memory consolidation", WAIT);
    for _ in 0..4 {
        session.send(keys::DOWN);
    }
    session.send(" ");
    session.wait_for("Saved memory.auto_dream", WAIT);
    let config = std::fs::read_to_string(project.home().join(".claurst/config.toml")).unwrap();
    assert_eq!(config, "# my settings\n[memory]\nauto_dream = false # for now\n");
}
