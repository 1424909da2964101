//! `read_file`: numbered lines of a text file, or an image for the model to see.

use crate::context::{FileSnapshot, ToolContext};
use crate::files::{image_media_type, looks_binary};
use crate::input;
use crate::tool::{Tool, ToolOutcome, ToolResult};
use async_trait::async_trait;
use bounded::{WHOLE_FILE_LIMIT, special_kind};
use claurst_permissions::Access;
use claurst_protocol::ImageSource;
use serde::Deserialize;
use serde_json::{Value, json};
use std::fmt::Write;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

mod bounded;

/// Lines returned when the model gives no `limit`.
pub const DEFAULT_LINE_LIMIT: usize = 2000;
/// Characters kept of a single line; minified files otherwise flood the context.
pub const MAX_LINE_CHARS: usize = 2000;
use claurst_protocol::MAX_IMAGE_BYTES;

pub struct ReadFileTool {
    context: Arc<ToolContext>,
}

impl ReadFileTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct ReadInput {
    path: String,
    /// First line to return, counting from 1.
    offset: Option<usize>,
    limit: Option<usize>,
}

#[async_trait]
impl Tool for ReadFileTool {
    fn name(&self) -> &str {
        "read_file"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Read
    }

    fn summary(&self, _input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::read(result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "path")
    }

    fn description(&self) -> &str {
        "Read a file from the local file system. The path may be absolute or relative to the project root. \
         Returns up to 2000 lines by default, each prefixed with its line number and a tab; use offset (first \
         line, from 1) and limit to read long files in parts. Lines longer than 2000 characters are cut. \
         Images (png, jpg, gif, webp) are returned for you to see. Jupyter notebooks (.ipynb) are shown cell by \
         cell with ids and outputs (offset and limit do not apply). Binary files are refused. Read a file before \
         you edit or overwrite it."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "Absolute path, or a path relative to the project root"},
                "offset": {"type": "integer", "minimum": 1, "description": "Line number to start from (1-based)"},
                "limit": {"type": "integer", "minimum": 1, "description": "Maximum number of lines to return"}
            },
            "required": ["path"],
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
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let request: ReadInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error.into(),
        };
        let path = self.context.resolve(&request.path);
        let meta = match self.check_kind(&path).await {
            Ok(meta) => meta,
            Err(refusal) => return refusal.into(),
        };
        let offset = request.offset.unwrap_or(1).max(1);
        let limit = request.limit.unwrap_or(DEFAULT_LINE_LIMIT);
        if meta.len() > WHOLE_FILE_LIMIT && image_media_type(&path).is_none() {
            return read_large(&path, meta.len(), offset, limit).await.into();
        }
        let bytes = match read_whole(&path).await {
            Ok(bytes) => bytes,
            Err(error) => {
                return ToolResult::error(format!("Cannot read {}: {error}", path.display())).into();
            }
        };
        let modified = tokio::fs::metadata(&path).await.ok().and_then(|meta| meta.modified().ok());
        self.context.files().record(&path, FileSnapshot::of(&bytes, modified));

        // An image is typed by its bytes, not its name: sent as the type its name says, a JPEG called `.png`
        // makes the API refuse the request, and every later one while the result is in the conversation. A
        // file that is no image at all is read like any other file.
        if image_media_type(&path).is_some()
            && let Ok(source) = ImageSource::from_image_bytes(&bytes)
        {
            return crate::view_image::image_outcome(&path, source, bytes.len());
        }
        if bytes.is_empty() {
            return ToolResult::ok(format!("{} exists but is empty.", path.display())).into();
        }
        if looks_binary(&bytes) {
            return binary_refusal(&path, bytes.len() as u64).into();
        }
        let text = String::from_utf8_lossy(&bytes);
        if is_notebook(&path)
            && let Ok((shown, images)) =
                crate::notebook::render(&self.context.display(&path), text.to_string())
        {
            return ToolOutcome {
                result: ToolResult::ok(shown),
                extra_content: images,
                update: None,
                sandbox_refusal: None,
            };
        }
        numbered_lines(&path, &text, offset, limit).into()
    }
}

