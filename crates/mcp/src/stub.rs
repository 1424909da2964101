//! TEMPORARY stand-in for the client API until the mcpclient branch lands (never committed).
#![allow(dead_code, clippy::unused_async)]
use claurst_config::McpServerConfig;
use claurst_protocol::McpServerView;
use std::path::PathBuf;
use std::sync::Arc;

pub struct McpOptions {
    pub project_root: PathBuf,
    pub output_dir: PathBuf,
    pub max_result_chars: usize,
}
pub enum Admission {
    Start,
    NeedsApproval,
    Denied,
}
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    #[error("unknown server {0}")]
    UnknownServer(String),
}
pub struct McpManager {
    tx: tokio::sync::watch::Sender<Vec<McpServerView>>,
}
impl McpManager {
    pub fn new(_servers: Vec<(McpServerConfig, Admission)>, _options: McpOptions) -> Arc<Self> {
        Arc::new(Self { tx: tokio::sync::watch::channel(Vec::new()).0 })
    }
    pub fn start(self: &Arc<Self>) {}
    pub async fn wait_for_startup(&self) {}
    pub fn views(&self) -> Vec<McpServerView> {
        Vec::new()
    }
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<Vec<McpServerView>> {
        self.tx.subscribe()
    }
    pub fn approve(self: &Arc<Self>, s: &str) -> Result<(), McpError> {
        Err(McpError::UnknownServer(s.into()))
    }
    pub fn deny(&self, s: &str) -> Result<(), McpError> {
        Err(McpError::UnknownServer(s.into()))
    }
    pub async fn reconnect(self: &Arc<Self>, s: &str) -> Result<(), McpError> {
        Err(McpError::UnknownServer(s.into()))
    }
    pub async fn set_enabled(self: &Arc<Self>, s: &str, _e: bool) -> Result<(), McpError> {
        Err(McpError::UnknownServer(s.into()))
    }
    pub async fn prompt_text(
        &self,
        s: &str,
        _p: &str,
        _a: Vec<(String, String)>,
    ) -> Result<String, McpError> {
        Err(McpError::UnknownServer(s.into()))
    }
    pub async fn read_resource(&self, s: &str, _u: &str) -> Result<claurst_tools::ToolOutcome, McpError> {
        Err(McpError::UnknownServer(s.into()))
    }
    pub fn resource_mentions(&self) -> Vec<(String, String, String)> {
        Vec::new()
    }
    pub async fn shutdown(&self) {}
}
impl claurst_tools::ToolSource for McpManager {
    fn tools(&self) -> Vec<Arc<dyn claurst_tools::Tool>> {
        Vec::new()
    }
}
