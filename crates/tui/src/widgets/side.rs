//! The side pane: the companion, KAIROS's state and the dream's status, at the right of the transcript when the terminal is
//! wide enough. It shows only real state: with neither a companion nor a dream status it is not drawn.

use crate::app::App;
use crate::markdown::wrap;
use crate::transcript::spinner;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use std::time::Instant;

/// Terminals narrower than this show no side pane; the transcript needs the room.
pub const MIN_TERMINAL_WIDTH: u16 = 100;
/// The pane's width, border included.
pub const PANE_WIDTH: u16 = 28;

/// Whether the pane has anything to show.
pub fn has_content(app: &App) -> bool {
    #[cfg(feature = "proactive")]
    if app.kairos.active() {
        return true;
    }
    app.dream.is_some() || app.companion_visible()
}

pub fn render(frame: &mut Frame<'_>, area: Rect, app: &App, now: Instant) {
    let theme = app.theme;
    let inner_width = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.extend(app.companion_lines(inner_width, now));
    #[cfg(feature = "proactive")]
    if app.kairos.active() {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.extend(app.kairos.pane_lines(theme, inner_width));
    }
    if let Some(dream) = &app.dream {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        let heading =
            if dream.running { format!("{} Dreaming", spinner(now)) } else { "✦ Memory".to_string() };
        lines.push(Line::styled(heading, theme.accent()));
        let style = if dream.running { theme.plain() } else { theme.dim() };
        for text in dream.summary.lines() {
            lines.extend(wrap::wrap_pieces(
                &[(text.to_string(), style)],
                inner_width,
                &Vec::new(),
                &Vec::new(),
            ));
        }
    }
    let block = Block::default().borders(Borders::LEFT).border_style(theme.border()).style(Style::new());
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
