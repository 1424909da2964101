//! `/context`: what the next request would put in the context window, by category, estimated the way
//! compaction estimates a history (four bytes of JSON per token), from the request's real parts.

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::run_scope::RunScope;
use claurst_protocol::{ContextCategory, ContextKind, ContextUsage};

/// Bytes of text or JSON per token, as compaction counts them.
const BYTES_PER_TOKEN: usize = 4;

impl Agent {
    /// The categories of the main agent's next request: system prompt, tools, instructions, MCP tools and
    /// the conversation, with the compaction reserve when automatic compaction is on.
    pub(crate) fn context_usage(&self, conversation: &Conversation) -> ContextUsage {
        let selection = self.current.lock().map(|current| current.selection.clone()).ok();
        let sections =
            selection.as_ref().map(|selection| self.system_sections(selection)).unwrap_or_default();
        // The session's additions (memory, project instructions, skills, appended prompts) are sections too:
        // counted apart so the user sees what their files cost.
        let additions: usize = self.system.additions.iter().map(String::len).sum();
        let system: usize = sections.iter().map(String::len).sum::<usize>().saturating_sub(additions);
        let (mut tools, mut mcp_tools) = (0, 0);
        for tool in self.tools_in(&RunScope::main()).iter() {
            let definition = serde_json::json!({
                "name": tool.name(),
                "description": tool.description(),
                "input_schema": tool.input_schema(),
            });
            let bytes = definition.to_string().len();
            if tool.name().starts_with(claurst_permissions::MCP_PREFIX) {
                mcp_tools += bytes;
            } else {
                tools += bytes;
            }
        }
        let messages = serde_json::to_string(conversation.messages()).map(|json| json.len()).unwrap_or(0);
        let window = self.context_window();
        let reserved = match self.config.auto_compact_threshold {
            Some(threshold) if threshold > 0.0 && threshold < 1.0 => {
                (window as f64 * (1.0 - threshold)).round() as u64
            }
            _ => 0,
        };
        let category =
            |kind, bytes: usize| ContextCategory { kind, tokens: (bytes / BYTES_PER_TOKEN) as u64 };
        ContextUsage {
            model: self.model(),
            window,
            categories: vec![
                category(ContextKind::SystemPrompt, system),
                category(ContextKind::Tools, tools),
                category(ContextKind::Instructions, additions),
                category(ContextKind::McpTools, mcp_tools),
                category(ContextKind::Messages, messages),
            ],
            reserved,
        }
    }
}
