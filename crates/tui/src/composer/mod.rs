//! The input composer: a multi-line text buffer with a caret, prompt history and folded pastes.

mod history;
mod images;
pub mod vim;

pub use images::{pasted_image_path, read_image};

pub use history::History;

use crate::markdown::wrap::Pieces;
use crate::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Pastes longer than this many lines (or characters) are folded into a placeholder.
const FOLD_LINES: usize = 8;
const FOLD_CHARS: usize = 800;

#[derive(Debug, Default)]
pub struct Composer {
    text: String,
    /// Byte offset of the caret, always on a grapheme boundary.
    cursor: usize,
    /// Folded pastes: placeholder text → pasted text.
    pastes: Vec<(String, String)>,
    /// Attached images: chip text (`[Image #N]`) → image, in the order attached.
    images: Vec<(String, claurst_protocol::ImageSource)>,
    /// Images attached to this prompt so far, removed ones included: chips are never renumbered.
    images_attached: usize,
    /// The draft's images while the history is walked: a recalled prompt's `[Image #N]` text must not pick
    /// up the draft's image N. They come back with the draft.
    draft_images: Option<(Vec<(String, claurst_protocol::ImageSource)>, usize)>,
}

impl Composer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    #[cfg(test)]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn set_text(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.pastes.clear();
        self.forget_images();
    }

    /// Take the text for sending, with folded pastes expanded, and empty the composer.
    pub fn take_submission(&mut self) -> String {
        let mut text = std::mem::take(&mut self.text);
        for (placeholder, pasted) in self.pastes.drain(..) {
            text = text.replacen(&placeholder, &pasted, 1);
        }
        self.cursor = 0;
        self.forget_images();
        text
    }

    pub fn insert_str(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    pub fn insert_char(&mut self, character: char) {
        self.text.insert(self.cursor, character);
        self.cursor += character.len_utf8();
    }

    pub fn newline(&mut self) {
        self.insert_char('\n');
    }

    /// A paste: inserted as is when short, folded into `[Pasted text #N +L lines]` when long.
    pub fn paste(&mut self, pasted: &str) {
        let pasted = pasted.replace("\r\n", "\n").replace('\r', "\n");
        let lines = pasted.lines().count();
        if lines > FOLD_LINES || pasted.chars().count() > FOLD_CHARS {
            let placeholder = format!("[Pasted text #{} +{lines} lines]", self.pastes.len() + 1);
            self.insert_str(&placeholder);
            self.pastes.push((placeholder, pasted));
        } else {
            self.insert_str(&pasted);
        }
    }

    /// If the text just before the caret is a `\`, replace it with a newline and say so (`\`+Enter).
    pub fn continue_line_after_backslash(&mut self) -> bool {
        if self.text[..self.cursor].ends_with('\\') {
            self.cursor -= 1;
            self.text.remove(self.cursor);
            self.newline();
            return true;
        }
        false
    }

    fn previous_boundary(&self) -> usize {
        self.text[..self.cursor].grapheme_indices(true).next_back().map_or(0, |(index, _)| index)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..].graphemes(true).next().map_or(self.cursor, |g| self.cursor + g.len())
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        // A folded paste is deleted as a whole.
        if let Some(position) = self
            .pastes
            .iter()
            .position(|(placeholder, _)| self.text[..self.cursor].ends_with(placeholder.as_str()))
        {
            let (placeholder, _) = self.pastes.remove(position);
            let start = self.cursor - placeholder.len();
            self.text.replace_range(start..self.cursor, "");
            self.cursor = start;
            return;
        }
        if self.remove_image_chip_before_caret() {
            return;
        }
        let start = self.previous_boundary();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn delete(&mut self) {
        let end = self.next_boundary();
        self.text.replace_range(self.cursor..end, "");
    }

    pub fn left(&mut self) {
        self.cursor = self.previous_boundary();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |index| index + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..].find('\n').map_or(self.text.len(), |index| self.cursor + index)
    }

    pub fn home(&mut self) {
        self.cursor = self.line_start();
    }

    pub fn end(&mut self) {
        self.cursor = self.line_end();
    }

    /// Delete from the start of the line to the caret (Ctrl+U).
    pub fn kill_to_line_start(&mut self) {
        let start = self.line_start();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Delete from the caret to the end of the line (Ctrl+K).
    pub fn kill_to_line_end(&mut self) {
        let end = self.line_end();
        self.text.replace_range(self.cursor..end, "");
    }

    /// Delete the word before the caret (Ctrl+W).
    pub fn delete_word_back(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        let start = trimmed.rfind(char::is_whitespace).map_or(0, |index| index + 1);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn word_left(&mut self) {
        let before = self.text[..self.cursor].trim_end();
        self.cursor = before.rfind(char::is_whitespace).map_or(0, |index| index + 1);
    }

    pub fn word_right(&mut self) {
        let after = &self.text[self.cursor..];
        let skipped = after.len() - after.trim_start().len();
        let word = after.trim_start().find(char::is_whitespace).unwrap_or(after.trim_start().len());
        self.cursor += skipped + word;
    }

    pub fn is_on_first_line(&self) -> bool {
        !self.text[..self.cursor].contains('\n')
    }

    pub fn is_on_last_line(&self) -> bool {
        !self.text[self.cursor..].contains('\n')
    }

    /// Move the caret to the line above, keeping the column as far as possible.
    pub fn up(&mut self) {
        let start = self.line_start();
        if start == 0 {
            return;
        }
        let column = self.text[start..self.cursor].graphemes(true).count();
        let previous_start = self.text[..start - 1].rfind('\n').map_or(0, |index| index + 1);
        self.cursor = advance(&self.text, previous_start, start - 1, column);
    }

    pub fn down(&mut self) {
        let end = self.line_end();
        if end == self.text.len() {
            return;
        }
        let column = self.text[self.line_start()..self.cursor].graphemes(true).count();
        let next_end = self.text[end + 1..].find('\n').map_or(self.text.len(), |index| end + 1 + index);
        self.cursor = advance(&self.text, end + 1, next_end, column);
    }

    /// The whitespace-delimited token ending at the caret, with its start offset.
    pub fn token_at_cursor(&self) -> (usize, &str) {
        let before = &self.text[..self.cursor];
        let start = before.rfind(char::is_whitespace).map_or(0, |index| index + 1);
        (start, &self.text[start..self.cursor])
    }

    /// Replace `start..caret` with `replacement`.
    pub fn replace_before_cursor(&mut self, start: usize, replacement: &str) {
        self.text.replace_range(start..self.cursor, replacement);
        self.cursor = start + replacement.len();
    }

    /// The composer's lines for a `width`-column pane, and the caret's (column, row) within them.
    pub fn layout(
        &self,
        width: usize,
        theme: Theme,
        prompt_style: Style,
    ) -> (Vec<Line<'static>>, (u16, u16)) {
        let width = width.max(6);
        let marker: Pieces = vec![("› ".into(), prompt_style)];
        let indent: Pieces = vec![("  ".into(), Style::new())];
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut caret = (2u16, 0u16);
        let mut offset = 0;
        for (index, logical) in self.text.split('\n').enumerate() {
            let prefix = if index == 0 { &marker } else { &indent };
            let mut row: Vec<Span<'static>> =
                prefix.iter().map(|(t, s)| Span::styled(t.clone(), *s)).collect();
            let mut used = 2;
            let mut text = String::new();
            if self.cursor == offset {
                caret = (used as u16, lines.len() as u16);
            }
            for grapheme in logical.graphemes(true) {
                let w = grapheme.width();
                if used + w > width {
                    row.push(Span::styled(std::mem::take(&mut text), theme.plain()));
                    lines.push(Line::from(std::mem::take(&mut row)));
                    row.push(Span::raw("  "));
                    used = 2;
                }
                text.push_str(grapheme);
                used += w;
                offset += grapheme.len();
                if self.cursor == offset {
                    caret = (used as u16, lines.len() as u16);
                }
            }
            row.push(Span::styled(text, theme.plain()));
            lines.push(Line::from(row));
            offset += 1; // the newline
        }
        if caret.0 as usize >= width {
            caret = (2, caret.1 + 1);
            lines.push(Line::raw("  "));
        }
        (lines, caret)
    }
}

/// The byte offset `column` graphemes after `start`, not past `end`.
fn advance(text: &str, start: usize, end: usize, column: usize) -> usize {
    text[start..end].grapheme_indices(true).nth(column).map_or(end, |(index, _)| start + index)
}

#[cfg(test)]
mod tests;
