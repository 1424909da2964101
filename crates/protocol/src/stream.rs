//! What a model reply says about itself, and the Messages API's streaming events as typed data.
//!
//! Front-ends that print for programs (`--include-partial-messages`) forward the streaming events as the
//! API sent them; serialising a [`StreamEvent`] gives back the API's own JSON shape.

use crate::message::{ContentBlock, Role, StopReason, Usage};
use serde::{Deserialize, Serialize};

/// Facts about one model reply beyond its content: the API's message id, the model that answered, why it
/// stopped and what it used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplyInfo {
    /// The API's id of the message (`msg_…`); empty when the provider gives none.
    pub id: String,
    /// The model as the API named it in its reply.
    pub model: String,
    pub stop_reason: Option<StopReason>,
    pub stop_sequence: Option<String>,
    pub usage: Usage,
}

/// One event of a streamed Messages API reply, in the API's shape (`type` tags each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    MessageStart { message: StreamedMessage },
    ContentBlockStart { index: u32, content_block: ContentBlock },
    ContentBlockDelta { index: u32, delta: BlockDelta },
    ContentBlockStop { index: u32 },
    MessageDelta { delta: MessageDeltaFields, usage: Usage },
    MessageStop,
}

/// The message as `message_start` announces it (its content is still empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamedMessage {
    #[serde(default)]
    pub id: String,
    #[serde(rename = "type", default = "message_kind")]
    pub kind: String,
    #[serde(default = "assistant_role")]
    pub role: Role,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub content: Vec<ContentBlock>,
    #[serde(default)]
    pub stop_reason: Option<StopReason>,
    #[serde(default)]
    pub stop_sequence: Option<String>,
    #[serde(default)]
    pub usage: Usage,
}

fn assistant_role() -> Role {
    Role::Assistant
}

fn message_kind() -> String {
    "message".into()
}

/// A piece of a content block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockDelta {
    TextDelta {
        text: String,
    },
    InputJsonDelta {
        partial_json: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    SignatureDelta {
        signature: String,
    },
    /// A source the text block being streamed cites (server-side web search).
    CitationsDelta {
        citation: crate::web_search::Citation,
    },
}

/// What `message_delta` changes at the end of a message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageDeltaFields {
    #[serde(default)]
    pub stop_reason: Option<StopReason>,
    #[serde(default)]
    pub stop_sequence: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stream_events_keep_the_api_shape() {
        for raw in [
            json!({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}),
            json!({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t1","name":"bash","input":{}}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"a"}}),
            json!({"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"hm"}}),
            json!({"type":"content_block_stop","index":0}),
            json!({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":7,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}),
            json!({"type":"message_stop"}),
        ] {
            let event: StreamEvent = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(serde_json::to_value(&event).unwrap(), raw);
        }
    }
}
