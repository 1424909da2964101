//! Hooks: what a no-op PreToolUse hook (`true`) adds to a tool call beyond the hook's own process, measured
//! as the time Claurst's hook runner takes for the event (matching, the event's JSON, spawning `sh -c true`
//! in its own process group with the JSON on stdin, collecting its output, folding the outcome) against a
//! bare `sh -c true` spawned and waited for.

use crate::measure::{Timing, ms};
use anyhow::{Result, ensure};
use claurst_config::{HookDefinition, HookScope};
use claurst_extensions::hooks::{HookEvent, HookInput, HookOutcome, HookRunner, HookSession};
use claurst_tools::ShellSandbox;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CALLS: usize = 300;

pub fn run() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let bare = bare_spawns()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let through_runner = runtime.block_on(hook_runs(dir.path()))?;
    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| bare `sh -c true`, spawned and waited for (median of {CALLS}) | {} (p99 {}) | |",
        ms(bare.median),
        ms(bare.p99)
    );
    println!(
        "| … as a PreToolUse hook through Claurst's runner (median of {CALLS}) | {} (p99 {}) | |",
        ms(through_runner.median),
        ms(through_runner.p99)
    );
    println!(
        "| … Claurst's own time per tool call (difference of medians) | {} | < 5 ms |",
        ms(through_runner.median.saturating_sub(bare.median))
    );
    Ok(())
}

fn bare_spawns() -> Result<Timing> {
    let mut samples = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        let status = Command::new("sh").args(["-c", "true"]).stdin(Stdio::null()).status()?;
        samples.push(started.elapsed());
        ensure!(status.success(), "sh -c true failed");
    }
    Ok(Timing::from_samples(samples))
}

async fn hook_runs(project: &std::path::Path) -> Result<Timing> {
    let hook = HookDefinition {
        event: HookEvent::PreToolUse,
        matcher: "Bash|Edit".into(),
        command: "true".into(),
        timeout: Duration::from_secs(60),
        scope: HookScope::User,
        file: project.join("config.toml"),
    };
    // The sandbox off: what is measured is the runner, not the kernel sandbox's launcher.
    let (runner, warnings) = HookRunner::new(vec![hook], project, ShellSandbox::default());
    ensure!(warnings.is_empty(), "{warnings:?}");
    let session = HookSession { session_id: "bench".into(), ..HookSession::default() };
    let mut samples = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let input = HookInput::new(HookEvent::PreToolUse)
            .subject("bash")
            .field("tool_name", "bash")
            .field("tool_input", serde_json::json!({"command": "cargo test --workspace"}));
        let started = Instant::now();
        let outcome = runner.run(&session, input).await;
        samples.push(started.elapsed());
        ensure!(outcome == HookOutcome::default(), "the no-op hook did something: {outcome:?}");
    }
    Ok(Timing::from_samples(samples))
}
