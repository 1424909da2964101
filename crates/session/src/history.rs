//! Small facts about a message history shared by replay and compaction.

use claurst_protocol::{ContentBlock, Message, Role};

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

/// The result given, on load, to a tool call the transcript never answered.
pub const INTERRUPTED_TOOL_RESULT: &str = "interrupted: the session ended before this tool finished";

/// Answer every `tool_use` that has no `tool_result` in the message after it with an error result, so the
/// history is one the Messages API accepts (it rejects unanswered calls). A session killed while a tool ran
/// leaves exactly such a call at the end of its transcript. Returns how many calls were answered.
pub(crate) fn answer_interrupted_calls(history: &mut Vec<Message>) -> usize {
    let mut answered = 0;
    let mut index = 0;
    while index < history.len() {
        if history[index].role != Role::Assistant {
            index += 1;
            continue;
        }
        let calls: Vec<String> = history[index].tool_uses().map(|(id, _, _)| id.to_owned()).collect();
        let next = index + 1;
        if !calls.is_empty() && history.get(next).is_none_or(|message| message.role != Role::User) {
            history.insert(next, Message { role: Role::User, content: Vec::new() });
        }
        if let Some(reply) = history.get_mut(next) {
            let missing: Vec<ContentBlock> = calls
                .iter()
                .filter(|id| !reply.content.iter().any(|block| answers(block, id)))
                .map(|id| ContentBlock::tool_result(id.as_str(), INTERRUPTED_TOOL_RESULT, true))
                .collect();
            answered += missing.len();
            // Results go first: the API wants them ahead of any text the user added.
            let position = reply.content.iter().take_while(|block| is_tool_result(block)).count();
            reply.content.splice(position..position, missing);
        }
        index = next;
    }
    answered
}

fn answers(block: &ContentBlock, id: &str) -> bool {
    matches!(block, ContentBlock::ToolResult { tool_use_id, .. } if tool_use_id == id)
}

fn is_tool_result(block: &ContentBlock) -> bool {
    matches!(block, ContentBlock::ToolResult { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn call(id: &str) -> ContentBlock {
        ContentBlock::ToolUse { id: id.into(), name: "bash".into(), input: serde_json::json!({}) }
    }

    #[test]
    fn a_trailing_call_gets_an_error_result() {
        let mut history =
            vec![Message::user("go"), Message { role: Role::Assistant, content: vec![call("a"), call("b")] }];
        assert_eq!(answer_interrupted_calls(&mut history), 2);
        assert_eq!(history.len(), 3);
        assert!(history[2].is_tool_results());
        assert_eq!(history[2].content[0], ContentBlock::tool_result("a", INTERRUPTED_TOOL_RESULT, true));
    }

    #[test]
    fn results_go_before_a_later_prompt_and_answered_calls_are_left_alone() {
        let mut history = vec![
            Message { role: Role::Assistant, content: vec![call("a"), call("b")] },
            Message {
                role: Role::User,
                content: vec![ContentBlock::tool_result("a", "done", false), ContentBlock::text("next")],
            },
        ];
        assert_eq!(answer_interrupted_calls(&mut history), 1);
        assert_eq!(history[1].content.len(), 3);
        assert!(answers(&history[1].content[0], "a"));
        assert!(answers(&history[1].content[1], "b"));
        assert_eq!(history[1].content[2], ContentBlock::text("next"));
        assert_eq!(answer_interrupted_calls(&mut history), 0);
    }
}
