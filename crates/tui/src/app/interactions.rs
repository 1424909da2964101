//! What the model asks of the user directly: its questions (the picker) and its plan (the hand-off).
//! Both wait in one queue, after tool approvals, and answer through the request's responder.

use super::{App, Effect};
use crate::transcript::{Cell, NoticeKind};
use crate::widgets::plan_review::PlanReview;
use crate::widgets::question_picker::{PickerStep, QuestionPicker};
use claurst_protocol::{PlanChoice, PlanRequest, QuestionRequest};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

/// A request of the model waiting for the user.
pub(crate) enum Interaction {
    Questions(QuestionPicker),
    Plan(PlanReview),
}

impl App {
    pub(crate) fn question_asked(&mut self, request: QuestionRequest) {
        self.approval_waiting("Claurst has a question");
        self.interactions.push_back(Interaction::Questions(QuestionPicker::new(request)));
    }

    pub(crate) fn plan_review_requested(&mut self, request: PlanRequest) {
        self.approval_waiting("Claurst's plan is ready for review");
        self.interactions.push_back(Interaction::Plan(PlanReview::new(request)));
    }

    pub(crate) fn interaction_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.interactions.front_mut() {
            Some(Interaction::Questions(picker)) => {
                if let PickerStep::Done(reply) = picker.handle_key(key)
                    && let Some(Interaction::Questions(picker)) = self.interactions.pop_front()
                {
                    let kind = match reply {
                        claurst_protocol::QuestionReply::Answered(_) => NoticeKind::Success,
                        _ => NoticeKind::Info,
                    };
                    self.notice(kind, picker.summary(&reply));
                    picker.request.responder.respond(reply);
                }
            }
            Some(Interaction::Plan(review)) => {
                if let Some(choice) = review.handle_key(key)
                    && let Some(Interaction::Plan(review)) = self.interactions.pop_front()
                {
                    self.plan_decided(&review.request.plan, &choice);
                    review.request.responder.respond(choice);
                }
            }
            None => {}
        }
        Vec::new()
    }

    /// The transcript keeps an approved plan in full, and says what the user asked for otherwise.
    fn plan_decided(&mut self, plan: &str, choice: &PlanChoice) {
        let approved = match choice {
            PlanChoice::ApproveAcceptEdits => "Plan approved · edits accepted without asking",
            PlanChoice::ApproveAskFirst => "Plan approved · asking before each edit",
            PlanChoice::KeepPlanning(feedback) => {
                let text = match feedback.as_str() {
                    "" => "Keep planning: Claurst stays in plan mode.".to_string(),
                    feedback => format!("Keep planning: {feedback}"),
                };
                self.notice(NoticeKind::Info, text);
                return;
            }
        };
        self.transcript
            .push(Cell::Assistant { markdown: format!("**{approved}**\n\n{plan}"), streaming: false });
    }

    pub(crate) fn interaction_paste(&mut self, text: &str) {
        match self.interactions.front_mut() {
            Some(Interaction::Questions(picker)) => picker.paste(text),
            Some(Interaction::Plan(review)) => review.paste(text),
            None => {}
        }
    }

    pub(crate) fn interaction_height(&self, width: u16) -> Option<u16> {
        let theme = self.shown_theme();
        match self.interactions.front()? {
            Interaction::Questions(picker) => Some(picker.height(width, theme)),
            Interaction::Plan(review) => Some(review.height(width, theme)),
        }
    }

    /// Draw the waiting request; returns where the caret goes while the user types.
    pub(crate) fn render_interaction(&self, frame: &mut Frame<'_>, area: Rect) -> Option<(u16, u16)> {
        let theme = self.shown_theme();
        match self.interactions.front()? {
            Interaction::Questions(picker) => picker.render(frame, area, theme),
            Interaction::Plan(review) => review.render(frame, area, theme),
        }
    }
}
