//! MCP servers in a session: which may start, their tools offered through the agent's tool source, the
//! requests front-ends make of them, and `@server:uri` mentions in prompts.

use crate::agent::Agent;
use crate::events::EventSink;
use claurst_config::{ClaurstPaths, McpServerConfig, McpTrust, TrustChoice, TrustDecision};
pub use claurst_mcp::SdkMcpBridge;
use claurst_mcp::{Admission, McpManager, McpOptions};
use claurst_protocol::{AgentEvent, McpRequest, McpServerStatus, McpServerView, ToolResultContent};
use std::path::Path;
use std::sync::Arc;

/// The MCP servers configured for a session (`claurst_config::mcp_servers`).
#[derive(Debug, Clone, Default)]
pub struct McpSettings {
    /// In force, with environment references replaced (each still shows its target as written).
    pub servers: Vec<McpServerConfig>,
    /// Where trust decisions are kept; `None`: project servers never start (library users, tests).
    pub trust_paths: Option<ClaurstPaths>,
    /// The way to the in-process servers (`"type": "sdk"`) of the program driving the session; `None`:
    /// such servers fail to start, saying why.
    pub sdk_bridge: Option<Arc<dyn SdkMcpBridge>>,
}

/// When a session starts its MCP servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum McpStart {
    /// As the session starts, in the background (library use).
    #[default]
    AtSessionStart,
    /// Once the front-end has drawn its first frame (`Op::FrontEndReady`), so that starting server processes
    /// does not compete with it for the CPU; the first model request starts them if that comes first. The
    /// starting context (the `git` processes behind the system prompt's environment) waits for the same signal.
    WhenFrontEndReady,
    /// Before `SessionStarted`, waiting until each has started or failed, so that it lists their final status
    /// and tools (headless runs, where nobody watches them start).
    BeforeSessionStarted,
}

/// A session's MCP servers and what is needed to act on them.
pub(crate) struct SessionMcp {
    pub(crate) manager: Arc<McpManager>,
    settings: McpSettings,
    project_root: std::path::PathBuf,
}

impl SessionMcp {
    /// The manager for `settings`, with each server admitted by its trust decision. Nothing starts yet.
    /// Oversized results are saved in `tool_output`, the session's folder for them.
    pub(crate) fn new(settings: McpSettings, project_root: &Path, tool_output: &Path) -> Option<Self> {
        if settings.servers.is_empty() {
            return None;
        }
        let trust = settings.trust_paths.as_ref().and_then(|paths| match McpTrust::load(paths) {
            Ok(trust) => Some(trust),
            Err(error) => {
                tracing::warn!(%error, "MCP trust decisions cannot be read; project servers will ask again");
                None
            }
        });
        let admitted = settings
            .servers
            .iter()
            .map(|server| {
                let admission = match admission(server, trust.as_ref(), project_root) {
                    TrustDecision::Approved => Admission::Start,
                    TrustDecision::Denied => Admission::Denied,
                    TrustDecision::Unknown => Admission::NeedsApproval,
                };
                (server.clone(), admission)
            })
            .collect();
        let mut options = McpOptions::new(project_root.to_path_buf(), tool_output.to_path_buf());
        // What servers listed last time is offered while they start again.
        options.tool_cache = settings.trust_paths.as_ref().map(|paths| paths.claurst_dir().join("mcp-cache"));
        options.sdk_bridge = settings.sdk_bridge.clone();
        let manager = McpManager::new(admitted, options);
        Some(Self { manager, settings, project_root: project_root.to_path_buf() })
    }

    /// The servers as front-ends show them (targets as written, never with replaced secrets).
    pub(crate) fn views(&self) -> Vec<McpServerView> {
        self.manager.views()
    }

    /// Project servers that were not started because nobody approved them for this project.
    pub(crate) fn unapproved(&self) -> Vec<McpServerView> {
        self.views().into_iter().filter(|view| view.status == McpServerStatus::NeedsApproval).collect()
    }

