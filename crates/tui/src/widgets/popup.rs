//! The menu shown above the composer: slash commands, file completions or `/model`'s models.

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Rows shown at most.
pub const MAX_ROWS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PopupKind {
    Commands,
    /// File completion for the `@` token starting at this byte offset of the composer text.
    Files {
        token_start: usize,
    },
    /// The argument of `/model`: models of every provider, filtered by what is typed.
    Models,
    /// The argument of `/output-style`: the session's styles, filtered by what is typed.
    OutputStyles,
    /// The argument of `/theme`: the palettes; the highlighted one is previewed.
    Themes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopupItem {
    pub label: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup {
    pub kind: PopupKind,
    pub items: Vec<PopupItem>,
    pub selected: usize,
}

impl Popup {
    pub fn height(&self) -> u16 {
        (self.items.len().min(MAX_ROWS) + 2) as u16
    }

    pub fn select_next(&mut self) {
        if !self.items.is_empty() {
            self.selected = (self.selected + 1) % self.items.len();
        }
    }

    pub fn select_previous(&mut self) {
        if !self.items.is_empty() {
            self.selected = (self.selected + self.items.len() - 1) % self.items.len();
        }
    }

    pub fn selected_item(&self) -> Option<&PopupItem> {
        self.items.get(self.selected)
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
        let first = self.selected.saturating_sub(MAX_ROWS - 1);
        let label_width = self.items.iter().map(|item| item.label.chars().count()).max().unwrap_or(0).min(40);
        let lines: Vec<Line<'static>> = self
            .items
            .iter()
            .enumerate()
            .skip(first)
            .take(MAX_ROWS)
            .map(|(index, item)| {
                let style = if index == self.selected { theme.selected() } else { theme.plain() };
                let label =
                    format!(" {:<label_width$} ", crate::transcript::truncate_to(&item.label, label_width));
                let room = (area.width as usize).saturating_sub(label_width + 5);
                Line::from(vec![
                    Span::styled(label, style.patch(theme.accent())),
                    Span::styled(
                        crate::transcript::truncate_to(&item.detail, room),
                        style.patch(theme.dim()),
                    ),
                ])
            })
            .collect();
        let title = match self.kind {
            PopupKind::Commands => " commands ",
            PopupKind::Files { .. } => " files ",
            PopupKind::Models => " models ",
            PopupKind::OutputStyles => " output styles ",
            PopupKind::Themes => " themes (preview) ",
        };
        frame.render_widget(Clear, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(title, theme.dim()));
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}
