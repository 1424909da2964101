//! `--input-format stream-json`: one process, many turns, and the control protocol, spoken line by line as a
//! driving program (an Agent SDK, a script) speaks it.

use crate::{BIN, tool_result_text};
use claurst_test_support::{JsonLinesSession, MockApi, Reply, TempProject, Turn, claurst_command};
use serde_json::{Value, json};
use std::time::Duration;

/// `claurst` in stream-json mode with `extra` flags.
pub(crate) fn start(project: &TempProject, api: &MockApi, extra: &[&str]) -> JsonLinesSession {
    let mut command = claurst_command(std::path::Path::new(BIN), project, Some(api));
    command
        .args(["--input-format", "stream-json", "--output-format", "stream-json", "--verbose"])
        .args(extra);
    JsonLinesSession::start(&mut command)
}

pub(crate) fn control(request_id: &str, request: Value) -> Value {
    json!({"type": "control_request", "request_id": request_id, "request": request})
}

/// Answer Claurst's control request `request` with `response`.
pub(crate) fn answer(session: &mut JsonLinesSession, request: &Value, response: Value) {
    let request_id = request["request_id"].as_str().unwrap();
    session.send(&json!({
        "type": "control_response",
        "response": {"subtype": "success", "request_id": request_id, "response": response},
    }));
}

#[test]
fn one_process_serves_two_turns_and_exits_cleanly_at_end_of_input() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("first answer")));
    api.push(Reply::stream(Turn::text_only("second answer")));
    let mut session = start(&project, &api, &[]);
    session.send(&control("init-1", json!({"subtype": "initialize", "hooks": null})));
    let reply = session.wait_for_response("init-1");
    assert_eq!(reply["response"]["subtype"], "success", "{reply}");
    assert!(reply["response"]["response"]["commands"].is_array(), "{reply}");

    session.send_prompt("one");
    let first = session.wait_for_type("result", None);
    assert_eq!(first["result"], "first answer");
    session.send_prompt("two");
    let second = session.wait_for_type("result", None);
    assert_eq!(second["result"], "second answer");
    assert_eq!(first["session_id"], second["session_id"], "the same session answers both");
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "{stderr}");

    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    let history = requests[1].body["messages"].as_array().unwrap();
    assert_eq!(history.len(), 3, "the second turn carries the first: {history:?}");
    assert_eq!(history[0]["content"][0]["text"], "one");
}

#[test]
fn end_of_input_right_after_the_prompt_still_finishes_the_turn() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "echo hi"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut session = start(&project, &api, &["--allowedTools", "Bash"]);
    session.send_prompt("go");
    session.close_stdin();
    let result = session.wait_for_type("result", None);
    assert_eq!(result["subtype"], "success", "{}", session.transcript());
    assert_eq!(result["result"], "done");
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "{stderr}");
    assert_eq!(tool_result_text(&api.requests()[1].body), "hi", "the command ran");
}

#[test]
fn can_use_tool_allows_one_command_denies_another_and_may_rewrite_a_third() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch allowed.txt"}))));
    api.push(Reply::stream(Turn::new().tool_use("t2", "bash", json!({"command": "touch denied.txt"}))));
    api.push(Reply::stream(Turn::new().tool_use("t3", "bash", json!({"command": "touch original.txt"}))));
    api.push(Reply::stream(Turn::text_only("finished")));
    let mut session = start(&project, &api, &["--permission-prompt-tool", "stdio"]);
    session.send_prompt("make files");

    let ask = session.wait_for_type("control_request", None);
    assert_eq!(ask["request"]["subtype"], "can_use_tool", "{ask}");
    assert_eq!(ask["request"]["tool_name"], "bash");
    assert_eq!(ask["request"]["input"]["command"], "touch allowed.txt");
    assert_eq!(ask["request"]["tool_use_id"], "t1");
    answer(&mut session, &ask, json!({"behavior": "allow", "updatedInput": ask["request"]["input"]}));

    let ask = session.wait_for_type("control_request", None);
    assert_eq!(ask["request"]["input"]["command"], "touch denied.txt");
    answer(&mut session, &ask, json!({"behavior": "deny", "message": "not that one"}));

    let ask = session.wait_for_type("control_request", None);
    assert_eq!(ask["request"]["input"]["command"], "touch original.txt");
    answer(
        &mut session,
        &ask,
        json!({"behavior": "allow", "updatedInput": {"command": "touch rewritten.txt"}}),
    );

    let result = session.wait_for_type("result", None);
    assert_eq!(result["result"], "finished", "{}", session.transcript());
    assert_eq!(result["permission_denials"][0]["tool_use_id"], "t2", "{result}");
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "{stderr}");
    // The run is over: a denied command that ran would have left its file by now.
    assert!(project.project().join("allowed.txt").exists());
    assert!(!project.project().join("denied.txt").exists());
    assert!(project.project().join("rewritten.txt").exists());
    assert!(!project.project().join("original.txt").exists());
    let requests = api.requests();
    assert!(tool_result_text(&requests[2].body).contains("not that one"), "{}", requests[2].body);
}

