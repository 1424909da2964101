//! The session picker (`--resume`, `/resume`): newest first, searchable by text.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::SessionChoice;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Sessions listed at once.
const ROWS: usize = 10;

pub struct SessionPicker {
    sessions: Vec<SessionChoice>,
    pub query: String,
    selected: usize,
}

/// What a key did to the picker.
pub enum PickerOutcome {
    Pending,
    Cancelled,
    Chosen(String),
}

impl SessionPicker {
    pub fn new(sessions: Vec<SessionChoice>) -> Self {
        Self { sessions, query: String::new(), selected: 0 }
    }

    /// Sessions matching the query: every word must appear in the id or the first prompt, ignoring case.
    fn visible(&self) -> Vec<&SessionChoice> {
        self.sessions
            .iter()
            .filter(|session| {
                super::matches_every_word(
                    &self.query,
                    &format!("{} {}", session.session_id, session.first_prompt),
                )
            })
            .collect()
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PickerOutcome {
        let count = self.visible().len();
        match key.code {
            KeyCode::Esc => return PickerOutcome::Cancelled,
            KeyCode::Enter => {
                return match self.visible().get(self.selected) {
                    Some(session) => PickerOutcome::Chosen(session.session_id.clone()),
                    None => PickerOutcome::Pending,
                };
            }
            _ => super::filtered_list_key(key, &mut self.query, &mut self.selected, count, ROWS),
        }
        PickerOutcome::Pending
    }

    pub fn height(&self) -> u16 {
        (self.visible().len().clamp(1, ROWS) + 4) as u16
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
        let width = area.width.saturating_sub(2) as usize;
        let visible = self.visible();
        let mut lines = vec![Line::from(vec![
            Span::styled("Search: ", theme.dim()),
            Span::styled(self.query.clone(), theme.plain()),
        ])];
        lines.push(Line::default());
        if visible.is_empty() {
            lines.push(Line::styled("  No session matches.", theme.dim()));
        }
        let first = self.selected.saturating_sub(ROWS - 1);
        for (index, session) in visible.iter().enumerate().skip(first).take(ROWS) {
            let style = if index == self.selected { theme.selected() } else { theme.plain() };
            let details = format!(
                "{} · {} messages · {}",
                session.modified,
                session.message_count,
                size(session.size_bytes)
            );
            let prompt =
                if session.first_prompt.is_empty() { "(no prompt)" } else { session.first_prompt.as_str() };
            let room = width.saturating_sub(details.chars().count() + 4);
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<room$} ", truncate_to(prompt, room)), style),
                Span::styled(format!(" {details}"), style.patch(theme.dim())),
            ]));
        }
        let block = theme.modal_block(" Resume a session (type to search, enter to open, esc to cancel) ");
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}
