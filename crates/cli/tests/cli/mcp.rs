//! MCP servers through the real binary: a model calls a server's tool and the result reaches the next request;
//! project servers never start before they are approved; deny rules hold for MCP tools; `system/init` lists
//! the servers. The server is the test-support stub (Python); `mcp_real.rs` drives servers from npm.

use crate::{claurst, run, stderr, stdout, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe, mcp_stub_log, write_mcp_stub};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A project with the stub server defined as `stub` in the user's config (trusted) or the project's
/// `.mcp.json` (needs approval). Returns the marker file the stub creates when it starts, and its log.
struct StubProject {
    project: TempProject,
    marker: PathBuf,
    log: PathBuf,
}

#[derive(Clone, Copy)]
enum Defined {
    ByUser,
    ByProject,
}

impl StubProject {
    fn new(defined: Defined, extra_config: &str) -> StubProject {
        let project = TempProject::new();
        let script = write_mcp_stub(project.root());
        let marker = project.root().join("stub-started");
        let log = project.root().join("stub-log.jsonl");
        let env = json!({"MCP_STUB_MARKER": marker, "MCP_STUB_LOG": log});
        match defined {
            Defined::ByUser => {
                let config = format!(
                    "{extra_config}\n[mcp_servers.stub]\ncommand = \"python3\"\nargs = [{script:?}]\nenv = {{ MCP_STUB_MARKER = {marker:?}, MCP_STUB_LOG = {log:?} }}\n",
                    script = script.display().to_string(),
                    marker = marker.display().to_string(),
                    log = log.display().to_string(),
                );
                std::fs::create_dir_all(project.home().join(".claurst")).unwrap();
                std::fs::write(project.home().join(".claurst/config.toml"), config).unwrap();
            }
            Defined::ByProject => {
                let servers =
                    json!({"mcpServers": {"stub": {"command": "python3", "args": [script], "env": env}}});
                std::fs::write(project.path(".mcp.json"), servers.to_string()).unwrap();
                if !extra_config.is_empty() {
                    std::fs::create_dir_all(project.home().join(".claurst")).unwrap();
                    std::fs::write(project.home().join(".claurst/config.toml"), extra_config).unwrap();
                }
            }
        }
        StubProject { project, marker, log }
    }

    fn started(&self) -> bool {
        self.marker.exists()
    }

    fn received(&self, method: &str) -> Vec<Value> {
        mcp_stub_log(&self.log).into_iter().filter(|message| message["method"] == method).collect()
    }
}

fn tool_names(body: &Value) -> Vec<String> {
    body["tools"].as_array().unwrap().iter().map(|tool| tool["name"].as_str().unwrap().to_string()).collect()
}

/// A scripted session: the model calls `mcp__stub__echo`, then answers.
fn echo_script(api: &MockApi) {
    api.push(Reply::stream(Turn::new().tool_use("m1", "mcp__stub__echo", json!({"text": "over MCP"}))));
    api.push(Reply::stream(Turn::text_only("done")));
}

