//! `cargo xtask prompt-size`: how big the prompt is that Claurst sends before the user's first word, next to
//! Claude Code's for the same project, both read from the first model request each sends to the scripted API.
//!
//! Sizes are bytes of the system prompt's text and of the `tools` array as JSON; tokens are estimated as
//! bytes / 4 (no tokenizer for Claude's models is published, and a guessed vocabulary would be no better).
//! Claude Code comes from npm, pinned at [`CLAUDE_CODE_VERSION`], installed once into the tests' cache
//! directory the way `claurst_test_support::mcp_servers` installs the MCP servers.

use crate::eval::fixtures;
use anyhow::{Context, Result, bail};
use claurst_test_support::cached_install::npm_packages;
use claurst_test_support::{CapturedRequest, MockApi, Reply, TempProject, Turn};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Claude Code release measured (current on the npm registry on 2026-12-01).
pub const CLAUDE_CODE_VERSION: &str = "2.1.332";
/// A run that has not finished by then is stopped; the request it sent first is all we need.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// One prompt's size.
struct PromptSize {
    system_bytes: usize,
    tools_bytes: usize,
    tool_count: usize,
}

impl PromptSize {
    fn of(request: &CapturedRequest) -> PromptSize {
        let body = &request.body;
        let tools = body["tools"].as_array().map(Vec::len).unwrap_or(0);
        let tools_bytes = serde_json::to_string(&body["tools"]).map(|text| text.len()).unwrap_or(0);
        PromptSize { system_bytes: system_text(&body["system"]).len(), tools_bytes, tool_count: tools }
    }

    fn row(&self, who: &str) -> String {
        let tokens = |bytes: usize| bytes.div_ceil(4);
        format!(
            "| {who} | {} B (~{} tokens) | {} B (~{} tokens), {} tools | ~{} tokens |",
            self.system_bytes,
            tokens(self.system_bytes),
            self.tools_bytes,
            tokens(self.tools_bytes),
            self.tool_count,
            tokens(self.system_bytes + self.tools_bytes)
        )
    }
}

/// The system prompt's text: a plain string, or the text of each block of an array.
fn system_text(system: &Value) -> String {
    match system {
        Value::String(text) => text.clone(),
        Value::Array(blocks) => {
            blocks.iter().filter_map(|block| block["text"].as_str()).collect::<Vec<_>>().join("\n")
        }
        _ => String::new(),
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let binary = match args {
        [flag, path] if flag == "--binary" => {
            std::fs::canonicalize(path).with_context(|| format!("no binary at {path}"))?
        }
        [] => crate::measure::release_binary()?,
        _ => bail!("usage: cargo xtask prompt-size [--binary PATH]"),
    };
    let project = fixture_project();
    println!("| agent | system prompt | tools | total |\n|---|---|---|---|");
    println!("{}", claurst(&binary, &project)?.row("Claurst"));
    match claude_code(&project) {
        Ok(size) => println!("{}", size.row(&format!("Claude Code {CLAUDE_CODE_VERSION}"))),
        Err(error) => println!("| Claude Code {CLAUDE_CODE_VERSION} | not measured: {error:#} | | |"),
    }
    println!("\nTokens estimated as bytes / 4; the shop fixture of `cargo xtask eval`, in a git repository.");
    Ok(())
}

/// The same small project for both agents: the eval's shop fixture, committed.
fn fixture_project() -> TempProject {
    let project = TempProject::new();
    for (path, contents) in fixtures::SHOP {
        project.write(path, contents);
    }
    project.git_init();
    project.git(&["add", "-A"]);
    project.git(&["commit", "-qm", "Initial commit"]);
    project
}

/// The main model request of a run: the one offering the most tools (side requests offer none).
fn main_request(api: &MockApi) -> Result<CapturedRequest> {
    let requests = api.requests().into_iter().filter(|request| request.wire_format().is_some());
    requests
        .max_by_key(|request| request.body["tools"].as_array().map(Vec::len).unwrap_or(0))
        .context("no model request reached the scripted API")
}

fn claurst(binary: &Path, project: &TempProject) -> Result<PromptSize> {
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Hello.")));
    let mut command = claurst_test_support::claurst_command(binary, project, Some(&api));
    command.args(["-p", "hi", "--output-format", "json"]);
    let output = command.stdin(Stdio::null()).output().context("running claurst")?;
    if !output.status.success() {
        bail!("claurst failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(PromptSize::of(&main_request(&api)?))
}

fn claude_code(project: &TempProject) -> Result<PromptSize> {
    let claude = install_claude_code()?;
    let api = MockApi::start();
    // Side requests (titles, topic checks) take replies too; more than enough for a one-word prompt.
    for _ in 0..12 {
        api.push(Reply::stream(Turn::text_only("Hello.")));
    }
    let mut command = Command::new(&claude);
    command
        .env_clear()
        .current_dir(project.project())
        .env("HOME", project.home())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ANTHROPIC_BASE_URL", api.url())
        .env("ANTHROPIC_API_KEY", "sk-ant-prompt-size")
        .env("DISABLE_AUTOUPDATER", "1")
        .env("DISABLE_TELEMETRY", "1")
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .args(["-p", "hi", "--output-format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().with_context(|| format!("starting {}", claude.display()))?;
    let started = Instant::now();
    while child.try_wait()?.is_none() && started.elapsed() < RUN_LIMIT {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let output = child.wait_with_output()?;
    main_request(&api)
        .with_context(|| {
            format!(
                "claude exited with {:?}: {}{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })
        .map(|request| PromptSize::of(&request))
}

/// Installs the pinned Claude Code unless it is installed; returns its `claude` executable.
fn install_claude_code() -> Result<PathBuf> {
    let name = format!("claude-code-{CLAUDE_CODE_VERSION}");
    let dir = npm_packages(
        &name,
        "claurst-claude-code-installed",
        &[("@anthropic-ai/claude-code", CLAUDE_CODE_VERSION)],
        &[],
    )
    .with_context(|| format!("installing @anthropic-ai/claude-code@{CLAUDE_CODE_VERSION}"))?;
    Ok(dir.join("node_modules/.bin/claude"))
}
