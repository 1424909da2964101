//! From Claurst's tool outcomes and refusals to MCP tool results.

use claurst_protocol::ToolResultContent;
use claurst_tools::ToolOutcome;
use rmcp::model::{CallToolResult, ContentBlock};

/// A tool-level error: the caller sees `text` and may try something else.
pub(super) fn error(text: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(text)])
}

/// What the caller is told when a call would need a person's approval: it was not run, and which rule in
/// the configuration would allow calls like it.
pub fn needs_approval(suggested_rule: &str) -> String {
    format!(
        "This call needs the user's approval, and no one can approve it through `claurst mcp serve`. It was \
         not run. The user can allow calls like it with the rule `{suggested_rule}` (under [tools] allow in \
         .claurst.toml or ~/.claurst/config.toml) or by starting the server with --permission-mode."
    )
}

/// The text first, then any richer content (images a read returned). Todo lists and sandbox refusals are
/// for the agent loop's front-ends; the text already says what a caller needs to know.
pub(super) fn from_outcome(outcome: ToolOutcome) -> CallToolResult {
    let mut content = vec![ContentBlock::text(outcome.result.output)];
    content.extend(outcome.extra_content.into_iter().map(|extra| match extra {
        ToolResultContent::Text { text } => ContentBlock::text(text),
        ToolResultContent::Image { source } => ContentBlock::image(source.data, source.media_type),
    }));
    if outcome.result.is_error { CallToolResult::error(content) } else { CallToolResult::success(content) }
}
