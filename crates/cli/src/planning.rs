//! `claurst --ultraplan "task"`: run a planning session, print and save its plan.

use crate::args::OutputFormat;
use crate::headless::{EXIT_ERROR, EXIT_INTERRUPTED};
use claurst_assistant::{AgentConfig, UltraplanError, UltraplanRun, run_ultraplan};
use claurst_config::UltraplanConfig;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub async fn run(
    settings: &UltraplanConfig,
    agent: AgentConfig,
    project_root: &Path,
    task: &str,
    format: OutputFormat,
) -> ExitCode {
    if !settings.enabled {
        eprintln!("Error: ULTRAPLAN is disabled ([ultraplan] enabled = false in your configuration)");
        return ExitCode::from(EXIT_ERROR);
    }
    if task.trim().is_empty() {
        eprintln!(
            "Error: --ultraplan needs a task\n  claurst --ultraplan \"Design a job queue with exactly-once delivery\""
        );
        return ExitCode::from(EXIT_ERROR);
    }
    let run = UltraplanRun {
        agent,
        model: settings.model.clone(),
        task: task.to_string(),
        poll_interval: Duration::from_secs(settings.poll_interval_secs),
        max_duration: Duration::from_secs(settings.max_duration_secs),
        progress: Arc::new(|line| eprintln!("{line}")),
    };
    let cancel = CancellationToken::new();
    let interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            interrupt.cancel();
        }
    });
    let outcome = match run_ultraplan(run, cancel).await {
        Ok(outcome) => outcome,
        Err(UltraplanError::Interrupted) => {
            eprintln!("Interrupted.");
            return ExitCode::from(EXIT_INTERRUPTED);
        }
        Err(error) => {
            eprintln!("Error: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let saved = save(project_root, &outcome.plan);
    if let Some(warning) = &outcome.warning {
        eprintln!("warning: {warning}");
    }
    match format {
        OutputFormat::Json | OutputFormat::StreamJson => {
            let result = json!({
                "type": "ultraplan",
                "plan": outcome.plan,
                "warning": outcome.warning,
                "duration_ms": u64::try_from(outcome.duration.as_millis()).unwrap_or(u64::MAX),
                "num_turns": outcome.turns,
                "tool_calls": outcome.tool_calls,
                "total_cost_usd": outcome.total_cost_usd,
                "saved_to": saved.as_ref().ok().map(|path| path.display().to_string()),
            });
            println!("{result}");
        }
        OutputFormat::Text => println!("{}", outcome.plan),
    }
    match saved {
        Ok(path) => eprintln!("Plan saved to {}", path.display()),
        Err(error) => eprintln!("warning: the plan could not be saved: {error}"),
    }
    ExitCode::SUCCESS
}

/// Keep the plan in the project's `.claurst/plans/`.
fn save(project_root: &Path, plan: &str) -> std::io::Result<PathBuf> {
    let dir = project_root.join(".claurst/plans");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(claurst_ultraplan::plan_file_name(time::OffsetDateTime::now_utc()));
    std::fs::write(&path, format!("{plan}\n"))?;
    Ok(path)
}
