//! Showing a resumed session's past, and the session picker.

use super::{App, Busy};
use crate::transcript::{Cell, NoticeKind, ToolCell, ToolStatus};
use crate::widgets::picker::SessionPicker;
use claurst_protocol::{
    CompactionCause, ContentBlock, HistoryItem, Message, Role, SessionChoice, ToolCallView, ToolResultContent,
};
use std::time::{Duration, Instant};

impl App {
    /// Replace the transcript with a resumed session's past.
    pub(crate) fn load_history(&mut self, items: Vec<HistoryItem>, calls: Vec<ToolCallView>) {
        // Another conversation (a resumed session, a rewind): prompts queued for this one were dropped with it.
        self.queued.clear();
        self.queued_with_images.clear();
        self.transcript.clear();
        self.tool_cells.clear();
        self.streaming = None;
        self.thinking = None;
        for item in items {
            match item {
                HistoryItem::Message(message) => self.replay_message(message, &calls),
                HistoryItem::Compacted { summary } => {
                    self.transcript.push(Cell::Compacted { summary });
                }
                HistoryItem::Note(text) => {
                    self.transcript.push(Cell::Notice { kind: NoticeKind::Info, text });
                }
            }
        }
        self.transcript.push(Cell::Notice {
            kind: NoticeKind::Info,
            text: "Resumed. Carry on where you left off.".into(),
        });
        self.transcript.scroll_to_bottom();
    }

    fn replay_message(&mut self, message: Message, calls: &[ToolCallView]) {
        if message.role == Role::Assistant {
            let text = message.text();
            if !text.trim().is_empty() {
                self.last_reply = text;
            }
        }
        let sources = crate::transcript::cited_sources(&message);
        for block in message.content {
            match block {
                ContentBlock::Text { text, .. } if message.role == Role::User => {
                    self.transcript.push(Cell::User { text });
                }
                ContentBlock::Text { text, .. } => {
                    self.transcript.push(Cell::Assistant { markdown: text, streaming: false });
                }
                ContentBlock::Thinking { thinking, .. } => {
                    self.transcript.push(Cell::Thinking { text: thinking, streaming: false });
                }
                ContentBlock::ToolUse { id, name, input } => {
                    let from_user = id.starts_with("user-shell-");
                    let call = calls
                        .iter()
                        .find(|call| call.id == id)
                        .cloned()
                        .unwrap_or_else(|| ToolCallView::new(&id, name, input));
                    let cell = Cell::Tool(ToolCell::new(call, from_user));
                    let index = self.transcript.push(cell);
                    self.tool_cells.insert(id, index);
                }
                ContentBlock::ToolResult { tool_use_id, content, is_error } => {
                    let output = content
                        .iter()
                        .map(|part| match part {
                            ToolResultContent::Text { text } => text.as_str(),
                            ToolResultContent::Image { .. } => "[image]",
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    if let Some(&index) = self.tool_cells.get(&tool_use_id) {
                        self.transcript.update(index, |cell| {
                            if let Cell::Tool(tool) = cell {
                                tool.status = ToolStatus::Done {
                                    output,
                                    is_error,
                                    duration: Duration::ZERO,
                                    summary: String::new(),
                                    change: None,
                                };
                            }
                        });
                    }
                }
                ContentBlock::ServerToolUse { id, input, .. } => {
                    let query = input.get("query").and_then(|q| q.as_str()).unwrap_or_default();
                    self.web_search_started(id, query.to_string());
                }
                ContentBlock::WebSearchToolResult { tool_use_id, content } => {
                    self.web_search_finished(tool_use_id, &content);
                }
                ContentBlock::Image { .. } | ContentBlock::RedactedThinking { .. } => {}
            }
        }
        if message.role == Role::Assistant && !sources.is_empty() {
            self.transcript.push(Cell::Sources(sources));
        }
    }

    /// `/resume`: the project's saved sessions arrived.
    pub(crate) fn open_picker(&mut self, sessions: Vec<SessionChoice>) {
        if sessions.is_empty() {
            self.notice(NoticeKind::Info, "There are no saved sessions in this project yet.");
            return;
        }
        self.picker = Some(SessionPicker::new(sessions));
    }

    pub(crate) fn compaction_started(&mut self, cause: CompactionCause) {
        self.flash("Compacting the conversation…");
        // A `/compact` is not a run: treat it as one so the progress line shows and Esc interrupts it.
        if cause == CompactionCause::User && self.busy.is_none() {
            self.busy =
                Some(Busy { started: Instant::now(), retry: None, interrupting: false, by_kairos: false });
            self.compacting = true;
        }
    }

    pub(crate) fn compaction_ended(&mut self) {
        if self.compacting {
            self.compacting = false;
            self.busy = None;
        }
    }
}
