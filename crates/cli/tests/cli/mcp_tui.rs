//! MCP in the real TUI: a project server waits for the user's trust, and `/mcp` explains itself.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, TempProject, claurst_pty_command, keys, write_mcp_stub};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

fn start(project: &TempProject, api: &MockApi) -> PtySession {
    // Wide enough for the temporary paths in the command line to show on one row.
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), 50, 200);
    session.wait_for("ctx 0%", WAIT);
    session
}

#[test]
fn a_project_server_starts_only_once_the_user_trusts_it() {
    let project = TempProject::new();
    project.git_init();
    let stub = write_mcp_stub(project.root());
    let project_marker = project.path("project-server-started");
    let user_marker = project.path("user-server-started");
    project.write(
        ".mcp.json",
        serde_json::json!({"mcpServers": {"repo-echo": {
            "command": "python3",
            "args": [stub.to_string_lossy()],
            "env": {"MCP_STUB_MARKER": project_marker.to_string_lossy()},
        }}})
        .to_string(),
    );
    // A server of the user's own, which starts without asking: once it runs, an untrusted server started
    // alongside would have run too, so the check below can fail.
    project.write_home(
        ".claurst/config.toml",
        format!(
            "[mcp_servers.mine]\ncommand = \"python3\"\nargs = [{:?}]\nenv = {{ MCP_STUB_MARKER = {:?} }}\n",
            stub.to_string_lossy(),
            user_marker.to_string_lossy()
        ),
    );
    let api = MockApi::start();
    let mut session = start(&project, &api);

    let dialog = session.wait_for("asks to start MCP server repo-echo", WAIT);
    assert!(dialog.contains("project (.mcp.json)") || dialog.contains(".mcp.json"), "{dialog}");
    assert!(dialog.contains("python3"), "the command line is shown: {dialog}");
    assert!(dialog.contains("mcp_stub.py"), "the command line is shown: {dialog}");
    session.wait_for("MCP 1/2", WAIT);
    assert!(user_marker.exists(), "the user's own server started");
    assert!(!project_marker.exists(), "the project's server must not start before the user answers");

    // The approved server starts.
    session.send("y");
    session.wait_for("MCP 2/2", WAIT);
    assert!(project_marker.exists(), "the approved server started");
    session.type_text("/mcp");
    // The command is on screen (and its menu open) before Enter runs it.
    session.wait_for("› /mcp", WAIT);
    session.send(keys::ENTER);
    let panel = session.wait_for("repo-echo · ready · 6 tools", WAIT);
    assert!(panel.contains("mine · ready · 6 tools"), "{panel}");
}

#[test]
fn mcp_without_servers_says_how_to_add_one() {
    let project = TempProject::new();
    project.git_init();
    let api = MockApi::start();
    let mut session = start(&project, &api);
    session.type_text("/mcp");
    // The command is on screen (and its menu open) before Enter runs it.
    session.wait_for("› /mcp", WAIT);
    session.send(keys::ENTER);
    let panel = session.wait_for("No MCP servers are configured.", WAIT);
    assert!(panel.contains("claurst mcp add NAME -- COMMAND"), "{panel}");
    assert!(panel.contains(".mcp.json"), "{panel}");
    session.send(keys::ESC);
    session.wait_until("the panel to close", WAIT, |screen| !screen.contains("MCP servers"));
    assert!(api.requests().is_empty(), "/mcp asks the model nothing");
}

#[test]
fn escape_cancels_a_running_mcp_call_and_the_server_is_told() {
    let project = TempProject::new();
    project.git_init();
    let stub = write_mcp_stub(project.root());
    let log = project.root().join("stub-log.jsonl");
    project.write_home(
        ".claurst/config.toml",
        format!(
            "[tools]\nallow = [\"mcp__slowpoke\"]\n[mcp_servers.slowpoke]\ncommand = \"python3\"\nargs = [{:?}]\n\
             env = {{ MCP_STUB_LOG = {:?} }}\n",
            stub.to_string_lossy(),
            log.to_string_lossy()
        ),
    );
    let api = MockApi::start();
    api.push(claurst_test_support::Reply::stream(claurst_test_support::Turn::new().tool_use(
        "m1",
        "mcp__slowpoke__hang",
        serde_json::json!({}),
    )));
    let mut session = start(&project, &api);
    session.wait_for("MCP 1/1", WAIT);
    session.type_text("take your time");
    session.send(keys::ENTER);
    // The call reached the server before Esc.
    session.wait_until("the server to receive the call", WAIT, |_| {
        claurst_test_support::mcp_stub_log(&log).iter().any(|message| message["method"] == "tools/call")
    });
    session.send(keys::ESC);
    session.wait_for("Interrupted", WAIT);
    session.wait_until("the server to be told", WAIT, |_| {
        claurst_test_support::mcp_stub_log(&log)
            .iter()
            .any(|message| message["method"] == "notifications/cancelled")
    });
}

#[test]
fn a_server_prompt_typed_as_a_slash_command_becomes_the_user_s_message() {
    let servers = claurst_test_support::mcp_servers::install().unwrap_or_else(|error| panic!("{error}"));
    let (command, mut args) = servers.everything();
    args.push("stdio".into());
    let project = TempProject::new();
    project.git_init();
    project.write_home(
        ".claurst/config.toml",
        format!("[mcp_servers.everything]\ncommand = {command:?}\nargs = {args:?}\n"),
    );
    let api = MockApi::start();
    api.push(claurst_test_support::Reply::stream(claurst_test_support::Turn::text_only("noted")));
    let mut session = start(&project, &api);
    session.wait_for("MCP 1/1", WAIT);
    session.type_text("/mcp__everything__args-prompt Lisbon");
    session.wait_for("› /mcp__everything__args-prompt Lisbon", WAIT);
    session.send(keys::ENTER);
    session.wait_for("noted", WAIT);
    let request = &api.requests()[0].body;
    let sent = request["messages"][0]["content"][0]["text"].as_str().unwrap_or_default().to_string();
    assert!(sent.contains("Lisbon") && !sent.starts_with('/'), "the prompt's text is sent: {sent}");
}