    /// Forward every status change to the front-end as `McpServers`, until the session ends.
    pub(crate) fn report_changes(&self, sink: &EventSink) {
        let mut changes = self.manager.subscribe();
        let sink = sink.clone();
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let views = changes.borrow_and_update().clone();
                if !sink.is_attached() {
                    break;
                }
                sink.emit(AgentEvent::McpServers(views)).await;
            }
        });
    }

    /// Record the user's answer about a project server (so it is not asked again while its definition
    /// stays the same), then start or keep it stopped.
    fn trust(&self, server: &str, choice: TrustChoice) -> Result<(), String> {
        // Recorded by the definition's fingerprint, which is taken before references are replaced.
        let definition = self
            .settings
            .servers
            .iter()
            .find(|definition| definition.name == server)
            .ok_or_else(|| format!("There is no MCP server named {server}."))?;
        if let Some(paths) = &self.settings.trust_paths {
            McpTrust::load(paths)
                .and_then(|mut trust| trust.record(&self.project_root, definition, choice))
                .map_err(|error| format!("The choice for {server} could not be remembered: {error}"))?;
        }
        let result = match choice {
            TrustChoice::Approve => self.manager.approve(server),
            TrustChoice::Deny => self.manager.deny(server),
        };
        result.map_err(|error| error.to_string())
    }
}

fn admission(server: &McpServerConfig, trust: Option<&McpTrust>, project_root: &Path) -> TrustDecision {
    if !server.scope.needs_trust() {
        return TrustDecision::Approved;
    }
    trust.map_or(TrustDecision::Unknown, |trust| trust.decision(project_root, server))
}

impl Agent {
    /// Start the admitted MCP servers in the background (once; later calls do nothing).
    pub(crate) fn start_mcp(&self) {
        if let Some(mcp) = &self.mcp {
            mcp.manager.start();
        }
    }

    /// Start the servers and wait until none is still starting (each is bounded by its startup timeout): for
    /// runs that must offer every tool from their first request (headless, library `run`).
    pub(crate) async fn settle_mcp(&self) {
        if let Some(mcp) = &self.mcp {
            mcp.manager.start();
            mcp.manager.wait_for_startup().await;
        }
    }

    /// Send the servers' status once, then whenever it changes, until the session ends.
    pub(crate) async fn report_mcp_changes(&self, sink: &EventSink) {
        if let Some(mcp) = &self.mcp {
            sink.emit(AgentEvent::McpServers(mcp.views())).await;
            mcp.report_changes(sink);
        }
    }

    /// Every configured MCP server and its status (empty without servers).
    pub fn mcp_servers(&self) -> Vec<McpServerView> {
        self.mcp.as_ref().map(SessionMcp::views).unwrap_or_default()
    }

    /// Project servers that did not start because they are not approved for this project: headless runs
    /// say which they skipped.
    pub fn unapproved_mcp_servers(&self) -> Vec<McpServerView> {
        self.mcp.as_ref().map(SessionMcp::unapproved).unwrap_or_default()
    }

    /// Stop every MCP server (their processes are killed).
    pub async fn shutdown_mcp(&self) {
        if let Some(mcp) = &self.mcp {
            mcp.manager.shutdown().await;
        }
    }

    /// Stop every language server the `lsp` tool started (asked to exit, killed if they do not).
    pub async fn shutdown_lsp(&self) {
        if let Some(lsp) = &self.lsp {
            lsp.shutdown().await;
        }
    }

