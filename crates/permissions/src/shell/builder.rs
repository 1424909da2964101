//! Accumulates one command part while the splitter reads it.

use super::CommandPart;
use crate::error::ShellSplitError;

/// Output redirection targets that write no file.
const HARMLESS_TARGETS: [&str; 3] = ["/dev/null", "/dev/stdout", "/dev/stderr"];

/// A here-document whose body is still to be read.
pub(super) struct Heredoc {
    pub(super) delimiter: String,
    pub(super) strip_tabs: bool,
    /// A quoted delimiter makes the body plain data; otherwise it may expand substitutions.
    pub(super) literal: bool,
}

/// What the word after a redirection operator means.
#[derive(Debug, Clone, Copy)]
pub(super) enum RedirectKind {
    /// `>`, `>>`, `>|`, `&>`, `&>>`, `<>`: the target file is written.
    Output,
    /// `<`, `<<<`: read only.
    Input,
    /// `>&N`, `<&N`: a descriptor copy, unless the target is a file name.
    Duplicate { output: bool },
    /// `<<WORD`, `<<-WORD`.
    Heredoc { strip_tabs: bool },
}

pub(super) struct PartBuilder {
    start: usize,
    text: String,
    words: Vec<String>,
    word: Option<String>,
    word_quoted: bool,
    output_targets: Vec<String>,
    redirect: Option<(&'static str, RedirectKind)>,
}

impl PartBuilder {
    pub(super) fn new(start: usize) -> PartBuilder {
        PartBuilder {
            start,
            text: String::new(),
            words: Vec::new(),
            word: None,
            word_quoted: false,
            output_targets: Vec::new(),
            redirect: None,
        }
    }

    /// Nothing of the command has been read yet.
    pub(super) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// A word has started and not ended (so `#` is an ordinary character).
    pub(super) fn in_word(&self) -> bool {
        self.word.is_some()
    }

    /// Text that is not part of a word (subshell parentheses, quote marks, backslashes).
    pub(super) fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    pub(super) fn literal(&mut self, c: char) {
        self.text.push(c);
        self.word.get_or_insert_with(String::new).push(c);
    }

    /// Text that goes into the word unchanged (substitutions, `${ … }`).
    pub(super) fn word_text(&mut self, text: &str) {
        self.text.push_str(text);
        self.word.get_or_insert_with(String::new).push_str(text);
    }

    /// A quoted string: `raw` as written, `content` after quote removal.
    pub(super) fn quoted(&mut self, raw: &str, content: &str) {
        self.text.push_str(raw);
        self.word.get_or_insert_with(String::new).push_str(content);
        self.word_quoted = true;
    }

    /// The character after a backslash (the backslash itself is already in the text).
    pub(super) fn escaped(&mut self, c: char, keep_backslash: bool) {
        self.text.push(c);
        let word = self.word.get_or_insert_with(String::new);
        if keep_backslash {
            word.push('\\');
        }
        word.push(c);
        self.word_quoted = true;
    }

    /// Unquoted whitespace: ends the word; the text gets one space.
    pub(super) fn space(&mut self, heredocs: &mut Vec<Heredoc>) {
        self.end_word(heredocs);
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// In `2>file`, the `2` names a descriptor, not an argument.
    pub(super) fn take_descriptor_number(&mut self) {
        let is_number =
            self.word.as_deref().is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        if is_number && !self.word_quoted {
            self.word = None;
        }
    }

    pub(super) fn start_redirect(
        &mut self,
        op: &'static str,
        kind: RedirectKind,
        heredocs: &mut Vec<Heredoc>,
    ) -> Result<(), ShellSplitError> {
        self.end_word(heredocs);
        if let Some((pending, _)) = self.redirect {
            return Err(ShellSplitError::MissingRedirectTarget(pending.to_string()));
        }
        self.text.push_str(op);
        self.redirect = Some((op, kind));
        Ok(())
    }

    fn end_word(&mut self, heredocs: &mut Vec<Heredoc>) {
        let Some(word) = self.word.take() else { return };
        let quoted = std::mem::take(&mut self.word_quoted);
        let Some((_, kind)) = self.redirect.take() else {
            self.words.push(word);
            return;
        };
        match kind {
            RedirectKind::Output if !HARMLESS_TARGETS.contains(&word.as_str()) => {
                self.output_targets.push(word)
            }
            RedirectKind::Duplicate { output: true } if !is_descriptor(&word) => {
                self.output_targets.push(word)
            }
            RedirectKind::Heredoc { strip_tabs } => {
                heredocs.push(Heredoc { delimiter: word, strip_tabs, literal: quoted });
            }
            RedirectKind::Output | RedirectKind::Input | RedirectKind::Duplicate { .. } => {}
        }
    }

    /// The finished part, or `None` when it runs nothing of its own (empty, or only a subshell).
    pub(super) fn finish(
        mut self,
        heredocs: &mut Vec<Heredoc>,
    ) -> Result<Option<CommandPart>, ShellSplitError> {
        self.end_word(heredocs);
        if let Some((op, _)) = self.redirect {
            return Err(ShellSplitError::MissingRedirectTarget(op.to_string()));
        }
        if self.words.is_empty() && self.output_targets.is_empty() {
            return Ok(None);
        }
        Ok(Some(CommandPart {
            text: self.text.trim_end().to_string(),
            words: self.words,
            output_targets: self.output_targets,
            start: self.start,
        }))
    }
}

fn is_descriptor(word: &str) -> bool {
    word == "-" || (!word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
}
