//! Small facts about a message history shared by replay and compaction.

use claurst_protocol::{ContentBlock, Message};

/// Append `message`, merging it into the last message when both have the same role. This is the rule the
/// agent's conversation follows, so a replayed history has the same messages, at the same indices, as the
/// one the model saw.
pub(crate) fn push_merged(history: &mut Vec<Message>, message: Message) {
    match history.last_mut() {
        Some(last) if last.role == message.role => last.content.extend(message.content),
        _ => history.push(message),
    }
}

/// Whether a message answers tool calls (holds at least one `tool_result` block). Such a message must stay
/// right after the assistant message that made the calls.
pub(crate) fn has_tool_results(message: &Message) -> bool {
    message.content.iter().any(|block| matches!(block, ContentBlock::ToolResult { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::Role;

    #[test]
    fn same_roles_merge_and_results_are_recognised() {
        let mut history = Vec::new();
        push_merged(&mut history, Message::user("a"));
        push_merged(&mut history, Message::user("b"));
        push_merged(&mut history, Message::assistant("c"));
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].text(), "ab");
        let mixed = Message {
            role: Role::User,
            content: vec![ContentBlock::tool_result("t", "ok", false), ContentBlock::text("next")],
        };
        assert!(has_tool_results(&mixed));
        assert!(!has_tool_results(&history[0]));
    }
}