#[test]
fn without_an_approver_calls_that_need_approval_are_refused_and_nothing_is_asked() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch made.txt"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut session = start(&project, &api, &[]);
    session.send_prompt("make a file");
    let result = session.wait_for_type("result", None);
    assert_eq!(result["permission_denials"][0]["tool_use_id"], "t1", "{result}");
    assert!(!session.seen.iter().any(|line| line["type"] == "control_request"), "{}", session.transcript());
    let (status, _, _) = session.finish();
    assert!(status.success());
    assert!(!project.project().join("made.txt").exists());
}

#[test]
fn interrupt_ends_the_turn_with_a_result_and_the_session_goes_on() {
    let project = TempProject::new();
    let api = MockApi::start();
    let slow = Turn::text_only("this answer never finishes");
    api.push(Reply::stream(slow.clone()).stall_after(slow.to_sse_bytes().len() / 2));
    api.push(Reply::stream(Turn::text_only("after the interrupt")));
    let mut session = start(&project, &api, &[]);
    session.send_prompt("take your time");
    api.wait_for_requests(1, Duration::from_secs(30));
    session.send(&control("stop-1", json!({"subtype": "interrupt"})));
    let reply = session.wait_for_response("stop-1");
    assert_eq!(reply["response"]["subtype"], "success", "{reply}");
    let interrupted = session.wait_for_type("result", None);
    assert_eq!(interrupted["is_error"], true, "{interrupted}");
    assert_eq!(interrupted["subtype"], "error_during_execution");

    session.send_prompt("and now?");
    let next = session.wait_for_type("result", None);
    assert_eq!(next["result"], "after the interrupt", "{}", session.transcript());
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "an interrupt the program asked for is not a failure: {stderr}");
}

#[test]
fn set_permission_mode_applies_to_the_following_calls() {
    let project = TempProject::new();
    let api = MockApi::start();
    let write =
        |id: &str| Turn::new().tool_use(id, "write_file", json!({"path": "notes.md", "content": "hi\n"}));
    api.push(Reply::stream(write("w1")));
    api.push(Reply::stream(Turn::text_only("refused")));
    api.push(Reply::stream(write("w2")));
    api.push(Reply::stream(Turn::text_only("written")));
    let mut session = start(&project, &api, &[]);
    session.send_prompt("write notes");
    let first = session.wait_for_type("result", None);
    assert_eq!(first["permission_denials"][0]["tool_use_id"], "w1", "{first}");
    assert!(!project.project().join("notes.md").exists());

    session.send(&control("mode-1", json!({"subtype": "set_permission_mode", "mode": "acceptEdits"})));
    assert_eq!(session.wait_for_response("mode-1")["response"]["subtype"], "success");
    session.send_prompt("write notes again");
    let second = session.wait_for_type("result", None);
    assert_eq!(second["permission_denials"], json!([]), "{second}");
    assert_eq!(std::fs::read_to_string(project.project().join("notes.md")).unwrap(), "hi\n");

    session.send(&control("mode-2", json!({"subtype": "set_permission_mode", "mode": "sometimes"})));
    let reply = session.wait_for_response("mode-2");
    assert_eq!(reply["response"]["subtype"], "error", "{reply}");
    session.finish();
}

