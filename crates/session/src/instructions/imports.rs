//! `@path` imports inside instruction files.
//!
//! An import is a token that starts with `@` at the beginning of a line or after whitespace and runs to the
//! next whitespace, outside fenced code blocks and inline code spans. Trailing punctuation (`.,;:!?` and
//! closing brackets or quotes) is not part of the path. The path is relative to the importing file's
//! directory; `~/` means the home directory and absolute paths are used as they are.
//!
//! When the path names a file, the token is replaced by that file's text, itself expanded, up to
//! [`MAX_IMPORT_DEPTH`] levels below the discovered file. A token naming no file is left as written (it may
//! be a handle such as `@alice`), with a warning when it looks like a path (contains `/` or `.`). An import
//! that would loop (a file importing one of the files that imported it) or nest too deeply is replaced by a
//! bracketed note saying why, and a warning.

use super::{MAX_IMPORT_DEPTH, read_instruction_file};
use std::path::{Path, PathBuf};

/// Characters that end a sentence or close a bracket after an import path rather than belonging to it.
const TRAILING_PUNCTUATION: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\''];

/// The state of expanding one discovered file and everything it imports.
pub(super) struct Expansion<'a> {
    home: &'a Path,
    warnings: &'a mut Vec<String>,
    /// Canonical paths of the files being expanded, outermost first: an import of one of them is a cycle.
    chain: Vec<PathBuf>,
    imports: Vec<PathBuf>,
}

impl<'a> Expansion<'a> {
    pub(super) fn new(home: &'a Path, warnings: &'a mut Vec<String>) -> Self {
        Self { home, warnings, chain: Vec::new(), imports: Vec::new() }
    }

    /// Expand the discovered file at `path` (canonically `canonical`) whose text is `text`.
    pub(super) fn expand_file(&mut self, path: &Path, canonical: PathBuf, text: &str) -> String {
        self.chain.push(canonical);
        let expanded = self.expand(path, text);
        self.chain.pop();
        expanded
    }

    pub(super) fn into_imports(self) -> Vec<PathBuf> {
        self.imports
    }

    /// The nesting level of the file being expanded: 0 for the discovered file.
    fn depth(&self) -> usize {
        self.chain.len().saturating_sub(1)
    }

    fn expand(&mut self, path: &Path, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut fence: Option<Fence> = None;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            if let Some(marker) = Fence::opening(line) {
                fence = match fence {
                    None => Some(marker),
                    Some(open) if open.closes_with(line) => None,
                    still_open => still_open,
                };
                out.push_str(line);
            } else if fence.is_some() {
                out.push_str(line);
            } else {
                self.expand_line(path, index + 1, line, &mut out);
            }
        }
        out
    }

    fn expand_line(&mut self, path: &Path, line_number: usize, line: &str, out: &mut String) {
        let bytes = line.as_bytes();
        let mut copied = 0;
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'`' => at = skip_code_span(bytes, at),
                b'@' if at == 0 || bytes[at - 1].is_ascii_whitespace() => {
                    let end = bytes[at..]
                        .iter()
                        .position(u8::is_ascii_whitespace)
                        .map_or(bytes.len(), |offset| at + offset);
                    // `@` and whitespace are ASCII, so `at + 1` and `end` are character boundaries.
                    let token = line[at + 1..end].trim_end_matches(TRAILING_PUNCTUATION);
                    if let Some(replacement) = self.import(path, line_number, token) {
                        out.push_str(&line[copied..at]);
                        out.push_str(&replacement);
                        copied = at + 1 + token.len();
                    }
                    at = end;
                }
                _ => at += 1,
            }
        }
        out.push_str(&line[copied..]);
    }

    /// The text replacing `@token`, or `None` to leave the token as written.
    fn import(&mut self, importer: &Path, line: usize, token: &str) -> Option<String> {
        if token.is_empty() {
            return None;
        }
        let target = self.resolve(importer, token);
        let place = format!("{}:{line}", importer.display());
        if !target.is_file() {
            if token.contains('/') || token.contains('.') {
                self.warnings
                    .push(format!("{place}: @{token} was not imported: {} is not a file", target.display()));
            }
            return None;
        }
        let canonical = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
        if self.chain.contains(&canonical) {
            let cycle = self.cycle_description(&canonical);
            self.warnings.push(format!("{place}: @{token} was not imported: it would loop ({cycle})"));
            return Some(format!("[@{token} not imported: it would import itself in a loop]"));
        }
        if self.depth() >= MAX_IMPORT_DEPTH {
            self.warnings.push(format!(
                "{place}: @{token} was not imported: imports may nest only {MAX_IMPORT_DEPTH} levels deep"
            ));
            return Some(format!(
                "[@{token} not imported: imports nest more than {MAX_IMPORT_DEPTH} levels deep]"
            ));
        }
        let Some(text) = read_instruction_file(&target, self.warnings) else {
            return Some(format!("[@{token} not imported: the file cannot be read]"));
        };
        self.imports.push(canonical.clone());
        self.chain.push(canonical);
        let expanded = self.expand(&target, &text);
        self.chain.pop();
        Some(expanded.trim_end_matches(['\n', '\r']).to_string())
    }

    fn resolve(&self, importer: &Path, token: &str) -> PathBuf {
        if let Some(rest) = token.strip_prefix("~/") {
            return self.home.join(rest);
        }
        let base = importer.parent().unwrap_or(Path::new(""));
        base.join(token)
    }

    /// `a.md → b.md → a.md`, by file name, from where the loop starts.
    fn cycle_description(&self, again: &Path) -> String {
        let name = |path: &Path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        };
        let start = self.chain.iter().position(|path| path == again).unwrap_or(0);
        let mut names: Vec<String> = self.chain[start..].iter().map(|path| name(path)).collect();
        names.push(name(again));
        names.join(" → ")
    }
}

