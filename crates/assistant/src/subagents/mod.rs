//! Sub-agents: the model delegates a task with the `agent` tool, and a focused agent of the chosen kind does
//! it in a conversation of its own, beside the others of the same turn, and reports back.
//!
//! A sub-agent is not a second `Agent`: it is a run of the same loop in a [`RunScope`] of its own (its model,
//! instructions, tools and, for read-only kinds, a plan-mode engine), sharing the session's client, permission
//! engine, hooks and front-end. That is what keeps one nearly free beyond its API calls.
//!
//! [`RunScope`]: crate::run_scope::RunScope

mod delegate_tool;
mod drafting;
mod library;
mod run;

pub(crate) use delegate_tool::DelegateTool;
pub use library::AgentTool;

use crate::conversation::Conversation;
use claurst_extensions::agents::AgentDefinition;
use claurst_protocol::AgentTypeView;
use claurst_session::ModelCost;
use claurst_tools::{Tool, ToolSource};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_util::sync::CancellationToken;

/// The task of one `agent` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Task {
    pub agent_type: String,
    pub description: String,
    pub prompt: String,
}

/// The kinds of sub-agent of a session, and the `agent` tool that offers them. A definition saved during the
/// session (`/agents`) joins at once: the tool is rebuilt with the new list and offered from the next turn.
pub(crate) struct AgentTypes {
    current: RwLock<Offered>,
}

/// The definitions in force and the tool that describes them.
struct Offered {
    definitions: Arc<[AgentDefinition]>,
    tool: Arc<dyn Tool>,
}

impl Offered {
    fn new(definitions: Vec<AgentDefinition>) -> Self {
        let definitions: Arc<[AgentDefinition]> = definitions.into();
        Self { tool: Arc::new(DelegateTool::new(&definitions)), definitions }
    }
}

impl AgentTypes {
    pub(crate) fn new(definitions: Vec<AgentDefinition>) -> Self {
        Self { current: RwLock::new(Offered::new(definitions)) }
    }

    fn definitions(&self) -> Arc<[AgentDefinition]> {
        self.current.read().map(|current| Arc::clone(&current.definitions)).unwrap_or_else(|_| Arc::from([]))
    }

    pub(crate) fn find(&self, name: &str) -> Option<AgentDefinition> {
        self.definitions().iter().find(|definition| definition.name == name).cloned()
    }

    pub(crate) fn names(&self) -> Vec<String> {
        self.definitions().iter().map(|definition| definition.name.clone()).collect()
    }

    pub(crate) fn views(&self) -> Vec<AgentTypeView> {
        self.definitions().iter().map(AgentDefinition::view).collect()
    }

    /// Add a definition, or replace the one of the same name unless that one's source takes precedence.
    pub(crate) fn add(&self, definition: AgentDefinition) {
        let mut definitions = self.definitions().to_vec();
        match definitions.iter().position(|existing| existing.name == definition.name) {
            Some(index) if definitions[index].source < definition.source => return,
            Some(index) => definitions[index] = definition,
            None => definitions.push(definition),
        }
        definitions.sort_by_key(|definition| definition.source);
        if let Ok(mut current) = self.current.write() {
            *current = Offered::new(definitions);
        }
    }
}

impl ToolSource for AgentTypes {
    fn tools(&self) -> Vec<Arc<dyn Tool>> {
        self.current.read().map(|current| vec![Arc::clone(&current.tool)]).unwrap_or_default()
    }
}

/// What one sub-agent run spent, to add to the session's totals once its turn's results are recorded.
#[derive(Debug, Clone)]
pub(crate) struct SubagentSpend {
    /// `explore: Find the config loader`.
    pub agent: String,
    pub costs: Vec<ModelCost>,
}

impl SubagentSpend {
    pub(crate) fn record_in(&self, conversation: &mut Conversation) {
        for cost in &self.costs {
            conversation.record_subagent_usage(&self.agent, cost);
        }
    }
}

/// The sub-agents of one batch of tool calls: how many may run at once, what they spent, and whether the
/// user stopped the turn from inside one of them.
pub(crate) struct Delegation {
    slots: Semaphore,
    spend: Mutex<Vec<SubagentSpend>>,
    user_stop: Arc<UserStop>,
}

/// The user answered "No" to a call of a sub-agent: that ends the whole turn, as it does for a call of the
/// main conversation. The token stops the other sub-agents of the batch; the parent's own run is not
/// interrupted (it ends as a stopped turn).
pub(crate) struct UserStop {
    token: CancellationToken,
    stopped: std::sync::atomic::AtomicBool,
}

impl UserStop {
    /// Called by a sub-agent's loop when the user stopped its turn.
    pub(crate) fn signal(&self) {
        self.stopped.store(true, std::sync::atomic::Ordering::Relaxed);
        self.token.cancel();
    }
}

/// The result of an `agent` call ended by the user's "No" to one of the sub-agents' calls.
pub(crate) const SUBAGENT_STOPPED_BY_USER: &str = "The user refused a tool call of a sub-agent and stopped the \
     turn: the sub-agents of this turn were stopped. Wait for the user's next message.";

impl Delegation {
    /// `cancel` is the run's: interrupting it stops the sub-agents too.
    pub(crate) fn new(max_parallel: usize, cancel: &CancellationToken) -> Self {
        Self {
            slots: Semaphore::new(max_parallel.max(1)),
            spend: Mutex::new(Vec::new()),
            user_stop: Arc::new(UserStop {
                token: cancel.child_token(),
                stopped: std::sync::atomic::AtomicBool::new(false),
            }),
        }
    }

    /// Whether the user stopped the turn from inside one of this batch's sub-agents.
    pub(crate) fn stopped_by_user(&self) -> bool {
        self.user_stop.stopped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Wait for a free slot; `None` when the run is interrupted first.
    async fn slot(&self, cancel: &CancellationToken) -> Option<SemaphorePermit<'_>> {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            permit = self.slots.acquire() => permit.ok(),
        }
    }

    fn record(&self, spend: SubagentSpend) {
        if let Ok(mut all) = self.spend.lock() {
            all.push(spend);
        }
    }

    pub(crate) fn into_spend(self) -> Vec<SubagentSpend> {
        self.spend.into_inner().unwrap_or_default()
    }
}
