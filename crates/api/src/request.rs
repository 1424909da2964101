//! The body of a streaming Messages API request.

use claurst_protocol::Message;
use serde::Serialize;
use serde_json::{Value, json};

/// A tool as the model sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDefinition {
    pub name: String,
    pub description: String,
    pub input_schema: Value,
}

/// The API's own web search, declared beside the client tools (the Messages API only: other wire formats
/// leave it out). At most one of the domain lists is sent; the allow-list wins when both are set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebSearchSpec {
    /// The most searches one reply may run.
    pub max_uses: Option<u32>,
    pub allowed_domains: Vec<String>,
    pub blocked_domains: Vec<String>,
}

impl WebSearchSpec {
    /// The declaration as the `tools` array takes it.
    fn to_tool(&self) -> Value {
        let mut tool = json!({"type": "web_search_20250305", "name": claurst_protocol::WEB_SEARCH_TOOL});
        if let Some(max_uses) = self.max_uses {
            tool["max_uses"] = json!(max_uses);
        }
        if !self.allowed_domains.is_empty() {
            tool["allowed_domains"] = json!(self.allowed_domains);
        } else if !self.blocked_domains.is_empty() {
            tool["blocked_domains"] = json!(self.blocked_domains);
        }
        tool
    }
}

/// Everything one request sends.
#[derive(Debug, Clone, PartialEq)]
pub struct MessagesRequest {
    pub model: String,
    pub max_tokens: u32,
    /// System prompt sections, most stable first (the last one ends the cached prefix).
    pub system: Vec<String>,
    pub messages: Vec<Message>,
    pub tools: Vec<ToolDefinition>,
    /// Extended-thinking budget in tokens, when enabled.
    pub thinking_budget: Option<u32>,
    /// Reasoning effort (`low`, `medium`, `high`) for providers that take a level rather than a budget.
    /// The Messages API ignores it.
    pub effort: Option<String>,
    /// The API's server-side web search, when the model is offered it.
    pub web_search: Option<WebSearchSpec>,
}

impl MessagesRequest {
    /// The JSON body, with prompt-caching breakpoints on the stable prefix: the last tool definition, the last
    /// system block and the last block of the newest message. Each later request then reads the conversation
    /// so far from the cache instead of paying for it again.
    pub fn to_body(&self) -> Value {
        let mut body = json!({
            "model": self.model,
            "max_tokens": self.max_tokens,
            "stream": true,
            "messages": self.messages,
        });
        if !self.system.is_empty() {
            let mut blocks: Vec<Value> =
                self.system.iter().map(|text| json!({"type": "text", "text": text})).collect();
            mark_cached(blocks.last_mut());
            body["system"] = Value::Array(blocks);
        }
        let server_tools = self.web_search.iter().map(WebSearchSpec::to_tool);
        let mut tools: Vec<Value> = self.tools.iter().map(|tool| json!(tool)).chain(server_tools).collect();
        if !tools.is_empty() {
            mark_cached(tools.last_mut());
            body["tools"] = Value::Array(tools);
        }
        drop_unsigned_thinking(&mut body["messages"]);
        if let Some(budget) = self.thinking_budget {
            body["thinking"] = json!({"type": "enabled", "budget_tokens": budget});
        }
        let last_block = body
            .get_mut("messages")
            .and_then(Value::as_array_mut)
            .and_then(|messages| messages.last_mut())
            .and_then(|message| message.get_mut("content"))
            .and_then(Value::as_array_mut)
            .and_then(|content| content.iter_mut().rev().find(|block| is_cacheable(block)));
        mark_cached(last_block);
        body
    }
}

/// Thinking from another provider (OpenAI-compatible reasoning) has no signature, and the Messages API refuses
/// thinking it did not sign; it is dropped, as it would be for that provider. Signed thinking is kept.
fn drop_unsigned_thinking(messages: &mut Value) {
    let contents =
        messages.as_array_mut().into_iter().flatten().filter_map(|message| message.get_mut("content"));
    for content in contents.filter_map(Value::as_array_mut) {
        content.retain(|block| {
            block.get("type").and_then(Value::as_str) != Some("thinking")
                || block
                    .get("signature")
                    .and_then(Value::as_str)
                    .is_some_and(|signature| !signature.is_empty())
        });
    }
}

