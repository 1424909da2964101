//! `--output-format text|json|stream-json`.

use crate::{claurst, run, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

fn scripted() -> (TempProject, MockApi) {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new().text("Checking.").tool_use("t1", "bash", json!({"command": "echo hi"})).usage(100, 20),
    ));
    api.push(Reply::stream(Turn::text_only("All good.").usage(150, 10)));
    (project, api)
}

#[test]
fn text_prints_only_the_final_answer() {
    let (project, api) = scripted();
    let output = run(claurst(&project, &api).args(["-p", "check", "--output-format", "text"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "All good.\n");
}

#[test]
fn json_prints_one_result_object() {
    let (project, api) = scripted();
    let output = run(claurst(&project, &api).args(["-p", "check", "--output-format", "json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["type"], "result");
    assert_eq!(result["subtype"], "success");
    assert_eq!(result["is_error"], false);
    assert_eq!(result["result"], "All good.");
    assert_eq!(result["num_turns"], 2);
    assert_eq!(result["usage"]["input_tokens"], 250);
    assert_eq!(result["usage"]["output_tokens"], 30);
    assert!(result["total_cost_usd"].as_f64().unwrap() > 0.0);
    assert!(result["duration_ms"].as_u64().is_some() && result["duration_api_ms"].as_u64().is_some());
    assert!(!result["session_id"].as_str().unwrap().is_empty());
    assert_eq!(result["permission_denials"], json!([]));
}

#[test]
fn stream_json_prints_one_object_per_line() {
    let (project, api) = scripted();
    let output = run(claurst(&project, &api).args(["-p", "check", "--output-format", "stream-json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let lines: Vec<Value> = stdout(&output).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let kinds: Vec<&str> = lines.iter().map(|line| line["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["system", "assistant", "user", "assistant", "result"]);
    assert_eq!(lines[0]["subtype"], "init");
    assert!(lines[0]["tools"].as_array().unwrap().contains(&json!("bash")));
    assert_eq!(lines[1]["message"]["content"][1]["name"], "bash");
    assert_eq!(lines[2]["message"]["content"][0]["type"], "tool_result");
    // A result that is one text is printed as a string, as Claude Code prints it.
    assert_eq!(lines[2]["message"]["content"][0]["content"], "hi");
    assert_eq!(lines[2]["tool_use_result"]["stdout"], "hi");
    let session = lines[0]["session_id"].as_str().unwrap();
    assert!(lines.iter().all(|line| line["session_id"] == session));
    assert_eq!(lines[4]["result"], "All good.");
}

#[test]
fn a_failed_run_is_reported_in_json_with_a_non_zero_exit() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::error(400, "invalid_request_error", "prompt is too long"));
    let output = run(claurst(&project, &api).args(["-p", "check", "--output-format", "json"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["subtype"], "error_during_execution");
    assert_eq!(result["is_error"], true);
    assert!(result["error"].as_str().unwrap().contains("prompt is too long"));
}
