//! Language servers: the first `lsp` diagnostics call in a small project, server start included, and later
//! calls against the server's own time for the same request.

use crate::measure::{Timing, ms};
use anyhow::{Context, Result, bail};
use claurst_config::LspConfig;
use claurst_lsp::{LspManager, LspTool};
use claurst_test_support::{TempProject, lsp_servers};
use claurst_tools::{Tool, ToolContext};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const FIRST_CALLS: usize = 10;
const LATER_CALLS: usize = 200;

const LIB: &str = "def greet(name: str) -> str:\n    return \"hello \" + name\n\n\nclass Greeter:\n    def hello(self) -> str:\n        return greet(\"you\")\n";
const MAIN: &str = "from lib import greet\n\ncount: int = greet(\"x\")\nprint(greet(\"y\"))\n";

pub fn run() -> Result<()> {
    let pyright = lsp_servers::install().context("installing pyright (cargo xtask setup-lsp)")?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(measure(pyright.command()))
}

fn project() -> TempProject {
    let project = TempProject::new();
    project.write("lib.py", LIB);
    project.write("main.py", MAIN);
    project
}

fn tool(project: &TempProject, command: &[String]) -> (LspTool, Arc<LspManager>) {
    let mut config = LspConfig::default();
    if let Some(python) = config.servers.iter_mut().find(|server| server.language == "python") {
        python.command = command.to_vec();
    }
    let root = project.path(".");
    let manager = Arc::new(LspManager::new(&root, config));
    let context = Arc::new(ToolContext::new(&root, root.join(".session"), Duration::from_secs(5)));
    (LspTool::new(context, Arc::clone(&manager)), manager)
}

async fn measure(command: Vec<String>) -> Result<()> {
    println!("| measure | result | target |\n|---|---|---|");
    let diagnostics = json!({"operation": "diagnostics", "file_path": "main.py"});
    let mut first = Vec::new();
    for _ in 0..FIRST_CALLS {
        let project = project();
        let (tool, manager) = tool(&project, &command);
        let started = Instant::now();
        let result = tool.execute(diagnostics.clone()).await;
        first.push(started.elapsed());
        if result.is_error || !result.output.contains("1 error") {
            bail!("unexpected diagnostics: {}", result.output);
        }
        manager.shutdown().await;
    }
    let first = Timing::from_samples(first);
    println!(
        "| first diagnostics call, pyright started by it (median of {FIRST_CALLS}) | {} (p99 {}) | < 2 s |",
        ms(first.median),
        ms(first.p99)
    );
    later_calls(&command).await
}

/// Hover on one symbol, `LATER_CALLS` times through the tool and as the bare request to the same server.
async fn later_calls(command: &[String]) -> Result<()> {
    let project = project();
    let (tool, manager) = tool(&project, command);
    let hover = json!({"operation": "hover", "file_path": "main.py", "line": 4, "character": 7});
    let warm = tool.execute(hover.clone()).await;
    if warm.is_error {
        bail!("hover failed: {}", warm.output);
    }
    let main = project.path("main.py");
    let server = manager.server_for(&main).await?.server;
    let params = json!({
        "textDocument": {"uri": claurst_lsp::uri::from_path(&main)},
        "position": {"line": 3, "character": 6},
    });
    let (mut bare, mut through_tool) = (Vec::new(), Vec::new());
    for _ in 0..LATER_CALLS {
        let started = Instant::now();
        server.request("textDocument/hover", params.clone()).await?;
        bare.push(started.elapsed());
        let started = Instant::now();
        tool.execute(hover.clone()).await;
        through_tool.push(started.elapsed());
    }
    let diagnostics = json!({"operation": "diagnostics", "file_path": "main.py"});
    let mut unchanged = Vec::new();
    for _ in 0..LATER_CALLS {
        let started = Instant::now();
        tool.execute(diagnostics.clone()).await;
        unchanged.push(started.elapsed());
    }
    let (bare, through_tool, unchanged) =
        (Timing::from_samples(bare), Timing::from_samples(through_tool), Timing::from_samples(unchanged));
    println!(
        "| hover, bare request to the running server (median of {LATER_CALLS}) | {} (p99 {}) | |",
        ms(bare.median),
        ms(bare.p99)
    );
    println!("| … through the `lsp` tool | {} (p99 {}) | |", ms(through_tool.median), ms(through_tool.p99));
    println!(
        "| … Claurst's own time per call (difference of medians) | {} | < 50 ms |",
        ms(through_tool.median.saturating_sub(bare.median))
    );
    println!(
        "| later diagnostics call, file unchanged (median of {LATER_CALLS}) | {} (p99 {}) | < 50 ms |",
        ms(unchanged.median),
        ms(unchanged.p99)
    );
    drop(server);
    manager.shutdown().await;
    Ok(())
}
