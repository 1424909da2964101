//! How agent events change what the user sees.

use super::{App, Busy};
use crate::transcript::{Cell, NoticeKind, ToolCell, ToolStatus};
use crate::widgets::approval::ApprovalModal;
use claurst_protocol::{AgentEvent, RunOutcome, RunSummary, ToolCallView, ToolFinished};
use std::time::{Duration, Instant};

impl App {
    pub fn handle_agent_event(&mut self, event: AgentEvent) {
        #[cfg(feature = "buddy")]
        self.companion_observe(&event);
        match event {
            AgentEvent::SessionStarted(info) => {
                self.status.model = info.model;
                self.status.mode = info.permission_mode;
                self.status.session_id = info.session_id;
                self.mcp_servers_changed(info.mcp_servers);
                self.project_hooks_awaiting(info.hooks_awaiting_approval);
                crate::commands::set_extensions(&mut self.commands, &info.commands);
                self.output_styles = info.output_styles;
                self.output_style = info.output_style;
                self.agent_types_changed(info.agents);
            }
            AgentEvent::OutputStyleChanged(name) => {
                self.flash(format!("Output style: {name} (from the next reply)"));
                self.output_style = name;
            }
            AgentEvent::RunStarted { prompt } => {
                // The queued prompt that started leaves the list; a run the user did not queue (`/init`, a
                // custom command) takes nothing from it.
                if let Some(started) = self.queued.iter().position(|queued| *queued == prompt) {
                    self.queued.remove(started);
                }
                if let Some(started) = self.queued_with_images.iter().position(|queued| *queued == prompt) {
                    self.queued_with_images.remove(started);
                }
                // A tick's run is KAIROS's: its prompt must not read as something the user typed.
                #[cfg(feature = "proactive")]
                let by_kairos = self.kairos_run_started(&prompt);
                #[cfg(not(feature = "proactive"))]
                let by_kairos = false;
                if !by_kairos {
                    self.transcript.push(Cell::User { text: prompt });
                }
                self.busy =
                    Some(Busy { started: Instant::now(), retry: None, interrupting: false, by_kairos });
            }
            AgentEvent::TurnStarted { .. } => {}
            AgentEvent::McpServers(servers) => self.mcp_servers_changed(servers),
            AgentEvent::HookReported(report) => {
                let kind = match report.kind {
                    claurst_protocol::HookReportKind::Failed => NoticeKind::Warning,
                    _ => NoticeKind::Info,
                };
                self.notice(kind, report.describe());
            }
            AgentEvent::TextDelta { text } => self.append_text(&text),
            AgentEvent::ThinkingDelta { text } => self.append_thinking(&text),
            // The deltas above show the same; raw events are for programs (stream-json).
            AgentEvent::ModelStreamEvent(_) => {}
            AgentEvent::AssistantMessage { message, .. } => {
                self.finish_streaming();
                self.show_cited_sources(&message);
                let text = message.text();
                let by_kairos = self.busy.as_ref().is_some_and(|busy| busy.by_kairos);
                if !text.trim().is_empty() && !by_kairos {
                    self.last_reply = text;
                }
            }
            AgentEvent::ToolCallRequested(call) => {
                self.finish_streaming();
                let id = call.id.clone();
                let from_user = id.starts_with("user-shell-");
                let index = self.transcript.push(Cell::Tool(ToolCell::new(call, from_user)));
                self.tool_cells.insert(id, index);
            }
            AgentEvent::ApprovalRequested(request) => {
                self.set_tool_status(&request.call.id, ToolStatus::AwaitingApproval);
                self.approval_waiting(&request.title);
                self.approvals.push_back(ApprovalModal::new(request));
            }
            AgentEvent::QuestionAsked(request) => self.question_asked(request),
            AgentEvent::PlanReviewRequested(request) => self.plan_review_requested(request),
            AgentEvent::ToolCallDenied { id, reason } => {
                // A refusal the user made here reads as theirs; the model-directed text is for the model.
                let reason = self.refusals.remove(&id).unwrap_or(reason);
                self.set_tool_status(&id, ToolStatus::Denied { reason })
            }
            AgentEvent::ToolCallStarted { id } => {
                self.set_tool_status(&id, ToolStatus::Running { started: Instant::now() })
            }
            AgentEvent::ToolCallFinished(done) => self.tool_finished(done),
            AgentEvent::WebSearchStarted { id, query } => self.web_search_started(id, query),
            AgentEvent::WebSearchFinished { id, outcome } => self.web_search_finished(id, &outcome),
            AgentEvent::ToolResults { .. } | AgentEvent::TurnEnded { .. } => {}
            AgentEvent::TodosUpdated { todos } => {
                self.todos = todos.clone();
                self.transcript.push(Cell::Todos { items: todos });
            }
            AgentEvent::Usage {
                session_total,
                session_cost_usd,
                price_unknown,
                context_tokens,
                context_window,
                ..
            } => {
                self.session_usage = session_total;
                self.status.cost_usd = session_cost_usd;
                self.status.price_unknown = price_unknown;
                self.status.context_tokens = context_tokens;
                self.status.context_window = context_window;
            }
            AgentEvent::Retrying { attempt, max_attempts, delay_ms, reason, .. } => {
                // The next attempt streams the reply from its start: drop what was shown of this one.
                if let Some(index) = self.streaming {
                    self.transcript.update(index, |cell| {
                        if let Cell::Assistant { markdown, .. } = cell {
                            markdown.clear();
                        }
                    });
                }
                // Nor will the results of the searches it started come.
                self.stop_web_searches();
                if let Some(busy) = &mut self.busy {
                    let at = Instant::now() + Duration::from_millis(delay_ms);
                    busy.retry = Some(super::run_control::Retry { attempt, max_attempts, at, reason });
                }
            }
            AgentEvent::PermissionModeChanged(mode) => self.status.mode = mode,
            AgentEvent::PermissionRules(rules) => self.permission_rules_listed(rules),
            AgentEvent::PermissionRuleRefused { rule, reason } => self.permission_rule_refused(rule, reason),
            AgentEvent::ModelChanged(model) => {
                self.notice(NoticeKind::Info, format!("Model set to {model}"));
                self.status.model = model;
            }
            AgentEvent::ThinkingChanged(budget) => self.status.thinking = budget,
            AgentEvent::ModelsListed { provider, models } => self.models_listed(provider, models),
            AgentEvent::ConversationCleared => {
                // The session drops its queue with the conversation.
                self.queued.clear();
                self.queued_with_images.clear();
                self.transcript.clear();
                self.tool_cells.clear();
                self.subagent_labels.clear();
                self.todos.clear();
                self.streaming = None;
                self.thinking = None;
                self.status.context_tokens = 0;
                self.notice(NoticeKind::Info, "Started a fresh conversation.");
            }
            AgentEvent::Notice { text } => {
                self.notice(NoticeKind::Info, text);
                // A failed or empty `/compact` ends with a notice, and so does a draft that failed.
                self.compaction_ended();
                self.drafting_answered_by_notice();
            }
            AgentEvent::Report { text, .. } => self.notice(NoticeKind::Info, text),
            AgentEvent::ContextUsage(usage) => {
                self.transcript.push(Cell::Context(usage));
            }
            AgentEvent::HistoryLoaded { items, calls, .. } => self.load_history(items, calls),
            AgentEvent::SessionList { sessions } => self.open_picker(sessions),
            AgentEvent::CompactionStarted { cause } => self.compaction_started(cause),
            AgentEvent::Compacted { summary, .. } => {
                self.transcript.push(Cell::Compacted { summary });
                self.compaction_ended();
            }
            AgentEvent::DreamStatus(view) => self.dream = Some(view),
            AgentEvent::RunFinished(summary) => self.run_finished(&summary),
            AgentEvent::SubagentStarted(view) => self.subagent_started(&[], view),
            AgentEvent::Subagent { parent_id, event } => self.subagent_event(parent_id, *event),
            AgentEvent::AgentDrafted { name, markdown } => self.agent_drafted(name, markdown),
            AgentEvent::AgentTypes(kinds) => self.agent_types_changed(kinds),
            AgentEvent::Checkpoints(turns) => self.checkpoints_listed(turns),
            AgentEvent::Rewound(report) => self.rewound(report),
            #[cfg(feature = "proactive")]
            AgentEvent::Kairos(event) => self.kairos_event(event),
            // Without the `proactive` feature no session runs KAIROS, so none are sent.
            #[cfg(not(feature = "proactive"))]
            AgentEvent::Kairos(_) => {}
        }
    }

