//! Reading a shell command line into the simple commands it would run, with a real bash grammar.
//!
//! The line is parsed with tree-sitter-bash. Every node kind is either decoded exactly (words, quotes,
//! `$'…'`, brace expansion, pipelines and lists, subshells, substitutions, redirections, here-documents,
//! assignments) or makes the whole line unreadable, and the engine then asks. The list of understood
//! kinds is an allow-list: a kind the grammar gains later asks until someone decodes it here.

mod decode;
mod forms;
mod parse;
#[cfg(test)]
mod tests;

use crate::error::ShellSplitError;
pub(crate) use forms::{fallback_forms, match_forms};

/// How deeply subshells and substitutions may nest before the line asks.
const MAX_DEPTH: usize = 32;
/// How long a command line may be before it asks (the grammar's work grows with it).
const MAX_LINE_BYTES: usize = 64 * 1024;

/// One simple command of a command line, such as `git diff` in `git diff | head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPart {
    text: String,
    words: Vec<String>,
    /// How many of the words hold an expansion whose value is unknown here (`$x`, `$(…)`).
    unknown_words: usize,
    output_targets: Vec<String>,
    input_files: Vec<String>,
    directory_changes: Vec<DirectoryChange>,
    start: usize,
}

/// A `cd` that ran before a part in the same shell, so that the part's relative paths may be relative
/// to where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryChange {
    /// `cd` alone: the home directory.
    Home,
    /// `cd DIR`.
    To(String),
    /// `cd -`, `cd $VAR`, `cd` with options or several operands: somewhere the check cannot know.
    Unknown,
}

impl CommandPart {
    /// The command as written, words separated by single spaces. Nested substitutions stay in place
    /// here (`echo $(date)`) and are also parts of their own.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The words the program receives: quotes removed, `$'…'` decoded, braces expanded, redirections
    /// left out (`["git", "commit", "-m", "a b"]`). Expansions such as `$x` keep their `$`.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether some word's value depends on an expansion (`$x`, `$(…)`): the program may receive
    /// anything there, options included.
    pub fn has_unknown_words(&self) -> bool {
        self.unknown_words > 0
    }

    /// Files an output redirection writes (`>`, `>>`, `&>`, `>|`, `<>`, `2>file`), every brace
    /// alternative. Redirections to `/dev/null`, `/dev/stdout`, `/dev/stderr` and descriptor
    /// duplications such as `2>&1` are not listed.
    pub fn output_targets(&self) -> &[String] {
        &self.output_targets
    }

    /// Files an input redirection reads (`< FILE`, `<& FILE`).
    pub fn input_files(&self) -> &[String] {
        &self.input_files
    }

    /// Whether the part writes a file through a redirection.
    pub fn writes_files(&self) -> bool {
        !self.output_targets.is_empty()
    }

    /// The `cd` commands that may have run before this part in the same shell, in order.
    pub fn directory_changes(&self) -> &[DirectoryChange] {
        &self.directory_changes
    }
}

/// Splits `command` into its simple commands, in the order they appear.
///
/// Parts are the commands of lists and pipelines (`&&`, `||`, `;`, `|`, `|&`, `&`, newlines); the
/// contents of subshells `( … )`, groups `{ …; }`, command substitutions `$( … )` and backticks, and
/// process substitutions `<( … )`/`>( … )` are parts of their own. Anything the check does not decode
/// exactly (control flow, functions, arithmetic, `[[ … ]]`, parameter operators, syntax errors) is an
/// error.
pub fn split_shell_command(command: &str) -> Result<Vec<CommandPart>, ShellSplitError> {
    if command.len() > MAX_LINE_BYTES {
        return Err(ShellSplitError::Unsupported("a command line over 64 KiB".into()));
    }
    let mut parts = parse::parse(command)?;
    parts.sort_by_key(|part| part.start);
    Ok(parts)
}
