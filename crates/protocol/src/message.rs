//! Messages API wire types, serialised exactly as the API expects them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::web_search::{Citation, ServerToolUsage, WebSearchOutcome};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: Vec<ContentBlock>,
}

impl Message {
    /// A user message holding one text block.
    pub fn user(text: impl Into<String>) -> Self {
        Self { role: Role::User, content: vec![ContentBlock::text(text)] }
    }

    /// An assistant message holding one text block.
    pub fn assistant(text: impl Into<String>) -> Self {
        Self { role: Role::Assistant, content: vec![ContentBlock::text(text)] }
    }

    /// The concatenation of every text block, in order.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| match block {
                ContentBlock::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("")
    }

    /// Every `tool_use` block of this message, in order.
    pub fn tool_uses(&self) -> impl Iterator<Item = (&str, &str, &Value)> {
        self.content.iter().filter_map(|block| match block {
            ContentBlock::ToolUse { id, name, input } => Some((id.as_str(), name.as_str(), input)),
            _ => None,
        })
    }

    /// Whether this is a user message made only of tool results (an agent-loop message, not a prompt).
    pub fn is_tool_results(&self) -> bool {
        self.role == Role::User
            && !self.content.is_empty()
            && self.content.iter().all(|block| matches!(block, ContentBlock::ToolResult { .. }))
    }
}

/// A prompt-caching breakpoint marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheControl {
    #[serde(rename = "type")]
    pub kind: String,
}

impl CacheControl {
    pub fn ephemeral() -> Self {
        Self { kind: "ephemeral".into() }
    }
}

/// One block of message content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentBlock {
    Text {
        text: String,
        /// The sources this text cites (server-side web search); absent on plain text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        citations: Option<Vec<Citation>>,
    },
    Image {
        source: ImageSource,
    },
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    ToolResult {
        tool_use_id: String,
        content: Vec<ToolResultContent>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        is_error: bool,
    },
    /// Extended thinking. It must be sent back unchanged (with its signature) in later requests.
    Thinking {
        thinking: String,
        #[serde(default)]
        signature: String,
    },
    RedactedThinking {
        data: String,
    },
    /// A tool the API runs itself (its web search). The agent never executes it; like thinking, it is sent
    /// back unchanged in later requests.
    ServerToolUse {
        id: String,
        name: String,
        input: Value,
    },
    /// What the API's web search found, sent back unchanged in later requests.
    WebSearchToolResult {
        tool_use_id: String,
        content: WebSearchOutcome,
    },
}

impl ContentBlock {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into(), citations: None }
    }

    /// A tool result carrying plain text.
    pub fn tool_result(tool_use_id: impl Into<String>, output: impl Into<String>, is_error: bool) -> Self {
        Self::ToolResult {
            tool_use_id: tool_use_id.into(),
            content: vec![ToolResultContent::Text { text: output.into() }],
            is_error,
        }
    }
}

/// Content allowed inside a tool result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToolResultContent {
    Text { text: String },
    Image { source: ImageSource },
}

/// Inline image data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSource {
    /// Always `base64` for images Claurst sends.
    #[serde(rename = "type")]
    pub kind: String,
    pub media_type: String,
    pub data: String,
}

/// Why the model stopped producing a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    EndTurn,
    MaxTokens,
    StopSequence,
    ToolUse,
    PauseTurn,
    Refusal,
    #[serde(untagged)]
    Other(String),
}

/// Token counts as the API reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub cache_creation_input_tokens: u64,
    #[serde(default)]
    pub cache_read_input_tokens: u64,
    /// Searches the API ran for the reply; left out of the JSON when there were none.
    #[serde(default, skip_serializing_if = "ServerToolUsage::is_zero")]
    pub server_tool_use: ServerToolUsage,
}

impl Usage {
    /// Add another usage report to this one.
    pub fn accumulate(&mut self, other: &Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cache_creation_input_tokens += other.cache_creation_input_tokens;
        self.cache_read_input_tokens += other.cache_read_input_tokens;
        self.server_tool_use.accumulate(&other.server_tool_use);
    }

    /// Tokens of prompt the model saw for one request: fresh, cache-written and cache-read input.
    /// This is how much of the context window the conversation occupies.
    pub fn context_tokens(&self) -> u64 {
        self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens
    }
}

/// What one server-side web search costs, in US dollars ($10 per thousand), on top of the tokens.
const WEB_SEARCH_DOLLARS: f64 = 0.01;

/// What a model's tokens cost, in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelPrice {
    pub input: f64,
    pub output: f64,
    pub cache_write: f64,
    pub cache_read: f64,
}

impl ModelPrice {
    /// A price with the API's usual cache multipliers: writes cost 1.25× input, reads 0.1×.
    pub const fn standard(input: f64, output: f64) -> Self {
        Self { input, output, cache_write: input * 1.25, cache_read: input * 0.1 }
    }

    /// Cost of `usage` in US dollars.
    pub fn cost(&self, usage: &Usage) -> f64 {
        let dollars = |tokens: u64, per_million: f64| tokens as f64 * per_million / 1_000_000.0;
        dollars(usage.input_tokens, self.input)
            + dollars(usage.output_tokens, self.output)
            + dollars(usage.cache_creation_input_tokens, self.cache_write)
            + dollars(usage.cache_read_input_tokens, self.cache_read)
            + usage.server_tool_use.web_search_requests as f64 * WEB_SEARCH_DOLLARS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tool_use_and_result_serialise_as_the_api_expects() {
        let message = Message {
            role: Role::Assistant,
            content: vec![ContentBlock::ToolUse {
                id: "toolu_1".into(),
                name: "bash".into(),
                input: json!({"command": "ls"}),
            }],
        };
        assert_eq!(
            serde_json::to_value(&message).unwrap(),
            json!({"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"bash","input":{"command":"ls"}}]})
        );
        let result = ContentBlock::tool_result("toolu_1", "out", true);
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"out"}],"is_error":true})
        );
        let ok = ContentBlock::tool_result("toolu_1", "out", false);
        assert!(serde_json::to_value(&ok).unwrap().get("is_error").is_none());
    }

    #[test]
    fn unknown_stop_reasons_are_kept() {
        let reason: StopReason = serde_json::from_value(json!("model_context_window_exceeded")).unwrap();
        assert_eq!(reason, StopReason::Other("model_context_window_exceeded".into()));
        let reason: StopReason = serde_json::from_value(json!("tool_use")).unwrap();
        assert_eq!(reason, StopReason::ToolUse);
    }

    #[test]
    fn thinking_round_trips_with_signature() {
        let block = json!({"type":"thinking","thinking":"hmm","signature":"sig"});
        let parsed: ContentBlock = serde_json::from_value(block.clone()).unwrap();
        assert_eq!(serde_json::to_value(parsed).unwrap(), block);
    }
}
