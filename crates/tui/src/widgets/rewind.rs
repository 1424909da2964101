//! The rewind dialog (Esc Esc, `/rewind`): the session's turns, newest last; then what to put back.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{RestoreScope, TurnView};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Turns listed at once.
const ROWS: usize = 10;

/// The second step's answers, in order; `None` is "Never mind".
const CHOICES: [(&str, Option<RestoreScope>); 4] = [
    ("Restore code and conversation", Some(RestoreScope::Both)),
    ("Restore conversation only", Some(RestoreScope::Conversation)),
    ("Restore code only", Some(RestoreScope::Code)),
    ("Never mind", None),
];

pub struct RewindDialog {
    turns: Vec<TurnView>,
    selected: usize,
    /// The highlighted answer once a turn is chosen.
    choosing: Option<usize>,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewindOutcome {
    Pending,
    Cancelled,
    Chosen { turn: u32, scope: RestoreScope },
}

impl RewindDialog {
    /// The dialog over `turns` (oldest first), the newest selected. `turns` must not be empty.
    pub fn new(turns: Vec<TurnView>) -> Self {
        let selected = turns.len().saturating_sub(1);
        Self { turns, selected, choosing: None }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> RewindOutcome {
        match self.choosing {
            None => self.list_key(key),
            Some(choice) => self.choice_key(key, choice),
        }
    }

    fn list_key(&mut self, key: KeyEvent) -> RewindOutcome {
        match key.code {
            KeyCode::Esc => return RewindOutcome::Cancelled,
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(self.turns.len().saturating_sub(1)),
            KeyCode::Enter if !self.turns.is_empty() => self.choosing = Some(0),
            _ => {}
        }
        RewindOutcome::Pending
    }

    fn choice_key(&mut self, key: KeyEvent, choice: usize) -> RewindOutcome {
        let picked = match key.code {
            // Back to the list: the user may have picked the wrong turn.
            KeyCode::Esc => {
                self.choosing = None;
                return RewindOutcome::Pending;
            }
            KeyCode::Up => {
                self.choosing = Some(choice.saturating_sub(1));
                return RewindOutcome::Pending;
            }
            KeyCode::Down => {
                self.choosing = Some((choice + 1).min(CHOICES.len() - 1));
                return RewindOutcome::Pending;
            }
            KeyCode::Enter => choice,
            KeyCode::Char(digit @ '1'..='4') => usize::from(digit as u8 - b'1'),
            _ => return RewindOutcome::Pending,
        };
        match (CHOICES[picked].1, self.turns.get(self.selected)) {
            (Some(scope), Some(turn)) => RewindOutcome::Chosen { turn: turn.turn, scope },
            _ => RewindOutcome::Cancelled,
        }
    }

    pub fn height(&self) -> u16 {
        let rows = match self.choosing {
            None => self.turns.len().clamp(1, ROWS),
            // The turn's prompt, the files changed since, a blank line, then the answers.
            Some(_) => CHOICES.len() + 1,
        };
        (rows + 4) as u16
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
        let width = area.width.saturating_sub(2) as usize;
        let (title, lines) = match self.choosing {
            None => (
                " Rewind: pick a turn to go back to before (enter choose, esc cancel) ",
                self.list_lines(width, theme),
            ),
            Some(choice) => (
                " Rewind: what to restore (enter choose, esc back) ",
                self.choice_lines(choice, width, theme),
            ),
        };
        let block = theme.modal_block(title);
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }

    fn list_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = vec![
            Line::styled(
                "Code and conversation go back to how they were before the chosen prompt.",
                theme.dim(),
            ),
            Line::default(),
        ];
        let first = self.selected.saturating_sub(ROWS - 1);
        for (index, turn) in self.turns.iter().enumerate().skip(first).take(ROWS) {
            let style = if index == self.selected { theme.selected() } else { theme.plain() };
            let details = format!("{} · {}", turn.time, files_changed(turn.files.len()));
            let prompt = turn.prompt.split_whitespace().collect::<Vec<_>>().join(" ");
            let room = width.saturating_sub(details.chars().count() + 4);
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<room$} ", truncate_to(&prompt, room)), style),
                Span::styled(format!(" {details}"), style.patch(theme.dim())),
            ]));
        }
        lines
    }

    fn choice_lines(&self, choice: usize, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let prompt = self.turns.get(self.selected).map(|turn| turn.prompt.as_str()).unwrap_or_default();
        let prompt = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut files: Vec<&str> = Vec::new();
        for turn in self.turns.iter().skip(self.selected) {
            for file in &turn.files {
                if !files.contains(&file.as_str()) {
                    files.push(file);
                }
            }
        }
        let changed = if files.is_empty() {
            "No files changed by Claurst since then.".to_string()
        } else {
            format!("Files Claurst changed since then: {}", files.join(", "))
        };
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Before: ", theme.dim()),
                Span::styled(truncate_to(&prompt, width.saturating_sub(8)), theme.plain()),
            ]),
            Line::styled(truncate_to(&changed, width), theme.dim()),
            Line::default(),
        ];
        for (index, (label, _)) in CHOICES.iter().enumerate() {
            let style = if index == choice { theme.selected() } else { theme.plain() };
            lines.push(Line::styled(format!(" {}. {label} ", index + 1), style));
        }
        lines
    }
}

fn files_changed(count: usize) -> String {
    match count {
        0 => "no files changed".into(),
        1 => "1 file changed".into(),
        count => format!("{count} files changed"),
    }
}