#[test]
fn a_user_server_s_tool_is_offered_called_and_its_result_sent_back() {
    let stub = StubProject::new(Defined::ByUser, "[tools]\nallow = [\"mcp__stub__echo\"]");
    let api = MockApi::start();
    echo_script(&api);
    let output = run(claurst(&stub.project, &api).args(["-p", "echo something"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "done\n");
    let requests = api.requests();
    let names = tool_names(&requests[0].body);
    assert!(names.contains(&"mcp__stub__echo".to_string()), "{names:?}");
    let echo = requests[0].body["tools"].as_array().unwrap().iter().find(|t| t["name"] == "mcp__stub__echo");
    assert_eq!(echo.unwrap()["input_schema"]["required"], json!(["text"]));
    assert_eq!(tool_results(&requests[1].body), [("echo: over MCP".to_string(), false)]);
    assert_eq!(stub.received("tools/call").len(), 1);
}

#[test]
fn an_mcp_tool_without_a_rule_is_refused_headless_and_never_reaches_the_server() {
    let stub = StubProject::new(Defined::ByUser, "");
    let api = MockApi::start();
    echo_script(&api);
    let output = run(claurst(&stub.project, &api).args(["-p", "echo something"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].1, "refused: {results:?}");
    assert!(results[0].0.contains("mcp__stub__echo"), "names the rule that would allow it: {results:?}");
    assert!(stub.started(), "a user server starts");
    assert!(stub.received("tools/call").is_empty(), "the server never saw the call");
}

#[test]
fn a_deny_rule_on_one_mcp_tool_holds_even_in_bypass_mode() {
    let config = "[tools]\nallow = [\"mcp__stub\"]\ndeny = [\"mcp__stub__echo\"]\npermission_mode = \"bypassPermissions\"";
    let stub = StubProject::new(Defined::ByUser, config);
    let api = MockApi::start();
    echo_script(&api);
    let output = run(claurst(&stub.project, &api).args(["-p", "echo something"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].1 && results[0].0.contains("mcp__stub__echo"), "{results:?}");
    assert!(stub.received("tools/call").is_empty(), "the server never saw the call");
}

#[test]
fn an_unapproved_project_server_never_starts_headless_and_the_run_says_so() {
    let stub = StubProject::new(Defined::ByProject, "");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&stub.project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!stub.started(), "a project server must not start before it is approved");
    let warning = stderr(&output);
    assert!(warning.contains("stub") && warning.contains("claurst mcp approve stub"), "{warning}");
    let names = tool_names(&api.requests()[0].body);
    assert!(!names.iter().any(|name| name.starts_with("mcp__")), "{names:?}");
}

#[test]
fn an_approved_project_server_starts_and_a_changed_definition_is_asked_again() {
    let stub = StubProject::new(Defined::ByProject, "[tools]\nallow = [\"mcp__stub\"]");
    let approve = run(claurst(&stub.project, &MockApi::start()).args(["mcp", "approve", "stub"]));
    assert!(approve.status.success(), "{}", describe(&approve));

    let api = MockApi::start();
    echo_script(&api);
    let output = run(claurst(&stub.project, &api).args(["-p", "echo something"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stub.started());
    assert_eq!(tool_results(&api.requests()[1].body), [("echo: over MCP".to_string(), false)]);

    // The repository changes what the server runs: the approval no longer covers it.
    std::fs::remove_file(&stub.marker).unwrap();
    let changed = std::fs::read_to_string(stub.project.path(".mcp.json"))
        .unwrap()
        .replace("\"args\":[", "\"args\":[\"-u\",");
    std::fs::write(stub.project.path(".mcp.json"), changed).unwrap();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&stub.project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!stub.started(), "a changed definition must be approved again");
    assert!(stderr(&output).contains("claurst mcp approve stub"), "{}", stderr(&output));
}

#[test]
fn system_init_lists_the_servers_and_their_tools() {
    let stub = StubProject::new(Defined::ByUser, "");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output =
        run(claurst(&stub.project, &api).args(["-p", "hi", "--output-format", "stream-json", "--verbose"]));
    assert!(output.status.success(), "{}", describe(&output));
    let init: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(init["subtype"], "init");
    assert_eq!(init["mcp_servers"], json!([{"name": "stub", "status": "connected"}]));
    let tools: Vec<&str> = init["tools"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(tools.contains(&"mcp__stub__echo"), "{tools:?}");
}

#[test]
fn strict_mcp_config_uses_only_the_flag_s_servers() {
    let stub = StubProject::new(Defined::ByUser, "");
    let script = write_mcp_stub(stub.project.root());
    let flag = json!({"mcpServers": {"other": {"command": "python3", "args": [script]}}}).to_string();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&stub.project, &api).args([
        "-p",
        "hi",
        "--output-format",
        "stream-json",
        "--verbose",
        "--mcp-config",
        &flag,
        "--strict-mcp-config",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let init: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(init["mcp_servers"], json!([{"name": "other", "status": "connected"}]));
    assert!(!stub.started(), "the user's server is set aside by --strict-mcp-config");
}

#[test]
fn a_server_that_never_answers_fails_within_its_startup_timeout_and_the_run_goes_on() {
    let project = TempProject::new();
    let script = write_mcp_stub(project.root());
    let config = format!(
        "[mcp_servers.mute]\ncommand = \"python3\"\nargs = [{:?}]\nenv = {{ MCP_STUB_MODE = \"silent\" }}\nstartup_timeout_secs = 1\n",
        script.display().to_string()
    );
    write_user_config(project.home(), &config);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output =
        run(claurst(&project, &api).args(["-p", "hi", "--output-format", "stream-json", "--verbose"]));
    assert!(output.status.success(), "{}", describe(&output));
    let init: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(init["mcp_servers"], json!([{"name": "mute", "status": "failed"}]));
}

#[test]
fn a_bad_mcp_config_flag_is_a_clear_error() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-p", "hi", "--mcp-config", "{not json"]));
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--mcp-config"), "{}", stderr(&output));
    assert!(api.requests().is_empty());
}

fn write_user_config(home: &Path, text: &str) {
    std::fs::create_dir_all(home.join(".claurst")).unwrap();
    std::fs::write(home.join(".claurst/config.toml"), text).unwrap();
}

#[test]
fn a_server_that_crashes_mid_call_is_reported_and_restarted_for_the_next_call() {
    let stub = StubProject::new(Defined::ByUser, "[tools]\nallow = [\"mcp__stub\"]");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("m1", "mcp__stub__crash", json!({}))));
    api.push(Reply::stream(Turn::new().tool_use("m2", "mcp__stub__echo", json!({"text": "again"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&stub.project, &api).args(["-p", "crash it"]));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    let crashed = tool_results(&requests[1].body);
    assert!(crashed[0].1, "the crash is an error result: {crashed:?}");
    assert!(
        crashed[0].0.contains("status 3: boom"),
        "the reason names the server's last stderr line: {crashed:?}"
    );
    assert!(
        !stderr(&output).contains("boom"),
        "a server's stderr never reaches the terminal: {}",
        describe(&output)
    );
    assert_eq!(tool_results(&requests[2].body), [("echo: again".to_string(), false)]);
    assert_eq!(stub.received("initialize").len(), 2, "the server was started again");
}

#[test]
fn a_fifty_megabyte_result_is_capped_for_the_model_and_saved_whole() {
    let stub = StubProject::new(Defined::ByUser, "[tools]\nallow = [\"mcp__stub\"]");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("m1", "mcp__stub__big", json!({"chars": 50_000_000}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&stub.project, &api).args(["-p", "big"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    let (text, is_error) = &results[0];
    assert!(!is_error);
    assert!(text.len() < 100_000, "capped: {} bytes reached the model", text.len());
    assert!(text.starts_with("xxxxxxxx"), "the start of the output is kept");
    // The whole output is saved in the session's folder (a temporary one in a headless run, gone by now):
    // the model is told where.
    let location = &text[text.len().saturating_sub(400)..];
    assert!(text.contains("/tool-output/mcp-"), "{location}");
    assert!(
        !text.contains("tool-output/tool-output"),
        "saved beside bash output, not a folder deeper: {location}"
    );
}

/// Whether process `pid` still runs (a zombie waiting to be reaped has stopped).
fn still_running(pid: &str) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = status.rsplit(')').next().unwrap_or_default().split_whitespace().next();
    !status.is_empty() && state != Some("Z")
}

#[test]
fn a_stdio_server_and_its_helpers_die_with_the_run() {
    let project = TempProject::new();
    let script = write_mcp_stub(project.root());
    let log = project.root().join("stub-log.jsonl");
    write_user_config(
        project.home(),
        &format!(
            "[mcp_servers.stub]\ncommand = \"python3\"\nargs = [{:?}]\nenv = {{ MCP_STUB_LOG = {:?}, MCP_STUB_HELPER = \"1\" }}\n",
            script.display().to_string(),
            log.display().to_string()
        ),
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    let started = std::fs::read_to_string(&log).unwrap();
    let pids: Vec<&str> = started
        .lines()
        .filter_map(|line| line.strip_prefix("PID ").or(line.strip_prefix("HELPER ")))
        .collect();
    assert_eq!(pids.len(), 2, "the server and its helper started: {started}");
    // The group is killed before the binary exits; the kernel may take a moment to tear the processes down.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    for pid in pids {
        while still_running(pid) {
            assert!(std::time::Instant::now() < deadline, "process {pid} outlived the run");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