    /// Act on a front-end's request about a server. Slow work (reconnecting) runs in the background; the
    /// outcome shows as a status change, or a notice when it failed.
    pub(crate) async fn handle_mcp_request(&self, request: McpRequest, sink: &EventSink) {
        let Some(mcp) = &self.mcp else {
            let text = "No MCP servers are configured; add one with `claurst mcp add`.".to_string();
            sink.emit(AgentEvent::Notice { text }).await;
            return;
        };
        let failure = match request {
            McpRequest::Trust { server, choice } => mcp.trust(&server, choice).err(),
            McpRequest::Reconnect { server } => {
                let (manager, sink) = (Arc::clone(&mcp.manager), sink.clone());
                tokio::spawn(async move {
                    if let Err(error) = manager.reconnect(&server).await {
                        let text = format!("Cannot reconnect {server}: {error}");
                        sink.emit(AgentEvent::Notice { text }).await;
                    }
                });
                None
            }
            McpRequest::SetEnabled { server, enabled } => {
                mcp.manager.set_enabled(&server, enabled).await.err().map(|error| error.to_string())
            }
            // Prompts become runs: the session turns them into jobs before they get here.
            McpRequest::RunPrompt { .. } => None,
        };
        if let Some(text) = failure {
            sink.emit(AgentEvent::Notice { text }).await;
        }
    }

    /// The text a server's prompt expands to, sent as the user's prompt.
    pub(crate) async fn mcp_prompt_text(
        &self,
        server: &str,
        prompt: &str,
        arguments: Vec<(String, String)>,
    ) -> Result<String, String> {
        let mcp = self.mcp.as_ref().ok_or_else(|| "No MCP servers are configured.".to_string())?;
        mcp.manager
            .prompt_text(server, prompt, arguments)
            .await
            .map_err(|error| format!("The prompt /mcp__{server}__{prompt} could not be run: {error}"))
    }

    /// `prompt` with the contents of every `@server:uri` it mentions appended, so the model sees them; a
    /// mention that cannot be read is reported in the prompt rather than failing it.
    pub(crate) async fn with_mcp_resources(&self, prompt: &str) -> String {
        let Some(mcp) = &self.mcp else { return prompt.to_string() };
        let servers: Vec<String> = mcp.settings.servers.iter().map(|server| server.name.clone()).collect();
        let mentions = resource_mentions(prompt, &servers);
        if mentions.is_empty() {
            return prompt.to_string();
        }
        let mut expanded = prompt.to_string();
        for (server, uri) in mentions {
            let body = match mcp.manager.read_resource(&server, &uri).await {
                Ok(outcome) => {
                    let mut text = outcome.result.output;
                    for extra in &outcome.extra_content {
                        if let ToolResultContent::Image { .. } = extra {
                            text.push_str("\n[an image, not shown]");
                        }
                    }
                    text
                }
                Err(error) => format!("(could not be read: {error})"),
            };
            expanded.push_str(&format!(
                "\n\n<mcp-resource server=\"{server}\" uri=\"{uri}\">\n{body}\n</mcp-resource>"
            ));
        }
        expanded
    }
}

/// `@server:uri` mentions of configured servers, in order, each once. A mention ends at whitespace; a
/// trailing sentence mark (`.`, `,`, `)`) is not part of it.
pub(crate) fn resource_mentions(prompt: &str, servers: &[String]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for word in prompt.split_whitespace() {
        let Some(mention) = word.strip_prefix('@') else { continue };
        let Some((server, uri)) = mention.split_once(':') else { continue };
        let uri = uri.trim_end_matches(['.', ',', ')', ';', '!', '?']);
        if uri.is_empty() || !servers.iter().any(|name| name == server) {
            continue;
        }
        let mention = (server.to_string(), uri.to_string());
        if !found.contains(&mention) {
            found.push(mention);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_name_a_configured_server_and_a_uri() {
        let servers = vec!["docs".to_string(), "everything".to_string()];
        let prompt = "compare @docs:file:///a.md with @everything:test://static/resource/1, and @src/main.rs \
                      or @nobody:x://y; again @docs:file:///a.md.";
        assert_eq!(
            resource_mentions(prompt, &servers),
            [
                ("docs".to_string(), "file:///a.md".to_string()),
                ("everything".to_string(), "test://static/resource/1".to_string()),
            ]
        );
        assert!(resource_mentions("email me @docs: later", &servers).is_empty());
    }
}
