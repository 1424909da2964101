//! The model asking the user: `ask_user_question`'s picker, the plan hand-off (`exit_plan_mode`) and
//! `enter_plan_mode`, through the real binary (headless and in a pseudo-terminal).

use crate::{BIN, claurst, run, stdout, tool_results};
use claurst_test_support::{
    MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, describe, keys,
};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn database_question(multi_select: bool) -> Value {
    json!({"questions": [{
        "question": "Which database should the service use?",
        "header": "Database",
        "multiSelect": multi_select,
        "options": [
            {"label": "Postgres", "description": "A server, the team knows it"},
            {"label": "SQLite", "description": "One file, no server"}
        ]
    }]})
}

/// The interface in a pseudo-terminal, started with `args`, once its first frame is up.
fn start_with(project: &TempProject, api: &MockApi, args: &[&str]) -> PtySession {
    let mut command = claurst_pty_command(Path::new(BIN), project, Some(api));
    for arg in args {
        command.arg(arg);
    }
    let session = PtySession::spawn(command, 30, 100);
    session.wait_for("ctx 0%", WAIT);
    session
}

#[test]
fn headless_questions_are_answered_no_user_available() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("q1", "ask_user_question", database_question(false))));
    api.push(Reply::stream(Turn::text_only("I will assume Postgres.")));
    let output = run(claurst(&project, &api).args(["-p", "set up the service"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "I will assume Postgres.\n");
    let results = tool_results(&api.requests()[1].body);
    assert_eq!(results.len(), 1);
    assert!(results[0].0.contains("No user is available to answer"), "{results:?}");
    assert!(!results[0].1, "not answering is not a failure of the call");
}

#[test]
fn bad_questions_are_a_tool_error() {
    let project = TempProject::new();
    let api = MockApi::start();
    let one_option =
        json!({"questions": [{"question": "Which?", "header": "H", "options": [{"label": "a"}]}]});
    api.push(Reply::stream(Turn::new().tool_use("q1", "ask_user_question", one_option)));
    api.push(Reply::stream(Turn::text_only("Fixed.")));
    let output = run(claurst(&project, &api).args(["-p", "ask me"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    assert_eq!(results[0], ("Question 1: give 2 to 4 options; it has 1.".to_string(), true));
}

#[test]
fn exit_plan_mode_outside_plan_mode_is_a_tool_error() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("p1", "exit_plan_mode", json!({"plan": "1. Edit"}))));
    api.push(Reply::stream(Turn::text_only("Going ahead.")));
    let output = run(claurst(&project, &api).args(["-p", "do it"]));
    assert!(output.status.success(), "{}", describe(&output));
    let (text, is_error) = &tool_results(&api.requests()[1].body)[0];
    assert!(*is_error && text.contains("only works in plan mode"), "{text}");
}

#[test]
fn headless_plan_mode_cannot_hand_off_a_plan() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("p1", "exit_plan_mode", json!({"plan": "1. Edit"}))));
    api.push(Reply::stream(Turn::text_only("Here is the plan.")));
    let output = run(claurst(&project, &api).args(["-p", "plan it", "--permission-mode", "plan"]));
    assert!(output.status.success(), "{}", describe(&output));
    let (text, is_error) = &tool_results(&api.requests()[1].body)[0];
    assert!(*is_error && text.contains("No one can review the plan"), "{text}");
}

#[test]
fn the_new_tools_are_offered_and_listed_in_system_init() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output =
        run(claurst(&project, &api).args(["-p", "hi", "--output-format", "stream-json", "--verbose"]));
    assert!(output.status.success(), "{}", describe(&output));
    let init: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    let tools: Vec<&str> = init["tools"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for name in ["ask_user_question", "exit_plan_mode", "enter_plan_mode"] {
        assert!(tools.contains(&name), "{name} in {tools:?}");
    }
    let offered: Vec<String> = api.requests()[0].body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap().to_string())
        .collect();
    for name in ["ask_user_question", "exit_plan_mode", "enter_plan_mode"] {
        assert!(offered.iter().any(|offered| offered == name), "{name} in {offered:?}");
    }
}

#[test]
fn a_question_answered_with_the_keyboard_reaches_the_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("q1", "ask_user_question", database_question(false))));
    api.push(Reply::stream(Turn::text_only("SQLite it is.")));
    let mut session = start_with(&project, &api, &[]);
    session.type_text("set up the service");
    session.send(keys::ENTER);
    let picker = session.wait_for("3. Other: type your own", WAIT);
    assert!(picker.contains("Which database should the service use?"), "{picker}");
    session.send(keys::DOWN);
    session.send(keys::ENTER);
    let screen = session.wait_for("SQLite it is.", WAIT);
    assert!(screen.contains("Which database should the service use? → SQLite"), "{screen}");
    let (text, is_error) = &tool_results(&api.requests()[1].body)[0];
    assert!(!is_error && text.contains("\"Which database should the service use?\" = \"SQLite\""), "{text}");
}

