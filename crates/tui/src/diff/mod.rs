//! File changes drawn for people: a summary line ("Added 3 lines, removed 1 line"), then each row with its
//! old and new line numbers, a coloured background on added and removed lines, a stronger one on the words
//! that changed, syntax colours by the file's extension, and long lines wrapped under a blank gutter (never
//! cut). The transcript and the approval modal both draw diffs through [`render`].
//!
//! Drawing a diff means highlighting and word-diffing it, which is too slow to repeat every frame: results
//! are kept per diff, width and theme in a small cache.

mod parse;

use crate::markdown::highlight;
use crate::theme::Theme;
use parse::{Parsed, Row};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::rc::Rc;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Diffs with more rows, or more text, than this are drawn without syntax colours.
const MAX_HIGHLIGHTED_ROWS: usize = 2_000;
const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;
/// Diffs kept drawn; the cache is emptied when it fills (a session rarely shows more at once).
const CACHE_LIMIT: usize = 64;

thread_local! {
    static CACHE: RefCell<HashMap<u64, Rc<Vec<Line<'static>>>>> = RefCell::new(HashMap::new());
}

/// The lines of the change `unified` (a unified diff) to the file `path`, for a pane `width` columns wide:
/// the summary first, then the rows. `path`'s extension picks the syntax colours.
pub fn render(path: &str, unified: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let key = {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (path, unified, width, theme, highlight::is_ready()).hash(&mut hasher);
        hasher.finish()
    };
    if let Some(lines) = CACHE.with(|cache| cache.borrow().get(&key).cloned()) {
        return lines.as_ref().clone();
    }
    let lines = draw(path, unified, width, theme);
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, Rc::new(lines.clone()));
    });
    lines
}

/// A proposed change as an approval shows it: the path, then the drawn diff, indented by two columns.
pub fn preview(path: &str, unified: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(format!("  {path}"), theme.accent())];
    lines.extend(render(path, unified, width.saturating_sub(2), theme).into_iter().map(|line| {
        let mut spans = vec![Span::raw("  ")];
        spans.extend(line.spans);
        Line::from(spans)
    }));
    lines
}

/// "Added 3 lines, removed 1 line" for the change `unified`.
pub fn summary(unified: &str) -> String {
    summary_of(&parse::parse(unified))
}

fn summary_of(parsed: &Parsed) -> String {
    let lines = |count: usize| if count == 1 { "1 line".to_string() } else { format!("{count} lines") };
    let files = if parsed.files > 1 { format!("{} files · ", parsed.files) } else { String::new() };
    let counts = match (parsed.added, parsed.removed) {
        (0, 0) => "No changes".to_string(),
        (added, 0) if parsed.new_file => format!("Added {} (new file)", lines(added)),
        (added, 0) => format!("Added {}", lines(added)),
        (0, removed) => format!("Removed {}", lines(removed)),
        (added, removed) => format!("Added {}, removed {}", lines(added), lines(removed)),
    };
    format!("{files}{counts}")
}

fn draw(path: &str, unified: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let parsed = parse::parse(unified);
    let mut lines = vec![Line::from(vec![Span::styled(summary_of(&parsed), theme.bold())])];
    let syntax = SyntaxColours::new(&parsed, extension(path), theme);
    let digits = parsed.max_line_number().max(1).to_string().len();
    // `12 13 + ` : old number, new number, sign.
    let gutter_width = digits * 2 + 4;
    let content_width = width.saturating_sub(gutter_width).max(8);
    for (index, row) in parsed.rows.iter().enumerate() {
        let (old, new, sign) = match row {
            Row::Context { old, new, .. } => (Some(*old), Some(*new), ' '),
            Row::Removed { old, .. } => (Some(*old), None, '-'),
            Row::Added { new, .. } => (None, Some(*new), '+'),
            Row::Gap => {
                lines.push(Line::styled(format!("{:>digits$}", "⋮"), theme.diff_gutter()));
                continue;
            }
            Row::File { path } => {
                lines.push(Line::styled(path.clone(), theme.accent()));
                continue;
            }
        };
        let number =
            |n: Option<usize>| n.map(|n| format!("{n:>digits$}")).unwrap_or_else(|| " ".repeat(digits));
        let (line_style, word_style, sign_style) = match row {
            Row::Removed { .. } => {
                (theme.diff_removed_line(), theme.diff_removed_word(), theme.diff_removed())
            }
            Row::Added { .. } => (theme.diff_added_line(), theme.diff_added_word(), theme.diff_added()),
            _ => (Style::new(), Style::new(), theme.diff_gutter()),
        };
        let gutter = vec![
            Span::styled(format!("{} {} ", number(old), number(new)), theme.diff_gutter()),
            Span::styled(format!("{sign} "), sign_style.patch(line_style)),
        ];
        let pieces = syntax.pieces(index, row, theme);
        let changed = match row {
            Row::Removed { changed, .. } | Row::Added { changed, .. } => changed.as_slice(),
            _ => &[],
        };
        let styled = StyledRow { pieces, changed, line_style, word_style };
        lines.extend(styled.wrap(gutter, gutter_width, content_width));
    }
    lines
}

