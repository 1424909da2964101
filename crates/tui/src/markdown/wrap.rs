//! Word wrapping of styled text to a width, counted in terminal columns.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Styled text pieces of one logical line.
pub type Pieces = Vec<(String, Style)>;

/// Wrap one logical line into visual lines of at most `width` columns. `first` prefixes the first visual
/// line and `rest` every following one (list bullets and their hanging indent, quote bars). Words longer
/// than the room left are broken by grapheme.
pub fn wrap_pieces(
    pieces: &[(String, Style)],
    width: usize,
    first: &Pieces,
    rest: &Pieces,
) -> Vec<Line<'static>> {
    let width = width.max(4);
    let mut lines = Vec::new();
    let mut current = LineBuilder::new(first);
    for (text, style) in pieces {
        for word in text.split_word_bounds() {
            let word_width = word.width();
            if current.width + word_width > width && current.has_content() {
                lines.push(current.finish());
                current = LineBuilder::new(rest);
                if word.trim().is_empty() {
                    // A space at a line break is swallowed.
                    continue;
                }
            }
            if current.width + word_width > width {
                for grapheme in word.graphemes(true) {
                    let grapheme_width = grapheme.width();
                    if current.width + grapheme_width > width && current.has_content() {
                        lines.push(current.finish());
                        current = LineBuilder::new(rest);
                    }
                    current.push(grapheme, *style, grapheme_width);
                }
            } else {
                current.push(word, *style, word_width);
            }
        }
    }
    lines.push(current.finish());
    lines
}

/// Break a line by columns only (code, tool output): no word logic, nothing dropped.
pub fn wrap_hard(text: &str, style: Style, width: usize, prefix: &Pieces) -> Vec<Line<'static>> {
    let width = width.max(4);
    let mut lines = Vec::new();
    let mut current = LineBuilder::new(prefix);
    for grapheme in text.graphemes(true) {
        let grapheme = if grapheme == "\t" { "    " } else { grapheme };
        let grapheme_width = grapheme.width();
        if current.width + grapheme_width > width && current.has_content() {
            lines.push(current.finish());
            current = LineBuilder::new(prefix);
        }
        current.push(grapheme, style, grapheme_width);
    }
    lines.push(current.finish());
    lines
}

struct LineBuilder {
    spans: Vec<Span<'static>>,
    width: usize,
    prefix_width: usize,
}

impl LineBuilder {
    fn new(prefix: &Pieces) -> Self {
        let spans: Vec<Span<'static>> =
            prefix.iter().map(|(text, style)| Span::styled(text.clone(), *style)).collect();
        let width = prefix.iter().map(|(text, _)| text.width()).sum();
        Self { spans, width, prefix_width: width }
    }

    fn has_content(&self) -> bool {
        self.width > self.prefix_width
    }

    fn push(&mut self, text: &str, style: Style, width: usize) {
        match self.spans.last_mut() {
            Some(last) if last.style == style && self.width > self.prefix_width => {
                last.content.to_mut().push_str(text);
            }
            _ => self.spans.push(Span::styled(text.to_string(), style)),
        }
        self.width += width;
    }

    /// The finished line, without the space that preceded the break.
    fn finish(mut self) -> Line<'static> {
        if self.has_content()
            && let Some(last) = self.spans.last_mut()
        {
            let trimmed = last.content.trim_end().len();
            last.content.to_mut().truncate(trimmed);
        }
        Line::from(self.spans)
    }
}

/// The width of a line in columns.
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|span| span.content.width()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn wraps_at_word_boundaries_with_hanging_indent() {
        let pieces = vec![("one two three four five".to_string(), Style::new())];
        let lines =
            wrap_pieces(&pieces, 12, &vec![("- ".into(), Style::new())], &vec![("  ".into(), Style::new())]);
        assert_eq!(texts(&lines), ["- one two", "  three four", "  five"]);
        assert!(lines.iter().all(|line| line_width(line) <= 12));
    }

    #[test]
    fn breaks_long_words_and_wide_characters() {
        let pieces = vec![("abcdefghijkl 漢字漢字漢字".to_string(), Style::new())];
        let lines = wrap_pieces(&pieces, 5, &Vec::new(), &Vec::new());
        assert!(lines.iter().all(|line| line_width(line) <= 5), "{:?}", texts(&lines));
        assert_eq!(texts(&lines).concat().replace(' ', ""), "abcdefghijkl漢字漢字漢字");
    }

    #[test]
    fn hard_wrap_keeps_every_character() {
        let lines = wrap_hard(
            "fn main() { println!(\"hi\"); }",
            Style::new(),
            10,
            &vec![("  ".into(), Style::new())],
        );
        assert!(lines.iter().all(|line| line_width(line) <= 10));
        let joined: String = texts(&lines).iter().map(|l| l.trim_start()).collect::<Vec<_>>().concat();
        assert_eq!(joined.replace(' ', ""), "fnmain(){println!(\"hi\");}");
    }
}
