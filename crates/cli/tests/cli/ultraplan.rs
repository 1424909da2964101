//! `claurst --ultraplan`: a read-only planning session ending in one plan.

use crate::{claurst, run, stderr, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};
use std::time::Duration;

const SENTINEL: &str = "__ULTRAPLAN_TELEPORT_LOCAL__";

#[test]
fn a_plan_is_printed_saved_and_made_with_read_only_tools() {
    let project = TempProject::new();
    project.write("src/queue.rs", "pub struct Queue;\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "read_file", json!({"path": "src/queue.rs"}))));
    api.push(Reply::stream(Turn::text_only(&format!(
        "# Plan\n\n## Steps\n1. Extend `Queue` in src/queue.rs.\n\n{SENTINEL}\n"
    ))));
    let output = run(claurst(&project, &api).args(["--ultraplan", "Design exactly-once delivery"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "# Plan\n\n## Steps\n1. Extend `Queue` in src/queue.rs.\n");

    let first = &api.requests()[0].body;
    assert_eq!(first["model"], "claude-opus-4-6", "the [ultraplan] model plans");
    let tools: Vec<&str> =
        first["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tools, ["bash", "read_file", "list_dir", "search_files", "grep"]);
    assert!(first["system"][0]["text"].as_str().unwrap().contains(SENTINEL));
    assert!(
        first["messages"][0]["content"][0]["text"].as_str().unwrap().contains("Design exactly-once delivery")
    );

    let saved = stderr(&output);
    let path = saved.lines().find_map(|line| line.strip_prefix("Plan saved to ")).unwrap();
    assert!(std::fs::read_to_string(path).unwrap().starts_with("# Plan"));
    assert!(path.contains(".claurst/plans/"));
}

#[test]
fn planning_changes_nothing() {
    let project = TempProject::new();
    project.write("keep.txt", "keep");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm keep.txt"}))));
    api.push(Reply::stream(Turn::text_only(&format!("Plan: keep it.\n{SENTINEL}"))));
    let output = run(claurst(&project, &api).args([
        "--ultraplan",
        "clean up",
        "--permission-mode",
        "bypassPermissions",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(project.read("keep.txt"), "keep");
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert_eq!(result["is_error"], true);
    assert!(result["content"][0]["text"].as_str().unwrap().contains("plan mode"), "{result}");
}

#[test]
fn a_plan_without_the_marker_gets_one_follow_up() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Half a plan")));
    api.push(Reply::stream(Turn::text_only(&format!("The whole plan.\n{SENTINEL}"))));
    let output = run(claurst(&project, &api).args(["--ultraplan", "task"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "The whole plan.\n");
    let follow_up = api.requests()[1].body["messages"].as_array().unwrap().last().unwrap().to_string();
    assert!(follow_up.contains("completion marker"), "{follow_up}");

    api.push(Reply::stream(Turn::text_only("Still no marker")));
    api.push(Reply::stream(Turn::text_only("Really no marker")));
    let output = run(claurst(&project, &api).args(["--ultraplan", "task", "--output-format", "json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["type"], "ultraplan");
    assert_eq!(result["plan"], "Really no marker");
    assert!(result["warning"].as_str().unwrap().contains("may be incomplete"));
}

#[test]
fn progress_is_reported_and_the_time_budget_enforced() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[ultraplan]\npoll_interval_secs = 1\nmax_duration_secs = 3\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "list_dir", json!({}))));
    api.push(Reply::stream(Turn::text_only("never finishes")).stall_after(10));
    let started = std::time::Instant::now();
    let output = run(claurst(&project, &api).args(["--ultraplan", "big task"]));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "stopped at the budget, took {:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let narration = stderr(&output);
    assert!(narration.contains("ultraplan: ") && narration.contains("1 tool call · list_dir"), "{narration}");
    assert!(narration.contains("ULTRAPLAN ran for 3s without finishing a plan"), "{narration}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn ultraplan_can_be_disabled() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[ultraplan]\nenabled = false\n");
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["--ultraplan", "task"]));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("ULTRAPLAN is disabled"), "{}", describe(&output));
    assert!(api.requests().is_empty());
}
