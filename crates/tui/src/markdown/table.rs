//! Markdown tables: columns sized to their content, shrunk to fit the pane.

use crate::theme::Theme;
use pulldown_cmark::Alignment;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub struct TableBuilder {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<String>>,
}

impl TableBuilder {
    pub fn new(alignments: Vec<Alignment>) -> Self {
        Self { alignments, rows: Vec::new() }
    }

    pub fn start_row(&mut self) {
        self.rows.push(Vec::new());
    }

    pub fn start_cell(&mut self) {
        if let Some(row) = self.rows.last_mut() {
            row.push(String::new());
        }
    }

    pub fn push_text(&mut self, text: &str) {
        if let Some(cell) = self.rows.last_mut().and_then(|row| row.last_mut()) {
            cell.push_str(text);
        }
    }

    /// The table as lines: header in bold, a rule under it, `│` between columns.
    pub fn render(self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return Vec::new();
        }
        let mut widths = vec![1usize; columns];
        for row in &self.rows {
            for (index, cell) in row.iter().enumerate() {
                widths[index] = widths[index].max(cell.width());
            }
        }
        fit(&mut widths, width.saturating_sub(3 * (columns - 1)));
        let mut lines = Vec::new();
        for (row_index, row) in self.rows.iter().enumerate() {
            let style = if row_index == 0 { theme.bold() } else { theme.plain() };
            let mut spans = Vec::new();
            for (index, column_width) in widths.iter().enumerate() {
                if index > 0 {
                    spans.push(Span::styled(" │ ", theme.dim()));
                }
                let cell = row.get(index).map(String::as_str).unwrap_or_default();
                let alignment = self.alignments.get(index).copied().unwrap_or(Alignment::None);
                spans.push(Span::styled(pad(cell, *column_width, alignment), style));
            }
            lines.push(Line::from(spans));
            if row_index == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                lines.push(Line::styled(rule.join("─┼─"), theme.dim()));
            }
        }
        lines
    }
}

/// Shrink the widest columns until the total fits `room`.
fn fit(widths: &mut [usize], room: usize) {
    while widths.iter().sum::<usize>() > room.max(widths.len()) {
        let Some(widest) = widths.iter().enumerate().max_by_key(|(_, w)| **w).map(|(i, _)| i) else {
            return;
        };
        if widths[widest] <= 1 {
            return;
        }
        widths[widest] -= 1;
    }
}

/// Fit `text` into exactly `width` columns: cut with `…` or padded according to the alignment.
fn pad(text: &str, width: usize, alignment: Alignment) -> String {
    let mut shown = String::new();
    let mut used = 0;
    if text.width() > width {
        for grapheme in text.graphemes(true) {
            let w = grapheme.width();
            if used + w + 1 > width {
                break;
            }
            shown.push_str(grapheme);
            used += w;
        }
        shown.push('…');
        used += 1;
    } else {
        shown.push_str(text);
        used = text.width();
    }
    let gap = width.saturating_sub(used);
    match alignment {
        Alignment::Right => format!("{}{shown}", " ".repeat(gap)),
        Alignment::Center => format!("{}{shown}{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2)),
        Alignment::Left | Alignment::None => format!("{shown}{}", " ".repeat(gap)),
    }
}
