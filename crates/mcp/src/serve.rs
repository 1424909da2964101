//! `claurst mcp serve`: Claurst's own tools offered to other agents and editors over MCP.
//!
//! Every call goes through the same permission engine as the model's calls, and runs with the grant the
//! engine gave, so a shell command allowed only because it reads runs in the read-only sandbox. Nobody can
//! be asked over MCP: a call that would need the user's approval is refused, and the refusal names the rule
//! that would allow it, as headless runs do.

mod results;

pub use results::needs_approval;

use claurst_permissions::{PermissionEngine, Verdict};
use claurst_protocol::ToolFamily;
use claurst_tools::{Tool, ToolRegistry};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::Value;
use std::sync::Arc;

/// What a client is told about this server when it connects.
const INSTRUCTIONS: &str = "Claurst's coding tools for the project this server was started in: read, \
search, edit and write files, run shell commands. Every call is checked against the project's permission \
rules; calls that would need a person's approval are refused with the rule that would allow them.";

/// Said in place of a result when the client cancelled the call.
pub const CANCELLED_RESULT: &str = "Cancelled by the client: the tool was stopped before it finished.";

/// Why serving stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the MCP client did not complete the handshake: {0}")]
    Handshake(String),
    #[error("the MCP server stopped unexpectedly: {0}")]
    Stopped(String),
}

/// An MCP server offering the tools of a registry, each call judged by a permission engine.
pub struct ToolServer {
    tools: ToolRegistry,
    permissions: PermissionEngine,
    instructions: String,
    /// Held shared by read-only calls and alone by the others: as in the agent loop, reads run together
    /// and a call that changes something runs by itself, whatever order the client sends them in.
    turns: tokio::sync::RwLock<()>,
}

impl ToolServer {
    /// Serve `tools`, running only the calls `permissions` allows.
    pub fn new(tools: ToolRegistry, permissions: PermissionEngine) -> Self {
        Self {
            tools,
            permissions,
            instructions: INSTRUCTIONS.to_string(),
            turns: tokio::sync::RwLock::new(()),
        }
    }

    /// Add a note to the instructions clients receive (why the sandbox is unavailable, for instance).
    pub fn with_note(mut self, note: &str) -> Self {
        self.instructions.push_str("\n\n");
        self.instructions.push_str(note);
        self
    }

    /// Serve over `transport` (stdio, or a pipe in tests) until the client disconnects.
    pub async fn serve_transport<T, E, A>(self, transport: T) -> Result<(), ServeError>
    where
        T: rmcp::transport::IntoTransport<RoleServer, E, A>,
        E: std::error::Error + Send + Sync + 'static,
    {
        let running = ServiceExt::serve(self, transport)
            .await
            .map_err(|error| ServeError::Handshake(error.to_string()))?;
        let reason = running.waiting().await.map_err(|error| ServeError::Stopped(error.to_string()))?;
        tracing::info!(?reason, "MCP client disconnected");
        Ok(())
    }

    /// Serve over this process's standard input and output until the client closes them.
    pub async fn serve_stdio(self) -> Result<(), ServeError> {
        self.serve_transport(rmcp::transport::io::stdio_pipes()).await
    }

    /// Judge the call, run it when allowed, and say what happened.
    async fn call(&self, name: &str, input: Value, context: &RequestContext<RoleServer>) -> CallToolResult {
        let Some(tool) = self.tools.get(name) else {
            return results::error(format!(
                "There is no tool named `{name}`. The available tools are: {}.",
                self.tools.names().join(", ")
            ));
        };
        let grant = match self.permissions.evaluate(name, &tool.access(&input)) {
            Verdict::Allow(grant) => grant,
            Verdict::Deny { reason } => {
                tracing::info!(tool = name, %reason, "MCP call denied");
                return results::error(reason);
            }
            Verdict::Ask { suggested_rule } => {
                tracing::info!(tool = name, rule = %suggested_rule, "MCP call needs approval; refused");
                return results::error(results::needs_approval(&suggested_rule.to_string()));
            }
        };
        tracing::debug!(tool = name, ?grant, "MCP call allowed");
        let run = async {
            if tool.is_read_only(&input) {
                let _reading = self.turns.read().await;
                tool.run_granted(input, grant).await
            } else {
                let _changing = self.turns.write().await;
                tool.run_granted(input, grant).await
            }
        };
        // Dropping the tool's future kills whatever it started: that is how a cancelled call stops.
        match context.ct.run_until_cancelled(run).await {
            Some(outcome) => results::from_outcome(outcome),
            None => results::error(CANCELLED_RESULT),
        }
    }
}

impl ServerHandler for ToolServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("claurst", env!("CARGO_PKG_VERSION")))
            .with_instructions(self.instructions.clone())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.iter().map(|tool| describe(tool.as_ref())).collect()))
    }

    fn get_tool(&self, name: &str) -> Option<rmcp::model::Tool> {
        self.tools.get(name).map(|tool| describe(tool.as_ref()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let input = Value::Object(request.arguments.unwrap_or_default());
        Ok(self.call(&request.name, input, &context).await.into())
    }
}

/// A tool as MCP clients see it: name, title, description, input schema and hints.
fn describe(tool: &dyn Tool) -> rmcp::model::Tool {
    let schema = match tool.input_schema() {
        Value::Object(schema) => schema,
        _ => JsonObject::new(),
    };
    // A call with no arguments stands for every call: tools whose every call reads (read_file, grep…) say
    // so for any input, while bash reads only for some commands, so it gets no read-only hint.
    let any_call = Value::Object(JsonObject::new());
    let reaches_outside = matches!(tool.family(), ToolFamily::Network | ToolFamily::Shell);
    let annotations = ToolAnnotations::with_title(title(tool.name()))
        .read_only(tool.is_read_only(&any_call))
        .open_world(reaches_outside);
    rmcp::model::Tool::new(tool.name().to_string(), tool.description().to_string(), Arc::new(schema))
        .with_title(title(tool.name()))
        .with_annotations(annotations)
}

/// `read_file` → `Read file`.
fn title(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

#[cfg(test)]
mod tests {
    use super::title;

    #[test]
    fn titles() {
        assert_eq!(title("read_file"), "Read file");
        assert_eq!(title("bash"), "Bash");
        assert_eq!(title(""), "");
    }
}
