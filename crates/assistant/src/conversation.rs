//! The conversation so far, the totals that go with it, and its transcript on disk.

use claurst_protocol::{ContentBlock, Message, ModelUsage, Role, StopReason, Usage};
use claurst_session::{
    CompactionRecord, CostLedger, LoadedSession, ModelCost, Note, TranscriptRecord, TranscriptWriter,
    UsageRecord,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The history sent to the model, kept well-formed: roles alternate, and every `tool_use` is answered by a
/// `tool_result` in the next message. With a transcript attached, every change is written to it as it
/// happens, so a killed process loses at most the event in flight.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    messages: Vec<Message>,
    /// Tokens and cost per model over the whole session.
    pub ledger: CostLedger,
    /// Context occupied after the last response, in tokens.
    pub context_tokens: u64,
    transcript: Option<Transcript>,
}

/// A session's transcript file, shared by clones of the conversation.
#[derive(Clone)]
pub struct Transcript {
    writer: Arc<Mutex<TranscriptWriter>>,
    /// Set after the first failed write, so a full disk is reported once, not once per event.
    failed: Arc<AtomicBool>,
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcript").finish_non_exhaustive()
    }
}

impl Transcript {
    pub fn new(writer: TranscriptWriter) -> Self {
        Self { writer: Arc::new(Mutex::new(writer)), failed: Arc::new(AtomicBool::new(false)) }
    }

    /// Write one record. A failure is logged once and never stops the session.
    pub fn append(&self, record: &TranscriptRecord) {
        let result = match self.writer.lock() {
            Ok(mut writer) => writer.append(record).map_err(|error| error.to_string()),
            Err(_) => Err("the transcript writer was poisoned".to_string()),
        };
        if let Err(error) = result
            && !self.failed.swap(true, Ordering::Relaxed)
        {
            tracing::error!(%error, "cannot write the session transcript; the session goes on unsaved");
        }
    }

    pub fn session_id(&self) -> String {
        self.writer.lock().map(|writer| writer.session_id().to_string()).unwrap_or_default()
    }

    /// The file the transcript is written to.
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.writer.lock().ok().map(|writer| writer.path().to_path_buf())
    }
}

impl Conversation {
    pub fn new() -> Self {
        Self::default()
    }

    /// The file this conversation is saved to, when it is saved (what hooks get as `transcript_path`).
    pub fn transcript_path(&self) -> Option<std::path::PathBuf> {
        self.transcript.as_ref().and_then(Transcript::path)
    }

    pub fn from_messages(messages: Vec<Message>) -> Self {
        let mut conversation = Self::new();
        for message in messages {
            conversation.push(message);
        }
        conversation
    }

    /// Record every change to `transcript` from now on.
    pub fn with_transcript(mut self, transcript: Transcript) -> Self {
        self.transcript = Some(transcript);
        self
    }

    /// A saved session, as the model last saw it, writing on to `transcript`.
    pub fn resumed(session: LoadedSession, transcript: Option<Transcript>) -> Self {
        let conversation = Self {
            messages: session.messages,
            ledger: session.cost,
            context_tokens: session.context_tokens.unwrap_or(0),
            transcript,
        };
        conversation.note(Note::Resumed);
        conversation
    }

    /// The conversation of a transcript just cut back by a rewind, writing on to `transcript`. Unlike
    /// `resumed`, nothing is noted: the session goes on as if the later turns never happened.
    pub fn rewound(session: LoadedSession, transcript: Transcript) -> Self {
        Self {
            messages: session.messages,
            ledger: session.cost,
            context_tokens: session.context_tokens.unwrap_or(0),
            transcript: Some(transcript),
        }
    }

    pub fn transcript(&self) -> Option<&Transcript> {
        self.transcript.as_ref()
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
        let record = match message.role {
            Role::Assistant => TranscriptRecord::Assistant { message: message.clone(), stop_reason: None },
            Role::User if message.is_tool_results() => {
                TranscriptRecord::ToolResults { message: message.clone() }
            }
            Role::User => TranscriptRecord::User { message: message.clone() },
        };
        self.record(&record);
        self.merge(message);
    }

    /// Append the model's complete message for a turn.
    pub fn push_assistant(&mut self, message: Message, stop_reason: Option<StopReason>) {
        self.record(&TranscriptRecord::Assistant { message: message.clone(), stop_reason });
        self.merge(message);
    }

    fn merge(&mut self, message: Message) {
        match self.messages.last_mut() {
            Some(last) if last.role == message.role => last.content.extend(message.content),
            _ => self.messages.push(message),
        }
    }

    fn record(&self, record: &TranscriptRecord) {
        if let Some(transcript) = &self.transcript {
            transcript.append(record);
        }
    }

    /// Note something that does not change the conversation (an interruption, an error).
    pub fn note(&self, note: Note) {
        self.record(&TranscriptRecord::Note(note));
    }

    /// Count one request's tokens and cost, and the context it left.
    /// `cost_usd` is `None` when the model's price is unknown.
    pub fn record_usage(&mut self, model: &str, usage: &Usage, cost_usd: Option<f64>, context_tokens: u64) {
        self.ledger.record_cost(model, usage, cost_usd);
        self.context_tokens = context_tokens;
        self.record(&TranscriptRecord::Usage(UsageRecord {
            model: model.to_string(),
            usage: *usage,
            cost_usd,
            context_tokens,
            agent: None,
            requests: 1,
        }));
    }

