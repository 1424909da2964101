//! `ToolServer` driven by rmcp's own client over a pipe: what a client sees, and what the permission
//! engine lets it do. Shell commands run unconfined here (no launcher binary in this crate); the kernel
//! sandbox is tested through the real binary in the cli crate.

use claurst_mcp::serve::{CANCELLED_RESULT, ToolServer};
use claurst_permissions::{PermissionEngine, PermissionPolicy, RuleSet};
use claurst_protocol::PermissionMode;
use claurst_test_support::TempProject;
use claurst_tools::{ToolContext, ToolRegistry};
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Permission rules for a test server.
#[derive(Default)]
struct Rules {
    allow: Vec<String>,
    ask: Vec<String>,
    deny: Vec<String>,
    mode: PermissionMode,
}

/// A client connected to a `ToolServer` for `project`; the server stops when the client is dropped.
struct Session {
    client: RunningService<RoleClient, ()>,
    _session_dir: tempfile::TempDir,
}

async fn connect(project: &TempProject, rules: Rules) -> Session {
    let session_dir = tempfile::tempdir().unwrap();
    let context = ToolContext::new(project.project(), session_dir.path(), Duration::from_secs(60));
    let tools = ToolRegistry::standard(Arc::new(context));
    let policy = PermissionPolicy {
        mode: rules.mode,
        rules: RuleSet::parse(&rules.allow, &rules.ask, &rules.deny).unwrap(),
        project_root: project.project().to_path_buf(),
        home_dir: Some(project.home().to_path_buf()),
        ..Default::default()
    };
    let server = ToolServer::new(tools, PermissionEngine::new(policy).unwrap());
    let (server_end, client_end) = tokio::io::duplex(64 * 1024);
    tokio::spawn(server.serve_transport(server_end));
    let client = ().serve(client_end).await.unwrap();
    Session { client, _session_dir: session_dir }
}

async fn call(session: &Session, tool: &str, arguments: Value) -> CallToolResult {
    let Value::Object(arguments) = arguments else { panic!("arguments must be an object") };
    let params = CallToolRequestParams::new(tool.to_string()).with_arguments(arguments);
    session.client.call_tool(params).await.unwrap()
}

/// Every text block of a result, joined.
fn text(result: &CallToolResult) -> String {
    result.content.iter().filter_map(|block| block.as_text().map(|text| text.text.as_str())).collect()
}

fn is_error(result: &CallToolResult) -> bool {
    result.is_error == Some(true)
}

#[tokio::test]
async fn every_tool_is_listed_with_its_schema_title_and_hints() {
    let project = TempProject::new();
    let session = connect(&project, Rules::default()).await;
    let info = session.client.peer_info().unwrap();
    let server = info.server_info.as_ref().unwrap();
    assert_eq!(server.name, "claurst");
    assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    assert!(info.instructions.as_deref().is_some_and(|text| text.contains("permission rules")));
    let tools = session.client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    for expected in [
        "read_file",
        "edit_file",
        "write_file",
        "multi_edit",
        "grep",
        "search_files",
        "list_dir",
        "bash",
        "bash_output",
        "kill_shell",
        "web_fetch",
        "todo_write",
    ] {
        assert!(names.contains(&expected), "{expected} is missing from {names:?}");
    }
    let tool = |name: &str| tools.iter().find(|tool| tool.name == name).unwrap();
    let read = tool("read_file");
    assert_eq!(read.title.as_deref(), Some("Read file"));
    assert!(read.description.as_deref().is_some_and(|text| !text.is_empty()));
    assert!(read.input_schema.get("properties").is_some(), "{:?}", read.input_schema);
    let hints = |name: &str| tool(name).annotations.clone().unwrap();
    assert_eq!(hints("read_file").read_only_hint, Some(true));
    assert_eq!(hints("grep").read_only_hint, Some(true));
    // bash reads only for some commands; writes never read only.
    assert_eq!(hints("bash").read_only_hint, Some(false));
    assert_eq!(hints("write_file").read_only_hint, Some(false));
    assert_eq!(hints("web_fetch").open_world_hint, Some(true));
    assert_eq!(hints("bash").open_world_hint, Some(true));
    assert_eq!(hints("read_file").open_world_hint, Some(false));
}

#[tokio::test]
async fn read_file_returns_the_file() {
    let project = TempProject::new();
    project.write("notes.txt", "first line\nsecond line\n");
    let session = connect(&project, Rules::default()).await;
    let result = call(&session, "read_file", json!({ "path": "notes.txt" })).await;
    assert!(!is_error(&result), "{result:?}");
    assert!(text(&result).contains("second line"), "{result:?}");
}

#[tokio::test]
async fn an_image_comes_back_as_image_content() {
    let project = TempProject::new();
    // The smallest valid PNG: a 1×1 transparent pixel.
    let png: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
        0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
        0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    project.write("pixel.png", png);
    let session = connect(&project, Rules::default()).await;
    let result = call(&session, "read_file", json!({ "path": "pixel.png" })).await;
    assert!(!is_error(&result), "{result:?}");
    let image = result.content.iter().find_map(|block| block.as_image());
    let image = image.unwrap_or_else(|| panic!("no image content in {result:?}"));
    assert_eq!(image.mime_type, "image/png");
    assert!(!image.data.is_empty());
}

