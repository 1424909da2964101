//! Deferral: a tool call of a tick's run that outlasts the blocking budget moves to the background. The model
//! is told at once (a result naming the job), the call keeps running, and its real result waits here for the
//! next tick to carry.

use super::log::{DailyLog, LogKind};
use crate::events::EventSink;
use claurst_permissions::Grant;
use claurst_protocol::{AgentEvent, DeferredJobView, KairosEvent, ToolCallView};
use claurst_tools::{Tool, ToolOutcome, ToolResult};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio_util::sync::CancellationToken;

/// Characters of a deferred call's output a tick carries; the rest is cut (the model can rerun it).
const RESULT_CHARS: usize = 4000;
/// Deferred calls that may run at once: a tick cannot fill the machine with background work.
pub const MAX_RUNNING: usize = 4;

/// A deferred call and, once it finished, its result.
struct DeferredJob {
    view: DeferredJobView,
    result: Option<String>,
}

/// The session's deferred calls, until their results have gone to the model.
#[derive(Default)]
pub struct Deferrals {
    next_id: AtomicU64,
    jobs: Mutex<Vec<DeferredJob>>,
}

impl Deferrals {
    /// The jobs for the status (running and finished-but-not-delivered).
    pub fn views(&self) -> Vec<DeferredJobView> {
        self.jobs.lock().map(|jobs| jobs.iter().map(|job| job.view.clone()).collect()).unwrap_or_default()
    }

    /// Whether a finished result waits for a tick (cheap: no allocation).
    pub fn any_finished(&self) -> bool {
        self.jobs.lock().is_ok_and(|jobs| jobs.iter().any(|job| job.result.is_some()))
    }

    /// The finished results, one change line each, removed from the list.
    pub fn take_finished(&self) -> Vec<String> {
        let Ok(mut jobs) = self.jobs.lock() else { return Vec::new() };
        let mut lines = Vec::new();
        jobs.retain_mut(|job| match job.result.take() {
            Some(result) => {
                lines.push(format!(
                    "deferred job {} ({} {}) finished:\n{result}",
                    job.view.id, job.view.tool, job.view.summary
                ));
                false
            }
            None => true,
        });
        lines
    }

    /// Deferred calls still running.
    fn running(&self) -> usize {
        self.jobs.lock().map_or(MAX_RUNNING, |jobs| jobs.iter().filter(|job| !job.view.finished).count())
    }

    fn add(&self, call: &ToolCallView) -> DeferredJobView {
        let number = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let view = DeferredJobView {
            id: format!("k{number}"),
            tool: call.name.clone(),
            summary: call.key_argument.clone(),
            started_at: OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default(),
            finished: false,
        };
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.push(DeferredJob { view: view.clone(), result: None });
        }
        view
    }

    fn finish(&self, id: &str, result: String) -> Option<DeferredJobView> {
        let mut jobs = self.jobs.lock().ok()?;
        let job = jobs.iter_mut().find(|job| job.view.id == id)?;
        job.view.finished = true;
        job.result = Some(result);
        Some(job.view.clone())
    }
}

/// What a tick's run gives its tool calls: the budget, and where deferred calls go.
#[derive(Clone)]
pub(crate) struct TickBudget {
    pub(crate) budget: Duration,
    pub(crate) jobs: Arc<Deferrals>,
    pub(crate) log: DailyLog,
    pub(crate) sink: EventSink,
}

impl TickBudget {
    /// Run `call` within the budget: its outcome, a "deferred" outcome when it outlasts the budget, or `None`
    /// when the run was interrupted first (the call is then stopped, as outside a tick).
    pub(crate) async fn run(
        &self,
        call: &ToolCallView,
        tool: &Arc<dyn Tool>,
        grant: Grant,
        cancel: &CancellationToken,
    ) -> Option<ToolOutcome> {
        let (tool, input) = (Arc::clone(tool), call.input.clone());
        let mut task = tokio::spawn(async move { tool.run_granted(input, grant).await });
        tokio::select! {
            biased;
            _ = cancel.cancelled() => {
                task.abort();
                None
            }
            outcome = &mut task => Some(outcome.unwrap_or_else(|error| {
                ToolResult::error(format!("The tool failed: {error}")).into()
            })),
            () = tokio::time::sleep(self.budget) => {
                if self.jobs.running() >= MAX_RUNNING {
                    task.abort();
                    return Some(ToolResult::error(format!(
                        "This call ran longer than the blocking budget and was stopped: {MAX_RUNNING} deferred \
                         jobs are already running. Wait for their results at a later tick before starting more."
                    )).into());
                }
                Some(self.defer(call, task).await)
            }
        }
    }

    async fn defer(&self, call: &ToolCallView, task: tokio::task::JoinHandle<ToolOutcome>) -> ToolOutcome {
        let view = self.jobs.add(call);
        let _ = self.log.append(LogKind::Deferred, &format!("{} {} {}", view.id, view.tool, view.summary));
        self.sink.emit(AgentEvent::Kairos(KairosEvent::Deferred { job: view.clone() })).await;
        let text = format!(
            "This call ran longer than the blocking budget ({} s) and moved to the background as deferred job {}. \
             It keeps running; its result will arrive with a later tick. Do not wait for it or run it again.",
            self.budget.as_secs_f64(),
            view.id
        );
        let (jobs, log, sink, id) = (Arc::clone(&self.jobs), self.log.clone(), self.sink.clone(), view.id);
        tokio::spawn(async move {
            let result = match task.await {
                Ok(outcome) => {
                    let status = if outcome.result.is_error { "failed" } else { "succeeded" };
                    let output: String = outcome.result.output.chars().take(RESULT_CHARS).collect();
                    format!("{status}; output:\n{output}")
                }
                Err(error) => format!("failed: {error}"),
            };
            if let Some(view) = jobs.finish(&id, result) {
                let _ = log.append(LogKind::DeferredFinished, &format!("{} {}", view.id, view.summary));
                sink.emit(AgentEvent::Kairos(KairosEvent::DeferredFinished { job: view })).await;
            }
        });
        ToolResult::ok(text).into()
    }
}
