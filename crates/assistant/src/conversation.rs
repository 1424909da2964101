//! The conversation so far, and the totals that go with it.

use claurst_protocol::{ContentBlock, Message, Role, Usage};

/// The history sent to the model, kept well-formed: roles alternate, and every `tool_use` is answered by a
/// `tool_result` in the next message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversation {
    messages: Vec<Message>,
    /// Tokens used by every request of the session.
    pub total_usage: Usage,
    pub total_cost_usd: f64,
    /// Context occupied after the last response, in tokens.
    pub context_tokens: u64,
}

impl Conversation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn from_messages(messages: Vec<Message>) -> Self {
        let mut conversation = Self::new();
        for message in messages {
            conversation.push(message);
        }
        conversation
    }

    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    pub fn into_messages(self) -> Vec<Message> {
        self.messages
    }

    /// Append a message. A message of the same role as the last one is merged into it, so that an interrupted
    /// turn followed by a new prompt still alternates roles as the API requires.
    pub fn push(&mut self, message: Message) {
        match self.messages.last_mut() {
            Some(last) if last.role == message.role => last.content.extend(message.content),
            _ => self.messages.push(message),
        }
    }

    /// Whether the model has something to answer.
    pub fn ends_with_user(&self) -> bool {
        self.messages.last().is_some_and(|message| message.role == Role::User)
    }

    /// The text of the last assistant message.
    pub fn last_assistant_text(&self) -> String {
        self.messages
            .iter()
            .rev()
            .find(|message| message.role == Role::Assistant)
            .map(Message::text)
            .unwrap_or_default()
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Answer every `tool_use` of the last assistant message that has no result yet, so that the history stays
    /// valid after an interruption.
    pub fn close_open_tool_calls(&mut self, reason: &str) {
        let Some(last_assistant) = self.messages.iter().rposition(|m| m.role == Role::Assistant) else {
            return;
        };
        let answered: Vec<String> = self.messages[last_assistant + 1..]
            .iter()
            .flat_map(|message| &message.content)
            .filter_map(|block| match block {
                ContentBlock::ToolResult { tool_use_id, .. } => Some(tool_use_id.clone()),
                _ => None,
            })
            .collect();
        let missing: Vec<ContentBlock> = self.messages[last_assistant]
            .tool_uses()
            .filter(|(id, _, _)| !answered.iter().any(|done| done == id))
            .map(|(id, _, _)| ContentBlock::tool_result(id, reason, true))
            .collect();
        if !missing.is_empty() {
            self.push(Message { role: Role::User, content: missing });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_role_messages_merge() {
        let mut conversation = Conversation::new();
        conversation.push(Message::user("one"));
        conversation.push(Message::user("two"));
        assert_eq!(conversation.messages().len(), 1);
        assert_eq!(conversation.messages()[0].content.len(), 2);
    }

    #[test]
    fn open_tool_calls_get_results() {
        let mut conversation = Conversation::new();
        conversation.push(Message::user("go"));
        conversation.push(Message {
            role: Role::Assistant,
            content: vec![
                ContentBlock::ToolUse { id: "a".into(), name: "bash".into(), input: json!({}) },
                ContentBlock::ToolUse { id: "b".into(), name: "bash".into(), input: json!({}) },
            ],
        });
        conversation
            .push(Message { role: Role::User, content: vec![ContentBlock::tool_result("a", "done", false)] });
        conversation.close_open_tool_calls("interrupted");
        let last = conversation.messages().last().unwrap();
        assert_eq!(last.content.len(), 2, "the missing result joins the existing tool-result message");
        assert_eq!(last.content[1], ContentBlock::tool_result("b", "interrupted", true));
        conversation.close_open_tool_calls("interrupted");
        assert_eq!(conversation.messages().last().unwrap().content.len(), 2, "idempotent");
    }
}
