//! The `grep` tool's input, checked and turned into a matcher, a searcher and a walker.

use crate::context::ToolContext;
use crate::tool::ToolResult;
use crate::walk::walker;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{BinaryDetection, Searcher, SearcherBuilder};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use ignore::types::TypesBuilder;
use serde::Deserialize;
use std::path::PathBuf;

/// Context lines allowed before or after a match; more is a request for the whole file (use read_file).
const MAX_CONTEXT: usize = 100;

/// What the model asked for, as it wrote it.
#[derive(Debug, Deserialize)]
pub(crate) struct GrepInput {
    pattern: String,
    path: Option<String>,
    glob: Option<String>,
    #[serde(rename = "type")]
    file_type: Option<String>,
    #[serde(default)]
    output_mode: OutputMode,
    #[serde(rename = "-i", default)]
    case_insensitive: bool,
    #[serde(rename = "-n")]
    line_numbers: Option<bool>,
    #[serde(rename = "-A")]
    after: Option<usize>,
    #[serde(rename = "-B")]
    before: Option<usize>,
    #[serde(rename = "-C")]
    context: Option<usize>,
    #[serde(default)]
    multiline: bool,
    head_limit: Option<usize>,
}

/// What `grep` prints, as `rg` would.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum OutputMode {
    /// `path:line:text`, context lines as `path-line-text`, `--` between groups (`rg -n`).
    Content,
    /// One path per file with a match (`rg -l`).
    #[default]
    FilesWithMatches,
    /// `path:N`, the number of matching lines (`rg -c`).
    Count,
}

/// A checked search, ready to run.
#[derive(Debug)]
pub(crate) struct GrepRequest {
    /// The directory (or file) searched, absolute.
    pub root: PathBuf,
    /// Stripped from result paths, so they read as the model would write them.
    pub project_root: PathBuf,
    pub matcher: RegexMatcher,
    pub mode: OutputMode,
    pub line_numbers: bool,
    pub before: usize,
    pub after: usize,
    pub multiline: bool,
    pub head_limit: Option<usize>,
    glob: Option<String>,
    file_type: Option<String>,
    /// Paths a deny rule forbids to read.
    pub skip: Option<crate::context::ReadFilter>,
}

impl GrepInput {
    pub fn check(self, context: &ToolContext) -> Result<GrepRequest, ToolResult> {
        let root = context.resolve(self.path.as_deref().unwrap_or("."));
        if !root.exists() {
            return Err(ToolResult::error(format!(
                "grep: {} does not exist. Pass an existing file or directory as `path`, or leave it out to \
                 search the project.",
                context.display(&root)
            )));
        }
        let before = self.before.or(self.context).unwrap_or(0);
        let after = self.after.or(self.context).unwrap_or(0);
        if before > MAX_CONTEXT || after > MAX_CONTEXT {
            return Err(ToolResult::error(format!(
                "grep: at most {MAX_CONTEXT} context lines can be asked for; use read_file to see more of a file."
            )));
        }
        if self.head_limit == Some(0) {
            return Err(ToolResult::error(
                "grep: head_limit must be at least 1 (leave it out for no limit).",
            ));
        }
        let contextual = self.output_mode == OutputMode::Content;
        Ok(GrepRequest {
            matcher: matcher(&self.pattern, self.case_insensitive, self.multiline)?,
            project_root: context.project_root().to_path_buf(),
            root,
            mode: self.output_mode,
            line_numbers: self.line_numbers.unwrap_or(true),
            before: if contextual { before } else { 0 },
            after: if contextual { after } else { 0 },
            multiline: self.multiline,
            head_limit: self.head_limit,
            glob: self.glob.filter(|glob| !glob.trim().is_empty()),
            file_type: self.file_type.filter(|kind| !kind.trim().is_empty()),
            skip: context.read_filter(),
        })
    }
}