/// The file's extension, which names its syntax (`rs`, `py`); the whole name for `Makefile` and the like.
fn extension(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').map(|(_, extension)| extension).unwrap_or(name)
}

/// The syntax colours of each row, highlighted side by side: the old text (context and removed lines) and
/// the new text (context and added lines), each in order, so multi-line constructs colour as in the file.
struct SyntaxColours {
    /// For each row, its line of the highlighted side (`None` when not highlighted).
    by_row: Vec<Option<Vec<(String, Style)>>>,
}

impl SyntaxColours {
    fn new(parsed: &Parsed, extension: &str, theme: Theme) -> Self {
        let mut by_row = vec![None; parsed.rows.len()];
        // Colour is a reading aid: a diff too big to read line by line is drawn plain rather than stall the
        // interface while syntect works through it.
        let bytes: usize = parsed.rows.iter().map(Row::text_len).sum();
        if !theme.has_color() || parsed.rows.len() > MAX_HIGHLIGHTED_ROWS || bytes > MAX_HIGHLIGHTED_BYTES {
            return Self { by_row };
        }
        for side in [Side::Old, Side::New] {
            let indices: Vec<usize> =
                (0..parsed.rows.len()).filter(|index| side.shows(&parsed.rows[*index])).collect();
            let text: Vec<&str> = indices.iter().map(|index| row_text(&parsed.rows[*index])).collect();
            let Some(highlighted) = highlight::highlight(&text.join("\n"), extension, theme.is_light())
            else {
                return Self { by_row };
            };
            for (index, pieces) in indices.into_iter().zip(highlighted) {
                by_row[index] = Some(pieces);
            }
        }
        Self { by_row }
    }

    /// The row's text as styled pieces: highlighted when possible, else plain.
    fn pieces(&self, index: usize, row: &Row, theme: Theme) -> Vec<(String, Style)> {
        match self.by_row.get(index).cloned().flatten() {
            Some(pieces) => pieces,
            None => vec![(row_text(row).to_string(), theme.plain())],
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

impl Side {
    /// Whether the row belongs to this side's text; context rows are read from the new side.
    fn shows(self, row: &Row) -> bool {
        matches!(
            (self, row),
            (Side::Old, Row::Removed { .. }) | (Side::New, Row::Added { .. } | Row::Context { .. })
        )
    }
}

fn row_text(row: &Row) -> &str {
    match row {
        Row::Context { text, .. } | Row::Removed { text, .. } | Row::Added { text, .. } => text,
        Row::Gap | Row::File { .. } => "",
    }
}

/// One row's content ready to wrap: syntax pieces, the byte ranges of changed words, the backgrounds.
struct StyledRow<'a> {
    pieces: Vec<(String, Style)>,
    changed: &'a [Range<usize>],
    line_style: Style,
    word_style: Style,
}

impl StyledRow<'_> {
    /// The row as screen lines: the gutter on the first, blanks under it on the others; a changed line's
    /// background runs to the right edge.
    fn wrap(
        self,
        gutter: Vec<Span<'static>>,
        gutter_width: usize,
        content_width: usize,
    ) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let mut current: Vec<Span<'static>> = gutter;
        let mut used = 0;
        let mut at = 0;
        for (text, style) in &self.pieces {
            for grapheme in text.graphemes(true) {
                let is_changed = self.changed.iter().any(|range| range.contains(&at));
                at += grapheme.len();
                let shown = if grapheme == "\t" { "    " } else { grapheme };
                let w = shown.width();
                if used + w > content_width && used > 0 {
                    self.finish(&mut current, used, content_width);
                    lines.push(Line::from(std::mem::take(&mut current)));
                    current.push(Span::raw(" ".repeat(gutter_width)));
                    used = 0;
                }
                let mut style = style.patch(self.line_style);
                if is_changed {
                    style = style.patch(self.word_style);
                }
                push_styled(&mut current, shown, style);
                used += w;
            }
        }
        self.finish(&mut current, used, content_width);
        lines.push(Line::from(current));
        lines
    }

    /// Fill the rest of a changed row with its background.
    fn finish(&self, current: &mut Vec<Span<'static>>, used: usize, content_width: usize) {
        if self.line_style != Style::new() && used < content_width {
            current.push(Span::styled(" ".repeat(content_width - used), self.line_style));
        }
    }
}

fn push_styled(spans: &mut Vec<Span<'static>>, text: &str, style: Style) {
    match spans.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => spans.push(Span::styled(text.to_string(), style)),
    }
}

#[cfg(test)]
mod tests;
