//! A sub-agent's events, which arrive wrapped with the id of the `agent` call that started it.
//!
//! They change that call's cell only, never the main reply: the sub-agent's streamed text stays out of the
//! transcript (its messages are kept in the cell for Ctrl+O). What concerns its own tool calls folds into the
//! cell; what is addressed to the user (an approval, a hook's report, a notice) is shown as for the main
//! agent, labelled with the sub-agent.

use super::App;
use crate::transcript::{Cell, NoticeKind, StepState, SubagentActivity};
use crate::widgets::approval::ApprovalModal;
use claurst_protocol::{AgentEvent, HookReportKind, SubagentView};

impl App {
    /// A sub-agent began work for the `agent` call `view.parent_id`; `outer` is the chain of `agent` calls
    /// around it when a sub-agent started it (empty for the main agent's own).
    pub(crate) fn subagent_started(&mut self, outer: &[String], view: SubagentView) {
        let activity = SubagentActivity::new(&view);
        self.subagent_labels.insert(view.parent_id.clone(), activity.label());
        if !outer.is_empty() {
            return;
        }
        if let Some(&index) = self.tool_cells.get(&view.parent_id) {
            self.transcript.update(index, |cell| {
                if let Cell::Tool(tool) = cell {
                    tool.subagent = Some(Box::new(activity));
                }
            });
        }
    }

    /// `AgentEvent::Subagent { parent_id, event }`, unwrapped however deep it is nested.
    pub(crate) fn subagent_event(&mut self, parent_id: String, event: AgentEvent) {
        let mut chain = vec![parent_id];
        let mut event = event;
        while let AgentEvent::Subagent { parent_id, event: inner } = event {
            chain.push(parent_id);
            event = *inner;
        }
        let Some((innermost, outer)) = chain.split_last() else { return };
        let label = self.subagent_labels.get(innermost).cloned().unwrap_or_else(|| "sub-agent".to_string());
        // The cell on screen is the main agent's `agent` call; a deeper sub-agent shows as that cell's
        // current call, and only what it asks of the user reaches the screen.
        let top = chain[0].clone();
        let direct = outer.is_empty();
        match event {
            AgentEvent::SubagentStarted(view) => self.subagent_started(&chain, view),
            AgentEvent::ApprovalRequested(request) => {
                if direct {
                    let id = request.call.id.clone();
                    self.with_subagent(&top, |activity| activity.set_state(&id, StepState::AwaitingApproval));
                }
                self.approval_waiting(&request.title);
                self.approvals.push_back(ApprovalModal::asked_by(request, label));
            }
            AgentEvent::HookReported(report) => {
                let kind = if report.kind == HookReportKind::Failed {
                    NoticeKind::Warning
                } else {
                    NoticeKind::Info
                };
                self.notice(kind, format!("{label}: {}", report.describe()));
            }
            AgentEvent::Notice { text } => self.notice(NoticeKind::Info, format!("{label}: {text}")),
            event if direct => self.direct_subagent_event(&top, event),
            _ => {}
        }
    }

    /// An event of a sub-agent the main agent started: it changes that sub-agent's cell.
    fn direct_subagent_event(&mut self, parent_id: &str, event: AgentEvent) {
        match event {
            AgentEvent::AssistantMessage { message, .. } => {
                self.with_subagent(parent_id, |activity| activity.said(message.text()))
            }
            AgentEvent::ToolCallRequested(call) => {
                self.with_subagent(parent_id, |activity| activity.tool_requested(&call))
            }
            AgentEvent::ToolCallStarted { id } => {
                self.with_subagent(parent_id, |activity| activity.set_state(&id, StepState::Running))
            }
            AgentEvent::ToolCallDenied { id, reason } => self
                .with_subagent(parent_id, |activity| activity.set_state(&id, StepState::Denied { reason })),
            AgentEvent::ToolCallFinished(done) => self.with_subagent(parent_id, |activity| {
                activity.finished(&done.id, &done.output, done.is_error)
            }),
            AgentEvent::Usage { session_total, .. } => {
                self.with_subagent(parent_id, |activity| activity.usage(&session_total))
            }
            // Streamed text and thinking are told again by the message they end in; the sub-agent's task
            // list, turns and run are its own business (its report ends the call).
            _ => {}
        }
    }

    /// Change the sub-agent of the `agent` call `parent_id` (its cell is laid out again, no other).
    fn with_subagent(&mut self, parent_id: &str, change: impl FnOnce(&mut SubagentActivity)) {
        let Some(&index) = self.tool_cells.get(parent_id) else { return };
        self.transcript.update(index, |cell| {
            if let Cell::Tool(tool) = cell
                && let Some(activity) = tool.subagent.as_deref_mut()
            {
                change(activity);
            }
        });
    }
}
