//! Reading tool input with errors the model can act on.

use crate::tool::ToolResult;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Deserialize a tool's input, or explain to the model what was wrong with it.
pub(crate) fn parse<T: DeserializeOwned>(tool: &str, input: Value) -> Result<T, ToolResult> {
    if let Value::String(raw) = &input {
        return Err(ToolResult::error(format!(
            "{tool}: the input was not complete JSON (it may have been cut off): {raw}. Call the tool again with a complete input object."
        )));
    }
    serde_json::from_value(input).map_err(|error| {
        ToolResult::error(format!(
            "{tool}: invalid input: {error}. Check the tool's schema and call it again."
        ))
    })
}
