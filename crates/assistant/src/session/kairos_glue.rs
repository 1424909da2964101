//! Where the session actor meets KAIROS: small calls kept out of the actor so it reads the same with or
//! without the `proactive` feature. The decisions are in `crate::kairos`.

use super::{Job, SessionOptions};
use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::events::EventSink;
use crate::kairos::{Kairos, TickRun};
use claurst_protocol::{AgentEvent, Op, RunSummary};
use tokio::sync::mpsc;

/// KAIROS for a session whose config runs it, and the sender the session emits into (tapped, so KAIROS
/// learns which commands finished); otherwise none and `front` unchanged.
pub(super) fn start(
    agent: &Agent,
    options: &SessionOptions,
    front: mpsc::Sender<AgentEvent>,
    buffer: usize,
) -> (Option<Kairos>, mpsc::Sender<AgentEvent>) {
    let Some(settings) = agent.config().kairos.clone() else { return (None, front) };
    // The pull requests `subscribe_pr` watches are polled with whatever the front-end added.
    let mut watches = options.kairos_watches.clone();
    if let Some(pull_requests) = &agent.pull_requests {
        watches.0.push(pull_requests.clone());
    }
    let (kairos, problems) = Kairos::start(settings, agent.project_root().to_path_buf(), watches);
    for problem in problems {
        tracing::warn!("KAIROS: {problem}");
    }
    let sender = crate::kairos::tap(front, kairos.commands(), buffer);
    (Some(kairos), sender)
}

/// Wait for the next op, handling KAIROS's own, or for a tick that acts.
pub(super) async fn wait_idle(
    kairos: &mut Kairos,
    ops: &mut mpsc::Receiver<Op>,
    sink: &EventSink,
    conversation: &Conversation,
) -> Option<Result<Job, Op>> {
    loop {
        let due = tokio::select! {
            op = ops.recv() => Some(op?),
            () = kairos.until_due() => None,
        };
        match due {
            Some(op) => {
                if let Some(op) = kairos.intercept(op, sink).await {
                    return Some(Job::from_op(op));
                }
            }
            None => {
                if let Some(tick) = kairos.on_due(sink, conversation.total_cost_usd()).await {
                    return Some(Ok(Job::Tick(tick)));
                }
            }
        }
    }
}

/// While a job runs: KAIROS's ops are answered here; others come back.
pub(super) async fn intercept(kairos: Option<&mut Kairos>, op: Op, sink: &EventSink) -> Option<Op> {
    match kairos {
        Some(kairos) => kairos.intercept(op, sink).await,
        None => Some(op),
    }
}

/// A tick's run starts: its tool calls get the blocking budget.
pub(super) fn set_budget(agent: &Agent, kairos: Option<&Kairos>, sink: &EventSink) {
    if let (Some(kairos), Ok(mut budget)) = (kairos, agent.tick_budget.lock()) {
        *budget = Some(kairos.budget(sink));
    }
}

/// A tick's run ended: calls are no longer budgeted, and KAIROS records the outcome.
pub(super) async fn tick_finished(
    agent: &Agent,
    kairos: Option<&mut Kairos>,
    tick: &TickRun,
    summary: Option<&RunSummary>,
    conversation: &Conversation,
    sink: &EventSink,
) {
    if let Ok(mut budget) = agent.tick_budget.lock() {
        *budget = None;
    }
    if let Some(kairos) = kairos {
        kairos.tick_finished(tick, summary, conversation.total_cost_usd(), sink).await;
    }
}
