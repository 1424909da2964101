//! `McpManager`: a session's MCP servers, started in the background and offered to the model.

use super::lifecycle;
use super::prompts;
use super::resources::{self, ListResourcesTool, ReadResourceTool};
use super::state::{ServerSlot, Shared};
use super::{Admission, McpError, McpOptions};
use claurst_config::McpServerConfig;
use claurst_protocol::{McpServerStatus, McpServerView};
use claurst_tools::{Tool, ToolOutcome, ToolSource};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// Where the manager is in its life.
const NOT_STARTED: u8 = 0;
const STARTED: u8 = 1;
const SHUT_DOWN: u8 = 2;

/// A session's MCP servers. See the module docs of `client` and `spec/mcp.md`.
pub struct McpManager {
    shared: Arc<Shared>,
    phase: AtomicU8,
    resource_tools: [Arc<dyn Tool>; 2],
}

impl McpManager {
    /// The servers in config order, each with whether it may start. Starts nothing.
    pub fn new(servers: Vec<(McpServerConfig, Admission)>, options: McpOptions) -> Arc<Self> {
        let servers: Vec<ServerSlot> =
            servers.into_iter().map(|(config, admission)| ServerSlot::new(config, admission)).collect();
        let (views, _) = watch::channel(Vec::new());
        let shared = Arc::new(Shared { servers, options, views });
        // What trusted servers listed last time is offered while they start.
        for index in 0..shared.servers.len() {
            let cached = super::cache::load(&shared, index);
            let mut state = shared.servers[index].lock();
            if state.may_run() {
                state.known_tools = cached;
            }
        }
        shared.publish();
        let weak = Arc::downgrade(&shared);
        let resource_tools: [Arc<dyn Tool>; 2] = [
            Arc::new(ListResourcesTool { shared: weak.clone() }),
            Arc::new(ReadResourceTool { shared: weak }),
        ];
        Arc::new(Self { shared, phase: AtomicU8::new(NOT_STARTED), resource_tools })
    }

    /// Start every trusted and enabled server, each in its own task. Idempotent; never blocks; must run
    /// inside a tokio runtime.
    pub fn start(self: &Arc<Self>) {
        if self.phase.compare_exchange(NOT_STARTED, STARTED, Ordering::SeqCst, Ordering::SeqCst).is_err() {
            return;
        }
        for index in 0..self.shared.servers.len() {
            lifecycle::launch(&self.shared, index, Duration::ZERO);
        }
    }

    /// Resolves when no server is starting (each is bounded by its startup timeout). Returns at once
    /// before `start`.
    pub async fn wait_for_startup(&self) {
        if self.phase.load(Ordering::SeqCst) != STARTED {
            return;
        }
        let mut views = self.shared.views.subscribe();
        let starting =
            |views: &Vec<McpServerView>| views.iter().any(|view| view.status == McpServerStatus::Starting);
        let _ = views.wait_for(|views| !starting(views)).await;
    }

    /// What the ready servers say about using them (their `instructions` at initialize), as (server, text) in
    /// config order; servers that gave none are left out.
    pub fn instructions(&self) -> Vec<(String, String)> {
        self.shared.instructions_now()
    }

    /// Every server as front-ends show it, in config order.
    pub fn views(&self) -> Vec<McpServerView> {
        self.shared.views.borrow().clone()
    }

    /// The views, updated on every change of a status or a list.
    pub fn subscribe(&self) -> watch::Receiver<Vec<McpServerView>> {
        self.shared.views.subscribe()
    }

    /// Start a server the user approved for this project (the caller records the trust on disk).
    pub fn approve(self: &Arc<Self>, server: &str) -> Result<(), McpError> {
        let index = self.index(server)?;
        {
            let mut state = self.shared.servers[index].lock();
            state.admission = Admission::Start;
            state.status = state.idle_status();
        }
        self.shared.publish();
        if self.phase.load(Ordering::SeqCst) == STARTED {
            lifecycle::launch(&self.shared, index, Duration::ZERO);
        }
        Ok(())
    }

