//! Vim-style editing of the composer (`/vim`): INSERT types as usual; Esc enters NORMAL, where keys move
//! and edit (motions h j k l w b e 0 ^ $ gg G; x dd dw de db cc cw ce D C yy yw p P u; i a A I o O back to
//! INSERT). Enter sends from either mode. Offsets are bytes on char boundaries, like the composer's own.

use super::Composer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VimMode {
    #[default]
    Insert,
    Normal,
}

impl VimMode {
    pub fn label(self) -> &'static str {
        match self {
            VimMode::Insert => "-- INSERT --",
            VimMode::Normal => "-- NORMAL --",
        }
    }
}

/// What the key did: handled here, or left for the composer's usual handling (typing in INSERT, Enter,
/// the arrows, control keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VimOutcome {
    Handled,
    PassThrough,
}

/// The last deleted or yanked text; whole lines paste as lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Register {
    text: String,
    linewise: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Vim {
    mode: VimMode,
    /// An operator (`d`, `c`, `y`) or `g` waiting for its second key.
    pending: Option<char>,
    register: Register,
    /// Text and caret before each change (an INSERT session counts as one), newest last.
    undo: Vec<(String, usize)>,
}

/// Changes `u` can undo at most.
const UNDO_DEPTH: usize = 100;

impl Vim {
    pub fn mode(&self) -> VimMode {
        self.mode
    }

    pub fn handle_key(&mut self, composer: &mut Composer, key: KeyEvent) -> VimOutcome {
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self.mode, key.code) {
            (VimMode::Insert, KeyCode::Esc) => {
                self.mode = VimMode::Normal;
                composer.cursor = prev_char(&composer.text, composer.cursor)
                    .max(line_start(&composer.text, composer.cursor));
                VimOutcome::Handled
            }
            (VimMode::Insert, _) => VimOutcome::PassThrough,
            (VimMode::Normal, KeyCode::Enter) => {
                // The prompt is sent; the next one starts in INSERT.
                self.mode = VimMode::Insert;
                self.pending = None;
                VimOutcome::PassThrough
            }
            (VimMode::Normal, KeyCode::Char(character)) if plain => {
                match self.pending.take() {
                    Some(operator) => self.second_key(composer, operator, character),
                    None => self.normal_key(composer, character),
                }
                VimOutcome::Handled
            }
            (VimMode::Normal, KeyCode::Left) => {
                self.normal_key(composer, 'h');
                VimOutcome::Handled
            }
            (VimMode::Normal, KeyCode::Right) => {
                self.normal_key(composer, 'l');
                VimOutcome::Handled
            }
            (VimMode::Normal, _) => VimOutcome::PassThrough,
        }
    }

    fn normal_key(&mut self, composer: &mut Composer, key: char) {
        let text = composer.text.as_str();
        let at = composer.cursor;
        match key {
            'h' => composer.cursor = prev_char(text, at).max(line_start(text, at)),
            'l' => composer.cursor = next_char(text, at).min(last_char(text, at)),
            'j' => composer.down(),
            'k' => composer.up(),
            'w' => composer.cursor = word_forward(text, at),
            'b' => composer.cursor = word_back(text, at),
            'e' => composer.cursor = word_end(text, at),
            '0' => composer.cursor = line_start(text, at),
            '^' => composer.cursor = first_non_blank(text, at),
            '$' => composer.cursor = last_char(text, at),
            'G' => composer.cursor = first_non_blank(text, text.len()),
            'x' if at < line_end(text, at) => self.delete(composer, at, next_char(text, at), false),
            'D' => self.delete(composer, at, line_end(text, at), false),
            'C' => {
                self.delete(composer, at, line_end(&composer.text, at), false);
                self.mode = VimMode::Insert;
            }
            'i' => self.insert_at(composer, at),
            'a' => self.insert_at(composer, next_char(text, at).min(line_end(text, at))),
            'A' => self.insert_at(composer, line_end(text, at)),
            'I' => self.insert_at(composer, first_non_blank(text, at)),
            'o' => self.open_line(composer, line_end(text, at), true),
            'O' => self.open_line(composer, line_start(text, at), false),
            'p' => self.paste(composer, true),
            'P' => self.paste(composer, false),
            'u' => {
                if let Some((text, cursor)) = self.undo.pop() {
                    composer.text = text;
                    composer.cursor = cursor.min(composer.text.len());
                }
            }
            'd' | 'c' | 'y' | 'g' => self.pending = Some(key),
            _ => {}
        }
        self.settle(composer);
    }

    /// The key after `d`, `c`, `y` or `g`.
    fn second_key(&mut self, composer: &mut Composer, operator: char, key: char) {
        let text = composer.text.as_str();
        let at = composer.cursor;
        if operator == 'g' {
            if key == 'g' {
                composer.cursor = 0;
            }
            return;
        }
        if key == operator {
            return self.whole_line(composer, operator);
        }
        let end_of_word = || next_char(text, word_end(text, at)).min(line_end(text, at));
        let (start, end) = match key {
            // `cw` on a word changes to its end, as in Vim.
            'w' if operator == 'c' && !is_blank(char_at(text, at)) => (at, end_of_word()),
            'w' => (
                at,
                word_forward(text, at)
                    .min(line_end(text, at))
                    .max(next_char(text, at).min(line_end(text, at))),
            ),
            'e' => (at, end_of_word()),
            'b' => (word_back(text, at), at),
            '$' => (at, line_end(text, at)),
            '0' => (line_start(text, at), at),
            _ => return,
        };
        match operator {
            'y' => self.register = Register { text: text[start..end].to_string(), linewise: false },
            _ => {
                self.delete(composer, start, end, false);
                if operator == 'c' {
                    self.mode = VimMode::Insert;
                }
            }
        }
        self.settle(composer);
    }

    /// `dd`, `cc`, `yy`.
    fn whole_line(&mut self, composer: &mut Composer, operator: char) {
        let text = composer.text.as_str();
        let (start, end) = (line_start(text, composer.cursor), line_end(text, composer.cursor));
        self.register = Register { text: text[start..end].to_string(), linewise: true };
        match operator {
            'd' => {
                self.remember(composer);
                // The line and one of the newlines around it go; the caret lands on what follows.
                let (from, to) =
                    if end < text.len() { (start, end + 1) } else { (start.saturating_sub(1), end) };
                composer.text.replace_range(from..to, "");
                composer.cursor = first_non_blank(&composer.text, from.min(composer.text.len()));
            }
            'c' => {
                self.remember(composer);
                composer.text.replace_range(start..end, "");
                composer.cursor = start;
                self.mode = VimMode::Insert;
            }
            _ => {}
        }
        self.settle(composer);
    }

    /// Remove `start..end` into the register.
    fn delete(&mut self, composer: &mut Composer, start: usize, end: usize, linewise: bool) {
        if start >= end {
            return;
        }
        self.remember(composer);
        self.register = Register { text: composer.text[start..end].to_string(), linewise };
        composer.text.replace_range(start..end, "");
        composer.cursor = start;
    }

    fn insert_at(&mut self, composer: &mut Composer, at: usize) {
        self.remember(composer);
        composer.cursor = at;
        self.mode = VimMode::Insert;
    }

    /// `o` (below, at the line's end) and `O` (above, at its start).
    fn open_line(&mut self, composer: &mut Composer, at: usize, below: bool) {
        self.remember(composer);
        composer.text.insert(at, '\n');
        composer.cursor = if below { at + 1 } else { at };
        self.mode = VimMode::Insert;
    }

    fn paste(&mut self, composer: &mut Composer, after: bool) {
        if self.register.text.is_empty() && !self.register.linewise {
            return;
        }
        self.remember(composer);
        let text = composer.text.as_str();
        let at = composer.cursor;
        let register = self.register.clone();
        if register.linewise {
            if after {
                let end = line_end(text, at);
                composer.text.insert_str(end, &format!("\n{}", register.text));
                composer.cursor = end + 1;
            } else {
                let start = line_start(text, at);
                composer.text.insert_str(start, &format!("{}\n", register.text));
                composer.cursor = start;
            }
        } else {
            let at = if after { next_char(text, at).min(line_end(text, at)) } else { at };
            composer.text.insert_str(at, &register.text);
            composer.cursor = prev_char(&composer.text, at + register.text.len()).max(at);
        }
    }

    fn remember(&mut self, composer: &Composer) {
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push((composer.text.clone(), composer.cursor));
    }

    /// In NORMAL the caret sits on a character, never past the line's last one.
    fn settle(&self, composer: &mut Composer) {
        if self.mode == VimMode::Normal {
            composer.cursor = composer.cursor.min(last_char(&composer.text, composer.cursor));
        }
    }
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

