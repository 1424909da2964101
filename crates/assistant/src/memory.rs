//! Memory in a session: the index in the system prompt, the memory tools, the `/memory` and `/dream` reports,
//! and the dream run in the background while the user works.

use crate::agent::Agent;
use crate::config::AgentConfig;
use crate::dream::{DreamOutcome, DreamProgress, DreamRunConfig, run_dream};
use crate::events::EventSink;
use claurst_protocol::{AgentEvent, DreamView};
use claurst_query::{
    DreamActivity, DreamSettings, DreamStatus, MEMORY_ALLOW_RULES, MemoryError, MemoryRole, MemoryStore,
    Trigger, format_listing, memory_tools,
};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::mpsc;

/// Progress reports buffered between the dream and the session; extras are dropped, never waited for.
const PROGRESS_BUFFER: usize = 16;

/// A session's memory directory and dream settings.
#[derive(Debug, Clone)]
pub struct SessionMemory {
    pub dir: PathBuf,
    pub settings: DreamSettings,
}

impl SessionMemory {
    pub fn new(dir: impl Into<PathBuf>, settings: DreamSettings) -> Self {
        Self { dir: dir.into(), settings }
    }

    fn store(&self) -> Result<MemoryStore, MemoryError> {
        MemoryStore::open(&self.dir)
    }

    /// Put the memory index in the system prompt and let the memory tools run without asking (they can touch
    /// nothing but the memory directory).
    pub fn prepare(&self, config: &mut AgentConfig) -> Result<(), MemoryError> {
        if let Some(index) = self.store()?.index_for_prompt() {
            config.system_sections.insert(0, index);
        }
        config.allow.extend(MEMORY_ALLOW_RULES.iter().map(|rule| rule.to_string()));
        Ok(())
    }

    /// Offer the memory tools to the model.
    pub fn register_tools(&self, agent: &mut Agent) -> Result<(), MemoryError> {
        for tool in memory_tools(&self.store()?, MemoryRole::Session) {
            agent.register_tool(tool);
        }
        Ok(())
    }

    /// `/memory`: what is loaded and what exists.
    pub fn report(&self) -> String {
        match self.store().and_then(|store| Ok((store.list()?, store))) {
            Ok((entries, store)) => format_listing(store.root(), &entries),
            Err(error) => format!("The memory directory {} cannot be read: {error}", self.dir.display()),
        }
    }

    /// The dream's status as stored on disk now.
    pub fn status(&self) -> DreamView {
        let now = OffsetDateTime::now_utc();
        match self.store() {
            Ok(store) => view(&DreamStatus::read(&store, self.settings, now), now),
            Err(error) => {
                DreamView { running: false, phase: None, summary: format!("Memory unavailable: {error}") }
            }
        }
    }

    /// Dream now if the gate allows, reporting progress as `DreamStatus` events. Never blocks the session.
    pub(crate) fn spawn_background_dream(&self, agent: AgentConfig, sink: EventSink) {
        let (progress_sender, mut progress) = mpsc::channel::<DreamProgress>(PROGRESS_BUFFER);
        let report: crate::dream::DreamProgressSink = Arc::new(move |update| {
            let _ = progress_sender.try_send(update);
        });
        let config = DreamRunConfig::new(&self.dir, self.settings, agent).with_progress(report);
        let memory = self.clone();
        tokio::spawn(async move {
            let dream = run_dream(config, Trigger::Automatic);
            tokio::pin!(dream);
            let outcome = loop {
                tokio::select! {
                    outcome = &mut dream => break outcome,
                    Some(update) = progress.recv() => {
                        if let DreamProgress::PhaseStarted(phase) = update {
                            let summary = format!("Dreaming: consolidating memory ({phase})");
                            sink.emit(AgentEvent::DreamStatus(DreamView { running: true, phase: Some(phase.to_string()), summary })).await;
                        }
                    }
                }
            };
            match outcome {
                Ok(DreamOutcome::Consolidated { .. }) => {
                    sink.emit(AgentEvent::Notice { text: "Memory consolidated (dream finished).".into() })
                        .await;
                }
                Ok(DreamOutcome::Skipped(_)) => {}
                Err(error) => {
                    tracing::warn!(%error, "background dream failed");
                    sink.emit(AgentEvent::Notice { text: format!("The dream failed: {error}") }).await;
                }
            }
            sink.emit(AgentEvent::DreamStatus(memory.status())).await;
        });
    }
}

fn view(status: &DreamStatus, now: OffsetDateTime) -> DreamView {
    let (running, phase) = match &status.activity {
        DreamActivity::Running { phase, .. } => (true, phase.map(|phase| phase.to_string())),
        _ => (false, None),
    };
    DreamView { running, phase, summary: status.describe(now) }
}
