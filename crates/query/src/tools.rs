//! The memory tools: read, write, append to, list and delete files of the memory directory, and nothing else.
//!
//! Permissions: the memory directory is Claurst's own state, not the user's project, so these tools do not go
//! through path rules. Reading and listing report `Access::Other { effect: ReadOnly }` (allowed everywhere,
//! plan mode included). Writing, appending and deleting report `Access::Other { effect: Mutating }`; sessions
//! add [`MEMORY_ALLOW_RULES`] to their allow list so that saving a memory never needs approval (plan mode,
//! being read-only, still refuses it). Confinement is the tools' own job (see `confine`).
//!
//! File operations are synchronous and inline: memory files are small (writes are capped at
//! [`MAX_WRITE_BYTES`]), and an operation that finishes within the poll cannot land after a cancelled dream
//! restored its snapshot, as a write handed to a blocking thread could.

use crate::confine::{self, MemoryPath, Purpose};
use crate::error::MemoryError;
use crate::lock::{DreamLock, LockState};
use crate::store::{INDEX_FILE, INDEX_LINE_LIMIT, MemoryStore, format_listing, is_not_found, read_text};
use async_trait::async_trait;
use claurst_tools::{Tool, ToolResult};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use time::OffsetDateTime;

/// Every memory tool's name.
pub const MEMORY_TOOL_NAMES: [&str; 5] =
    ["memory_list", "memory_read", "memory_write", "memory_append", "memory_delete"];
/// Allow rules that let a session change its memory without asking.
pub const MEMORY_ALLOW_RULES: [&str; 3] = ["memory_write", "memory_append", "memory_delete"];
/// What a saved memory's result starts with, for front-ends that show a confirmation.
pub const SAVED_PREFIX: &str = "Saved to memory: ";
/// The largest content one write or append accepts.
pub const MAX_WRITE_BYTES: usize = 64 * 1024;
/// Characters of a file `memory_read` returns.
const MAX_READ_CHARS: usize = 100_000;

/// Who the tools work for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryRole {
    /// An ordinary session: changes are refused while a dream holds the lock, since the dream may rewrite or
    /// restore the files under it.
    Session,
    /// The dream itself, which holds the lock.
    Dream,
}

/// The memory tools for `store`, in the order the model sees them.
pub fn memory_tools(store: &MemoryStore, role: MemoryRole) -> Vec<Box<dyn Tool>> {
    let shared = Arc::new(Shared { store: store.clone(), role });
    vec![
        Box::new(MemoryList(Arc::clone(&shared))),
        Box::new(MemoryRead(Arc::clone(&shared))),
        Box::new(MemoryWrite(Arc::clone(&shared))),
        Box::new(MemoryAppend(Arc::clone(&shared))),
        Box::new(MemoryDelete(shared)),
    ]
}

struct Shared {
    store: MemoryStore,
    role: MemoryRole,
}

impl Shared {
    fn resolve(&self, raw: &str, purpose: Purpose) -> Result<MemoryPath, ToolResult> {
        confine::resolve(self.store.root(), raw, purpose)
            .map_err(|error| ToolResult::error(error.to_string()))
    }