    fn append_text(&mut self, text: &str) {
        if let Some(busy) = &mut self.busy {
            busy.retry = None;
        }
        self.finish_thinking();
        let index = match self.streaming {
            Some(index) => index,
            None => {
                let index =
                    self.transcript.push(Cell::Assistant { markdown: String::new(), streaming: true });
                self.streaming = Some(index);
                index
            }
        };
        self.transcript.update(index, |cell| {
            if let Cell::Assistant { markdown, .. } = cell {
                markdown.push_str(text);
            }
        });
    }

    fn append_thinking(&mut self, text: &str) {
        let index = match self.thinking {
            Some(index) => index,
            None => {
                let index = self.transcript.push(Cell::Thinking { text: String::new(), streaming: true });
                self.thinking = Some(index);
                index
            }
        };
        self.transcript.update(index, |cell| {
            if let Cell::Thinking { text: thinking, .. } = cell {
                thinking.push_str(text);
            }
        });
    }

    fn finish_thinking(&mut self) {
        if let Some(index) = self.thinking.take() {
            self.transcript.update(index, |cell| {
                if let Cell::Thinking { streaming, .. } = cell {
                    *streaming = false;
                }
            });
        }
    }

    pub(super) fn finish_streaming(&mut self) {
        self.finish_thinking();
        if let Some(index) = self.streaming.take() {
            self.transcript.update(index, |cell| {
                if let Cell::Assistant { streaming, .. } = cell {
                    *streaming = false;
                }
            });
        }
    }

