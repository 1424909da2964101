//! MCP: the first frame with three configured stdio servers against none (servers start in the background,
//! so the first frame must not wait for them), and Claurst's own time per MCP tool call beyond the server's.

use crate::measure::{Timing, ms, release_binary};
use anyhow::{Context, Result};
use claurst_config::{McpScope, McpServerConfig, McpTransport};
use claurst_mcp::{Admission, McpManager, McpOptions};
use claurst_test_support::{MockApi, PtySession, TempProject, claurst_pty_command, write_mcp_stub};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LAUNCHES: usize = 20;
const CALLS: usize = 500;

pub fn run() -> Result<()> {
    let binary = release_binary()?;
    println!("| measure | result | target |\n|---|---|---|");
    let none = first_frame(&binary, 0)?;
    let three = first_frame(&binary, 3)?;
    println!(
        "| launch to first drawn frame, no MCP servers (median of {LAUNCHES}) | {} (p99 {}) | |",
        ms(none.median),
        ms(none.p99)
    );
    println!(
        "| … with three stdio MCP servers configured | {} (p99 {}) | within 2 ms of none |",
        ms(three.median),
        ms(three.p99)
    );
    call_overhead()?;
    Ok(())
}

/// Launch to the first frame in a project whose user config defines `servers` copies of the stub server.
fn first_frame(binary: &Path, servers: usize) -> Result<Timing> {
    let project = TempProject::new();
    let script = write_mcp_stub(project.root());
    let mut config = String::new();
    for index in 0..servers {
        config.push_str(&format!(
            "[mcp_servers.stub{index}]\ncommand = \"python3\"\nargs = [{:?}]\n",
            script.display().to_string()
        ));
    }
    std::fs::create_dir_all(project.home().join(".claurst"))?;
    std::fs::write(project.home().join(".claurst/config.toml"), config)?;
    let api = MockApi::start();
    let mut samples = Vec::new();
    for _ in 0..LAUNCHES {
        let started = Instant::now();
        let mut session = PtySession::spawn(claurst_pty_command(binary, &project, Some(&api)), 60, 200);
        session.wait_for("ctx 0%", Duration::from_secs(10));
        samples.push(started.elapsed());
        session.send(claurst_test_support::keys::CTRL_D);
        session.wait_exit(Duration::from_secs(10));
    }
    Ok(Timing::from_samples(samples))
}

/// The same `echo` call to the same stub server, made through Claurst's MCP tool (rmcp client, result
/// mapping, size cap) and by a bare JSON-RPC exchange on the server's stdio; the difference is Claurst's own.
fn call_overhead() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let script = write_mcp_stub(dir.path());
    let bare = bare_calls(&script)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let through_claurst = runtime.block_on(tool_calls(&script, dir.path()))?;
    println!(
        "| `echo` call to a stdio server, bare JSON-RPC round trip (median of {CALLS}) | {} (p99 {}) | |",
        ms(bare.median),
        ms(bare.p99)
    );
    println!(
        "| … through Claurst's MCP tool | {} (p99 {}) | |",
        ms(through_claurst.median),
        ms(through_claurst.p99)
    );
    println!(
        "| … Claurst's own time per call (difference of medians) | {} | < 1 ms |",
        ms(through_claurst.median.saturating_sub(bare.median))
    );
    Ok(())
}

fn bare_calls(script: &Path) -> Result<Timing> {
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("python3 starts the stub")?;
    let mut input = child.stdin.take().context("stdin")?;
    let mut output = BufReader::new(child.stdout.take().context("stdout")?);
    let mut exchange = |message: Value| -> Result<Value> {
        writeln!(input, "{message}")?;
        input.flush()?;
        let mut line = String::new();
        output.read_line(&mut line)?;
        Ok(serde_json::from_str(&line)?)
    };
    exchange(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}}))?;
    let mut samples = Vec::with_capacity(CALLS);
    for id in 1..=CALLS {
        let started = Instant::now();
        let answer = exchange(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": "hello"}}}))?;
        samples.push(started.elapsed());
        anyhow::ensure!(
            answer["result"]["content"][0]["text"] == "echo: hello",
            "unexpected answer {answer}"
        );
    }
    child.kill()?;
    child.wait()?;
    Ok(Timing::from_samples(samples))
}

async fn tool_calls(script: &Path, dir: &Path) -> Result<Timing> {
    let server = McpServerConfig {
        name: "stub".into(),
        transport: McpTransport::Stdio {
            command: "python3".into(),
            args: vec![script.display().to_string()],
            env: Default::default(),
            cwd: None,
        },
        enabled: true,
        startup_timeout: Duration::from_secs(30),
        tool_timeout: Duration::from_secs(30),
        allowed_tools: None,
        disabled_tools: Vec::new(),
        scope: McpScope::User,
        source: None,
        fingerprint: String::new(),
        written_target: None,
    };
    let options = McpOptions::new(dir, dir.join("tool-output"));
    let manager = McpManager::new(vec![(server, Admission::Start)], options);
    manager.start();
    manager.wait_for_startup().await;
    let tool = claurst_tools::ToolSource::tools(manager.as_ref())
        .into_iter()
        .find(|tool| tool.name() == "mcp__stub__echo")
        .context("the stub's echo tool is offered")?;
    let mut samples = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        let outcome = tool.run(json!({"text": "hello"})).await;
        samples.push(started.elapsed());
        anyhow::ensure!(outcome.result.output == "echo: hello", "unexpected result {:?}", outcome.result);
    }
    manager.shutdown().await;
    Ok(Timing::from_samples(samples))
}
