//! Where events go.

use claurst_protocol::AgentEvent;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The agent's outlet to a front-end. A sink without a channel (library use) discards events; a closed channel
/// (the front-end went away) is not an error for the agent.
///
/// A sub-agent's sink shares its parent's channel and wraps each event in `AgentEvent::Subagent`, naming the
/// `agent` calls it descends from, so front-ends tell every conversation apart on one stream.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventSink {
    sender: Option<mpsc::Sender<AgentEvent>>,
    /// The `agent` call ids from the main conversation down to this sub-agent; empty for the main one.
    lineage: Arc<[String]>,
}

impl EventSink {
    pub fn new(sender: mpsc::Sender<AgentEvent>) -> Self {
        Self { sender: Some(sender), lineage: Arc::from([]) }
    }

    pub fn discard() -> Self {
        Self::default()
    }

    /// The sink of a sub-agent started by the `agent` call `parent_id` of this sink's conversation.
    pub fn for_subagent(&self, parent_id: &str) -> Self {
        let lineage: Vec<String> = self.lineage.iter().cloned().chain([parent_id.to_string()]).collect();
        Self { sender: self.sender.clone(), lineage: lineage.into() }
    }

    /// Send an event, waiting while the front-end catches up (the channel is bounded: backpressure).
    pub async fn emit(&self, event: AgentEvent) {
        if let Some(sender) = &self.sender {
            let event = self.lineage.iter().rev().fold(event, |event, parent_id| AgentEvent::Subagent {
                parent_id: parent_id.clone(),
                event: Box::new(event),
            });
            let _ = sender.send(event).await;
        }
    }

    /// Whether someone is listening (an approval can be asked only then).
    pub fn is_attached(&self) -> bool {
        self.sender.as_ref().is_some_and(|sender| !sender.is_closed())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_sub_agents_events_name_every_call_above_it() {
        let (sender, mut receiver) = mpsc::channel(4);
        let main = EventSink::new(sender);
        main.for_subagent("call-a").for_subagent("call-b").emit(AgentEvent::TurnStarted { turn: 1 }).await;
        main.emit(AgentEvent::TurnStarted { turn: 2 }).await;
        let AgentEvent::Subagent { parent_id, event } = receiver.recv().await.unwrap() else { panic!() };
        assert_eq!(parent_id, "call-a");
        let AgentEvent::Subagent { parent_id, event } = *event else { panic!() };
        assert_eq!(parent_id, "call-b");
        assert!(matches!(*event, AgentEvent::TurnStarted { turn: 1 }));
        assert!(matches!(receiver.recv().await.unwrap(), AgentEvent::TurnStarted { turn: 2 }));
    }
}
