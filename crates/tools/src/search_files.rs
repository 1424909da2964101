//! `search_files`: find files by glob pattern, most recently modified first.

use crate::context::ToolContext;
use crate::input;
use crate::tool::{Tool, ToolResult};
use crate::walk::{StopFlag, collect_parallel, showing, walker};
use async_trait::async_trait;
use claurst_permissions::Access;
use globset::{GlobBuilder, GlobMatcher};
use ignore::WalkState;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// Paths returned at most.
pub const MAX_RESULTS: usize = 100;

pub struct SearchFilesTool {
    context: Arc<ToolContext>,
}

impl SearchFilesTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct SearchInput {
    pattern: String,
    path: Option<String>,
}

#[async_trait]
impl Tool for SearchFilesTool {
    fn name(&self) -> &str {
        "search_files"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Read
    }

    fn summary(&self, _input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::found_files(result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "pattern")
    }

    fn description(&self) -> &str {
        "Find files by name with a glob pattern, such as \"**/*.rs\", \"src/**/mod.rs\" or \"*.{ts,tsx}\". A \
         pattern without a `/` matches file names at any depth (\"*.rs\" is the same as \"**/*.rs\"); one with \
         a `/` matches paths relative to the searched directory, and `*` does not cross `/`. Searches the \
         project root, or `path`. Files ignored by .gitignore and hidden files are skipped. Returns up to 100 \
         paths, most recently modified first. Use grep to search file contents."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "description": "Glob pattern, e.g. \"**/*.rs\" or \"src/**/mod.rs\""},
                "path": {"type": "string", "description": "Directory to search (absolute or relative to the project root); defaults to the project root"}
            },
            "required": ["pattern"],
            "additionalProperties": false
        })
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, input: &Value) -> Access {
        self.context.read_access(input)
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: SearchInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let root = match self.context.directory(self.name(), request.path.as_deref()) {
            Ok(root) => root,
            Err(error) => return error,
        };
        let pattern = match FilePattern::new(&request.pattern, &root) {
            Ok(pattern) => pattern,
            Err(error) => return error,
        };
        let stop = StopFlag::default();
        let _stop_on_drop = stop.on_drop();
        let walk_root = root.clone();
        let skip = self.context.read_filter();
        let found = tokio::task::spawn_blocking(move || find_files(&walk_root, &pattern, &stop, skip)).await;
        match found {
            Ok(found) => self.present(&request.pattern, &root, found),
            Err(error) => ToolResult::error(format!("search_files: the search failed: {error}")),
        }
    }
}

impl SearchFilesTool {
    fn present(&self, pattern: &str, root: &Path, mut found: Vec<(SystemTime, PathBuf)>) -> ToolResult {
        if found.is_empty() {
            let place = match self.context.display(root).as_str() {
                "." => "the project".to_string(),
                other => other.to_string(),
            };
            return ToolResult::ok(format!("No files match `{pattern}` in {place}."));
        }
        let total = found.len();
        // Newest first; the path breaks ties so the order is stable.
        found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut text = String::new();
        for (_, path) in found.iter().take(MAX_RESULTS) {
            text.push_str(&self.context.display(path));
            text.push('\n');
        }
        if total > MAX_RESULTS {
            text.push_str(&showing(
                MAX_RESULTS,
                total,
                "matching files, most recently modified first",
                "use a more specific pattern or path to see the others",
            ));
        }
        ToolResult::ok(text.trim_end().to_string())
    }
}

/// A glob matched against file names (no `/` in the pattern) or paths relative to the search root.
struct FilePattern {
    glob: GlobMatcher,
    by_name: bool,
}

impl FilePattern {
    fn new(raw: &str, root: &Path) -> Result<Self, ToolResult> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ToolResult::error(
                "search_files: the pattern is empty. Pass a glob such as \"**/*.rs\".",
            ));
        }
        let relative = relative_pattern(trimmed, root)?;
        let glob =
            GlobBuilder::new(relative).literal_separator(true).backslash_escape(true).build().map_err(
                |error| {
                    ToolResult::error(format!(
                        "search_files: `{raw}` is not a valid glob: {error}. Use *, **, ?, [abc] and {{a,b}}."
                    ))
                },
            )?;
        Ok(Self { glob: glob.compile_matcher(), by_name: !relative.contains('/') })
    }

    fn matches(&self, root: &Path, path: &Path, name: &std::ffi::OsStr) -> bool {
        if self.by_name {
            self.glob.is_match(name)
        } else {
            path.strip_prefix(root).is_ok_and(|relative| self.glob.is_match(relative))
        }
    }
}

/// The pattern relative to the root: `./` dropped, an absolute pattern under the root made relative.
fn relative_pattern<'a>(pattern: &'a str, root: &Path) -> Result<&'a str, ToolResult> {
    if let Some(rest) = pattern.strip_prefix("./") {
        return Ok(rest);
    }
    if !pattern.starts_with('/') {
        return Ok(pattern);
    }
    let root_text = root.to_string_lossy();
    match pattern.strip_prefix(root_text.as_ref()).and_then(|rest| rest.strip_prefix('/')) {
        Some(rest) => Ok(rest),
        None => Err(ToolResult::error(format!(
            "search_files: the pattern `{pattern}` is absolute but not inside the searched directory {}. Pass \
             the directory as `path` and a relative pattern such as \"**/*.rs\".",
            root.display()
        ))),
    }
}

/// Every matching file with its modification time. Only matches are `stat`ed.
fn find_files(
    root: &Path,
    pattern: &FilePattern,
    stop: &StopFlag,
    skip: Option<crate::context::ReadFilter>,
) -> Vec<(SystemTime, PathBuf)> {
    let builder = walker(root, skip);
    collect_parallel(&builder, stop, || {
        move |entry: ignore::DirEntry, found: &mut Vec<(SystemTime, PathBuf)>| {
            let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
            if is_file && pattern.matches(root, entry.path(), entry.file_name()) {
                let modified = entry
                    .metadata()
                    .ok()
                    .and_then(|meta| meta.modified().ok())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                found.push((modified, entry.into_path()));
            }
            WalkState::Continue
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(raw: &str) -> FilePattern {
        FilePattern::new(raw, Path::new("/p")).unwrap()
    }

    #[test]
    fn names_match_at_any_depth_and_paths_from_the_root() {
        let root = Path::new("/p");
        let check = |raw: &str, path: &str| {
            let path = Path::new(path);
            pattern(raw).matches(root, path, path.file_name().unwrap())
        };
        assert!(check("*.rs", "/p/a/b/c.rs"));
        assert!(check("**/*.rs", "/p/c.rs"));
        assert!(check("src/**/mod.rs", "/p/src/a/b/mod.rs"));
        assert!(check("src/*.rs", "/p/src/lib.rs"));
        assert!(!check("src/*.rs", "/p/src/a/lib.rs"));
        assert!(check("*.{ts,tsx}", "/p/x/y.tsx"));
        assert!(check("/p/src/*.rs", "/p/src/lib.rs"));
        assert!(check("./src/*.rs", "/p/src/lib.rs"));
    }

    #[test]
    fn bad_patterns_are_explained() {
        let root = Path::new("/p");
        assert!(FilePattern::new("a/[b", root).is_err());
        assert!(FilePattern::new("  ", root).is_err());
        let outside = FilePattern::new("/elsewhere/*.rs", root).err().unwrap();
        assert!(outside.output.contains("not inside"), "{}", outside.output);
    }
}
