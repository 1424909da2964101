//! With JSON output every failure is a `result` a program reads (a missing key, an API that keeps failing, a
//! turn or budget limit), retries are announced as `system/api_retry` lines, and the spending flags
//! (`--max-budget-usd`, `--fallback-model`) and `--include-partial-messages` do what they say.

use crate::{claurst, run, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

fn lines_of(output: &std::process::Output) -> Vec<Value> {
    stdout(output).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// Two attempts per request, so that a failing API gives up at once.
fn impatient_project() -> TempProject {
    let project = TempProject::new();
    project.write_home(".claurst/config.toml", "[api]\nmax_retries = 2\n");
    project
}

#[test]
fn a_missing_key_is_an_error_result_in_json_and_stream_json() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").args(["-p", "hi", "--output-format", "json"]);
    let output = run(&mut command);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!((result["type"].as_str(), result["is_error"].as_bool()), (Some("result"), Some(true)));
    assert_eq!(result["subtype"], "error_during_execution");
    assert!(result["errors"][0].as_str().unwrap().contains("ANTHROPIC_API_KEY"), "{result}");

    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").args(["-p", "hi", "--output-format", "stream-json", "--verbose"]);
    let output = run(&mut command);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let lines = lines_of(&output);
    assert_eq!(lines[0]["subtype"], "init");
    assert_eq!(lines[0]["apiKeySource"], "none");
    let last = lines.last().unwrap();
    assert_eq!((last["type"].as_str(), last["is_error"].as_bool()), (Some("result"), Some(true)));
    assert!(api.requests().is_empty());
}

#[test]
fn an_overloaded_api_prints_retries_then_an_error_result() {
    let project = impatient_project();
    let api = MockApi::start();
    api.push(Reply::overloaded());
    api.push(Reply::overloaded());
    let output =
        run(claurst(&project, &api).args(["-p", "hi", "--output-format", "stream-json", "--verbose"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let lines = lines_of(&output);
    let retries: Vec<&Value> = lines.iter().filter(|line| line["subtype"] == "api_retry").collect();
    assert_eq!(retries.len(), 1, "{}", stdout(&output));
    let retry = retries[0];
    assert_eq!((retry["attempt"].as_u64(), retry["max_retries"].as_u64()), (Some(1), Some(1)));
    assert_eq!((retry["error_status"].as_u64(), retry["error"].as_str()), (Some(529), Some("overloaded")));
    assert!(retry["retry_delay_ms"].as_u64().is_some() && retry["uuid"].is_string());
    let result = lines.last().unwrap();
    assert_eq!(
        (result["subtype"].as_str(), result["is_error"].as_bool()),
        (Some("error_during_execution"), Some(true))
    );
    assert_eq!(result["api_error_status"], 529);
    assert_eq!(result["errors"].as_array().map(Vec::len), Some(1));
    assert!(!stdout(&output).contains("-0.0"), "{}", stdout(&output));
}

#[test]
fn the_turn_limit_is_an_error_result_with_errors() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "echo hi"}))));
    let output =
        run(claurst(&project, &api).args(["-p", "hi", "--output-format", "json", "--max-turns", "1"]));
    assert_eq!(output.status.code(), Some(3), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["subtype"], "error_max_turns");
    assert_eq!(result["stop_reason"], "tool_use");
    assert!(result["errors"][0].as_str().unwrap().contains("maximum number of turns"), "{result}");
}

#[test]
fn the_budget_stops_the_run_before_the_next_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new().tool_use("t1", "bash", json!({"command": "echo hi"})).usage(100_000, 1_000),
    ));
    api.push(Reply::stream(Turn::text_only("never asked")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "hi",
        "--output-format",
        "json",
        "--max-budget-usd",
        "0.01",
    ]));
    assert_eq!(output.status.code(), Some(3), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["subtype"], "error_max_budget_usd");
    assert!(result["total_cost_usd"].as_f64().unwrap() > 0.01, "{result}");
    assert_eq!(api.requests().len(), 1, "no request after the budget was spent");
}

#[test]
fn an_overloaded_model_falls_back_once() {
    let project = impatient_project();
    let api = MockApi::start();
    api.push(Reply::overloaded());
    api.push(Reply::overloaded());
    api.push(Reply::stream(Turn::text_only("answered by the fallback").model("claude-haiku-4-5")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "hi",
        "--output-format",
        "stream-json",
        "--verbose",
        "--fallback-model",
        "claude-haiku-4-5",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].body["model"], "claude-haiku-4-5");
    let lines = lines_of(&output);
    let assistant = lines.iter().find(|line| line["type"] == "assistant").unwrap();
    assert_eq!(assistant["message"]["model"], "claude-haiku-4-5");
    assert_eq!(lines.last().unwrap()["result"], "answered by the fallback");
}

#[test]
fn partial_messages_print_the_raw_stream_events_before_the_message() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().text("Hi").tool_use("t1", "bash", json!({"command": "echo hi"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "hi",
        "--output-format",
        "stream-json",
        "--verbose",
        "--include-partial-messages",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let lines = lines_of(&output);
    let first_assistant = lines.iter().position(|line| line["type"] == "assistant").unwrap();
    let events: Vec<&str> = lines[..first_assistant]
        .iter()
        .filter(|line| line["type"] == "stream_event")
        .map(|line| line["event"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(events.first(), Some(&"message_start"));
    assert_eq!(events.last(), Some(&"message_stop"));
    for kind in ["content_block_start", "content_block_delta", "content_block_stop", "message_delta"] {
        assert!(events.contains(&kind), "{kind} missing from {events:?}");
    }
    let deltas: Vec<&Value> = lines
        .iter()
        .filter(|line| line["type"] == "stream_event" && line["event"]["type"] == "content_block_delta")
        .map(|line| &line["event"]["delta"])
        .collect();
    let text: String = deltas
        .iter()
        .filter(|delta| delta["type"] == "text_delta")
        .map(|delta| delta["text"].as_str().unwrap())
        .collect();
    assert_eq!(text, "Hidone", "the text deltas of both replies, in order");
    assert!(deltas.iter().any(|delta| delta["type"] == "input_json_delta"), "{deltas:?}");
    let event = lines.iter().find(|line| line["type"] == "stream_event").unwrap();
    assert!(event["uuid"].is_string() && event["session_id"].is_string());
    assert_eq!(event["parent_tool_use_id"], Value::Null);

    let plain = MockApi::start();
    plain.push(Reply::stream(Turn::text_only("done")));
    let output =
        run(claurst(&project, &plain).args(["-p", "hi", "--output-format", "stream-json", "--verbose"]));
    assert!(!stdout(&output).contains("stream_event"), "only when asked");
}