#[test]
fn an_answer_of_ones_own_is_typed_under_other() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("q1", "ask_user_question", database_question(true))));
    api.push(Reply::stream(Turn::text_only("Noted.")));
    let mut session = start_with(&project, &api, &[]);
    session.type_text("set up the service");
    session.send(keys::ENTER);
    session.wait_for("3. Other: type your own", WAIT);
    session.send(" ");
    session.send("3");
    session.type_text("DuckDB");
    session.send(keys::ENTER);
    session.wait_for("Noted.", WAIT);
    let (text, _) = &tool_results(&api.requests()[1].body)[0];
    assert!(text.contains("= \"Postgres, DuckDB\""), "{text}");
}

#[test]
fn approving_a_plan_with_accept_edits_lets_the_next_edit_run_unasked() {
    let project = TempProject::new();
    let api = MockApi::start();
    let plan = "## Plan\n\n1. Write `marker.txt`";
    api.push(Reply::stream(Turn::new().tool_use("p1", "exit_plan_mode", json!({"plan": plan}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "w1",
        "write_file",
        json!({"path": "marker.txt", "content": "planned\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("Plan carried out.")));
    let mut session = start_with(&project, &api, &["--permission-mode", "plan"]);
    session.wait_for("plan mode", WAIT);
    session.type_text("make the marker");
    session.send(keys::ENTER);
    let review = session.wait_for("Would you like to proceed?", WAIT);
    assert!(review.contains("Write marker.txt"), "the plan is shown as Markdown: {review}");
    session.send("1");
    let screen = session.wait_for("Plan carried out.", WAIT);
    assert!(screen.contains("accept edits"), "the status line shows the new mode: {screen}");
    assert_eq!(project.read("marker.txt"), "planned\n");
    let (text, is_error) = &tool_results(&api.requests()[1].body)[0];
    assert!(!is_error && text.contains("acceptEdits"), "{text}");
}

#[test]
fn keep_planning_sends_the_feedback_back() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "p1",
        "exit_plan_mode",
        json!({"plan": "1. Rewrite it all"}),
    )));
    api.push(Reply::stream(Turn::text_only("I will plan smaller steps.")));
    let mut session = start_with(&project, &api, &["--permission-mode", "plan"]);
    session.type_text("refactor");
    session.send(keys::ENTER);
    session.wait_for("Would you like to proceed?", WAIT);
    session.send("3");
    session.type_text("smaller steps please");
    session.send(keys::ENTER);
    let screen = session.wait_for("I will plan smaller steps.", WAIT);
    assert!(screen.contains("plan mode"), "plan mode stays on: {screen}");
    let (text, is_error) = &tool_results(&api.requests()[1].body)[0];
    assert!(!is_error && text.contains("Their feedback: smaller steps please"), "{text}");
}

#[test]
fn confirming_enter_plan_mode_switches_to_plan_mode() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "e1",
        "enter_plan_mode",
        json!({"reason": "The change touches every module"}),
    )));
    api.push(Reply::stream(Turn::text_only("Planning first.")));
    let mut session = start_with(&project, &api, &[]);
    session.type_text("migrate everything");
    session.send(keys::ENTER);
    let picker = session.wait_for("Switch to plan mode before starting?", WAIT);
    assert!(picker.contains("The change touches every module"), "{picker}");
    session.send("1");
    let screen = session.wait_for("Planning first.", WAIT);
    assert!(screen.contains("⏸ plan mode"), "{screen}");
    let (text, _) = &tool_results(&api.requests()[1].body)[0];
    assert!(text.contains("switched to plan mode"), "{text}");
}

#[test]
fn a_program_answers_questions_and_approves_plans_through_can_use_tool() {
    use crate::stream_input::{answer, start};
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("q1", "ask_user_question", database_question(false))));
    api.push(Reply::stream(Turn::new().tool_use("p1", "exit_plan_mode", json!({"plan": "1. Use SQLite"}))));
    api.push(Reply::stream(Turn::text_only("Planned and approved.")));
    let mut session =
        start(&project, &api, &["--permission-prompt-tool", "stdio", "--permission-mode", "plan"]);
    session.send_prompt("plan the service");

    let ask = session.wait_for_type("control_request", None);
    assert_eq!(
        (ask["request"]["subtype"].as_str(), ask["request"]["tool_name"].as_str()),
        (Some("can_use_tool"), Some("ask_user_question"))
    );
    let mut input = ask["request"]["input"].clone();
    input["answers"] = json!({"Which database should the service use?": "SQLite"});
    answer(&mut session, &ask, json!({"behavior": "allow", "updatedInput": input}));

    let ask = session.wait_for_type("control_request", None);
    assert_eq!(ask["request"]["tool_name"], "exit_plan_mode", "{ask}");
    answer(&mut session, &ask, json!({"behavior": "allow"}));

    let result = session.wait_for_type("result", None);
    assert_eq!(result["result"], "Planned and approved.", "{}", session.transcript());
    let status = session
        .seen
        .iter()
        .find(|line| line["type"] == "system" && line["subtype"] == "status")
        .cloned()
        .unwrap_or_else(|| panic!("a status line: {}", session.transcript()));
    assert_eq!(status["permissionMode"], "default", "{status}");
    let (exit, _, stderr) = session.finish();
    assert!(exit.success(), "{stderr}");
    let requests = api.requests();
    let (answered, _) = &tool_results(&requests[1].body)[0];
    assert!(answered.contains("= \"SQLite\""), "{answered}");
    let (approved, is_error) = &tool_results(&requests[2].body)[0];
    assert!(!is_error && approved.contains("approved your plan"), "{approved}");
}