#[tokio::test]
async fn a_deny_rule_refuses_the_call_and_names_the_rule() {
    let project = TempProject::new();
    project.write("secret.txt", "TOP SECRET\n");
    let rules = Rules {
        deny: vec!["read_file(secret.txt)".into()],
        mode: PermissionMode::BypassPermissions,
        ..Default::default()
    };
    let session = connect(&project, rules).await;
    let result = call(&session, "read_file", json!({ "path": "secret.txt" })).await;
    assert!(is_error(&result), "{result:?}");
    assert!(text(&result).contains("read_file(secret.txt)"), "{result:?}");
    assert!(!text(&result).contains("TOP SECRET"), "{result:?}");
}

#[tokio::test]
async fn a_call_needing_approval_is_refused_with_the_rule_that_would_allow_it() {
    let project = TempProject::new();
    let session = connect(&project, Rules::default()).await;
    let result = call(&session, "bash", json!({ "command": "touch made-by-bash" })).await;
    assert!(is_error(&result), "{result:?}");
    assert!(text(&result).contains("`bash(touch:*)`"), "{result:?}");
    let result = call(&session, "write_file", json!({ "path": "new.txt", "content": "x" })).await;
    assert!(is_error(&result), "{result:?}");
    assert!(text(&result).contains("`edit_file(./**)`"), "{result:?}");
    // Checked after both calls returned: neither ran.
    assert!(!project.path("made-by-bash").exists());
    assert!(!project.path("new.txt").exists());
}

#[tokio::test]
async fn an_ask_rule_refuses_even_what_would_run_unasked() {
    let project = TempProject::new();
    project.write("notes.txt", "text\n");
    let rules = Rules { ask: vec!["read_file".into()], ..Default::default() };
    let session = connect(&project, rules).await;
    let result = call(&session, "read_file", json!({ "path": "notes.txt" })).await;
    assert!(is_error(&result), "{result:?}");
    assert!(text(&result).contains("no one can approve it"), "{result:?}");
}

#[tokio::test]
async fn shell_commands_run_as_the_rules_say() {
    let project = TempProject::new();
    project.write("src/lib.rs", "pub fn marker() {}\n");
    let session =
        connect(&project, Rules { allow: vec!["bash(touch:*)".into()], ..Default::default() }).await;
    // Read-only: runs without any rule.
    let result = call(&session, "bash", json!({ "command": "cat src/lib.rs" })).await;
    assert!(!is_error(&result), "{result:?}");
    assert!(text(&result).contains("pub fn marker"), "{result:?}");
    // Allowed by the rule: runs, in the project.
    let result = call(&session, "bash", json!({ "command": "touch allowed-file" })).await;
    assert!(!is_error(&result), "{result:?}");
    assert!(project.path("allowed-file").exists());
    // No rule: refused.
    let result = call(&session, "bash", json!({ "command": "rm src/lib.rs" })).await;
    assert!(is_error(&result), "{result:?}");
    assert!(project.path("src/lib.rs").exists());
}

#[tokio::test]
async fn an_unknown_tool_is_an_error_naming_the_tools() {
    let project = TempProject::new();
    let session = connect(&project, Rules::default()).await;
    let result = call(&session, "launch_rockets", json!({})).await;
    assert!(is_error(&result), "{result:?}");
    assert!(text(&result).contains("read_file"), "{result:?}");
}

/// Waits (bounded) until `path` exists: the command has reached the point under test.
async fn wait_for_file(path: &Path) -> String {
    for _ in 0..600 {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.ends_with('\n')
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} never appeared", path.display());
}

/// Whether process `pid` still runs (a zombie waiting to be reaped does not).
fn running(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_cancelled_call_kills_its_processes() {
    let project = TempProject::new();
    let session = connect(&project, Rules { allow: vec!["bash".into()], ..Default::default() }).await;
    let pid_file = project.path("sleeper.pid");
    let command = format!("sleep 1000 & echo $! > {}; wait", pid_file.display());
    let params = CallToolRequestParams::new("bash")
        .with_arguments(json!({ "command": command }).as_object().unwrap().clone());
    // Dropping the call's future (when the file appears) makes rmcp send notifications/cancelled.
    let pid = tokio::select! {
        result = session.client.call_tool(params) => panic!("the call finished: {result:?}"),
        pid = wait_for_file(&pid_file) => pid.trim().to_string(),
    };
    for _ in 0..600 {
        if !running(&pid) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!running(&pid), "sleep {pid} survived the cancellation");
    // The server still answers after a cancellation.
    let result = call(&session, "bash", json!({ "command": "echo still here" })).await;
    assert!(text(&result).contains("still here"), "{result:?}");
    assert_ne!(text(&result), CANCELLED_RESULT);
}
