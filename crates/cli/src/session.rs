//! What both front-ends share about the session they run.

use crate::memory::{self, RecordWriter};
use claurst_assistant::{AgentConfig, Conversation, SessionMemory};
use std::path::PathBuf;
use time::OffsetDateTime;

pub struct SessionContext {
    pub agent_config: AgentConfig,
    pub memory: SessionMemory,
    pub project_root: PathBuf,
    pub started_at: OffsetDateTime,
}

impl SessionContext {
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
