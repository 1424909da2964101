//! ULTRAPLAN: a read-only planning session with its own model and time budget, ending in one plan.

use crate::agent::Agent;
use crate::config::{AgentConfig, ApprovalMode};
use crate::conversation::Conversation;
use crate::error::AgentError;
use crate::session::spawn_session;
use crate::tool_calls::call_title;
use claurst_protocol::{AgentEvent, Op, PermissionMode, RunOutcome};
use claurst_ultraplan::{FOLLOW_UP, Progress, extract_plan, planner_instructions, task_prompt};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// The tools a planner may use: reading and searching only (plan mode refuses anything else anyway).
const PLANNER_TOOLS: [&str; 5] = ["read_file", "grep", "search_files", "list_dir", "bash"];

/// Where progress lines go.
pub type ProgressSink = Arc<dyn Fn(&str) + Send + Sync>;

/// How to run a planning session.
pub struct UltraplanRun {
    /// The session's settings: key, base URL, retries, project, instructions. The model, tools, permissions
    /// and instructions are the planner's own.
    pub agent: AgentConfig,
    pub model: String,
    pub task: String,
    pub poll_interval: Duration,
    pub max_duration: Duration,
    pub progress: ProgressSink,
}

/// A finished plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOutcome {
    pub plan: String,
    /// Set when the plan lacks its completion marker.
    pub warning: Option<String>,
    pub turns: u32,
    pub tool_calls: u32,
    pub duration: Duration,
    pub total_cost_usd: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum UltraplanError {
    #[error("the planning session could not be set up: {0}")]
    Setup(#[from] AgentError),
    #[error(
        "ULTRAPLAN ran for {}s without finishing a plan; raise [ultraplan] max_duration_secs or narrow the task",
        .0.as_secs()
    )]
    TimedOut(Duration),
    #[error("the planning session failed: {0}")]
    Failed(String),
    #[error("the planning session was interrupted")]
    Interrupted,
    #[error("the planning session ended without a plan")]
    EmptyPlan,
}

/// Plan `run.task`, reporting progress every `poll_interval`, within `max_duration`.
pub async fn run_ultraplan(
    run: UltraplanRun,
    cancel: CancellationToken,
) -> Result<PlanOutcome, UltraplanError> {
    let mut system_sections = run.agent.system_sections.clone();
    system_sections.retain(|section| !section.trim().is_empty());
    let config = AgentConfig {
        model: run.model.clone(),
        system_prompt: Some(planner_instructions()),
        system_sections,
        tools: PLANNER_TOOLS.to_vec(),
        max_turns: None,
        permission_mode: PermissionMode::Plan,
        approval: ApprovalMode::DenyUnlisted,
        session_id: None,
        // The planner is not the user's session: their hooks stay out of it.
        hooks: Default::default(),
        ..run.agent.clone()
    };
    let mut session = spawn_session(Agent::try_new(config)?, Conversation::new());
    let _ = session.ops.send(Op::Prompt { text: task_prompt(&run.task) }).await;

    let started = Instant::now();
    let deadline = tokio::time::Instant::from_std(started + run.max_duration);
    let mut ticker = tokio::time::interval(run.poll_interval.max(Duration::from_millis(100)));
    ticker.tick().await;
    let mut progress = Progress::default();
    let mut followed_up = false;
    let outcome = loop {
        let event = tokio::select! {
            _ = tokio::time::sleep_until(deadline) => break Err(UltraplanError::TimedOut(run.max_duration)),
            _ = cancel.cancelled() => break Err(UltraplanError::Interrupted),
            _ = ticker.tick() => {
                (run.progress)(&progress.line(started.elapsed()));
                continue;
            }
            event = session.events.recv() => event,
        };
        let Some(event) = event else {
            break Err(UltraplanError::Failed("the planning session stopped".into()));
        };
        match event {
            AgentEvent::TurnStarted { .. } => progress.turns += 1,
            AgentEvent::ToolCallRequested(call) => {
                progress.tool_calls += 1;
                progress.last_action = Some(call_title(&call));
            }
            AgentEvent::RunFinished(summary) => match summary.outcome {
                RunOutcome::Success => {
                    let extracted = extract_plan(&summary.final_text);
                    if !extracted.complete && !followed_up {
                        followed_up = true;
                        let _ = session.ops.send(Op::Prompt { text: FOLLOW_UP.into() }).await;
                        continue;
                    }
                    if extracted.plan.is_empty() {
                        break Err(UltraplanError::EmptyPlan);
                    }
                    let warning = (!extracted.complete).then(|| {
                        "the plan did not end with the completion marker; it may be incomplete".to_string()
                    });
                    break Ok(PlanOutcome {
                        plan: extracted.plan,
                        warning,
                        turns: progress.turns,
                        tool_calls: progress.tool_calls,
                        duration: started.elapsed(),
                        total_cost_usd: summary.total_cost_usd,
                    });
                }
                RunOutcome::Interrupted => break Err(UltraplanError::Interrupted),
                RunOutcome::Error(message) => break Err(UltraplanError::Failed(message)),
                RunOutcome::MaxTurns => {
                    break Err(UltraplanError::Failed("the turn limit was reached".into()));
                }
                RunOutcome::MaxBudget => {
                    break Err(UltraplanError::Failed("the budget (--max-budget-usd) was spent".into()));
                }
            },
            _ => {}
        }
    };
    // Stop the session whatever happened: an unfinished plan's tools are killed with it.
    let _ = session.ops.send(Op::Interrupt).await;
    let _ = session.ops.send(Op::Shutdown).await;
    outcome
}