#[test]
fn set_model_switches_the_model_of_the_next_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("one")));
    api.push(Reply::stream(Turn::text_only("two")));
    let mut session = start(&project, &api, &["--model", "claude-sonnet-4-5"]);
    session.send_prompt("first");
    session.wait_for_type("result", None);
    session.send(&control("model-1", json!({"subtype": "set_model", "model": "claude-haiku-4-5"})));
    assert_eq!(session.wait_for_response("model-1")["response"]["subtype"], "success");
    session.send_prompt("second");
    session.wait_for_type("result", None);
    session.finish();
    let requests = api.requests();
    assert_eq!(requests[0].body["model"], "claude-sonnet-4-5");
    assert_eq!(requests[1].body["model"], "claude-haiku-4-5");
}

#[test]
fn unsupported_requests_and_bad_lines_are_answered_not_fatal() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("still here")));
    let mut session = start(&project, &api, &[]);
    session.send(&control("odd-1", json!({"subtype": "rewind_files", "user_message_id": "u1"})));
    let reply = session.wait_for_response("odd-1");
    assert_eq!(reply["response"]["subtype"], "error");
    assert!(reply["response"]["error"].as_str().unwrap().contains("rewind_files"), "{reply}");
    session.send(&json!({"type": "keep_alive"}));
    session.send(&json!({"type": "mystery"}));
    session.send_prompt("hello");
    assert_eq!(session.wait_for_type("result", None)["result"], "still here");
    let (status, _, stderr) = session.finish();
    assert!(status.success());
    assert!(stderr.contains("unknown message type `mystery`"), "{stderr}");
}

#[test]
fn images_in_a_user_message_reach_the_model_before_its_text() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("a red dot")));
    let mut session = start(&project, &api, &[]);
    session.send(&json!({"type": "user", "message": {"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
    ]}}));
    session.wait_for_type("result", None);
    session.finish();
    let content = &api.requests()[0].body["messages"][0]["content"];
    assert_eq!(content[0]["type"], "image", "{content}");
    assert_eq!(content[0]["source"]["media_type"], "image/png");
    assert_eq!(content[1]["text"], "what is this?");
}

#[test]
fn a_first_initialize_sets_the_system_prompt_and_adds_sub_agents() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut session = start(&project, &api, &[]);
    session.send(&control(
        "init-1",
        json!({
            "subtype": "initialize",
            "systemPrompt": ["You are a terse reviewer."],
            "appendSystemPrompt": "Answer in one line.",
            "agents": {"linter": {"description": "Runs the linters", "prompt": "Lint."}},
        }),
    ));
    assert_eq!(session.wait_for_response("init-1")["response"]["subtype"], "success");
    session.send_prompt("review");
    session.wait_for_type("result", None);
    session.finish();
    let body = &api.requests()[0].body;
    let system = body["system"].to_string();
    assert!(system.contains("You are a terse reviewer."), "{system}");
    assert!(system.contains("Answer in one line."), "{system}");
    let agent_tool = body["tools"].as_array().unwrap().iter().find(|tool| tool["name"] == "agent").unwrap();
    assert!(agent_tool.to_string().contains("linter"), "{agent_tool}");
}

#[test]
fn stream_json_input_needs_stream_json_output_and_no_prompt_argument() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = claurst_test_support::run_with_stdin(
        claurst_command(std::path::Path::new(BIN), &project, Some(&api)).args([
            "--input-format",
            "stream-json",
            "--output-format",
            "json",
        ]),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs --output-format stream-json"));
    let output = claurst_test_support::run_with_stdin(
        claurst_command(std::path::Path::new(BIN), &project, Some(&api)).args([
            "-p",
            "hi",
            "--permission-prompt-tool",
            "stdio",
        ]),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs --input-format stream-json"));
}
