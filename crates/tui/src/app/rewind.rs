//! Rewinding from the interface: Esc Esc on an empty composer while idle, or `/rewind`, asks the session
//! for its turns; the dialog's answer becomes `Op::Rewind`; `Rewound` puts the prompt back.

use super::{App, Effect};
use crate::transcript::{Cell, NoticeKind};
use crate::widgets::rewind::{RewindDialog, RewindOutcome};
use claurst_protocol::{Op, RestoreScope, RewindReport, TurnView};
use crossterm::event::KeyEvent;

impl App {
    /// Esc while idle: the first press on an empty composer arms, the second opens the list.
    pub(crate) fn escape_when_idle(&mut self) -> Vec<Effect> {
        if !self.composer.is_empty() || self.compacting {
            return Vec::new();
        }
        if self.second_press("Press Esc again to rewind") {
            return self.ask_for_checkpoints();
        }
        Vec::new()
    }

    /// `/rewind`, or Esc Esc: the list opens when the session's turns arrive.
    pub(crate) fn ask_for_checkpoints(&mut self) -> Vec<Effect> {
        if self.is_busy() {
            self.notice(NoticeKind::Warning, "Rewind once the current turn has ended (Esc stops it).");
            return Vec::new();
        }
        self.rewind_wanted = true;
        self.flash = None;
        vec![Effect::Send(Op::ListCheckpoints)]
    }

    /// The session's turns arrived.
    pub(crate) fn checkpoints_listed(&mut self, turns: Vec<TurnView>) {
        if !std::mem::take(&mut self.rewind_wanted) {
            return;
        }
        if turns.is_empty() {
            self.notice(NoticeKind::Info, "Nothing to rewind yet: this session has no turns.");
            return;
        }
        self.rewind = Some(RewindDialog::new(turns));
    }

    pub(crate) fn rewind_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(dialog) = &mut self.rewind else { return Vec::new() };
        match dialog.handle_key(key) {
            RewindOutcome::Pending => Vec::new(),
            RewindOutcome::Cancelled => {
                self.rewind = None;
                Vec::new()
            }
            RewindOutcome::Chosen { turn, scope } => {
                self.rewind = None;
                vec![Effect::Send(Op::Rewind { turn, scope })]
            }
        }
    }

    /// The rewind happened: say what it did, and give the prompt back to edit and send again.
    pub(crate) fn rewound(&mut self, report: RewindReport) {
        let text = rewind_summary(&report);
        let kind = if report.skipped.is_empty() { NoticeKind::Info } else { NoticeKind::Warning };
        // The reloaded history ends with the resume greeting; after a rewind, this notice takes its place.
        let last = self.transcript.last_index();
        let replaced = report.scope.restores_conversation()
            && last.is_some_and(|index| {
                matches!(self.transcript.cell(index), Some(Cell::Notice { text, .. }) if text.starts_with("Resumed."))
            });
        match (replaced, last) {
            (true, Some(index)) => {
                self.transcript.update(index, |cell| *cell = Cell::Notice { kind, text });
            }
            _ => {
                self.notice(kind, text);
            }
        }
        if let Some(prompt) = report.prompt {
            self.composer.set_text(&prompt);
        }
        self.transcript.scroll_to_bottom();
    }
}

fn rewind_summary(report: &RewindReport) -> String {
    let mut text = match report.scope {
        RestoreScope::Both => "Rewound the code and the conversation to before that prompt.".to_string(),
        RestoreScope::Conversation => {
            "Rewound the conversation to before that prompt; files are unchanged.".into()
        }
        RestoreScope::Code => "Restored the code to before that prompt; the conversation goes on.".into(),
    };
    if report.scope.restores_code() {
        match report.restored.len() {
            0 => text.push_str("\nNo file needed restoring."),
            _ => text.push_str(&format!("\nRestored: {}", report.restored.join(", "))),
        }
    }
    for skipped in &report.skipped {
        text.push_str(&format!("\nNot restored: {} ({})", skipped.path, skipped.reason));
    }
    text
}
