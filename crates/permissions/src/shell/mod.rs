//! Splitting a shell command line into the simple commands it would run.
//!
//! The splitter is deliberately conservative: it understands quoting, escapes, separators, pipes, subshells,
//! command and process substitution, redirections and here-documents. What it cannot read with certainty is
//! an error, and the engine then asks rather than allows. Splitting too finely is safe (every part must be
//! allowed); splitting too coarsely would not be, so any construct that could hide a command is refused.

mod builder;
mod forms;
#[cfg(test)]
mod tests;

use crate::error::{Construct, ShellSplitError};
use builder::{Heredoc, PartBuilder, RedirectKind};
pub(crate) use forms::match_forms;

/// How deeply subshells and substitutions may nest before the splitter gives up.
const MAX_DEPTH: usize = 32;

/// One simple command of a command line, such as `git diff` in `git diff | head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPart {
    text: String,
    words: Vec<String>,
    output_targets: Vec<String>,
    start: usize,
}

impl CommandPart {
    /// The command as written, with unquoted whitespace collapsed to single spaces. Nested substitutions
    /// stay in place here (`echo $(date)`) and are also parts of their own.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The words after quote removal, without redirections (`["git", "commit", "-m", "a b"]`).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Files an output redirection writes (`>`, `>>`, `&>`, `>|`, `<>`, `2>file`). Redirections to
    /// `/dev/null`, `/dev/stdout`, `/dev/stderr` and descriptor duplications such as `2>&1` are not listed.
    pub fn output_targets(&self) -> &[String] {
        &self.output_targets
    }

    /// Whether the part writes a file through a redirection.
    pub fn writes_files(&self) -> bool {
        !self.output_targets.is_empty()
    }
}

/// Splits `command` into its simple commands, in the order they appear.
///
/// Parts are separated by `&&`, `||`, `;`, `|`, `|&`, `&` and newlines; the contents of subshells `( … )`,
/// command substitutions `$( … )` and backticks, and process substitutions `<( … )`/`>( … )` are parts of
/// their own. Quotes and backslash escapes are respected; `# comments` are dropped.
pub fn split_shell_command(command: &str) -> Result<Vec<CommandPart>, ShellSplitError> {
    let mut splitter = Splitter {
        chars: command.chars().collect(),
        pos: 0,
        parts: Vec::new(),
        heredocs: Vec::new(),
        backtick_depth: 0,
    };
    splitter.list(Closer::End, 0)?;
    if let Some(heredoc) = splitter.heredocs.first() {
        return Err(ShellSplitError::UnterminatedHeredoc(heredoc.delimiter.clone()));
    }
    let mut parts = splitter.parts;
    parts.sort_by_key(|part| part.start);
    Ok(parts)
}

/// What ends the command list being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closer {
    End,
    Paren(Construct),
    Backtick,
}

struct Splitter {
    chars: Vec<char>,
    pos: usize,
    parts: Vec<CommandPart>,
    /// Here-documents whose bodies start after the next newline.
    heredocs: Vec<Heredoc>,
    backtick_depth: usize,
}

impl Splitter {
    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn raw(&self, from: usize) -> String {
        self.chars[from..self.pos].iter().collect()
    }

    fn finish(&mut self, part: PartBuilder) -> Result<(), ShellSplitError> {
        if let Some(part) = part.finish(&mut self.heredocs)? {
            self.parts.push(part);
        }
        Ok(())
    }

