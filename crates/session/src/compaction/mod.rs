//! Compaction: replacing the older part of a long conversation by a summary the model writes, so that work
//! can go on when the context window fills up.
//!
//! Every function here is pure: it takes the history and returns new values. A caller compacts by
//! 1. [`split_for_compaction`] to choose what to summarise and what to keep verbatim,
//! 2. sending [`compaction_request_messages`] to the model (with the session's usual system prompt and tools,
//!    so the prompt cache is reused) and reading the reply with [`summary_from_reply`],
//! 3. swapping in [`apply_summary`]'s new history and recording a `Compaction` transcript record,
//!
//! and swaps the history only when all three succeed: a failed or interrupted compaction leaves the
//! conversation exactly as it was. Project instructions live in the system prompt, which compaction never
//! touches, so they survive every compaction unchanged.

mod summary;

pub(crate) use summary::summarised_history;
pub use summary::{
    SUMMARY_MARKER, apply_summary, compaction_request_messages, is_summary_message, summary_from_reply,
};

use crate::history::has_tool_results;
use claurst_protocol::{Message, Role};

/// Messages kept verbatim by default: about the last exchange with its tool calls.
pub const DEFAULT_KEEP_RECENT: usize = 6;

/// Whether a conversation occupying `context_tokens` of a `context_window`-token window should be compacted
/// at `threshold` (a share of the window, `[session] auto_compact_threshold`, 0.85 by default).
///
/// True once the context reaches `threshold × window`. A threshold that is not a positive number, or an
/// unknown (zero) window, disables automatic compaction; a threshold of 1 or more compacts only a full window.
pub fn should_compact(context_tokens: u64, context_window: u64, threshold: f64) -> bool {
    if context_window == 0 || threshold.is_nan() || threshold <= 0.0 {
        return false;
    }
    let limit = threshold.min(1.0) * context_window as f64;
    context_tokens as f64 >= limit
}

/// Split `messages` into the older part to summarise and the recent part to keep verbatim, keeping at least
/// the last `keep_recent` messages (more when the cut has to move earlier).
///
/// The cut is the latest index at or before `len − keep_recent` where the kept part does not begin with a
/// message holding `tool_result` blocks, so no tool result is ever separated from the `tool_use` it answers.
/// The kept part then begins with a prompt or with an assistant message; either is valid once
/// [`apply_summary`] puts the summary (a user message) in front. When the cut lands on an assistant message
/// right after a prompt, it moves back one so the prompt stays with its reply. In a long agentic run whose
/// only prompt is far back, cutting before an assistant message is what lets compaction free anything at all.
///
/// Returns an empty older part when nothing can be summarised (history too short, or no valid cut).
pub fn split_for_compaction(messages: &[Message], keep_recent: usize) -> (&[Message], &[Message]) {
    let len = messages.len();
    let target = len.saturating_sub(keep_recent);
    let allowed = |cut: usize| cut == len || !has_tool_results(&messages[cut]);
    let Some(mut cut) = (1..=target).rev().find(|&cut| allowed(cut)) else {
        return (&[], messages);
    };
    if cut < len && cut >= 2 && messages[cut].role == Role::Assistant && is_prompt(&messages[cut - 1]) {
        cut -= 1;
    }
    messages.split_at(cut)
}

/// A user message that is not answering tool calls.
fn is_prompt(message: &Message) -> bool {
    message.role == Role::User && !has_tool_results(message)
}
