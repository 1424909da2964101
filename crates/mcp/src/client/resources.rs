//! Servers' resources: the `list_mcp_resources` and `read_mcp_resource` tools, and reading one resource
//! for an `@server:uri` mention.

use super::McpError;
use super::calls;
use super::results::Content;
use super::state::Shared;
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::{McpServerStatus, ToolFamily};
use claurst_tools::{Tool, ToolOutcome, ToolResult};
use rmcp::model::ReadResourceRequestParams;
use serde_json::{Value, json};
use std::sync::{Arc, Weak};

pub(crate) const LIST_RESOURCES: &str = "list_mcp_resources";
pub(crate) const READ_RESOURCE: &str = "read_mcp_resource";

/// Read `uri` from server `index`, bounded by the server's tool timeout.
pub(crate) async fn read(shared: &Arc<Shared>, index: usize, uri: &str) -> Result<ToolOutcome, McpError> {
    let slot = &shared.servers[index];
    let server = slot.config.name.clone();
    let peer = calls::ready_peer(shared, index)
        .await
        .map_err(|status| McpError::NotReady { server: server.clone(), status })?;
    let limit = slot.config.tool_timeout;
    let read = tokio::time::timeout(limit, peer.read_resource(ReadResourceRequestParams::new(uri)))
        .await
        .map_err(|_| McpError::Timeout { server: server.clone(), seconds: limit.as_secs() })?;
    let result = match read {
        Ok(result) => result,
        Err(error) => {
            let message = calls::request_failure(shared, index, &peer, error).await;
            return Err(McpError::Request { server, message });
        }
    };
    let mut content = Content::default();
    for contents in result.contents {
        content.add_resource(contents);
    }
    Ok(content.into_outcome(false, &shared.options.tool_output, shared.options.max_result_chars).await)
}

/// `list_mcp_resources`: what ready servers offer to read.
pub(crate) struct ListResourcesTool {
    pub(crate) shared: Weak<Shared>,
}

/// `read_mcp_resource`: one resource's contents.
pub(crate) struct ReadResourceTool {
    pub(crate) shared: Weak<Shared>,
}

#[async_trait]
impl Tool for ListResourcesTool {
    fn name(&self) -> &str {
        LIST_RESOURCES
    }

    fn description(&self) -> &str {
        "Lists the resources (files, records, documents) that connected MCP servers offer, with their server, \
         URI, name and MIME type. Pass `server` to list one server's only. Read one with read_mcp_resource."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": { "server": { "type": "string", "description": "Only this MCP server's resources." } },
        })
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Network
    }

    fn title(&self) -> String {
        "MCP resources".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        input.get("server")?.as_str().map(str::to_string)
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, _input: &Value) -> Access {
        Access::External { read_only_hint: true }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let Some(shared) = self.shared.upgrade() else {
            return ToolResult::error("the MCP servers of this session have been shut down");
        };
        let only = input.get("server").and_then(Value::as_str);
        if let Some(server) = only
            && shared.index_of(server).is_none()
        {
            return ToolResult::error(McpError::UnknownServer(server.to_string()).to_string());
        }
        let mut lines = Vec::new();
        for slot in shared.servers.iter().filter(|slot| only.is_none_or(|name| name == slot.config.name)) {
            let state = slot.lock();
            if state.status != McpServerStatus::Ready {
                continue;
            }
            for resource in &state.offer.resources {
                let mime = resource.mime_type.as_deref().unwrap_or("unknown type");
                lines.push(format!("{}\t{}\t{}\t{mime}", slot.config.name, resource.uri, resource.name));
            }
        }
        if lines.is_empty() {
            return ToolResult::ok("No MCP server offers resources right now.");
        }
        lines.insert(0, "server\turi\tname\tmimeType".to_string());
        ToolResult::ok(lines.join("\n"))
    }
}

#[async_trait]
impl Tool for ReadResourceTool {
    fn name(&self) -> &str {
        READ_RESOURCE
    }

    fn description(&self) -> &str {
        "Reads one resource from an MCP server by its URI (as list_mcp_resources shows it). Text comes back as \
         text, images as images."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "server": { "type": "string", "description": "The MCP server's name." },
                "uri": { "type": "string", "description": "The resource's URI." },
            },
            "required": ["server", "uri"],
        })
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Network
    }

    fn title(&self) -> String {
        "MCP resource".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        input.get("uri")?.as_str().map(str::to_string)
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, _input: &Value) -> Access {
        Access::External { read_only_hint: true }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let Some(shared) = self.shared.upgrade() else {
            return ToolResult::error("the MCP servers of this session have been shut down").into();
        };
        let (Some(server), Some(uri)) =
            (input.get("server").and_then(Value::as_str), input.get("uri").and_then(Value::as_str))
        else {
            return ToolResult::error("`server` and `uri` are required strings").into();
        };
        let Some(index) = shared.index_of(server) else {
            return ToolResult::error(McpError::UnknownServer(server.to_string()).to_string()).into();
        };
        match read(&shared, index, uri).await {
            Ok(outcome) => outcome,
            Err(error) => ToolResult::error(error.to_string()).into(),
        }
    }
}
