//! Commands that finished in the session since the last tick (the user's `!` commands and the model's shell
//! calls), learnt from the session's own events on their way to the front-end.

use claurst_protocol::{AgentEvent, ToolFamily};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Finished commands kept between two ticks; older ones are dropped first.
const MAX_COMMANDS: usize = 50;

#[derive(Default)]
struct Seen {
    /// Shell calls started and not yet finished: id to command line.
    running: HashMap<String, String>,
    finished: Vec<String>,
}

/// The finished commands since the last `take`.
#[derive(Default)]
pub struct CommandLog {
    seen: Mutex<Seen>,
    /// Set while a tick's run runs: its own commands are the model's to read, not news for the next tick.
    ticking: AtomicBool,
}

impl CommandLog {
    pub fn set_ticking(&self, ticking: bool) {
        self.ticking.store(ticking, Ordering::Relaxed);
    }

    pub fn any(&self) -> bool {
        self.seen.lock().is_ok_and(|seen| !seen.finished.is_empty())
    }

    pub fn take(&self) -> Vec<String> {
        self.seen.lock().map(|mut seen| std::mem::take(&mut seen.finished)).unwrap_or_default()
    }

    /// Note a main-conversation event (a sub-agent's commands are its parent's business).
    pub fn observe(&self, event: &AgentEvent) {
        let Ok(mut seen) = self.seen.lock() else { return };
        match event {
            AgentEvent::ToolCallRequested(call) if call.family == ToolFamily::Shell => {
                seen.running.insert(call.id.clone(), call.key_argument.clone());
            }
            AgentEvent::ToolCallDenied { id, .. } => {
                seen.running.remove(id);
            }
            AgentEvent::ToolCallFinished(done) => {
                let Some(command) = seen.running.remove(&done.id) else { return };
                if self.ticking.load(Ordering::Relaxed) {
                    return;
                }
                let status = if done.is_error { "failed" } else { "succeeded" };
                let mut line = format!("command finished: `{command}` {status}");
                if !done.summary.is_empty() {
                    line.push_str(&format!(" ({})", done.summary));
                }
                if seen.finished.len() >= MAX_COMMANDS {
                    seen.finished.remove(0);
                }
                seen.finished.push(line);
            }
            _ => {}
        }
    }
}

/// A sender the session emits into: each event is noted, then passed on to `front` unchanged and in order.
pub(crate) fn tap(
    front: mpsc::Sender<AgentEvent>,
    log: Arc<CommandLog>,
    buffer: usize,
) -> mpsc::Sender<AgentEvent> {
    let (sender, mut receiver) = mpsc::channel::<AgentEvent>(buffer);
    tokio::spawn(async move {
        while let Some(event) = receiver.recv().await {
            log.observe(&event);
            if front.send(event).await.is_err() {
                // The front-end went away; keep draining so the session never blocks on a dead channel.
                continue;
            }
        }
    });
    sender
}
