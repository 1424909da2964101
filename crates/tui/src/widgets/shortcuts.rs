//! The `?` sheet: every keyboard shortcut, over the transcript's last rows until the next key.

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// (keys, what they do), in the order a new user needs them.
const SHORTCUTS: &[(&str, &str)] = &[
    ("enter", "send the prompt"),
    ("shift+enter, ctrl+j, \\+enter", "new line"),
    ("/", "commands"),
    ("@", "mention a file"),
    ("!", "run a shell command"),
    ("esc", "interrupt the model; close a menu"),
    ("shift+tab", "cycle the permission mode"),
    ("tab", "extended thinking on or off"),
    ("↑ / ↓", "prompt history"),
    ("ctrl+r", "search the prompt history"),
    ("ctrl+o", "tool output and thinking in full"),
    ("pgup/pgdn, wheel, home/end", "scroll the transcript"),
    ("ctrl+c", "clear the prompt (twice: quit)"),
    ("ctrl+d", "quit"),
];

/// Rows the sheet takes at `width`: two columns when there is room, else one.
pub fn height(width: u16) -> u16 {
    let rows = if columns(width) == 2 { SHORTCUTS.len().div_ceil(2) } else { SHORTCUTS.len() };
    rows as u16 + 3
}

fn columns(width: u16) -> usize {
    if width >= 100 { 2 } else { 1 }
}

fn entry(keys: &str, what: &str, key_width: usize, theme: Theme) -> Vec<Span<'static>> {
    vec![
        Span::styled(format!(" {keys:<key_width$} "), theme.accent()),
        Span::styled(what.to_string(), theme.plain()),
    ]
}

pub fn render(frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let key_width = SHORTCUTS.iter().map(|(keys, _)| keys.chars().count()).max().unwrap_or(0);
    let column_width = (area.width as usize).saturating_sub(2) / columns(area.width);
    let rows = if columns(area.width) == 2 { SHORTCUTS.len().div_ceil(2) } else { SHORTCUTS.len() };
    let mut lines: Vec<Line<'static>> = (0..rows)
        .map(|row| {
            let mut spans = Vec::new();
            for (column, index) in [row, row + rows].into_iter().enumerate().take(columns(area.width)) {
                let Some((keys, what)) = SHORTCUTS.get(index) else { continue };
                let cell = entry(keys, what, key_width, theme);
                let used: usize = cell.iter().map(|span| span.content.chars().count()).sum();
                spans.extend(cell);
                if column == 0 && columns(area.width) == 2 {
                    spans.push(Span::raw(" ".repeat(column_width.saturating_sub(used))));
                }
            }
            Line::from(spans)
        })
        .collect();
    lines.push(Line::styled(" esc closes · any other key closes and is typed", theme.dim()));
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(" keyboard shortcuts ", theme.dim()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
