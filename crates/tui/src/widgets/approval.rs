//! The approval modal: what the tool wants to do, and the keys that answer.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{ApprovalDetail, ApprovalRequest, Decision};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Lines of command or diff shown at most; the rest is summarised.
const MAX_DETAIL_LINES: usize = 14;

pub struct ApprovalModal {
    pub request: ApprovalRequest,
    /// Highlighted choice (0 allow once, 1 allow always, 2 deny) for arrow keys + Enter.
    pub selected: usize,
    /// `Some` while the user types a note to the model (after Tab).
    pub note: Option<String>,
    /// The sub-agent that asks (`explore · Find config loader`); `None` for the main agent.
    pub asker: Option<String>,
}

/// What a key did to the modal.
pub enum ModalOutcome {
    /// The user decided; the modal closes.
    Decided(Decision),
    Pending,
}

impl ApprovalModal {
    pub fn new(request: ApprovalRequest) -> Self {
        Self { request, selected: 0, note: None, asker: None }
    }

    /// A request of a sub-agent, labelled with it so the user knows who asks.
    pub fn asked_by(request: ApprovalRequest, asker: String) -> Self {
        Self { asker: Some(asker), ..Self::new(request) }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> ModalOutcome {
        if let Some(note) = &mut self.note {
            match key.code {
                KeyCode::Enter => {
                    return ModalOutcome::Decided(Decision::DenyWithFeedback(note.trim().to_string()));
                }
                KeyCode::Esc => self.note = None,
                KeyCode::Backspace => {
                    note.pop();
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => note.push(c),
                _ => {}
            }
            return ModalOutcome::Pending;
        }
        let decision = match key.code {
            KeyCode::Char('1' | 'y' | 'Y') => Decision::AllowOnce,
            KeyCode::Char('2' | 'a' | 'A') => Decision::AllowAlways,
            KeyCode::Char('3' | 'n' | 'N') | KeyCode::Esc => Decision::Deny,
            KeyCode::Tab => {
                self.note = Some(String::new());
                return ModalOutcome::Pending;
            }
            KeyCode::Up => {
                self.selected = (self.selected + 2) % 3;
                return ModalOutcome::Pending;
            }
            KeyCode::Down => {
                self.selected = (self.selected + 1) % 3;
                return ModalOutcome::Pending;
            }
            KeyCode::Enter => {
                [Decision::AllowOnce, Decision::AllowAlways, Decision::Deny][self.selected].clone()
            }
            _ => return ModalOutcome::Pending,
        };
        ModalOutcome::Decided(decision)
    }

    /// The modal's lines for a pane `width` wide (inside its border).
    fn lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if let Some(asker) = &self.asker {
            lines.push(Line::styled(truncate_to(&format!("{asker} asks:"), width), theme.accent()));
        }
        lines.push(Line::from(Span::styled(truncate_to(&self.request.title, width), theme.bold())));
        lines.push(Line::default());
        lines.extend(detail_lines(&self.request.detail, width, theme));
        lines.push(Line::default());
        let rule = truncate_to(&self.request.suggested_rule, width.saturating_sub(34));
        // Leaving the sandbox is granted for one call only: there is no rule to remember.
        let always = match &self.request.detail {
            ApprovalDetail::OutsideSandbox { .. } => "2. Yes, this once (a)".to_string(),
            _ => format!("2. Yes, and don't ask again for {rule} (a)"),
        };
        let choices = ["1. Yes (y)".to_string(), always, "3. No (n, esc)".to_string()];
        for (index, choice) in choices.into_iter().enumerate() {
            let style = if index == self.selected { theme.selected() } else { theme.plain() };
            let marker = if index == self.selected { "❯ " } else { "  " };
            lines.push(Line::from(Span::styled(truncate_to(&format!("{marker}{choice}"), width), style)));
        }
        match &self.note {
            Some(note) => {
                lines.push(Line::default());
                lines.push(Line::from(vec![
                    Span::styled("Tell Claurst why (enter to send, esc to go back): ", theme.warning()),
                    Span::styled(note.clone(), theme.plain()),
                ]));
            }
            None => lines.push(Line::styled("  tab: no, and tell Claurst what to do instead", theme.dim())),
        }
        lines
    }

    /// Rows the modal needs at `width` (border included).
    pub fn height(&self, width: u16, theme: Theme) -> u16 {
        self.lines(width.saturating_sub(2) as usize, theme).len() as u16 + 2
    }

    /// Draw the modal; returns where the caret goes while a note is typed.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) -> Option<(u16, u16)> {
        let inner_width = area.width.saturating_sub(2) as usize;
        let lines = self.lines(inner_width, theme);
        let caret = self.note.as_ref().map(|note| {
            let prefix =
                "Tell Claurst why (enter to send, esc to go back): ".chars().count() + note.chars().count();
            let row = (lines.len() as u16).min(area.height.saturating_sub(2));
            (area.x + 1 + (prefix as u16).min(area.width.saturating_sub(3)), area.y + row)
        });
        let title = format!(" Allow {}? ", self.request.call.display_title());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.modal_border())
            .title(Span::styled(title, theme.modal_border()));
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
        caret
    }
}

fn detail_lines(detail: &ApprovalDetail, width: usize, theme: Theme) -> Vec<Line<'static>> {
    if let ApprovalDetail::Diff { path, diff } = detail {
        let mut lines = crate::diff::preview(path, diff, width, theme);
        if lines.len() > MAX_DETAIL_LINES {
            let more = lines.len() - MAX_DETAIL_LINES;
            lines.truncate(MAX_DETAIL_LINES);
            lines.push(Line::styled(format!("  … {more} more lines"), theme.dim()));
        }
        return lines;
    }
    let (text, diff) = match detail {
        ApprovalDetail::Command { command } => (command.clone(), false),
        ApprovalDetail::Diff { path, diff } => (format!("{path}\n{diff}"), true),
        ApprovalDetail::Fetch { url } => (format!("GET {url}"), false),
        ApprovalDetail::Input { input } => (serde_json::to_string_pretty(input).unwrap_or_default(), false),
        ApprovalDetail::OutsideSandbox { command, path } => (
            format!(
                "{command}\n\nThe sandbox stopped this approved command from changing\n{path}\nRun it once more \
                 outside the sandbox, with your own permissions?"
            ),
            false,
        ),
    };
    let all: Vec<&str> = text.lines().collect();
    let mut lines: Vec<Line<'static>> = all
        .iter()
        .take(MAX_DETAIL_LINES)
        .map(|line| {
            let style = if !diff {
                theme.inline_code()
            } else if line.starts_with('+') && !line.starts_with("+++") {
                theme.diff_added()
            } else if line.starts_with('-') && !line.starts_with("---") {
                theme.diff_removed()
            } else if line.starts_with("@@") {
                theme.diff_hunk()
            } else {
                theme.plain()
            };
            Line::from(Span::styled(truncate_to(&format!("  {line}"), width), style))
        })
        .collect();
    if all.len() > MAX_DETAIL_LINES {
        lines.push(Line::styled(format!("  … {} more lines", all.len() - MAX_DETAIL_LINES), theme.dim()));
    }
    lines
}
