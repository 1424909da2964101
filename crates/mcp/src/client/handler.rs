//! What Claurst answers a server: its name, no sampling or roots, and list changes passed to the task
//! that follows the server.

use rmcp::ClientHandler;
use rmcp::model::{ClientCapabilities, ClientConfig, Implementation};
use rmcp::service::{NotificationContext, RoleClient};
use tokio::sync::mpsc;

/// A server said one of its lists changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListChanged {
    Tools,
    Resources,
    Prompts,
}

/// The client side of one connection.
pub(crate) struct ClaurstClient {
    changes: mpsc::Sender<ListChanged>,
}

impl ClaurstClient {
    pub(crate) fn new(changes: mpsc::Sender<ListChanged>) -> Self {
        Self { changes }
    }

    fn note(&self, change: ListChanged) {
        // A full channel already holds a refresh to do; the refresh reads the whole list, so one is enough.
        let _ = self.changes.try_send(change);
    }
}

impl ClientHandler for ClaurstClient {
    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.note(ListChanged::Tools);
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.note(ListChanged::Resources);
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.note(ListChanged::Prompts);
    }

    fn get_info(&self) -> ClientConfig {
        let implementation = Implementation::new("claurst", env!("CARGO_PKG_VERSION"));
        ClientConfig::new(ClientCapabilities::default(), implementation)
    }
}
