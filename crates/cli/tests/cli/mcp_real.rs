//! The real binary with MCP servers nobody here wrote, installed from the npm registry: the model calls a
//! server's tool and the result reaches the next request, over stdio and over streamable HTTP; a resource
//! mentioned as `@server:uri` in the prompt reaches the model with it.

use crate::{claurst, run, tool_results};
use claurst_test_support::mcp_servers::{self, EverythingHttp};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

/// `--mcp-config` JSON for one server.
fn mcp_config(name: &str, server: Value) -> String {
    json!({"mcpServers": {name: server}}).to_string()
}

/// `claurst -p PROMPT` with one MCP server from `--mcp-config`, every call allowed.
fn run_allowing_everything(project: &TempProject, api: &MockApi, config: &str) {
    let output = run(claurst(project, api).args([
        "-p",
        "use the server",
        "--mcp-config",
        config,
        "--permission-mode",
        "bypassPermissions",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
}

fn stdio(command: String, args: Vec<String>) -> Value {
    json!({"command": command, "args": args})
}

#[test]
fn server_everything_over_stdio_answers_the_model() {
    let servers = mcp_servers::install().unwrap_or_else(|error| panic!("{error}"));
    let (command, mut args) = servers.everything();
    args.push("stdio".into());
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "m1",
        "mcp__everything__echo",
        json!({"message": "hi there"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use("m2", "mcp__everything__get-sum", json!({"a": 40, "b": 2}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let config = mcp_config("everything", stdio(command, args));
    run_allowing_everything(&project, &api, &config);
    let requests = api.requests();
    let names: Vec<&str> =
        requests[0].body["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"mcp__everything__echo") && names.contains(&"list_mcp_resources"), "{names:?}");
    let echoed = tool_results(&requests[1].body);
    assert!(!echoed[0].1 && echoed[0].0.contains("hi there"), "{echoed:?}");
    let sum = tool_results(&requests[2].body);
    assert!(!sum[0].1 && sum[0].0.contains("42"), "{sum:?}");
}

#[test]
fn server_everything_over_streamable_http_answers_the_model() {
    let server = EverythingHttp::start("streamableHttp");
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("m1", "mcp__web__echo", json!({"message": "over http"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let config =
        mcp_config("web", json!({"type": "http", "url": format!("http://127.0.0.1:{}/mcp", server.port)}));
    run_allowing_everything(&project, &api, &config);
    let echoed = tool_results(&api.requests()[1].body);
    assert!(!echoed[0].1 && echoed[0].0.contains("over http"), "{echoed:?}");
}

#[test]
fn server_filesystem_reads_a_file_for_the_model_under_an_allow_rule() {
    let servers = mcp_servers::install().unwrap_or_else(|error| panic!("{error}"));
    let (command, mut args) = servers.filesystem();
    let project = TempProject::new();
    project.write("notes/today.txt", "buy milk\n");
    args.push(project.project().display().to_string());
    std::fs::create_dir_all(project.home().join(".claurst")).unwrap();
    std::fs::write(
        project.home().join(".claurst/config.toml"),
        "[tools]\nallow = [\"mcp__fs__read_text_file\"]\n",
    )
    .unwrap();
    let api = MockApi::start();
    let path = project.path("notes/today.txt").display().to_string();
    api.push(Reply::stream(Turn::new().tool_use("m1", "mcp__fs__read_text_file", json!({"path": path}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let config = mcp_config("fs", stdio(command, args));
    let output = run(claurst(&project, &api).args(["-p", "read my notes", "--mcp-config", &config]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(tool_results(&api.requests()[1].body), [("buy milk\n".to_string(), false)]);
}

#[test]
fn a_resource_mention_in_the_prompt_reaches_the_model_with_the_resource() {
    let servers = mcp_servers::install().unwrap_or_else(|error| panic!("{error}"));
    let (command, mut args) = servers.everything();
    args.push("stdio".into());
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let uri = "demo://resource/static/document/features.md";
    let prompt = format!("summarise @everything:{uri}, please");
    let config = mcp_config("everything", stdio(command, args));
    let output = run(claurst(&project, &api).args(["-p", &prompt, "--mcp-config", &config]));
    assert!(output.status.success(), "{}", describe(&output));
    // The whole first request, as text: the prompt is the last user message, however it is laid out.
    let sent = api.requests()[0].body["messages"].to_string();
    assert!(sent.contains(&format!(r#"<mcp-resource server=\"everything\" uri=\"{uri}\">"#)), "{sent}");
    assert!(sent.contains("Everything Server - Features"), "the resource's text is appended: {sent}");
    assert!(!sent.contains("could not be read"), "{sent}");
}