/// A fenced code block's opening: the fence character and how many of it.
#[derive(Debug, Clone, Copy)]
struct Fence {
    marker: u8,
    count: usize,
}

impl Fence {
    /// The fence a line opens or closes: up to three spaces, then three or more backticks or tildes.
    fn opening(line: &str) -> Option<Fence> {
        let indented = line.len() - line.trim_start_matches(' ').len();
        if indented > 3 {
            return None;
        }
        let rest = &line.as_bytes()[indented..];
        let marker = *rest.first()?;
        if marker != b'`' && marker != b'~' {
            return None;
        }
        let count = rest.iter().take_while(|byte| **byte == marker).count();
        (count >= 3).then_some(Fence { marker, count })
    }

    /// Whether `line` closes this fence: the same character, at least as many, and nothing after.
    fn closes_with(&self, line: &str) -> bool {
        let trimmed = line.trim();
        let count = trimmed.bytes().take_while(|byte| *byte == self.marker).count();
        count >= self.count && count == trimmed.len()
    }
}

/// Past the code span starting at the backtick run at `start`, or past the run alone when it is not closed
/// on this line (an unmatched run of backticks is literal text).
fn skip_code_span(bytes: &[u8], start: usize) -> usize {
    let run = bytes[start..].iter().take_while(|byte| **byte == b'`').count();
    let mut at = start + run;
    while at < bytes.len() {
        if bytes[at] == b'`' {
            let closing = bytes[at..].iter().take_while(|byte| **byte == b'`').count();
            if closing == run {
                return at + closing;
            }
            at += closing;
        } else {
            at += 1;
        }
    }
    start + run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_open_with_three_marks_and_close_with_as_many() {
        let open = Fence::opening("```rust\n").unwrap();
        assert!(open.closes_with("```\n"));
        assert!(open.closes_with("   ````  \n"));
        assert!(!open.closes_with("``\n"));
        assert!(!open.closes_with("```rust\n"), "a closing fence has no info string");
        assert!(!open.closes_with("~~~\n"));
        assert!(Fence::opening("    ```\n").is_none(), "four spaces make an indented code line");
        assert!(Fence::opening("``x\n").is_none());
    }

    #[test]
    fn code_spans_need_a_closing_run_of_the_same_length() {
        assert_eq!(skip_code_span(b"`a` b", 0), 3);
        assert_eq!(skip_code_span(b"``a`b`` c", 0), 7);
        assert_eq!(skip_code_span(b"``a` c", 0), 2, "unclosed: only the run is skipped");
    }

    #[test]
    fn tokens_are_expanded_in_place_keeping_punctuation() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.md"), "X\n").unwrap();
        let file = dir.path().join("CLAURST.md");
        let mut warnings = Vec::new();
        let mut expansion = Expansion::new(dir.path(), &mut warnings);
        let text = "@x.md, (@x.md) a@x.md\t@x.md!\n";
        let expanded = expansion.expand_file(&file, file.clone(), text);
        assert_eq!(expanded, "X, (@x.md) a@x.md\tX!\n", "an import must start a word");
        assert_eq!(expansion.into_imports().len(), 2);
        assert!(warnings.is_empty());
    }
}