impl ReadFileTool {
    /// The file's metadata, or why it cannot be read: missing, a directory, a special file, a huge image.
    async fn check_kind(&self, path: &Path) -> Result<std::fs::Metadata, ToolResult> {
        let meta = tokio::fs::metadata(path).await.map_err(|_| {
            ToolResult::error(format!(
                "File not found: {}. Check the path (relative paths start at the project root {}); search_files can find it.",
                path.display(),
                self.context.project_root().display()
            ))
        })?;
        if meta.is_dir() {
            return Err(ToolResult::error(format!(
                "{} is a directory, not a file. Use list_dir to see what it holds.",
                path.display()
            )));
        }
        if let Some(kind) = special_kind(&meta) {
            return Err(ToolResult::error(format!(
                "{} is {kind}, not a regular file; read_file refuses it because reading it could block or never \
                 end. Use bash with a timeout if you really need to read from it.",
                path.display()
            )));
        }
        if image_media_type(path).is_some() && meta.len() > MAX_IMAGE_BYTES {
            return Err(ToolResult::error(format!(
                "{} is an image of {} bytes, more than the 5 MiB that can be sent. Resize it first.",
                path.display(),
                meta.len()
            )));
        }
        Ok(meta)
    }
}

fn binary_refusal(path: &Path, len: u64) -> ToolResult {
    ToolResult::error(format!(
        "{} looks like a binary file ({len} bytes), which read_file cannot show as text. Use bash (for example `file` or `xxd | head`) to inspect it.",
        path.display(),
    ))
}

/// The whole file, read off the async threads, through a handle checked to be a regular file.
async fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    let path = path.to_path_buf();
    let read = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        bounded::open_regular(&path)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    read.await.map_err(std::io::Error::other)?
}

/// A file over [`WHOLE_FILE_LIMIT`]: a bounded sniff, then only the requested lines. It is not recorded as
/// read, since only part of it was.
async fn read_large(path: &Path, len: u64, offset: usize, limit: usize) -> ToolResult {
    let owned = path.to_path_buf();
    let read = tokio::task::spawn_blocking(move || {
        let mut file = bounded::open_regular(&owned)?;
        let head = bounded::sniff(&file)?;
        if looks_binary(&head) {
            return Ok(None);
        }
        std::io::Seek::rewind(&mut file)?;
        bounded::read_range(file, offset, limit, MAX_LINE_CHARS).map(Some)
    });
    let range = match read.await.map_err(std::io::Error::other).and_then(|result| result) {
        Ok(Some(range)) => range,
        Ok(None) => return binary_refusal(path, len),
        Err(error) => return ToolResult::error(format!("Cannot read {}: {error}", path.display())),
    };
    if range.last < range.first {
        return past_the_end(path, range.seen, offset);
    }
    let mut out = range.text;
    let next = range.last + 1;
    let _ = if range.reached_end {
        write!(out, "\n[Showing lines {}-{} of {}.]", range.first, range.last, range.seen)
    } else {
        write!(
            out,
            "\n[Showing lines {}-{} of a file of {len} bytes, too large to read whole. Read on with offset {next} \
             to see more. Because it was read only in part, write_file and edit_file cannot change it.]",
            range.first, range.last
        )
    };
    ToolResult::ok(out)
}

/// A Jupyter notebook, shown cell by cell (a file that is not valid notebook JSON is shown as text).
fn is_notebook(path: &Path) -> bool {
    path.extension().and_then(|extension| extension.to_str()) == Some("ipynb")
}

fn past_the_end(path: &Path, total: usize, offset: usize) -> ToolResult {
    ToolResult::error(format!(
        "{} has only {total} lines; offset {offset} is past the end. Read from an offset of at most {total}.",
        path.display()
    ))
}