    /// Reads commands until `closer` (consumed) or the end of input.
    fn list(&mut self, closer: Closer, depth: usize) -> Result<(), ShellSplitError> {
        if depth > MAX_DEPTH {
            return Err(ShellSplitError::TooDeep(MAX_DEPTH));
        }
        let mut part = PartBuilder::new(self.pos);
        while let Some(c) = self.peek_at(0) {
            let next = self.peek_at(1);
            match c {
                ')' | '`' if closer_char(closer) == Some(c) => {
                    self.pos += 1;
                    return self.finish(part);
                }
                ')' => return Err(ShellSplitError::UnexpectedToken(')')),
                ' ' | '\t' => {
                    self.pos += 1;
                    part.space(&mut self.heredocs);
                }
                ';' | '\n' | '&' | '|' => {
                    if c == '&' && next == Some('>') {
                        self.redirect(&mut part)?;
                        continue;
                    }
                    let doubled =
                        matches!((c, next), ('&', Some('&')) | ('|', Some('|' | '&')) | (';', Some(';')));
                    self.pos += if doubled { 2 } else { 1 };
                    self.finish(std::mem::replace(&mut part, PartBuilder::new(self.pos)))?;
                    if c == '\n' {
                        self.heredoc_bodies()?;
                    }
                }
                '<' | '>' if next == Some('(') => {
                    self.substitution(&mut part, 2, Construct::Substitution, depth)?
                }
                '<' | '>' => self.redirect(&mut part)?,
                '(' if part.is_empty() => self.subshell(&mut part, depth)?,
                '(' => return Err(ShellSplitError::UnexpectedToken('(')),
                '$' if next == Some('(') => {
                    self.substitution(&mut part, 2, Construct::Substitution, depth)?
                }
                '$' if next == Some('{') => self.parameter(&mut part)?,
                '$' if next == Some('\'') => self.ansi_c_quoted(&mut part)?,
                '`' => self.substitution(&mut part, 1, Construct::Backticks, depth)?,
                '\'' => self.single_quoted(&mut part)?,
                '"' => self.double_quoted(&mut part, depth)?,
                '\\' => self.escape(&mut part, false)?,
                '#' if !part.in_word() => self.comment(),
                _ => {
                    self.pos += 1;
                    part.literal(c);
                }
            }
        }
        match closer {
            Closer::End => self.finish(part),
            Closer::Paren(construct) => Err(ShellSplitError::Unclosed(construct)),
            Closer::Backtick => Err(ShellSplitError::Unclosed(Construct::Backticks)),
        }
    }

    /// `( … )` at the start of a command: its contents are parts of their own.
    fn subshell(&mut self, part: &mut PartBuilder, depth: usize) -> Result<(), ShellSplitError> {
        let start = self.pos;
        self.pos += 1;
        self.list(Closer::Paren(Construct::Subshell), depth + 1)?;
        part.raw(&self.raw(start));
        Ok(())
    }

    /// `$( … )`, `<( … )`, `>( … )` or backticks: the inner commands are parts; the outer word keeps the text.
    fn substitution(
        &mut self,
        part: &mut PartBuilder,
        opener_len: usize,
        construct: Construct,
        depth: usize,
    ) -> Result<(), ShellSplitError> {
        let start = self.pos;
        self.pos += opener_len;
        if construct == Construct::Backticks {
            self.backtick_depth += 1;
            self.list(Closer::Backtick, depth + 1)?;
            self.backtick_depth -= 1;
        } else {
            self.list(Closer::Paren(construct), depth + 1)?;
        }
        part.word_text(&self.raw(start));
        Ok(())
    }

    /// `${ … }`: kept as one word; a substitution inside it is refused rather than parsed.
    fn parameter(&mut self, part: &mut PartBuilder) -> Result<(), ShellSplitError> {
        let start = self.pos;
        self.pos += 2;
        let mut open = 1;
        while open > 0 {
            match self.peek_at(0) {
                None => return Err(ShellSplitError::Unclosed(Construct::Parameter)),
                Some('$' | '`' | '\'' | '"' | '\\') => {
                    return Err(ShellSplitError::Unsupported("quoting or substitution inside `${ … }`"));
                }
                Some('{') => open += 1,
                Some('}') => open -= 1,
                Some(_) => {}
            }
            self.pos += 1;
        }
        part.word_text(&self.raw(start));
        Ok(())
    }

    fn single_quoted(&mut self, part: &mut PartBuilder) -> Result<(), ShellSplitError> {
        let start = self.pos;
        self.pos += 1;
        let mut content = String::new();
        loop {
            match self.peek_at(0) {
                None => return Err(ShellSplitError::UnclosedQuote('\'')),
                Some('\'') => break,
                Some(c) => content.push(c),
            }
            self.pos += 1;
        }
        self.pos += 1;
        self.refuse_backtick_in_quotes(&content)?;
        part.quoted(&self.raw(start), &content);
        Ok(())
    }

    /// Inside backticks the shell ends the substitution at the first backtick even within quotes; rather
    /// than model that, such input is refused.
    fn refuse_backtick_in_quotes(&self, content: &str) -> Result<(), ShellSplitError> {
        if self.backtick_depth > 0 && content.contains('`') {
            return Err(ShellSplitError::Unsupported("backticks inside quotes inside backticks"));
        }
        Ok(())
    }

