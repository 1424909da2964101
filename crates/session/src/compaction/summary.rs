//! Asking for the summary, reading it, and building the compacted history.

use crate::error::SessionError;
use crate::history::push_merged;
use claurst_protocol::{ContentBlock, Message, Role};

/// How a summary message begins, so front-ends and tools can recognise one.
pub const SUMMARY_MARKER: &str = "[Summary of the earlier conversation]";

/// Told to the model for a tool call that the summary request leaves unanswered.
const NOT_RUN: &str = "Not run: the conversation is being summarised.";

/// What the model is asked to write. Sections are chosen so that work can resume without the original
/// messages; the user's corrections get their own section because losing them is what users notice most.
const SUMMARY_REQUEST: &str = "\
Stop the task for a moment. The conversation so far is about to be removed from your context to make room, \
and replaced by a summary that you write now. After this, the summary is all you will have of these \
messages, so write what you need to continue the work seamlessly. Do not call any tools.

Write the summary in these sections, in this order:

1. Goals: what the user asked for, including requests and constraints added along the way. Quote the user \
where the exact words matter.
2. Decisions: what was decided and why, including approaches tried and rejected.
3. Files touched: every file read, created or changed, with what changed and why it matters. Keep exact \
paths, and quote short code (signatures, key lines) where the next step depends on it.
4. Errors and fixes: problems met (build errors, failing tests, wrong assumptions) and how each was resolved.
5. The user's corrections: every time the user corrected you, redirected you or said how they want things \
done. Be complete and precise here; these must keep applying.
6. Open tasks: what is finished, what remains, and the very next step. If you were in the middle of \
something, say exactly where you stopped.
7. Other context: commands that build or test the project, names, identifiers, URLs and facts about the \
environment that you would otherwise have to rediscover.

Be specific and dense; leave out pleasantries and anything that no longer matters. Reply with the summary \
only, between <summary> and </summary>.";

/// The messages of the summary request: `older` verbatim (the same prefix as earlier requests, so it is read
/// from the prompt cache), then a user message asking for a structured summary, with the user's
/// `instructions` (`/compact focus on the parser`) appended when given.
///
/// If `older` ends with an assistant message whose tool calls have no results, the request answers them
/// as not run, so the API accepts it.
pub fn compaction_request_messages(older: &[Message], instructions: Option<&str>) -> Vec<Message> {
    let mut messages = older.to_vec();
    let mut content: Vec<ContentBlock> = match messages.last() {
        Some(last) if last.role == Role::Assistant => {
            last.tool_uses().map(|(id, _, _)| ContentBlock::tool_result(id, NOT_RUN, true)).collect()
        }
        _ => Vec::new(),
    };
    let mut request = SUMMARY_REQUEST.to_string();
    if let Some(instructions) = instructions.map(str::trim).filter(|text| !text.is_empty()) {
        request
            .push_str("\n\nThe user asked for this summary to pay particular attention to the following:\n");
        request.push_str(instructions);
    }
    content.push(ContentBlock::text(request));
    push_merged(&mut messages, Message { role: Role::User, content });
    messages
}

/// The summary in the model's reply to the summary request: the text between `<summary>` and `</summary>`
/// (or to the end, when the reply was cut short), else the whole text. An empty summary is an error, and
/// the caller then keeps the conversation as it was.
pub fn summary_from_reply(reply: &Message) -> Result<String, SessionError> {
    let text = reply.text();
    let inner = match text.find("<summary>") {
        Some(start) => {
            let rest = &text[start + "<summary>".len()..];
            rest.find("</summary>").map_or(rest, |end| &rest[..end])
        }
        None => text.as_str(),
    };
    let summary = inner.trim();
    if summary.is_empty() {
        return Err(SessionError::EmptySummary);
    }
    Ok(summary.to_string())
}

/// The compacted history: one user message carrying the summary, clearly marked as a summary of the
/// `older.len()` messages it replaces, then `recent` verbatim. When `recent` begins with a user message, it
/// is merged into the summary message so that roles keep alternating (the summary's block comes first).
pub fn apply_summary(older: &[Message], recent: &[Message], summary: &str) -> Vec<Message> {
    summarised_history(older.len(), recent.to_vec(), summary)
}

/// [`apply_summary`] taking the kept messages by value (replay moves them instead of cloning).
pub(crate) fn summarised_history(replaced: usize, recent: Vec<Message>, summary: &str) -> Vec<Message> {
    let mut history = Vec::with_capacity(recent.len() + 1);
    history.push(Message::user(summary_message_text(replaced, summary)));
    for message in recent {
        push_merged(&mut history, message);
    }
    history
}

/// Whether `message` is a summary written by [`apply_summary`].
pub fn is_summary_message(message: &Message) -> bool {
    message.role == Role::User
        && matches!(message.content.first(), Some(ContentBlock::Text { text, .. }) if text.starts_with(SUMMARY_MARKER))
}

fn summary_message_text(replaced: usize, summary: &str) -> String {
    let messages = if replaced == 1 { "message" } else { "messages" };
    format!(
        "{SUMMARY_MARKER}\nThe first {replaced} {messages} of this conversation were condensed into the summary \
         below to free context. Continue the work from where it stopped. The user has seen everything \
         summarised here: do not repeat it back or ask them to repeat themselves.\n\n<summary>\n{summary}\n</summary>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_message_counts_what_it_replaced() {
        assert!(summary_message_text(1, "s").contains("The first 1 message of"));
        assert!(summary_message_text(12, "s").contains("The first 12 messages of"));
        let history = summarised_history(3, Vec::new(), "s");
        assert_eq!(history.len(), 1);
        assert!(is_summary_message(&history[0]));
    }
}
