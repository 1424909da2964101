//! Servers that misbehave: never answer, crash mid-call, answer 50 MB, hang until cancelled, change their
//! tool list. The misbehaving server is test-support's stub (`write_mcp_stub`), run by python3.

use super::*;
use claurst_test_support::write_mcp_stub;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The stub server, logging what it receives to `log`, with a helper process in its group.
fn stub(log: &Path) -> McpServerConfig {
    // Written once per test process, in a folder of its own: a script rewritten under a running stub could
    // be read half-written.
    static SCRIPT: OnceLock<PathBuf> = OnceLock::new();
    let script = SCRIPT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mcp-stub-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        write_mcp_stub(&dir)
    });
    let mut stub = config("stub", stdio("python3", &[script.display().to_string()]));
    if let McpTransport::Stdio { env, .. } = &mut stub.transport {
        env.insert("MCP_STUB_LOG".to_string(), log.display().to_string());
        env.insert("MCP_STUB_HELPER".to_string(), "1".to_string());
    }
    stub
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_initialize_fails_within_its_startup_timeout() {
    let mut silent = config("silent", stdio("sleep", &["1000".to_string()]));
    silent.startup_timeout = Duration::from_secs(1);
    let missing = config("missing", stdio("claurst-no-such-command", &[]));
    let servers = Servers::start(vec![silent, missing]).await;
    assert_eq!(
        servers.view("silent").status,
        McpServerStatus::Failed { reason: "did not answer initialize within 1 s".to_string() }
    );
    assert_eq!(
        servers.view("missing").status,
        McpServerStatus::Failed { reason: "command `claurst-no-such-command` not found".to_string() }
    );
    assert!(servers.manager.tools().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_mid_call_is_an_error_result_and_the_next_call_restarts_the_server() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let servers = Servers::start(vec![stub(log.path())]).await;
    servers.assert_ready("stub");
    let echo = servers.tool("mcp__stub__echo");
    let crashed = servers.call("mcp__stub__crash", json!({})).await;
    assert!(crashed.result.is_error, "{crashed:?}");
    assert!(crashed.result.output.contains("stopped during the call"), "{}", crashed.result.output);
    assert!(crashed.result.output.contains("status 3: boom"), "{}", crashed.result.output);
    let McpServerStatus::Failed { reason } = servers.view("stub").status else { panic!("not failed") };
    assert_eq!(reason, "the server exited with status 3: boom: the stub crashed on purpose");
    // The tool taken before the crash still works: the call restarts the server.
    let again = echo.run(json!({"text": "ok"})).await;
    assert_eq!((again.result.output.as_str(), again.result.is_error), ("echo: ok", false));
    servers.assert_ready("stub");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_50_mb_result_is_capped_and_saved() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let servers = Servers::start(vec![stub(log.path())]).await;
    let big = servers.call("mcp__stub__big", json!({"chars": 50_000_000})).await;
    assert!(!big.result.is_error);
    assert!(big.result.output.len() < 30_000, "{} bytes shown", big.result.output.len());
    assert!(big.result.output.contains("The full result (50000000 characters) was saved to"));
    let saved: Vec<_> = std::fs::read_dir(servers.output.path()).unwrap().collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(std::fs::metadata(saved[0].as_ref().unwrap().path()).unwrap().len(), 50_000_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_a_call_sends_notifications_cancelled() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let servers = Servers::start(vec![stub(log.path())]).await;
    let hang = servers.tool("mcp__stub__hang");
    let call = tokio::spawn(async move { hang.run(json!({})).await });
    // Logged as it arrives: the call has reached the server.
    wait_for_log(log.path(), "\"hang\"").await;
    call.abort();
    let _ = call.await;
    let received = wait_for_log(log.path(), "notifications/cancelled").await;
    let cancelled = received.lines().find(|line| line.contains("notifications/cancelled")).unwrap();
    let call_line = received.lines().find(|line| line.contains("\"hang\"")).unwrap();
    let call_id = serde_json::from_str::<Value>(call_line).unwrap()["id"].clone();
    let cancelled: Value = serde_json::from_str(cancelled).unwrap();
    assert_eq!(cancelled["params"]["requestId"], call_id);
    // The server still answers.
    let ok = servers.call("mcp__stub__echo", json!({"text": "ok"})).await;
    assert_eq!(ok.result.output, "echo: ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_past_its_tool_timeout_is_cancelled_and_says_so() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut definition = stub(log.path());
    definition.tool_timeout = Duration::from_secs(1);
    let servers = Servers::start(vec![definition]).await;
    let hung = servers.call("mcp__stub__hang", json!({})).await;
    assert!(hung.result.is_error);
    assert_eq!(
        hung.result.output,
        "MCP server `stub` did not finish `hang` within 1 s; the call was cancelled."
    );
    wait_for_log(log.path(), "notifications/cancelled").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tools_list_changed_refreshes_the_tools() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let servers = Servers::start(vec![stub(log.path())]).await;
    assert!(!servers.view("stub").tools.contains(&"mcp__stub__extra".to_string()));
    let grow = servers.tool("mcp__stub__grow");
    assert_eq!(grow.input_schema()["type"], "object", "a schema without a type gets one");
    servers.call("mcp__stub__grow", json!({})).await;
    wait_for_view(&servers.manager, "stub", |view| view.tools.contains(&"mcp__stub__extra".to_string()))
        .await;
    let extra = servers.call("mcp__stub__extra", json!({})).await;
    assert!(extra.result.is_error, "the stub has no handler for it: {extra:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_kills_the_server_process() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let servers = Servers::start(vec![stub(log.path())]).await;
    let ok = servers.tool("mcp__stub__echo");
    let started = wait_for_log(log.path(), "HELPER ").await;
    let pid = started.lines().find_map(|line| line.strip_prefix("PID ")).unwrap().to_string();
    let helper = started.lines().find_map(|line| line.strip_prefix("HELPER ")).unwrap().to_string();
    servers.manager.shutdown().await;
    wait_until_gone(&pid).await;
    wait_until_gone(&helper).await;
    let after = ok.run(json!({"text": "ok"})).await;
    assert!(after.result.is_error, "{after:?}");
    assert!(servers.manager.tools().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_the_manager_kills_the_server_process() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let Servers { manager, .. } = Servers::start(vec![stub(log.path())]).await;
    let started = wait_for_log(log.path(), "HELPER ").await;
    let pid = started.lines().find_map(|line| line.strip_prefix("PID ")).unwrap().to_string();
    let helper = started.lines().find_map(|line| line.strip_prefix("HELPER ")).unwrap().to_string();
    drop(manager);
    wait_until_gone(&pid).await;
    wait_until_gone(&helper).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_the_manager_kills_a_server_that_is_still_starting() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let script = format!("echo \"PID $$\" > '{}'; exec sleep 1000", log.path().display());
    let silent = config("silent", stdio("sh", &["-c".to_string(), script]));
    let project = tempfile::tempdir().unwrap();
    let manager =
        McpManager::new(vec![(silent, Admission::Start)], McpOptions::new(project.path(), project.path()));
    manager.start();
    let started = wait_for_log(log.path(), "PID ").await;
    let pid = started.lines().find_map(|line| line.strip_prefix("PID ")).unwrap().trim().to_string();
    assert_eq!(manager.views()[0].status, McpServerStatus::Starting);
    drop(manager);
    wait_until_gone(&pid).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_waiting_for_approval_starts_only_once_approved() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let project = tempfile::tempdir().unwrap();
    let options = McpOptions::new(project.path(), project.path());
    let manager = McpManager::new(vec![(stub(log.path()), Admission::NeedsApproval)], options);
    manager.start();
    manager.wait_for_startup().await;
    assert_eq!(manager.views()[0].status, McpServerStatus::NeedsApproval);
    assert_eq!(std::fs::read_to_string(log.path()).unwrap(), "", "the server was started");
    let call = ToolSource::tools(manager.as_ref());
    assert!(call.is_empty());
    manager.approve("stub").unwrap();
    let ready = wait_for_view(&manager, "stub", |view| view.status == McpServerStatus::Ready).await;
    assert!(ready.tools.contains(&"mcp__stub__echo".to_string()));
    manager.set_enabled("stub", false).await.unwrap();
    assert_eq!(manager.views()[0].status, McpServerStatus::Disabled);
    assert!(manager.tools().is_empty());
    manager.set_enabled("stub", true).await.unwrap();
    wait_for_view(&manager, "stub", |view| view.status == McpServerStatus::Ready).await;
    manager.deny("stub").unwrap();
    assert_eq!(manager.views()[0].status, McpServerStatus::Denied);
    assert!(matches!(manager.reconnect("nobody").await, Err(claurst_mcp::McpError::UnknownServer(_))));
}

/// Returns once process `pid` has exited (and been reaped, or is a zombie waiting for it).
async fn wait_until_gone(pid: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let status = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The state is the field after the parenthesised command name; `Z` is a zombie.
        let state = status.rsplit(')').next().unwrap_or_default().split_whitespace().next();
        if status.is_empty() || state == Some("Z") {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "process {pid} is still running: {status}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The stub's log once it contains `needle` (it is appended line by line as messages arrive).
async fn wait_for_log(log: &Path, needle: &str) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(log).unwrap();
        if text.contains(needle) {
            return text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "`{needle}` never reached the server; it got:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_http_server_fails_with_its_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/mcp");
    let mut http = config("away", McpTransport::Http { url: url.clone(), headers: BTreeMap::new() });
    http.startup_timeout = Duration::from_secs(5);
    let sse_url = format!("http://127.0.0.1:{port}/sse");
    let sse = config("old", McpTransport::Sse { url: sse_url.clone(), headers: BTreeMap::new() });
    let servers = Servers::start(vec![http, sse]).await;
    let McpServerStatus::Failed { reason } = servers.view("away").status else { panic!("not failed") };
    assert!(reason.starts_with(&url), "{reason}");
    let McpServerStatus::Failed { reason } = servers.view("old").status else { panic!("not failed") };
    assert!(reason.starts_with(&sse_url), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn http_servers_receive_the_definition_headers() {
    use claurst_test_support::{MockWeb, WebResponse};
    let web = MockWeb::start();
    web.route("/mcp", WebResponse::new(500, "text/plain", "no"));
    web.route("/sse", WebResponse::new(500, "text/plain", "no"));
    let headers = BTreeMap::from([
        ("Authorization".to_string(), "Bearer secret-token".to_string()),
        ("X-Team".to_string(), "tools".to_string()),
    ]);
    let http =
        config("web", McpTransport::Http { url: format!("{}/mcp", web.url()), headers: headers.clone() });
    let sse = config("old", McpTransport::Sse { url: format!("{}/sse", web.url()), headers });
    let servers = Servers::start(vec![http, sse]).await;
    assert!(matches!(servers.view("web").status, McpServerStatus::Failed { .. }));
    let requests = web.requests();
    for path in ["/mcp", "/sse"] {
        let request = requests.iter().find(|request| request.path_only() == path).unwrap();
        assert_eq!(request.header("authorization"), Some("Bearer secret-token"), "{path}");
        assert_eq!(request.header("x-team"), Some("tools"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_s_cached_tools_are_offered_while_it_starts_and_a_call_waits_for_it() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let options = || {
        let mut options = McpOptions::new(project.path(), project.path().join("tool-output"));
        options.tool_cache = Some(cache.path().to_path_buf());
        options
    };
    // A first session lists the tools (and caches them).
    let first = McpManager::new(vec![(stub(log.path()), Admission::Start)], options());
    first.start();
    first.wait_for_startup().await;
    first.shutdown().await;

    // The next session offers them before the server has even started; a call waits for it.
    let next = McpManager::new(vec![(stub(log.path()), Admission::Start)], options());
    let tools = next.tools();
    let echo = tools.iter().find(|tool| tool.name() == "mcp__stub__echo").expect("offered from the cache");
    next.start();
    let outcome = echo.run(json!({"text": "early"})).await;
    assert_eq!(outcome.result.output, "echo: early", "{outcome:?}");

    // A changed definition does not get the old list.
    let mut changed = stub(log.path());
    changed.fingerprint = "another definition".into();
    let other = McpManager::new(vec![(changed, Admission::Start)], options());
    assert!(other.tools().is_empty());
    // Nor does a server that is not trusted.
    let untrusted = McpManager::new(vec![(stub(log.path()), Admission::NeedsApproval)], options());
    assert!(untrusted.tools().is_empty());
    next.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ready_server_s_instructions_are_kept() {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut talkative = stub(log.path());
    if let McpTransport::Stdio { env, .. } = &mut talkative.transport {
        env.insert("MCP_STUB_INSTRUCTIONS".to_string(), "Call echo before anything else.".to_string());
    }
    let quiet = McpServerConfig { name: "quiet".into(), ..stub(log.path()) };
    let servers = Servers::start(vec![talkative, quiet]).await;
    assert_eq!(
        servers.manager.instructions(),
        [("stub".to_string(), "Call echo before anything else.".to_string())],
        "a server that gave none is left out"
    );
    servers.manager.shutdown().await;
    assert!(servers.manager.instructions().is_empty(), "a stopped server's notes go with it");
}