    /// Count what one sub-agent run spent (`cost.requests` requests on `cost.model`), labelled `agent` (such as
    /// `explore: Find the config loader`). The conversation's context and model are its own and stay as they are.
    pub fn record_subagent_usage(&mut self, agent: &str, cost: &ModelCost) {
        self.ledger.record_subagent(agent, cost);
        self.record(&TranscriptRecord::Usage(UsageRecord {
            model: cost.model.clone(),
            usage: cost.usage,
            // One run uses one model at one price: its cost is wholly known or wholly unknown.
            cost_usd: (!cost.price_unknown).then_some(cost.cost_usd),
            context_tokens: self.context_tokens,
            agent: Some(agent.to_string()),
            requests: cost.requests,
        }));
    }

    /// Replace the history by its compacted form.
    pub fn replace_with_summary(
        &mut self,
        messages: Vec<Message>,
        record: CompactionRecord,
        context_tokens: u64,
    ) {
        self.record(&TranscriptRecord::Compaction(record));
        self.messages = messages;
        self.context_tokens = context_tokens;
    }

    pub fn total_usage(&self) -> Usage {
        self.ledger.total_usage()
    }

    /// The cost of the requests whose price is known.
    pub fn total_cost_usd(&self) -> f64 {
        self.ledger.total_cost_usd()
    }

    /// Whether some request's price is unknown (`total_cost_usd` is then only the known part).
    pub fn price_unknown(&self) -> bool {
        self.ledger.price_unknown()
    }

    /// Tokens and cost per model, for the run summary: sub-agents' models included, merged with the main
    /// conversation's (as Claude Code's `modelUsage` counts them).
    pub fn model_usage(&self) -> Vec<ModelUsage> {
        self.ledger
            .model_totals()
            .into_iter()
            .map(|entry| ModelUsage { model: entry.model, usage: entry.usage, cost_usd: entry.cost_usd })
            .collect()
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

    /// Forget everything and write to `transcript` (a new session) from now on.
    pub fn restart(&mut self, transcript: Option<Transcript>) {
        *self = Self { transcript, ..Self::default() };
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

    #[test]
    fn everything_is_written_to_the_transcript_and_replays_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let meta = claurst_session::SessionMeta::new(dir.path(), dir.path(), "m");
        let writer = TranscriptWriter::create(dir.path(), &meta).unwrap();
        let path = writer.path().to_path_buf();
        let mut conversation = Conversation::new().with_transcript(Transcript::new(writer));
        conversation.push(Message::user("hi"));
        conversation.push_assistant(Message::assistant("hello"), Some(StopReason::EndTurn));
        conversation.record_usage(
            "m",
            &Usage { input_tokens: 5, output_tokens: 2, ..Usage::default() },
            Some(0.25),
            7,
        );
        conversation.push(Message::user("again"));
        let loaded = claurst_session::transcript::load(&path).unwrap();
        assert_eq!(loaded.messages, conversation.messages());
        assert_eq!(loaded.context_tokens, Some(7));
        assert_eq!(loaded.cost.total_cost_usd(), 0.25);
        assert!(!loaded.cost.price_unknown());

        // A request at an unknown price stays unknown after a resume, never $0.
        conversation.record_usage("ollama/qwen3", &Usage { input_tokens: 3, ..Usage::default() }, None, 9);
        let loaded = claurst_session::transcript::load(&path).unwrap();
        assert!(loaded.cost.price_unknown());
        assert_eq!(loaded.cost.total_cost_usd(), 0.25);
    }

    #[test]
    fn sub_agent_spend_is_saved_and_counted_without_moving_the_context() {
        let dir = tempfile::tempdir().unwrap();
        let meta = claurst_session::SessionMeta::new(dir.path(), dir.path(), "main-model");
        let writer = TranscriptWriter::create(dir.path(), &meta).unwrap();
        let path = writer.path().to_path_buf();
        let mut conversation = Conversation::new().with_transcript(Transcript::new(writer));
        conversation.record_usage(
            "main-model",
            &Usage { input_tokens: 5, ..Usage::default() },
            Some(0.25),
            7,
        );
        let run = ModelCost {
            model: "fast-model".into(),
            requests: 4,
            usage: Usage { input_tokens: 40, output_tokens: 4, ..Usage::default() },
            cost_usd: 0.5,
            price_unknown: false,
        };
        conversation.record_subagent_usage("explore: Find the config loader", &run);
        assert_eq!(conversation.context_tokens, 7);
        assert_eq!(conversation.total_cost_usd(), 0.75);
        let models: Vec<String> = conversation.model_usage().into_iter().map(|usage| usage.model).collect();
        assert_eq!(models, ["main-model", "fast-model"], "modelUsage names the models sub-agents used");

        let loaded = claurst_session::transcript::load(&path).unwrap();
        assert_eq!(loaded.cost, conversation.ledger);
        assert_eq!((loaded.model.as_str(), loaded.context_tokens), ("main-model", Some(7)));
    }
}
