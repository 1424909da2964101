//! What a request carries for the model in use: limits and thinking from its metadata, and a history the
//! provider accepts.

use crate::agent::Agent;
use crate::provider::Selection;
use claurst_api::MessagesRequest;
use claurst_protocol::{ContentBlock, Message, ModelPrice, ProviderInfo, WireApi};

/// The thinking budget used when thinking is switched on without `[api] thinking_budget`.
pub const DEFAULT_THINKING_BUDGET: u32 = 8_000;
/// The context window assumed when neither the configuration nor the model's metadata gives one.
const DEFAULT_CONTEXT_WINDOW: u64 = 200_000;

impl Agent {
    /// A request to the selected model with no messages or tools yet: its id, output limit and thinking.
    pub(crate) fn request_base(&self, selection: &Selection) -> MessagesRequest {
        let info = selection.provider.model(&selection.model);
        // Never ask for more output than the model can give.
        let ceiling = info.and_then(|info| info.max_output_tokens).unwrap_or(u32::MAX);
        let thinking_budget = self.thinking_budget();
        let mut max_tokens = self.config.max_tokens.min(ceiling);
        // The budget is part of the output: the answer still needs room after the thinking.
        if let Some(budget) = thinking_budget
            && budget >= max_tokens
        {
            max_tokens =
                budget.saturating_add(self.config.max_tokens).min(ceiling.max(budget.saturating_add(1)));
        }
        MessagesRequest {
            model: selection.model.clone(),
            max_tokens,
            system: self.system_sections(selection),
            messages: Vec::new(),
            tools: Vec::new(),
            thinking_budget,
            effort: self.config.effort.clone(),
            web_search: None,
        }
    }

    /// The context window of the model in use: the configured one, else its metadata, else 200,000.
    pub(crate) fn context_window(&self) -> u64 {
        if let Some(window) = self.config.context_window {
            return window;
        }
        let provider = self.provider();
        provider
            .model(&self.model_id())
            .and_then(|info| info.context_window)
            .unwrap_or(DEFAULT_CONTEXT_WINDOW)
    }

    /// What the selected model costs, if anybody knows.
    pub(crate) fn price(&self, selection: &Selection) -> Option<ModelPrice> {
        crate::provider::price(&self.config.prices, &selection.provider, &selection.model)
    }
}

/// The history as `provider` accepts it. Anthropic rejects thinking without its signature (what other providers'
/// reasoning becomes), so such blocks are left out of requests to it; the history itself keeps them.
pub(crate) fn messages_for(provider: &ProviderInfo, messages: &[Message]) -> Vec<Message> {
    if provider.wire_api != WireApi::AnthropicMessages {
        return messages.to_vec();
    }
    messages
        .iter()
        .map(|message| Message {
            role: message.role,
            content: message
                .content
                .iter()
                .filter(|block| !matches!(block, ContentBlock::Thinking { signature, .. } if signature.is_empty()))
                .cloned()
                .collect(),
        })
        .filter(|message| !message.content.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::Role;

    #[test]
    fn anthropic_requests_leave_out_unsigned_thinking() {
        let thought =
            |signature: &str| ContentBlock::Thinking { thinking: "hmm".into(), signature: signature.into() };
        let history = vec![
            Message::user("hi"),
            Message { role: Role::Assistant, content: vec![thought(""), ContentBlock::text("hello")] },
            Message { role: Role::Assistant, content: vec![thought("sig"), ContentBlock::text("again")] },
        ];
        let providers = claurst_api::builtin_providers();
        let anthropic = providers.iter().find(|p| p.name == "anthropic").unwrap();
        let ollama = providers.iter().find(|p| p.name == "ollama").unwrap();
        let sent = messages_for(anthropic, &history);
        assert_eq!(sent[1].content, vec![ContentBlock::text("hello")]);
        assert_eq!(sent[2].content.len(), 2);
        assert_eq!(messages_for(ollama, &history), history);
    }
}
