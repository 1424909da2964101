//! `/agents`: listing the kinds of sub-agent, and creating one: the model drafts it from the user's short
//! description, the user reviews the draft and saves it for the project or for themselves, or discards it
//! and gets their description back.

use super::{App, Effect};
use crate::transcript::NoticeKind;
use crate::widgets::agents::{AgentReview, AgentsPanel, AgentsPanelOutcome, ReviewOutcome};
use claurst_protocol::{AgentScope, AgentTypeView, Op};
use crossterm::event::KeyEvent;
use std::time::Instant;

/// What `/agents new` is followed by.
const NEW_PREFIX: &str = "/agents new ";

/// A draft asked of the model, not arrived yet.
#[derive(Debug, Clone)]
pub(crate) struct Drafting {
    pub description: String,
    pub started: Instant,
}

impl App {
    pub(crate) fn open_agents_panel(&mut self) {
        self.agents_panel = Some(AgentsPanel::default());
    }

    pub(crate) fn agent_types_changed(&mut self, kinds: Vec<AgentTypeView>) {
        self.agent_types = kinds;
    }

    /// `/agents new DESCRIPTION`: ask the model for a draft.
    pub(crate) fn draft_agent(&mut self, description: String) -> Vec<Effect> {
        if description.trim().is_empty() {
            self.notice(NoticeKind::Warning, "Say what the agent is for: /agents new <what it does>");
            return Vec::new();
        }
        self.drafting = Some(Drafting { description: description.clone(), started: Instant::now() });
        vec![Effect::Send(Op::DraftAgent { description })]
    }

    /// The model's draft arrived: show it for review.
    pub(crate) fn agent_drafted(&mut self, name: String, markdown: String) {
        let description = self.drafting.take().map(|drafting| drafting.description).unwrap_or_default();
        self.agent_review = Some(AgentReview::new(name, markdown, description));
    }

    /// A notice while a draft is awaited is the session's answer that there will be none (it says why).
    pub(crate) fn drafting_answered_by_notice(&mut self) {
        if let Some(drafting) = self.drafting.take() {
            self.give_back_description(&drafting.description, "No draft");
        }
    }

    pub(super) fn agents_panel_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(panel) = &mut self.agents_panel else {
            return Vec::new();
        };
        match panel.handle_key(key, &self.agent_types) {
            AgentsPanelOutcome::Pending => {}
            AgentsPanelOutcome::Closed => self.agents_panel = None,
            AgentsPanelOutcome::New => {
                self.agents_panel = None;
                if self.composer.is_empty() {
                    self.composer.set_text(NEW_PREFIX);
                    self.refresh_popup();
                }
                self.flash("Describe the new agent after /agents new, then press Enter");
            }
        }
        Vec::new()
    }

    pub(super) fn agent_review_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(review) = &mut self.agent_review else {
            return Vec::new();
        };
        match review.handle_key(key) {
            ReviewOutcome::Pending => Vec::new(),
            ReviewOutcome::Save(scope) => {
                let Some(review) = self.agent_review.take() else { return Vec::new() };
                let place = match scope {
                    AgentScope::Project => "this project",
                    AgentScope::User => "you",
                };
                self.flash(format!("Saving agent {} for {place}…", review.name));
                vec![Effect::Send(Op::SaveAgent { scope, markdown: review.markdown })]
            }
            ReviewOutcome::Discard => {
                let Some(review) = self.agent_review.take() else { return Vec::new() };
                self.give_back_description(&review.description, "Draft discarded");
                Vec::new()
            }
        }
    }

    /// Put what the user typed back in the composer, so a discarded or failed draft costs them nothing.
    fn give_back_description(&mut self, description: &str, what_happened: &str) {
        if description.is_empty() {
            return;
        }
        if self.composer.is_empty() {
            self.composer.set_text(&format!("{NEW_PREFIX}{description}"));
            self.flash(format!("{what_happened}; your description is back in the prompt"));
        } else {
            // Never overwrite what they typed since: the line is in the history (↑).
            self.flash(format!("{what_happened}; ↑ brings back your /agents new line"));
        }
    }
}
