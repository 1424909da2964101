//! `/agents`: the kinds of sub-agent the model may start, and the review of a definition the model drafted
//! before it is saved.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{AgentScope, AgentTypeView};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

/// Rows the panel takes at most (border included); the selected kind stays in view.
const MAX_PANEL_ROWS: u16 = 20;
/// Rows the review takes at most (border included); the rest scrolls.
const MAX_REVIEW_ROWS: u16 = 24;
/// Rows each kind takes in the panel.
const ROWS_PER_KIND: usize = 3;

/// The `/agents` panel: which kind is selected. It draws the kinds as last reported, so it follows a save.
#[derive(Debug, Clone, Default)]
pub struct AgentsPanel {
    selected: usize,
}

/// What a key did to the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentsPanelOutcome {
    Pending,
    Closed,
    /// The user wants a new kind: ask for its description.
    New,
}

impl AgentsPanel {
    pub fn handle_key(&mut self, key: KeyEvent, kinds: &[AgentTypeView]) -> AgentsPanelOutcome {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return AgentsPanelOutcome::Closed,
            KeyCode::Char('n') => return AgentsPanelOutcome::New,
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(kinds.len().saturating_sub(1))
            }
            _ => {}
        }
        AgentsPanelOutcome::Pending
    }

    fn lines(&self, kinds: &[AgentTypeView], width: usize, theme: Theme) -> Vec<Line<'static>> {
        if kinds.is_empty() {
            return vec![Line::styled("No kinds of sub-agent are known to this session.", theme.dim())];
        }
        let selected = self.selected.min(kinds.len() - 1);
        let mut lines = Vec::new();
        for (index, kind) in kinds.iter().enumerate() {
            let (marker, style) =
                if index == selected { ("❯ ", theme.selected()) } else { ("  ", theme.bold()) };
            let head = format!("{marker}{}", kind.name);
            let room = width.saturating_sub(head.chars().count() + 3);
            lines.push(Line::from(vec![
                Span::styled(head, style),
                Span::styled(" · ", theme.dim()),
                Span::styled(truncate_to(&kind.scope, room), theme.dim()),
            ]));
            let tools = match &kind.tools {
                None => "all tools".to_string(),
                Some(tools) if tools.is_empty() => "no tools".to_string(),
                Some(tools) => format!("tools: {}", tools.join(", ")),
            };
            let model = match kind.model.as_deref() {
                None | Some("") | Some("inherit") => "model: inherits".to_string(),
                Some(model) => format!("model: {model}"),
            };
            lines.push(Line::styled(truncate_to(&format!("    {tools} · {model}"), width), theme.plain()));
            let description = kind.description.lines().next().unwrap_or_default();
            lines.push(Line::styled(truncate_to(&format!("    {description}"), width), theme.dim()));
        }
        lines
    }

    /// Rows the panel needs at `width` (border included), at most `MAX_PANEL_ROWS`.
    pub fn height(&self, kinds: &[AgentTypeView], width: u16, theme: Theme) -> u16 {
        let lines = self.lines(kinds, width.saturating_sub(2) as usize, theme);
        (lines.len() as u16 + 2).min(MAX_PANEL_ROWS)
    }

    pub fn widget<'a>(&'a self, kinds: &'a [AgentTypeView], theme: Theme) -> AgentsPanelWidget<'a> {
        AgentsPanelWidget { panel: self, kinds, theme }
    }
}

/// The panel drawn over the kinds as last reported.
pub struct AgentsPanelWidget<'a> {
    panel: &'a AgentsPanel,
    kinds: &'a [AgentTypeView],
    theme: Theme,
}

impl Widget for AgentsPanelWidget<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let theme = self.theme;
        let lines = self.panel.lines(self.kinds, area.width.saturating_sub(2) as usize, theme);
        let inner = area.height.saturating_sub(2) as usize;
        let selected_row = self.panel.selected.min(self.kinds.len().saturating_sub(1)) * ROWS_PER_KIND;
        let first = (selected_row + ROWS_PER_KIND).saturating_sub(inner);
        let visible: Vec<Line<'static>> = lines.into_iter().skip(first).collect();
        let keys = " ↑↓ select · n new agent · esc close ";
        let block = theme.modal_block(" Agents ").title_bottom(Span::styled(
            truncate_to(keys, area.width.saturating_sub(2) as usize),
            theme.dim(),
        ));
        Clear.render(area, buffer);
        Paragraph::new(visible).block(block).render(area, buffer);
    }
}

/// A definition the model drafted, shown as the Markdown that would be saved.
#[derive(Debug, Clone)]
pub struct AgentReview {
    pub name: String,
    pub markdown: String,
    /// What the user asked for, given back to them if they discard the draft.
    pub description: String,
    scroll: usize,
}

/// What a key did to the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    Pending,
    Save(AgentScope),
    Discard,
}

impl AgentReview {
    pub fn new(name: String, markdown: String, description: String) -> Self {
        Self { name, markdown, description, scroll: 0 }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> ReviewOutcome {
        let last = self.markdown.lines().count().saturating_sub(1);
        match key.code {
            KeyCode::Char('p') => return ReviewOutcome::Save(AgentScope::Project),
            KeyCode::Char('u') => return ReviewOutcome::Save(AgentScope::User),
            KeyCode::Esc => return ReviewOutcome::Discard,
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll = (self.scroll + 1).min(last),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = (self.scroll + 10).min(last),
            KeyCode::Home => self.scroll = 0,
            _ => {}
        }
        ReviewOutcome::Pending
    }

    /// The Markdown as written, one row per line (cut, not wrapped: the file's own lines are what is saved).
    fn lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        self.markdown.lines().map(|line| Line::styled(truncate_to(line, width), theme.plain())).collect()
    }

    /// Rows the review needs (border included), at most `MAX_REVIEW_ROWS`.
    pub fn height(&self) -> u16 {
        (self.markdown.lines().count() as u16 + 2).min(MAX_REVIEW_ROWS)
    }

    pub fn widget(&self, theme: Theme) -> AgentReviewWidget<'_> {
        AgentReviewWidget { review: self, theme }
    }
}

pub struct AgentReviewWidget<'a> {
    review: &'a AgentReview,
    theme: Theme,
}

impl Widget for AgentReviewWidget<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let theme = self.theme;
        let width = area.width.saturating_sub(2) as usize;
        let lines = self.review.lines(width, theme);
        let inner = area.height.saturating_sub(2) as usize;
        // Never scroll past the point where the last line is at the bottom.
        let first = self.review.scroll.min(lines.len().saturating_sub(inner));
        let visible: Vec<Line<'static>> = lines.into_iter().skip(first).collect();
        let title = format!(" New agent: {} (review before saving) ", self.review.name);
        let keys = " ↑↓ scroll · p save to project · u save for you · esc discard ";
        let block = theme
            .modal_block(truncate_to(&title, width))
            .title_bottom(Span::styled(truncate_to(keys, width), theme.dim()));
        Clear.render(area, buffer);
        Paragraph::new(visible).block(block).render(area, buffer);
    }
}