    /// `$'…'`: like single quotes, except that a backslash escapes the next character (including `'`).
    fn ansi_c_quoted(&mut self, part: &mut PartBuilder) -> Result<(), ShellSplitError> {
        let start = self.pos;
        self.pos += 2;
        let mut content = String::new();
        loop {
            match self.peek_at(0) {
                None => return Err(ShellSplitError::UnclosedQuote('\'')),
                Some('\'') => break,
                Some('\\') => {
                    content.push('\\');
                    self.pos += 1;
                    let escaped = self.peek_at(0).ok_or(ShellSplitError::UnclosedQuote('\''))?;
                    content.push(escaped);
                }
                Some(c) => content.push(c),
            }
            self.pos += 1;
        }
        self.pos += 1;
        self.refuse_backtick_in_quotes(&content)?;
        part.quoted(&self.raw(start), &content);
        Ok(())
    }

    fn double_quoted(&mut self, part: &mut PartBuilder, depth: usize) -> Result<(), ShellSplitError> {
        part.raw("\"");
        part.quoted("", "");
        self.pos += 1;
        loop {
            match (self.peek_at(0), self.peek_at(1)) {
                (None, _) => return Err(ShellSplitError::UnclosedQuote('"')),
                (Some('"'), _) => break,
                (Some('\\'), _) => self.escape(part, true)?,
                (Some('$'), Some('(')) => self.substitution(part, 2, Construct::Substitution, depth)?,
                (Some('$'), Some('{')) => self.parameter(part)?,
                (Some('`'), _) if self.backtick_depth > 0 => {
                    return Err(ShellSplitError::Unsupported("backticks inside quotes inside backticks"));
                }
                (Some('`'), _) => self.substitution(part, 1, Construct::Backticks, depth)?,
                (Some(c), _) => {
                    self.pos += 1;
                    part.literal(c);
                }
            }
        }
        self.pos += 1;
        part.raw("\"");
        Ok(())
    }

    /// A backslash: a line continuation, or an escape of the next character.
    fn escape(&mut self, part: &mut PartBuilder, in_double_quotes: bool) -> Result<(), ShellSplitError> {
        match self.peek_at(1) {
            Some('\n') => self.pos += 2,
            // Inside backticks, an escaped backtick opens a nested substitution; refuse rather than guess.
            Some('`') if self.backtick_depth > 0 => {
                return Err(ShellSplitError::Unsupported("nested backticks"));
            }
            Some(c) => {
                self.pos += 2;
                part.raw("\\");
                let keeps_backslash = in_double_quotes && !matches!(c, '$' | '`' | '"' | '\\');
                part.escaped(c, keeps_backslash);
            }
            None => {
                self.pos += 1;
                part.literal('\\');
            }
        }
        Ok(())
    }

    fn comment(&mut self) {
        while self.peek_at(0).is_some_and(|c| c != '\n') {
            self.pos += 1;
        }
    }

    /// A redirection operator; its target is the next word.
    fn redirect(&mut self, part: &mut PartBuilder) -> Result<(), ShellSplitError> {
        const OPERATORS: [&str; 12] =
            ["&>>", "<<<", "<<-", "&>", ">>", ">|", ">&", "<<", "<>", "<&", ">", "<"];
        part.take_descriptor_number();
        let rest: String = self.chars[self.pos..].iter().take(3).collect();
        let op = OPERATORS.iter().find(|op| rest.starts_with(**op)).copied().unwrap_or(">");
        self.pos += op.chars().count();
        let kind = match op {
            "<<" => RedirectKind::Heredoc { strip_tabs: false },
            "<<-" => RedirectKind::Heredoc { strip_tabs: true },
            "<<<" | "<" => RedirectKind::Input,
            ">&" => RedirectKind::Duplicate { output: true },
            "<&" => RedirectKind::Duplicate { output: false },
            _ => RedirectKind::Output,
        };
        part.start_redirect(op, kind, &mut self.heredocs)
    }

    /// After a newline, the bodies of pending here-documents: data, not commands, unless they expand.
    fn heredoc_bodies(&mut self) -> Result<(), ShellSplitError> {
        for heredoc in std::mem::take(&mut self.heredocs) {
            loop {
                if self.pos >= self.chars.len() {
                    return Err(ShellSplitError::UnterminatedHeredoc(heredoc.delimiter));
                }
                let start = self.pos;
                while self.peek_at(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line = self.raw(start);
                self.pos += 1;
                let line = if heredoc.strip_tabs { line.trim_start_matches('\t') } else { &line };
                if line == heredoc.delimiter {
                    break;
                }
                if !heredoc.literal && (line.contains("$(") || line.contains('`') || line.contains("${")) {
                    return Err(ShellSplitError::Unsupported("substitution inside a here-document"));
                }
            }
        }
        Ok(())
    }
}

fn closer_char(closer: Closer) -> Option<char> {
    match closer {
        Closer::End => None,
        Closer::Paren(_) => Some(')'),
        Closer::Backtick => Some('`'),
    }
}