/// Lines `offset..offset+limit` as `N<TAB>text`, with a note when more lines follow.
fn numbered_lines(path: &Path, text: &str, offset: usize, limit: usize) -> ToolResult {
    let offset = offset.max(1);
    let total = text.lines().count();
    if offset > total {
        return past_the_end(path, total, offset);
    }
    let mut out = String::new();
    let mut shown = 0;
    for (index, line) in text.lines().enumerate().skip(offset - 1).take(limit) {
        bounded::push_numbered_line(&mut out, index + 1, line, MAX_LINE_CHARS, false);
        shown += 1;
    }
    let last = offset - 1 + shown;
    if last < total {
        let _ = write!(
            out,
            "\n[Showing lines {offset}-{last} of {total}. Read on with offset {} to see more.]",
            last + 1
        );
    }
    ToolResult::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn tool(dir: &Path) -> ReadFileTool {
        ReadFileTool::new(Arc::new(ToolContext::new(dir, dir.join(".session"), Duration::from_secs(5))))
    }

    #[tokio::test]
    async fn numbers_lines_and_pages() {
        let dir = tempfile::tempdir().unwrap();
        let body: String = (1..=5).map(|n| format!("line {n}\n")).collect();
        std::fs::write(dir.path().join("a.txt"), body).unwrap();
        let result = tool(dir.path()).execute(json!({"path": "a.txt", "offset": 2, "limit": 2})).await;
        assert!(!result.is_error);
        assert!(result.output.starts_with("2\tline 2\n3\tline 3\n"), "{}", result.output);
        assert!(result.output.contains("Showing lines 2-3 of 5"), "{}", result.output);
        assert!(result.output.contains("offset 4"));

        let whole = tool(dir.path()).execute(json!({"path": dir.path().join("a.txt")})).await;
        assert!(!whole.output.contains("Showing"), "{}", whole.output);
        assert!(whole.output.contains("5\tline 5"));
    }

    #[tokio::test]
    async fn explains_missing_empty_binary_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let t = tool(dir.path());
        let missing = t.execute(json!({"path": "nope.rs"})).await;
        assert!(missing.is_error && missing.output.contains("File not found"));

        std::fs::write(dir.path().join("empty"), "").unwrap();
        let empty = t.execute(json!({"path": "empty"})).await;
        assert!(!empty.is_error && empty.output.contains("is empty"), "{}", empty.output);

        std::fs::write(dir.path().join("blob.bin"), [0u8, 1, 2, 3]).unwrap();
        let binary = t.execute(json!({"path": "blob.bin"})).await;
        assert!(binary.is_error && binary.output.contains("binary"), "{}", binary.output);

        let directory = t.execute(json!({"path": "."})).await;
        assert!(directory.is_error && directory.output.contains("list_dir"));

        let bad = t.execute(json!({"file": "x"})).await;
        assert!(bad.is_error && bad.output.contains("invalid input"), "{}", bad.output);

        let past_end = t.execute(json!({"path": "empty", "offset": 3})).await;
        assert!(!past_end.is_error, "an empty file is described, not an error");
    }

    #[tokio::test]
    async fn cuts_very_long_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("min.js"), "x".repeat(MAX_LINE_CHARS + 50)).unwrap();
        let result = tool(dir.path()).execute(json!({"path": "min.js"})).await;
        assert!(result.output.contains("[line cut]"));
        assert!(result.output.len() < MAX_LINE_CHARS + 100);
    }

    #[tokio::test]
    async fn returns_images_as_image_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pic.png"), b"\x89PNG\r\n\x1a\nrest").unwrap();
        let outcome = tool(dir.path()).run(json!({"path": "pic.png"})).await;
        assert!(!outcome.result.is_error);
        let [claurst_protocol::ToolResultContent::Image { source }] = outcome.extra_content.as_slice() else {
            panic!("expected one image, got {:?}", outcome.extra_content)
        };
        assert_eq!(source.media_type, "image/png");
        assert_eq!(source.kind, "base64");
    }

    #[tokio::test]
    async fn an_image_is_typed_by_its_bytes_and_a_text_file_named_like_one_is_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("photo.png"), b"\xff\xd8\xff\xe0 jpeg").unwrap();
        std::fs::write(dir.path().join("notes.png"), "just text\n").unwrap();
        let outcome = tool(dir.path()).run(json!({"path": "photo.png"})).await;
        let [claurst_protocol::ToolResultContent::Image { source }] = outcome.extra_content.as_slice() else {
            panic!("expected one image, got {:?}", outcome.extra_content)
        };
        assert_eq!(source.media_type, "image/jpeg", "sent as what it is, not as its name says");
        let outcome = tool(dir.path()).run(json!({"path": "notes.png"})).await;
        assert!(outcome.extra_content.is_empty(), "{:?}", outcome.extra_content);
        assert!(outcome.result.output.contains("just text"), "{}", outcome.result.output);
    }

    #[tokio::test]
    async fn reading_records_the_file_for_later_edits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "v1").unwrap();
        let t = tool(dir.path());
        t.execute(json!({"path": "a.txt"})).await;
        assert_eq!(t.context.files().is_current(&path, b"v1"), Some(true));
    }
}
