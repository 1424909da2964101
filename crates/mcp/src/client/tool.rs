//! One MCP server tool as the model sees it.

use super::calls;
use super::state::Shared;
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ToolFamily;
use claurst_tools::{Tool, ToolOutcome, ToolResult};
use serde_json::Value;
use std::sync::Weak;

/// Key arguments longer than this are not "short"; the next string argument is tried.
const MAX_KEY_ARGUMENT: usize = 120;

pub(crate) struct McpTool {
    /// Weak: the manager owns its servers' tools, and a tool left in a finished turn must not keep the
    /// servers alive.
    shared: Weak<Shared>,
    server: usize,
    /// `mcp__<server>__<tool>`.
    name: String,
    /// The server's own name for it.
    tool: String,
    title: String,
    description: String,
    schema: Value,
    read_only_hint: bool,
}

impl McpTool {
    pub(crate) fn new(shared: Weak<Shared>, server: usize, name: String, tool: rmcp::model::Tool) -> Self {
        let server_name =
            shared.upgrade().map(|shared| shared.servers[server].config.name.clone()).unwrap_or_default();
        let annotations = tool.annotations.as_ref();
        let shown = tool
            .title
            .clone()
            .or_else(|| annotations.and_then(|a| a.title.clone()))
            .unwrap_or_else(|| tool.name.to_string());
        let read_only_hint = annotations.and_then(|a| a.read_only_hint).unwrap_or(false);
        let mut schema = Value::Object((*tool.input_schema).clone());
        if let Value::Object(object) = &mut schema {
            // The Messages API requires an object schema; servers sometimes leave the type out.
            object.insert("type".to_string(), Value::String("object".to_string()));
        }
        let description = tool.description.as_deref().unwrap_or_default().to_string();
        Self {
            shared,
            server,
            name,
            tool: tool.name.to_string(),
            title: format!("{server_name} · {shown} (MCP)"),
            description,
            schema,
            read_only_hint,
        }
    }
}

#[async_trait]
impl Tool for McpTool {
    fn name(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn input_schema(&self) -> Value {
        self.schema.clone()
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Network
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        first_short_string(input, &self.schema)
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        self.read_only_hint
    }

    fn access(&self, _input: &Value) -> Access {
        Access::External { read_only_hint: self.read_only_hint }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        match self.shared.upgrade() {
            Some(shared) => calls::call_tool(&shared, self.server, &self.tool, input).await,
            None => ToolResult::error("the MCP servers of this session have been shut down").into(),
        }
    }
}

/// The first string argument that fits on a short line: the schema's required arguments in their order
/// first (JSON objects here do not keep their keys' order), then any other.
pub(crate) fn first_short_string(input: &Value, schema: &Value) -> Option<String> {
    let object = input.as_object()?;
    let required =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    required
        .filter_map(|name| object.get(name).and_then(short_text))
        .chain(object.values().filter_map(short_text))
        .next()
        .map(str::to_string)
}

fn short_text(value: &Value) -> Option<&str> {
    value.as_str().filter(|text| !text.contains('\n') && text.chars().count() <= MAX_KEY_ARGUMENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_key_argument_is_a_short_string_required_ones_first() {
        let schema = json!({"required": ["query", "database"]});
        let input = json!({"database": "main", "query": "select 1", "count": 3});
        assert_eq!(first_short_string(&input, &schema), Some("select 1".to_string()));
        let input = json!({"a": "line one\nline two", "b": "short", "n": 1});
        assert_eq!(first_short_string(&input, &json!({})), Some("short".to_string()));
        assert_eq!(first_short_string(&json!({"n": 1}), &json!({})), None);
    }
}