fn is_blank(character: Option<char>) -> bool {
    character.is_none_or(char::is_whitespace)
}

/// 0 blank, 1 word character, 2 punctuation: a Vim word is a run of one class.
fn class(character: char) -> u8 {
    if character.is_whitespace() {
        0
    } else if character.is_alphanumeric() || character == '_' {
        1
    } else {
        2
    }
}

fn prev_char(text: &str, at: usize) -> usize {
    text[..at].char_indices().next_back().map_or(0, |(index, _)| index)
}

fn next_char(text: &str, at: usize) -> usize {
    char_at(text, at).map_or(at, |character| at + character.len_utf8())
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |index| index + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |index| at + index)
}

/// The line's last character (its start when empty).
fn last_char(text: &str, at: usize) -> usize {
    let (start, end) = (line_start(text, at), line_end(text, at));
    prev_char(text, end).max(start)
}

fn first_non_blank(text: &str, at: usize) -> usize {
    let (start, end) = (line_start(text, at), line_end(text, at));
    text[start..end].find(|c: char| !c.is_whitespace()).map_or(start, |offset| start + offset)
}

/// `w`: the start of the next word (across lines), or the end of the text.
fn word_forward(text: &str, at: usize) -> usize {
    let mut index = at;
    if let Some(first) = char_at(text, index).map(class).filter(|class| *class != 0) {
        while char_at(text, index).is_some_and(|c| class(c) == first) {
            index = next_char(text, index);
        }
    }
    while char_at(text, index).is_some_and(char::is_whitespace) {
        index = next_char(text, index);
    }
    index
}

/// `e`: the last character of this word, or of the next one when already there.
fn word_end(text: &str, at: usize) -> usize {
    let mut index = next_char(text, at);
    while char_at(text, index).is_some_and(char::is_whitespace) {
        index = next_char(text, index);
    }
    let Some(kind) = char_at(text, index).map(class) else {
        return prev_char(text, text.len());
    };
    while char_at(text, next_char(text, index)).is_some_and(|c| class(c) == kind) {
        index = next_char(text, index);
    }
    index
}

/// `b`: the start of this word, or of the previous one when already there.
fn word_back(text: &str, at: usize) -> usize {
    let mut index = at;
    while index > 0 && text[..index].chars().next_back().is_some_and(char::is_whitespace) {
        index = prev_char(text, index);
    }
    let Some(kind) = text[..index].chars().next_back().map(class) else {
        return 0;
    };
    while index > 0 && text[..index].chars().next_back().is_some_and(|c| class(c) == kind) {
        index = prev_char(text, index);
    }
    index
}

#[cfg(test)]
mod tests;
