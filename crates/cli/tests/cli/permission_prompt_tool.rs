//! `--permission-prompt-tool mcp__SERVER__TOOL`: an MCP tool answers the calls that need approval in a
//! headless run, as a user would. The model is the adversary: what the approver refuses must never run.

use crate::{claurst, run, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe, write_mcp_stub};
use serde_json::json;

/// `--mcp-config` JSON for the stub server with its `approve` tool.
fn approver_config(project: &TempProject) -> String {
    let script = write_mcp_stub(project.root());
    json!({"mcpServers": {"auth": {
        "command": "python3",
        "args": [script],
        "env": {"MCP_STUB_APPROVER": "1"},
    }}})
    .to_string()
}

#[test]
fn the_approver_tool_allows_refuses_and_rewrites_calls() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch allowed.txt"}))));
    api.push(Reply::stream(Turn::new().tool_use("t2", "bash", json!({"command": "touch forbidden.txt"}))));
    api.push(Reply::stream(Turn::new().tool_use("t3", "bash", json!({"command": "touch rewrite-me.txt"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let config = approver_config(&project);
    let output = run(claurst(&project, &api).args([
        "-p",
        "make files",
        "--mcp-config",
        &config,
        "--permission-prompt-tool",
        "mcp__auth__approve",
        "--output-format",
        "json",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["permission_denials"][0]["tool_use_id"], "t2", "{result}");
    // The process has exited: anything that ran left its file.
    assert!(project.project().join("allowed.txt").exists());
    assert!(!project.project().join("forbidden.txt").exists(), "a refused call ran");
    assert!(project.project().join("rewritten.txt").exists());
    assert!(
        !project.project().join("rewrite-me.txt").exists(),
        "the model's input ran instead of the rewrite"
    );
    let requests = api.requests();
    let (denial, is_error) = &tool_results(&requests[2].body)[0];
    assert!(*is_error && denial.contains("the approver refuses forbidden things"), "{denial}");
}

#[test]
fn a_missing_approver_refuses_every_call_that_needs_approval() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch made.txt"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "make a file",
        "--permission-prompt-tool",
        "mcp__nobody__approve",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!project.project().join("made.txt").exists());
    let (text, is_error) = &tool_results(&api.requests()[1].body)[0];
    assert!(*is_error && text.contains("`mcp__nobody__approve` is not available"), "{text}");
}