/// Thinking blocks cannot carry a cache breakpoint, and the server tool's blocks are sent back exactly as the
/// API gave them; every other block kind can.
fn is_cacheable(block: &Value) -> bool {
    !matches!(
        block.get("type").and_then(Value::as_str),
        Some("thinking" | "redacted_thinking" | "server_tool_use" | "web_search_tool_result")
    )
}

fn mark_cached(block: Option<&mut Value>) {
    if let Some(Value::Object(fields)) = block {
        fields.insert("cache_control".into(), json!({"type": "ephemeral"}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_breakpoints_sit_on_the_stable_prefix() {
        let request = MessagesRequest {
            model: "m".into(),
            max_tokens: 10,
            system: vec!["base".into(), "project".into()],
            messages: vec![Message::user("one"), Message::assistant("two"), Message::user("three")],
            tools: vec![
                ToolDefinition { name: "a".into(), description: "".into(), input_schema: json!({}) },
                ToolDefinition { name: "b".into(), description: "".into(), input_schema: json!({}) },
            ],
            thinking_budget: None,
            effort: None,
            web_search: None,
        };
        let body = request.to_body();
        assert_eq!(body["stream"], json!(true));
        assert!(body["system"][0].get("cache_control").is_none());
        assert_eq!(body["system"][1]["cache_control"], json!({"type":"ephemeral"}));
        assert!(body["tools"][0].get("cache_control").is_none());
        assert_eq!(body["tools"][1]["cache_control"], json!({"type":"ephemeral"}));
        assert!(body["messages"][0]["content"][0].get("cache_control").is_none());
        assert_eq!(body["messages"][2]["content"][0]["cache_control"], json!({"type":"ephemeral"}));
        assert!(body.get("thinking").is_none());
    }

    #[test]
    fn web_search_is_declared_after_the_client_tools_with_one_domain_list() {
        let spec = WebSearchSpec {
            max_uses: Some(3),
            allowed_domains: vec!["docs.rs".into()],
            blocked_domains: vec!["example.com".into()],
        };
        let request = MessagesRequest {
            model: "m".into(),
            max_tokens: 10,
            system: vec![],
            messages: vec![Message::user("one")],
            tools: vec![ToolDefinition { name: "a".into(), description: "".into(), input_schema: json!({}) }],
            thinking_budget: None,
            effort: None,
            web_search: Some(spec.clone()),
        };
        let body = request.to_body();
        assert_eq!(
            body["tools"][1],
            json!({"type":"web_search_20250305","name":"web_search","max_uses":3,"allowed_domains":["docs.rs"],
                   "cache_control":{"type":"ephemeral"}})
        );
        let blocked = WebSearchSpec { allowed_domains: vec![], max_uses: None, ..spec };
        let body = MessagesRequest { tools: vec![], web_search: Some(blocked), ..request }.to_body();
        assert_eq!(
            body["tools"],
            json!([{"type":"web_search_20250305","name":"web_search","blocked_domains":["example.com"],
                    "cache_control":{"type":"ephemeral"}}])
        );
    }

    #[test]
    fn thinking_without_a_signature_is_not_sent() {
        use claurst_protocol::{ContentBlock, Role};
        let thought =
            |signature: &str| ContentBlock::Thinking { thinking: "t".into(), signature: signature.into() };
        let request = MessagesRequest {
            model: "m".into(),
            max_tokens: 10,
            system: vec![],
            messages: vec![
                Message::user("one"),
                Message { role: Role::Assistant, content: vec![thought(""), ContentBlock::text("a")] },
                Message { role: Role::Assistant, content: vec![thought("sig"), ContentBlock::text("b")] },
            ],
            tools: vec![],
            thinking_budget: None,
            effort: None,
            web_search: None,
        };
        let body = request.to_body();
        assert_eq!(body["messages"][1]["content"].as_array().unwrap().len(), 1);
        assert_eq!(body["messages"][2]["content"][0]["signature"], json!("sig"));
    }
}
