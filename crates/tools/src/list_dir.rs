//! `list_dir`: a directory's contents as an indented tree, directories first.

use crate::context::ToolContext;
use crate::input;
use crate::tool::{Tool, ToolResult};
use crate::walk::{showing, walker};
use async_trait::async_trait;
use claurst_permissions::Access;
use ignore::overrides::OverrideBuilder;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Entries shown at most; the shallowest are kept so the top of the tree is always visible.
pub const MAX_ENTRIES: usize = 1000;
/// Entries counted at most; past this the total is reported as "at least".
const MAX_COUNTED: usize = 100_000;

pub struct ListDirTool {
    context: Arc<ToolContext>,
}

impl ListDirTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct ListInput {
    path: Option<String>,
    #[serde(default)]
    ignore: Vec<String>,
}

#[async_trait]
impl Tool for ListDirTool {
    fn name(&self) -> &str {
        "list_dir"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Read
    }

    fn summary(&self, _input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::listed(result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "path")
    }

    fn description(&self) -> &str {
        "List a directory recursively as an indented tree (directories first, marked with a trailing /; \
         symbolic links shown as `name -> target` and not followed). Defaults to the project root. Files \
         ignored by .gitignore and the .git directory are left out; other hidden files are shown. Pass \
         `ignore` glob patterns (gitignore syntax, e.g. \"*.log\", \"target/\") to leave out more. At most 1000 \
         entries are shown, shallowest first. Prefer search_files and grep when you know what you are \
         looking for."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "Directory to list (absolute or relative to the project root); defaults to the project root"},
                "ignore": {"type": "array", "items": {"type": "string"}, "description": "Glob patterns of entries to leave out"}
            },
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
        let request: ListInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let root = match self.context.directory(self.name(), request.path.as_deref()) {
            Ok(root) => root,
            Err(error) => return error,
        };
        let walk_root = root.clone();
        let skip = self.context.read_filter();
        let listed = tokio::task::spawn_blocking(move || list(&walk_root, &request.ignore, skip)).await;
        match listed {
            Ok(Ok(listing)) => ToolResult::ok(listing),
            Ok(Err(error)) => error,
            Err(error) => ToolResult::error(format!("list_dir: listing failed: {error}")),
        }
    }
}

/// One entry below the root.
struct Entry {
    relative: PathBuf,
    depth: usize,
    kind: Kind,
}

enum Kind {
    Dir,
    File,
    Link(PathBuf),
}

fn list(
    root: &Path,
    ignore: &[String],
    skip: Option<crate::context::ReadFilter>,
) -> Result<String, ToolResult> {
    let mut builder = walker(root, None);
    // One entry filter per walk: the `.git` exclusion and the deny rules together.
    builder.hidden(false).filter_entry(move |entry| {
        entry.file_name() != ".git" && !skip.as_ref().is_some_and(|skip| skip.denies(entry.path()))
    });
    if !ignore.is_empty() {
        builder.overrides(ignore_overrides(root, ignore)?);
    }
    let mut entries = Vec::new();
    let mut total = 0;
    for entry in builder.build().flatten() {
        if entry.depth() == 0 {
            continue;
        }
        total += 1;
        if total > MAX_COUNTED {
            break;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let kind = match entry.file_type() {
            Some(kind) if kind.is_dir() => Kind::Dir,
            Some(kind) if kind.is_symlink() => {
                Kind::Link(std::fs::read_link(entry.path()).unwrap_or_default())
            }
            _ => Kind::File,
        };
        entries.push(Entry { relative: relative.to_path_buf(), depth: entry.depth(), kind });
    }
    let shown_count = entries.len().min(MAX_ENTRIES);
    if entries.len() > MAX_ENTRIES {
        // The shallowest entries; each one's parent directory is shallower, so it is kept too.
        entries.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.relative.cmp(&b.relative)));
        entries.truncate(MAX_ENTRIES);
    }
    let mut tree = Node::default();
    for entry in entries {
        tree.insert(&entry.relative, entry.kind);
    }
    let mut text = format!("{}/\n", root.display());
    tree.render(1, &mut text);
    if total > shown_count {
        let total = if total > MAX_COUNTED { format!("at least {MAX_COUNTED}") } else { total.to_string() };
        let hint = "list a subdirectory or pass ignore patterns to see more";
        text.push_str(&showing(shown_count, total, "entries", hint));
    } else if shown_count == 0 {
        text.push_str("  (empty, or everything in it is ignored)\n");
    }
    Ok(text.trim_end().to_string())
}

fn ignore_overrides(root: &Path, patterns: &[String]) -> Result<ignore::overrides::Override, ToolResult> {
    let mut builder = OverrideBuilder::new(root);
    for pattern in patterns {
        let pattern = pattern.trim();
        if pattern.is_empty() {
            continue;
        }
        // In an override, `!` marks a glob whose matches are left out.
        let negated = format!("!{}", pattern.trim_start_matches('!'));
        builder.add(&negated).map_err(|error| {
            ToolResult::error(format!(
                "list_dir: the ignore pattern `{pattern}` is not a valid glob: {error}"
            ))
        })?;
    }
    builder.build().map_err(|error| ToolResult::error(format!("list_dir: invalid ignore patterns: {error}")))
}

/// A directory of the tree being printed.
#[derive(Default)]
struct Node {
    dirs: BTreeMap<OsString, Node>,
    files: BTreeMap<OsString, Option<PathBuf>>,
}

impl Node {
    fn insert(&mut self, relative: &Path, kind: Kind) {
        let mut node = self;
        let mut components = relative.iter().peekable();
        while let Some(name) = components.next() {
            if components.peek().is_none() {
                match kind {
                    Kind::Dir => {
                        node.dirs.entry(name.to_os_string()).or_default();
                    }
                    Kind::File => {
                        node.files.insert(name.to_os_string(), None);
                    }
                    Kind::Link(target) => {
                        node.files.insert(name.to_os_string(), Some(target));
                    }
                }
                return;
            }
            node = node.dirs.entry(name.to_os_string()).or_default();
        }
    }

    fn render(&self, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        for (name, child) in &self.dirs {
            out.push_str(&format!("{indent}{}/\n", name.to_string_lossy()));
            child.render(depth + 1, out);
        }
        for (name, link) in &self.files {
            match link {
                Some(target) => {
                    out.push_str(&format!("{indent}{} -> {}\n", name.to_string_lossy(), target.display()))
                }
                None => out.push_str(&format!("{indent}{}\n", name.to_string_lossy())),
            }
        }
    }
}
