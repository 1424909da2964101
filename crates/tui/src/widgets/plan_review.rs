//! The plan hand-off: the model's plan (from `exit_plan_mode`) as Markdown, scrollable, and the user's
//! three answers: approve with edits accepted, approve asking first, or keep planning with feedback.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{PlanChoice, PlanRequest};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::cell::Cell;
use unicode_width::UnicodeWidthStr;

/// Rows of plan shown at most; a longer plan scrolls.
const MAX_PLAN_ROWS: usize = 30;
/// What the feedback prompt says.
const FEEDBACK_PROMPT: &str = "Tell Claurst what to change (enter sends, esc goes back): ";
const CHOICES: [&str; 3] = [
    "1. Yes, and accept edits without asking",
    "2. Yes, and ask before each edit",
    "3. No, keep planning (tell Claurst what to change)",
];

pub struct PlanReview {
    pub request: PlanRequest,
    selected: usize,
    /// `Some` while the user types feedback for "keep planning".
    feedback: Option<String>,
    scroll: usize,
    /// Plan rows shown at the last frame: a page, and the bound of `scroll`.
    page: Cell<usize>,
    total: Cell<usize>,
    rendered: super::RenderedLines,
}

impl PlanReview {
    pub fn new(request: PlanRequest) -> Self {
        Self {
            request,
            selected: 0,
            feedback: None,
            scroll: 0,
            page: Cell::new(MAX_PLAN_ROWS),
            total: Cell::new(0),
            rendered: Default::default(),
        }
    }

    /// The user's choice, once they made one.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<PlanChoice> {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(feedback) = &mut self.feedback {
            match key.code {
                KeyCode::Enter => return Some(PlanChoice::KeepPlanning(feedback.trim().to_string())),
                KeyCode::Esc => self.feedback = None,
                KeyCode::Backspace => {
                    feedback.pop();
                }
                KeyCode::Char(c) if !control => feedback.push(c),
                _ => {}
            }
            return None;
        }
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = (self.selected + 2) % 3,
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1) % 3,
            KeyCode::Char('1') => return Some(PlanChoice::ApproveAcceptEdits),
            KeyCode::Char('2') => return Some(PlanChoice::ApproveAskFirst),
            KeyCode::Char('3') | KeyCode::Tab => self.feedback = Some(String::new()),
            KeyCode::Esc => return Some(PlanChoice::KeepPlanning(String::new())),
            KeyCode::Enter => match self.selected {
                0 => return Some(PlanChoice::ApproveAcceptEdits),
                1 => return Some(PlanChoice::ApproveAskFirst),
                _ => self.feedback = Some(String::new()),
            },
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(self.page.get() as isize),
            KeyCode::PageUp => self.scroll_by(-(self.page.get() as isize)),
            _ => {}
        }
        None
    }

    /// Text pasted while feedback is typed.
    pub fn paste(&mut self, text: &str) {
        if let Some(feedback) = &mut self.feedback {
            feedback.push_str(&text.replace(['\n', '\r'], " "));
        }
    }

    fn scroll_by(&mut self, rows: isize) {
        let last = self.total.get().saturating_sub(self.page.get());
        self.scroll = self.scroll.saturating_add_signed(rows).min(last);
    }

    fn plan_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        self.rendered.get(width, theme, || crate::markdown::render(&self.request.plan, width, theme))
    }

    fn footer_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = vec![Line::default(), Line::styled("Would you like to proceed?", theme.bold())];
        for (index, choice) in CHOICES.iter().enumerate() {
            let chosen = index == self.selected;
            let style = if chosen { theme.selected() } else { theme.plain() };
            let marker = if chosen { "❯ " } else { "  " };
            lines.push(Line::styled(truncate_to(&format!("{marker}{choice}"), width), style));
        }
        match &self.feedback {
            Some(feedback) => lines.push(Line::from(vec![
                Span::styled(FEEDBACK_PROMPT, theme.warning()),
                Span::styled(feedback.clone(), theme.plain()),
            ])),
            None => lines.push(Line::styled(
                truncate_to(
                    "  enter or 1–3 to choose · pgup/pgdn to scroll the plan · esc: keep planning",
                    width,
                ),
                theme.dim(),
            )),
        }
        lines
    }

    /// Rows the view needs at `width`, border included; the plan is capped to `MAX_PLAN_ROWS`.
    pub fn height(&self, width: u16, theme: Theme) -> u16 {
        let width = width.saturating_sub(2) as usize;
        let plan = self.plan_lines(width, theme).len().min(MAX_PLAN_ROWS + 1);
        (plan + self.footer_lines(width, theme).len()) as u16 + 2
    }

    /// Draw the view; returns where the caret goes while feedback is typed.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) -> Option<(u16, u16)> {
        let width = area.width.saturating_sub(2) as usize;
        let rows = area.height.saturating_sub(2) as usize;
        let footer = self.footer_lines(width, theme);
        let plan = self.plan_lines(width, theme);
        let room = rows.saturating_sub(footer.len()).min(MAX_PLAN_ROWS + 1);
        let fits = plan.len() <= room;
        let shown = if fits { plan.len() } else { room.saturating_sub(1) };
        self.page.set(shown.max(1));
        self.total.set(plan.len());
        let first = self.scroll.min(plan.len().saturating_sub(shown));
        let mut lines: Vec<Line<'static>> = plan.iter().skip(first).take(shown).cloned().collect();
        if !fits && room > 0 {
            let text = format!(
                "  plan lines {}–{} of {} · pgup/pgdn to scroll",
                first + 1,
                first + shown,
                plan.len()
            );
            lines.push(Line::styled(truncate_to(&text, width), theme.dim()));
        }
        lines.extend(footer);
        let caret = self.feedback.as_ref().map(|feedback| {
            // Columns, not chars: a wide character takes two.
            let prefix = FEEDBACK_PROMPT.width() + feedback.width();
            let row = (lines.len() as u16).min(area.height.saturating_sub(2));
            let column = prefix.min(usize::from(area.width.saturating_sub(3))) as u16;
            (area.x + 1 + column, area.y + row)
        });
        let block = theme.modal_block(" Claurst's plan ");
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
        caret
    }
}