    /// Refuse a server for this project: it stops if it runs and does not start again.
    pub fn deny(&self, server: &str) -> Result<(), McpError> {
        let index = self.index(server)?;
        {
            let mut state = self.shared.servers[index].lock();
            state.admission = Admission::Denied;
            state.stop_running();
            state.status = state.idle_status();
        }
        self.shared.publish();
        Ok(())
    }

    /// Stop a server and start it again (also after it exhausted its restarts). Returns once the new start
    /// has begun; `subscribe` shows when it is ready.
    pub async fn reconnect(self: &Arc<Self>, server: &str) -> Result<(), McpError> {
        let index = self.index(server)?;
        {
            let mut state = self.shared.servers[index].lock();
            if !state.may_run() || self.phase.load(Ordering::SeqCst) == SHUT_DOWN {
                let status = state.status.label().to_string();
                return Err(McpError::NotReady { server: server.to_string(), status });
            }
            state.restarts.clear();
        }
        lifecycle::launch(&self.shared, index, Duration::ZERO);
        Ok(())
    }

    /// Turn a server on or off for this session. Turning it on starts it (when it is trusted).
    pub async fn set_enabled(self: &Arc<Self>, server: &str, enabled: bool) -> Result<(), McpError> {
        let index = self.index(server)?;
        {
            let mut state = self.shared.servers[index].lock();
            if state.enabled == enabled {
                return Ok(());
            }
            state.enabled = enabled;
            state.stop_running();
            state.restarts.clear();
            state.status = state.idle_status();
        }
        self.shared.publish();
        if enabled && self.phase.load(Ordering::SeqCst) == STARTED {
            lifecycle::launch(&self.shared, index, Duration::ZERO);
        }
        Ok(())
    }

    /// Run a server's prompt: its messages' text, joined, to send as the user's prompt.
    pub async fn prompt_text(
        &self,
        server: &str,
        prompt: &str,
        arguments: Vec<(String, String)>,
    ) -> Result<String, McpError> {
        let index = self.index(server)?;
        prompts::prompt_text(&self.shared, index, prompt, arguments).await
    }

    /// Read one resource (an `@server:uri` mention), capped like a tool result.
    pub async fn read_resource(&self, server: &str, uri: &str) -> Result<ToolOutcome, McpError> {
        let index = self.index(server)?;
        resources::read(&self.shared, index, uri).await
    }

    /// Stop every server; their processes are killed. Nothing starts again afterwards.
    pub async fn shutdown(&self) {
        self.stop_all();
        tokio::task::yield_now().await;
    }

    fn stop_all(&self) {
        self.phase.store(SHUT_DOWN, Ordering::SeqCst);
        for slot in &self.shared.servers {
            let mut state = slot.lock();
            // Stopping kills the process group at once (synchronously), before any task runs again.
            state.stop_running();
            state.enabled = false;
            state.status = state.idle_status();
        }
        self.shared.publish();
    }

    fn index(&self, server: &str) -> Result<usize, McpError> {
        self.shared.index_of(server).ok_or_else(|| McpError::UnknownServer(server.to_string()))
    }
}

impl Drop for McpManager {
    fn drop(&mut self) {
        self.stop_all();
    }
}

impl ToolSource for McpManager {
    fn tools(&self) -> Vec<Arc<dyn Tool>> {
        let mut tools = Vec::new();
        let mut any_resources = false;
        for slot in &self.shared.servers {
            let state = slot.lock();
            match &state.status {
                McpServerStatus::Ready => {
                    tools.extend(state.offer.tools.iter().cloned());
                    any_resources |= state.offer.has_resources;
                }
                // A server that stopped after it was ready keeps its tools: calling one restarts it, and a call
                // while it restarts (or reconnects) waits for it.
                McpServerStatus::Failed { .. } | McpServerStatus::Starting => {
                    tools.extend(state.known_tools.iter().cloned())
                }
                _ => {}
            }
        }
        if any_resources {
            tools.extend(self.resource_tools.iter().cloned());
        }
        tools
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manager_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<McpManager>();
    }
}
