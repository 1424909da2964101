//! What the manager knows about each server, shared between its public methods, the servers' background
//! tasks and the tools handed to the model. Locks are held only to read or change this state, never across
//! an `.await`.

use super::{Admission, McpOptions};
use claurst_config::McpServerConfig;
use claurst_protocol::{McpPromptView, McpServerStatus, McpServerView};
use claurst_tools::Tool;
use rmcp::service::{Peer, RoleClient};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Everything the manager shares with its tasks and tools.
pub(crate) struct Shared {
    pub(crate) servers: Vec<ServerSlot>,
    pub(crate) options: McpOptions,
    pub(crate) views: watch::Sender<Vec<McpServerView>>,
}

/// One configured server.
pub(crate) struct ServerSlot {
    pub(crate) config: McpServerConfig,
    state: Mutex<SlotState>,
}

/// A resource a server lists.
#[derive(Debug, Clone)]
pub(crate) struct ResourceEntry {
    pub(crate) uri: String,
    pub(crate) name: String,
    pub(crate) mime_type: Option<String>,
}

/// What a ready server offers.
#[derive(Default, Clone)]
pub(crate) struct Offer {
    pub(crate) tools: Vec<Arc<dyn Tool>>,
    pub(crate) prompts: Vec<McpPromptView>,
    pub(crate) resources: Vec<ResourceEntry>,
    /// Whether the server said it has resources (the resource tools are offered then).
    pub(crate) has_resources: bool,
    /// What the server said about using it when it started (`instructions` in its initialize result).
    pub(crate) instructions: Option<String>,
}

pub(crate) struct SlotState {
    pub(crate) admission: Admission,
    pub(crate) enabled: bool,
    pub(crate) status: McpServerStatus,
    /// Counts starts: a task whose epoch is no longer current changes nothing.
    pub(crate) epoch: u64,
    /// Stops the current task (and with it the connection and the process).
    pub(crate) stop: Option<CancellationToken>,
    pub(crate) peer: Option<Peer<RoleClient>>,
    /// The process group of a running stdio server.
    pub(crate) pgid: Option<i32>,
    pub(crate) offer: Offer,
    /// The tools of the last connection that got ready: still offered after the server stops, so that the
    /// model's next call to one of them restarts it (a server that never got ready has none).
    pub(crate) known_tools: Vec<Arc<dyn Tool>>,
    /// When the server was restarted after failing, within the last minute.
    pub(crate) restarts: VecDeque<Instant>,
    pub(crate) failed_at: Option<Instant>,
}

impl SlotState {
    /// Whether the server may run: trusted and enabled.
    pub(crate) fn may_run(&self) -> bool {
        self.admission == Admission::Start && self.enabled
    }

    /// The status a server that is not running shows.
    pub(crate) fn idle_status(&self) -> McpServerStatus {
        match (self.admission, self.enabled) {
            (Admission::NeedsApproval, _) => McpServerStatus::NeedsApproval,
            (Admission::Denied, _) => McpServerStatus::Denied,
            (Admission::Start, false) => McpServerStatus::Disabled,
            (Admission::Start, true) => McpServerStatus::Starting,
        }
    }

    /// Stop whatever runs and forget the connection.
    pub(crate) fn stop_running(&mut self) {
        self.epoch += 1;
        if let Some(stop) = self.stop.take() {
            stop.cancel();
        }
        if let Some(pgid) = self.pgid.take() {
            super::stdio::kill_group(pgid);
        }
        self.peer = None;
        self.offer = Offer::default();
    }
}

impl ServerSlot {
    pub(crate) fn new(config: McpServerConfig, admission: Admission) -> Self {
        let enabled = config.enabled;
        let mut state = SlotState {
            admission,
            enabled,
            status: McpServerStatus::Starting,
            epoch: 0,
            stop: None,
            peer: None,
            pgid: None,
            offer: Offer::default(),
            known_tools: Vec::new(),
            restarts: VecDeque::new(),
            failed_at: None,
        };
        state.status = state.idle_status();
        Self { config, state: Mutex::new(state) }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, SlotState> {
        // A panic while holding this lock leaves plain data behind, still fit to read.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn view(&self) -> McpServerView {
        let state = self.lock();
        McpServerView {
            name: self.config.name.clone(),
            scope: self.config.scope.label().to_string(),
            target: self.config.shown_target(),
            status: state.status.clone(),
            tools: state.offer.tools.iter().map(|tool| tool.name().to_string()).collect(),
            prompts: state.offer.prompts.clone(),
            resources: state
                .offer
                .resources
                .iter()
                .map(|entry| (entry.uri.clone(), entry.name.clone()))
                .collect(),
        }
    }
}

impl Shared {
    pub(crate) fn index_of(&self, server: &str) -> Option<usize> {
        self.servers.iter().position(|slot| slot.config.name == server)
    }

    /// (server, instructions) of each ready server that gave instructions, in configuration order.
    pub(crate) fn instructions_now(&self) -> Vec<(String, String)> {
        self.servers
            .iter()
            .filter_map(|slot| {
                let state = slot.lock();
                let text = state.offer.instructions.as_ref().filter(|text| !text.trim().is_empty())?;
                (state.status == McpServerStatus::Ready).then(|| (slot.config.name.clone(), text.clone()))
            })
            .collect()
    }

    pub(crate) fn views_now(&self) -> Vec<McpServerView> {
        self.servers.iter().map(ServerSlot::view).collect()
    }

    /// Tell subscribers what changed. Call without holding a slot's lock.
    pub(crate) fn publish(&self) {
        self.views.send_replace(self.views_now());
    }

    /// Wait until server `index` is no longer starting, up to `limit`; returns its status then.
    pub(crate) async fn settled_status(&self, index: usize, limit: Duration) -> McpServerStatus {
        let mut views = self.views.subscribe();
        let starting = |views: &Vec<McpServerView>| {
            views.get(index).is_some_and(|view| view.status == McpServerStatus::Starting)
        };
        let _ = tokio::time::timeout(limit, views.wait_for(|views| !starting(views))).await;
        self.servers[index].lock().status.clone()
    }
}