    /// Refuse a change while another task or process is dreaming.
    fn check_writable(&self) -> Result<(), ToolResult> {
        if self.role == MemoryRole::Dream {
            return Ok(());
        }
        match DreamLock::new(self.store.root()).inspect(OffsetDateTime::now_utc()) {
            LockState::Held(owner) => Err(ToolResult::error(format!(
                "Memory is being consolidated right now (a dream started by process {} is running), so it \
                 cannot be changed until it finishes, usually within a few minutes. Tell the user the memory \
                 will be saved later, and try again at the end of the task.",
                owner.pid
            ))),
            _ => Ok(()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathInput {
    path: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentInput {
    path: String,
    content: String,
}

fn parse<T: serde::de::DeserializeOwned>(tool: &str, input: Value) -> Result<T, ToolResult> {
    serde_json::from_value(input).map_err(|error| {
        ToolResult::error(format!(
            "{tool}: invalid input: {error}. Check the tool's schema and call it again."
        ))
    })
}

fn path_schema(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn failed(error: MemoryError) -> ToolResult {
    ToolResult::error(error.to_string())
}

struct MemoryList(Arc<Shared>);
struct MemoryRead(Arc<Shared>);
struct MemoryWrite(Arc<Shared>);
struct MemoryAppend(Arc<Shared>);
struct MemoryDelete(Arc<Shared>);

#[async_trait]
impl Tool for MemoryList {
    fn name(&self) -> &str {
        "memory_list"
    }

    fn description(&self) -> &str {
        "List the files of your long-term memory directory with their sizes: MEMORY.md (the index loaded into \
         every session), topics/*.md (one subject each) and sessions/*.log (records of past sessions)."
    }

    fn input_schema(&self) -> Value {
        json!({"type": "object", "properties": {}, "additionalProperties": false})
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, _input: Value) -> ToolResult {
        match self.0.store.list() {
            Ok(entries) => ToolResult::ok(format_listing(self.0.store.root(), &entries)),
            Err(error) => failed(error),
        }
    }
}

#[async_trait]
impl Tool for MemoryRead {
    fn name(&self) -> &str {
        "memory_read"
    }

    fn description(&self) -> &str {
        "Read a file of your long-term memory directory: MEMORY.md, a topic file such as topics/preferences.md, \
         or a session log such as sessions/2026-04-01.log. Paths are relative to the memory directory."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {"path": path_schema("Relative to the memory directory, e.g. topics/preferences.md")},
            "required": ["path"],
            "additionalProperties": false
        })
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: PathInput = match parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let path = match self.0.resolve(&request.path, Purpose::Read) {
            Ok(path) => path,
            Err(error) => return error,
        };
        match read_text(&path.absolute) {
            Ok(text) if text.is_empty() => ToolResult::ok(format!("{} exists but is empty.", path.relative)),
            Ok(text) if text.chars().count() > MAX_READ_CHARS => {
                let kept: String = text.chars().take(MAX_READ_CHARS).collect();
                ToolResult::ok(format!("{kept}\n[{} is longer; only its start is shown.]", path.relative))
            }
            Ok(text) => ToolResult::ok(text),
            Err(error) if is_not_found(&error) => ToolResult::error(format!(
                "There is no memory file {}. memory_list shows what exists.",
                path.relative
            )),
            Err(error) => ToolResult::error(format!(
                "Cannot read {}: {error}. memory_list shows the files you can read.",
                path.relative
            )),
        }
    }
}

/// The schema of the tools that change a file: a path and Markdown `content` described as `content`.
fn content_schema(content: &str) -> Value {
    json!({
        "type": "object",
        "properties": {
            "path": path_schema("MEMORY.md or topics/<name>.md"),
            "content": {"type": "string", "description": content}
        },
        "required": ["path", "content"],
        "additionalProperties": false
    })
}

/// The input of a changing tool, and the file it may change.
fn parse_change(tool: &str, store: &Shared, input: Value) -> Result<(ContentInput, MemoryPath), ToolResult> {
    let request: ContentInput = parse(tool, input)?;
    let path = prepare_change(store, &request.path, &request.content)?;
    Ok((request, path))
}

#[async_trait]
impl Tool for MemoryWrite {
    fn name(&self) -> &str {
        "memory_write"
    }

    fn description(&self) -> &str {
        "Save to your long-term memory, replacing the whole file: MEMORY.md (the short index loaded into every \
         session, under 200 lines) or a topic file topics/<name>.md (one subject each; created if missing). Read \
         an existing file first so nothing in it is lost. Use it when the user asks you to remember something, \
         or for lasting facts later sessions will need."
    }

    fn input_schema(&self) -> Value {
        content_schema("The file's complete new Markdown content")
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let (request, path) = match parse_change(self.name(), &self.0, input) {
            Ok(change) => change,
            Err(error) => return error,
        };
        if let Err(error) = confine::write_atomically(&path.absolute, request.content.as_bytes()) {
            return failed(error);
        }
        let lines = request.content.lines().count();
        ToolResult::ok(format!(
            "{SAVED_PREFIX}{} ({lines} lines){}",
            path.relative,
            index_warning(&path, lines)
        ))
    }
}

#[async_trait]
impl Tool for MemoryAppend {
    fn name(&self) -> &str {
        "memory_append"
    }

    fn description(&self) -> &str {
        "Add text to the end of MEMORY.md or a topic file topics/<name>.md (created if missing) without reading \
         it first: the quick way to remember one new fact."
    }

    fn input_schema(&self) -> Value {
        content_schema("Markdown to add, e.g. a bullet point")
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let (request, path) = match parse_change(self.name(), &self.0, input) {
            Ok(change) => change,
            Err(error) => return error,
        };
        let existing = read_text(&path.absolute).unwrap_or_default();
        let separator = if existing.is_empty() || existing.ends_with('\n') { "" } else { "\n" };
        let addition = format!("{separator}{}\n", request.content.trim_end_matches('\n'));
        if let Err(error) = confine::append(&path.absolute, addition.as_bytes()) {
            return failed(error);
        }
        let lines = existing.lines().count() + request.content.lines().count();
        ToolResult::ok(format!(
            "{SAVED_PREFIX}{} (appended {} lines){}",
            path.relative,
            request.content.lines().count(),
            index_warning(&path, lines)
        ))
    }
}

#[async_trait]
impl Tool for MemoryDelete {
    fn name(&self) -> &str {
        "memory_delete"
    }

    fn description(&self) -> &str {
        "Delete a topic file topics/<name>.md from your long-term memory (when it is obsolete or merged into \
         another). MEMORY.md cannot be deleted; rewrite it instead."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {"path": path_schema("topics/<name>.md")},
            "required": ["path"],
            "additionalProperties": false
        })
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: PathInput = match parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        if let Err(error) = self.0.check_writable() {
            return error;
        }
        let path = match self.0.resolve(&request.path, Purpose::Delete) {
            Ok(path) => path,
            Err(error) => return error,
        };
        match std::fs::remove_file(&path.absolute) {
            Ok(()) => ToolResult::ok(format!("Deleted from memory: {}", path.relative)),
            Err(error) if is_not_found(&error) => {
                ToolResult::error(format!("There is no memory file {}.", path.relative))
            }
            Err(error) => ToolResult::error(format!("Cannot delete {}: {error}", path.relative)),
        }
    }
}

/// The checks every change shares: no dream in the way, a path that may be written, a bounded size.
fn prepare_change(shared: &Shared, raw: &str, content: &str) -> Result<MemoryPath, ToolResult> {
    shared.check_writable()?;
    let path = shared.resolve(raw, Purpose::Write)?;
    if content.len() > MAX_WRITE_BYTES {
        return Err(ToolResult::error(format!(
            "The content is {} bytes; memory files take at most {MAX_WRITE_BYTES} bytes per write. Keep notes \
             short, or split the subject across topic files.",
            content.len()
        )));
    }
    Ok(path)
}

fn index_warning(path: &MemoryPath, lines: usize) -> String {
    if path.relative == INDEX_FILE && lines > INDEX_LINE_LIMIT {
        format!(
            ". Warning: MEMORY.md now has {lines} lines and only the first {INDEX_LINE_LIMIT} are loaded into \
             sessions; move details into topic files."
        )
    } else {
        String::new()
    }
}