    fn set_tool_status(&mut self, id: &str, status: ToolStatus) {
        if let Some(&index) = self.tool_cells.get(id) {
            self.transcript.update(index, |cell| {
                if let Cell::Tool(tool) = cell {
                    tool.status = status;
                }
            });
        }
    }

    fn tool_finished(&mut self, done: ToolFinished) {
        let status = ToolStatus::Done {
            output: done.output,
            is_error: done.is_error,
            duration: Duration::from_millis(done.duration_ms),
            summary: done.summary,
            change: done.change.map(Box::new),
        };
        if !self.tool_cells.contains_key(&done.id) {
            let index = self.transcript.push(Cell::Tool(ToolCell::new(
                ToolCallView::new(&done.id, done.name, serde_json::Value::Null),
                done.id.starts_with("user-shell-"),
            )));
            self.tool_cells.insert(done.id.clone(), index);
        }
        self.set_tool_status(&done.id, status);
    }

    fn run_finished(&mut self, summary: &RunSummary) {
        self.finish_streaming();
        let busy = self.busy.take();
        let by_kairos = busy.as_ref().is_some_and(|busy| busy.by_kairos);
        // A tick ending is no reason to call the user back (they did not start it).
        if let Some(busy) = busy.filter(|busy| !busy.by_kairos) {
            self.run_ended(busy.started.elapsed());
        }
        // Approvals of a finished run can no longer be answered.
        self.approvals.clear();
        self.interactions.clear();
        self.stop_web_searches();
        match &summary.outcome {
            RunOutcome::Success => {}
            RunOutcome::Interrupted if by_kairos => {
                self.notice(NoticeKind::Info, "KAIROS stopped its tick for you.")
            }
            RunOutcome::Interrupted => {
                self.notice(NoticeKind::Warning, "Interrupted. Tell Claurst what to do instead.")
            }
            RunOutcome::MaxTurns => self.notice(NoticeKind::Warning, "Stopped at the turn limit."),
            RunOutcome::MaxBudget => {
                self.notice(NoticeKind::Warning, "Stopped: the session's budget is spent.")
            }
            RunOutcome::Error(message) => self.notice(NoticeKind::Error, format!("Error: {message}")),
        }
    }
}
