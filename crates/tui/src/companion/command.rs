//! `/buddy` and its options, and the companion's hooks into the app.

use super::{Buddy, CompanionOptions};
use crate::app::{App, Effect};
use crate::transcript::NoticeKind;
use claurst_protocol::AgentEvent;
use crossterm::event::{Event, KeyEventKind};
use ratatui::text::Line;
use std::time::Instant;

impl App {
    /// Adopts the companion from the options and lists `/buddy` (before `/exit`, which stays last).
    pub(crate) fn adopt_companion(&mut self, options: Option<&CompanionOptions>, now: Instant) {
        let Some(options) = options else { return };
        self.companion = Some(Buddy::from_options(options, now));
        let exit = self.commands.iter().position(|command| command.name == "exit");
        self.commands.insert(exit.unwrap_or(self.commands.len()), crate::commands::BUDDY);
    }

    pub(crate) fn buddy_command(&mut self, option: Option<&str>) -> Vec<Effect> {
        let reply = match &mut self.companion {
            Some(buddy) => buddy.command(option, Instant::now()),
            None => Reply::Notice(
                NoticeKind::Info,
                "There is no buddy this session: it is switched off ([buddy] enabled = false) or its file \
                 could not be read (see the warning at start)."
                    .to_string(),
            ),
        };
        match reply {
            Reply::Notice(kind, text) => self.notice(kind, text),
            Reply::Flash(text) => self.flash(text),
            Reply::Nothing => {}
        }
        Vec::new()
    }

    pub(crate) fn companion_observe(&mut self, event: &AgentEvent) {
        if let Some(buddy) = &mut self.companion {
            buddy.mood.observe(event, Instant::now());
        }
    }

    /// Keys and pastes show the user is here; mouse motion and resizes do not.
    pub(crate) fn companion_saw_input(&mut self, event: &Event) {
        let typed = match event {
            Event::Key(key) => key.kind != KeyEventKind::Release,
            Event::Paste(_) => true,
            _ => false,
        };
        if typed && let Some(buddy) = &mut self.companion {
            buddy.mood.saw_input(Instant::now());
        }
    }

    pub(crate) fn companion_pane_lines(&self, width: usize, now: Instant) -> Vec<Line<'static>> {
        match &self.companion {
            Some(buddy) if buddy.visible() => buddy.lines(self.theme, width, now),
            _ => Vec::new(),
        }
    }
}

/// What `/buddy` shows the user.
enum Reply {
    Notice(NoticeKind, String),
    Flash(String),
    Nothing,
}

impl Buddy {
    fn command(&mut self, option: Option<&str>, now: Instant) -> Reply {
        let option = option.map(str::to_ascii_lowercase);
        match option.as_deref() {
            None | Some("card") => {
                let card = self.companion.card(&self.profile.card_details(&self.companion));
                Reply::Notice(NoticeKind::Info, card.join("\n"))
            }
            Some("pet") => {
                self.mood.pet(now);
                // Without the pane on screen the hearts would go unseen: say it in the activity line.
                if self.on_screen {
                    Reply::Nothing
                } else {
                    Reply::Flash(format!("♥ {} loves that.", self.name()))
                }
            }
            Some("hide") => {
                self.hidden = true;
                self.on_screen = false;
                let text = format!("{} is hidden for this session. /buddy show brings it back.", self.name());
                Reply::Notice(NoticeKind::Info, text)
            }
            Some("show") => {
                self.hidden = false;
                let text = format!(
                    "{} is back in the side pane, shown when the terminal is at least {} columns wide.",
                    self.name(),
                    crate::widgets::side::MIN_TERMINAL_WIDTH
                );
                Reply::Notice(NoticeKind::Info, text)
            }
            Some(other) => Reply::Notice(
                NoticeKind::Error,
                format!("Unknown /buddy option {other}. Try /buddy, /buddy pet, /buddy hide or /buddy show."),
            ),
        }
    }
}
