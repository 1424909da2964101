//! Compaction: the model summarises the older part of the conversation, which the summary then replaces.
//! The most recent turns stay verbatim; the system prompt (and with it the project instructions) is untouched.
//! A compaction that fails leaves the conversation exactly as it was.

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::error::AgentError;
use crate::events::EventSink;
use crate::turn::{TurnFailure, stream_turn};
use claurst_api::MessagesRequest;
use claurst_protocol::{AgentEvent, CompactionCause, Message};
use claurst_session::compaction::{DEFAULT_KEEP_RECENT, summary_from_reply};
use claurst_session::{
    CompactionRecord, CompactionTrigger, apply_summary, compaction_request_messages, should_compact,
    split_for_compaction,
};
use tokio_util::sync::CancellationToken;

impl Agent {
    /// Compact before a request when the context is past the configured share of the window. A failure is
    /// reported and the run goes on with the conversation as it was.
    pub(crate) async fn compact_if_full(
        &self,
        conversation: &mut Conversation,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> Result<(), AgentError> {
        let Some(threshold) = self.config.auto_compact_threshold else { return Ok(()) };
        if !should_compact(conversation.context_tokens, self.context_window(), threshold) {
            return Ok(());
        }
        match self.compact(conversation, None, CompactionCause::ContextFull, sink, cancel).await {
            Ok(_) => Ok(()),
            Err(AgentError::Interrupted) => Err(AgentError::Interrupted),
            Err(error) => {
                let text =
                    format!("Automatic compaction failed ({error}); the conversation was left as it was.");
                sink.emit(AgentEvent::Notice { text }).await;
                Ok(())
            }
        }
    }

    /// Summarise all but the most recent turns. Returns whether anything was compacted.
    pub(crate) async fn compact(
        &self,
        conversation: &mut Conversation,
        instructions: Option<&str>,
        cause: CompactionCause,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> Result<bool, AgentError> {
        let (older, recent) = split_for_compaction(conversation.messages(), DEFAULT_KEEP_RECENT);
        if older.is_empty() {
            return Ok(false);
        }
        let (older, recent) = (older.to_vec(), recent.to_vec());
        self.pre_compact_hooks(cause, instructions, sink).await;
        sink.emit(AgentEvent::CompactionStarted { cause }).await;
        let (selection, client) = self.turn_client()?;
        // A summary needs no thinking; its budget would only cost time.
        let request = MessagesRequest {
            messages: crate::request::messages_for(
                &selection.provider,
                &compaction_request_messages(&older, instructions),
            ),
            thinking_budget: None,
            ..self.request_base(&selection)
        };
        // The summary is not streamed to the user: it is shown whole once it replaced the history.
        let (response, _) = stream_turn(
            client.as_ref(),
            &request,
            &EventSink::discard(),
            cancel,
            crate::turn::RawEvents::Drop,
        )
        .await;
        let response = match response {
            Ok(response) => response,
            Err(TurnFailure::Interrupted { .. }) => return Err(AgentError::Interrupted),
            Err(TurnFailure::Api(error)) => return Err(error.into()),
        };
        let summary = summary_from_reply(&response.message)
            .map_err(|error| AgentError::Compaction(error.to_string()))?;
        let messages = apply_summary(&older, &recent, &summary);
        let context_before = conversation.context_tokens;
        let cost = self.price(&selection).map(|price| price.cost(&response.usage));
        conversation.record_usage(&selection.label(), &response.usage, cost, context_before);
        let record = CompactionRecord {
            summary: summary.clone(),
            replaced_messages: older.len(),
            trigger: match cause {
                CompactionCause::User => CompactionTrigger::Manual,
                CompactionCause::ContextFull => CompactionTrigger::Auto,
            },
            instructions: instructions.map(str::to_string),
            context_tokens_before: Some(context_before),
        };
        let estimate = estimate_tokens(&self.system_sections(&selection), &messages);
        conversation.replace_with_summary(messages, record, estimate);
        sink.emit(AgentEvent::Compacted { cause, replaced: older.len(), summary }).await;
        self.report_usage(conversation, &response.usage, sink).await;
        Ok(true)
    }
}

/// The context a history will occupy, estimated at four bytes of JSON per token until the next response
/// reports the real figure.
fn estimate_tokens(system: &[String], messages: &[Message]) -> u64 {
    let system_bytes: usize = system.iter().map(String::len).sum();
    let message_bytes = serde_json::to_string(messages).map(|json| json.len()).unwrap_or(0);
    ((system_bytes + message_bytes) / 4) as u64
}
