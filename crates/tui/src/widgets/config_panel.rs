//! `/config`: the settings people change often, one per row; Enter or Space (or ←/→) changes the selected
//! one. The app applies each change to the session where it can and has the session save it to the user's
//! config file; rows another command owns are shown with that command's name.

use crate::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// One row of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigRow {
    Model,
    PermissionMode,
    OutputStyle,
    Thinking,
    AutoDream,
    Vim,
    StatusLine,
    Theme,
}

impl ConfigRow {
    pub const ALL: [ConfigRow; 8] = [
        ConfigRow::Model,
        ConfigRow::PermissionMode,
        ConfigRow::OutputStyle,
        ConfigRow::Thinking,
        ConfigRow::AutoDream,
        ConfigRow::Vim,
        ConfigRow::StatusLine,
        ConfigRow::Theme,
    ];

    fn label(self) -> &'static str {
        match self {
            ConfigRow::Model => "Model",
            ConfigRow::PermissionMode => "Default permission mode",
            ConfigRow::OutputStyle => "Output style",
            ConfigRow::Thinking => "Extended thinking (this session)",
            ConfigRow::AutoDream => "Memory consolidation (auto dream)",
            ConfigRow::Vim => "Vim-style editing",
            ConfigRow::StatusLine => "Status line command",
            ConfigRow::Theme => "Theme",
        }
    }

    /// Rows changed elsewhere: the panel names the command instead.
    fn owned_by(self) -> Option<&'static str> {
        match self {
            ConfigRow::StatusLine => Some("/statusline"),
            ConfigRow::Theme => Some("/theme"),
            _ => None,
        }
    }
}

/// The values the panel shows, read from the app each frame so it follows what the session reports.
#[derive(Debug, Clone, Default)]
pub struct ConfigValues {
    pub model: String,
    pub permission_mode: String,
    pub output_style: String,
    pub thinking: bool,
    pub auto_dream: bool,
    pub vim: bool,
    pub statusline: Option<String>,
}

impl ConfigValues {
    fn value(&self, row: ConfigRow) -> String {
        let on_off = |on: bool| if on { "on" } else { "off" }.to_string();
        match row {
            ConfigRow::Model => self.model.clone(),
            ConfigRow::PermissionMode => self.permission_mode.clone(),
            ConfigRow::OutputStyle => {
                if self.output_style.is_empty() {
                    "default".into()
                } else {
                    self.output_style.clone()
                }
            }
            ConfigRow::Thinking => on_off(self.thinking),
            ConfigRow::AutoDream => on_off(self.auto_dream),
            ConfigRow::Vim => on_off(self.vim),
            ConfigRow::StatusLine => self.statusline.clone().unwrap_or_else(|| "none".into()),
            ConfigRow::Theme => "as the terminal allows".into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ConfigPanel {
    selected: usize,
}

/// What a key did to the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigOutcome {
    Pending,
    Closed,
    /// Change this row's value: to the next one, or (`←`) the previous.
    Change {
        row: ConfigRow,
        forward: bool,
    },
}

impl ConfigPanel {
    pub fn handle_key(&mut self, key: KeyEvent) -> ConfigOutcome {
        let row = ConfigRow::ALL[self.selected];
        let change = |forward| match row.owned_by() {
            Some(_) => ConfigOutcome::Pending,
            None => ConfigOutcome::Change { row, forward },
        };
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => ConfigOutcome::Closed,
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                ConfigOutcome::Pending
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(ConfigRow::ALL.len() - 1);
                ConfigOutcome::Pending
            }
            KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Right | KeyCode::Char('l') => change(true),
            KeyCode::Left | KeyCode::Char('h') => change(false),
            _ => ConfigOutcome::Pending,
        }
    }

    fn lines(&self, values: &ConfigValues, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        for (index, row) in ConfigRow::ALL.iter().enumerate() {
            let (marker, style) =
                if index == self.selected { ("❯ ", theme.selected()) } else { ("  ", theme.plain()) };
            let mut spans = vec![
                Span::styled(format!("{marker}{:<36}", row.label()), style),
                Span::styled(values.value(*row), theme.accent()),
            ];
            if let Some(command) = row.owned_by() {
                spans.push(Span::styled(format!("  (use {command})"), theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::default());
        lines.push(Line::styled("enter/space change · ←/→ cycle · ↑/↓ select · esc close", theme.dim()));
        lines.push(Line::styled("Changes apply now and are saved to ~/.claurst/config.toml.", theme.dim()));
        lines
    }

    pub fn height(&self) -> u16 {
        ConfigRow::ALL.len() as u16 + 5
    }

    pub fn widget<'a>(&'a self, values: &'a ConfigValues, theme: Theme) -> ConfigWidget<'a> {
        ConfigWidget { panel: self, values, theme }
    }
}

pub struct ConfigWidget<'a> {
    panel: &'a ConfigPanel,
    values: &'a ConfigValues,
    theme: Theme,
}

impl Widget for ConfigWidget<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.modal_border())
            .title(Span::styled(" Settings ", self.theme.modal_border()));
        Clear.render(area, buffer);
        Paragraph::new(self.panel.lines(self.values, self.theme)).block(block).render(area, buffer);
    }
}
