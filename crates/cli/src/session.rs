//! What both front-ends share about the session they run.

use crate::memory::{self, RecordWriter};
use crate::sessions::Start;
use claurst_assistant::{AgentConfig, Conversation, SessionMemory, SessionOptions, SessionStore};
use std::path::PathBuf;
use time::OffsetDateTime;

pub struct SessionContext {
    pub agent_config: AgentConfig,
    pub memory: SessionMemory,
    pub store: SessionStore,
    pub project_root: PathBuf,
    pub started_at: OffsetDateTime,
}

impl SessionContext {
    /// What the session task does besides answering prompts.
    // The rest (KAIROS's watches, in builds with the `proactive` feature) keeps its defaults; without the
    // feature there is no rest, which clippy would flag.
    #[allow(clippy::needless_update)]
    pub fn options(&self, start: &mut Start, background_dream: bool) -> SessionOptions {
        SessionOptions {
            memory: Some(self.memory.clone()),
            background_dream,
            store: Some(self.store.clone()),
            history: std::mem::take(&mut start.history),
            mcp_start: claurst_assistant::McpStart::AtSessionStart,
            ..Default::default()
        }
    }

    /// Write the session's record to memory once the session is over.
    pub async fn finish(&self, session_id: &str, conversation: &Conversation, writer: RecordWriter) {
        memory::record_end(
            &self.agent_config,
            &self.memory,
            session_id,
            &self.project_root,
            self.started_at,
            conversation,
            writer,
        )
        .await;
    }
}
