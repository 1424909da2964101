//! Where events go.

use claurst_protocol::AgentEvent;
use tokio::sync::mpsc;

/// The agent's outlet to a front-end. A sink without a channel (library use) discards events; a closed channel
/// (the front-end went away) is not an error for the agent.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventSink {
    sender: Option<mpsc::Sender<AgentEvent>>,
}

impl EventSink {
    pub fn new(sender: mpsc::Sender<AgentEvent>) -> Self {
        Self { sender: Some(sender) }
    }

    pub fn discard() -> Self {
        Self { sender: None }
    }

    /// Send an event, waiting while the front-end catches up (the channel is bounded: backpressure).
    pub async fn emit(&self, event: AgentEvent) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(event).await;
        }
    }

    /// Whether someone is listening (an approval can be asked only then).
    pub fn is_attached(&self) -> bool {
        self.sender.as_ref().is_some_and(|sender| !sender.is_closed())
    }
}