/// A regex matcher configured like `rg`'s: `^`/`$` match at line ends, and without `multiline` a match
/// never spans a line break (which also lets the searcher skip non-matching lines fast).
fn matcher(pattern: &str, case_insensitive: bool, multiline: bool) -> Result<RegexMatcher, ToolResult> {
    let mut builder = RegexMatcherBuilder::new();
    builder.case_insensitive(case_insensitive).multi_line(true).octal(false);
    if multiline {
        builder.dot_matches_new_line(true);
    } else {
        builder.line_terminator(Some(b'\n'));
    }
    builder.build(pattern).map_err(|error| {
        ToolResult::error(format!(
            "grep: `{pattern}` is not a valid regular expression (Rust regex syntax, like ripgrep): {error}. \
             Escape special characters such as ( [ {{ . * + ? with a backslash to match them literally."
        ))
    })
}

impl GrepRequest {
    /// A searcher for one thread. Lines are counted only when they are printed (counting costs time), and
    /// binary files are skipped, as `rg` skips them.
    pub fn searcher(&self) -> Searcher {
        SearcherBuilder::new()
            .line_number(self.mode == OutputMode::Content && self.line_numbers)
            .multi_line(self.multiline)
            .before_context(self.before)
            .after_context(self.after)
            .binary_detection(BinaryDetection::quit(b'\x00'))
            .build()
    }

    /// The walk over `root`, filtered by `glob` and `type`.
    pub fn walker(&self) -> Result<WalkBuilder, ToolResult> {
        let mut builder = walker(&self.root, self.skip.clone());
        if let Some(glob) = &self.glob {
            let mut overrides = OverrideBuilder::new(&self.root);
            overrides.add(glob).map_err(|error| {
                ToolResult::error(format!(
                    "grep: `{glob}` is not a valid glob: {error}. Use a pattern like \"*.rs\" or \"*.{{ts,tsx}}\"."
                ))
            })?;
            let overrides = overrides
                .build()
                .map_err(|error| ToolResult::error(format!("grep: invalid glob `{glob}`: {error}")))?;
            builder.overrides(overrides);
        }
        if let Some(kind) = &self.file_type {
            let mut types = TypesBuilder::new();
            types.add_defaults();
            types.select(kind.trim());
            let types = types.build().map_err(|_| {
                ToolResult::error(format!(
                    "grep: unknown file type `{kind}`. Use ripgrep's type names, such as rust, py, js, ts, go, \
                     java, c, cpp, md, json, toml, yaml, html, css, sh; or filter with `glob` instead."
                ))
            })?;
            builder.types(types);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn check(input: serde_json::Value) -> Result<GrepRequest, ToolResult> {
        let dir = std::env::temp_dir();
        let context = ToolContext::new(&dir, &dir, Duration::from_secs(1));
        serde_json::from_value::<GrepInput>(input).unwrap().check(&context)
    }

    #[test]
    fn defaults_and_context_flags() {
        let request = check(json!({"pattern": "x"})).unwrap();
        assert_eq!(request.mode, OutputMode::FilesWithMatches);
        assert!(request.line_numbers);
        assert_eq!((request.before, request.after), (0, 0));
        let request = check(json!({"pattern": "x", "output_mode": "content", "-C": 2, "-A": 5})).unwrap();
        assert_eq!((request.before, request.after), (2, 5));
        let counted = check(json!({"pattern": "x", "output_mode": "count", "-C": 2})).unwrap();
        assert_eq!((counted.before, counted.after), (0, 0));
    }

    #[test]
    fn bad_input_is_explained() {
        let regex = check(json!({"pattern": "fn ("})).unwrap_err();
        assert!(regex.output.contains("not a valid regular expression"), "{}", regex.output);
        let kind = check(json!({"pattern": "x", "type": "rustt"})).unwrap().walker().err().unwrap();
        assert!(kind.output.contains("unknown file type `rustt`"), "{}", kind.output);
        let glob = check(json!({"pattern": "x", "glob": "a[b"})).unwrap().walker().err().unwrap();
        assert!(glob.output.contains("not a valid glob"), "{}", glob.output);
        let context = check(json!({"pattern": "x", "-C": 1000})).unwrap_err();
        assert!(context.output.contains("at most"), "{}", context.output);
        let missing = check(json!({"pattern": "x", "path": "/definitely/not/here"})).unwrap_err();
        assert!(missing.output.contains("does not exist"), "{}", missing.output);
    }
}
