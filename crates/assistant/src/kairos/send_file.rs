//! `send_user_file`: KAIROS pushes a file to the user. The file is judged as a read of its path (a read-deny
//! rule refuses the call before it runs), a copy is kept beside the day's log (`files/YYYY-MM-DD/` of the
//! KAIROS folder, so the user finds it even after the original changed), and front-ends show a notice with
//! the agent's message and a preview (`ToolUpdate::FileSent`, which the loop turns into
//! `KairosEvent::FileSent`).

use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::{SentFile, ToolFamily, sniff_media_type};
use claurst_tools::{Tool, ToolContext, ToolOutcome, ToolResult, ToolUpdate};
use serde_json::{Value, json};
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Lines of a text file the preview shows.
pub const PREVIEW_LINES: usize = 20;
/// Characters kept of one preview line: a minified file must not flood the notice.
const PREVIEW_LINE_CHARS: usize = 200;
/// Bytes read for the preview and to tell text from binary.
const HEAD_BYTES: usize = 16 * 1024;
/// Names tried for a copy before giving up (`notes.md`, `notes-1.md`, …).
const MAX_COPY_NAMES: u32 = 1000;

pub struct SendUserFileTool {
    context: Arc<ToolContext>,
    /// The project's KAIROS folder (`KairosSettings::dir`).
    kairos_dir: PathBuf,
}

impl SendUserFileTool {
    pub fn new(context: Arc<ToolContext>, kairos_dir: PathBuf) -> Self {
        Self { context, kairos_dir }
    }
}

#[async_trait]
impl Tool for SendUserFileTool {
    fn name(&self) -> &str {
        "send_user_file"
    }

    fn description(&self) -> &str {
        "Push a file to the user's attention: they see a notice with its path, your message and a preview, \
         and a notification. Use it for something they should look at now (a report you wrote, a failing \
         test's log), not for every file you touch. The path may be absolute or relative to the project root \
         and must be a readable file. A copy is kept with today's KAIROS log."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "The file: absolute, or relative to the project root"},
                "message": {"type": "string", "description": "Why the user should look at it, in one or two sentences"}
            },
            "required": ["path", "message"],
            "additionalProperties": false
        })
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Read
    }

    fn title(&self) -> String {
        "Send file".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        claurst_tools::first_line_of(input, "path")
    }

    fn summary(&self, input: &Value, result: &ToolResult) -> Option<String> {
        let path = input.get("path").and_then(Value::as_str)?;
        let name = Path::new(path).file_name()?.to_string_lossy();
        (!result.is_error).then(|| format!("Sent {name} to you"))
    }

    /// Reading the file is what the permission engine judges; the copy goes to KAIROS's own folder.
    fn access(&self, input: &Value) -> Access {
        self.context.read_access(input)
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let request = match Request::parse(&input) {
            Ok(request) => request,
            Err(message) => return ToolResult::error(message).into(),
        };
        let source = self.context.resolve(&request.path);
        let shown = self.context.display(&source);
        // The engine already judged the read; the filter is the same deny rules, checked again because the
        // copy would otherwise carry a forbidden file out of the project.
        // The file itself, links resolved, is what gets copied: it is judged too.
        let real = std::fs::canonicalize(&source).unwrap_or_else(|_| source.clone());
        if self.context.read_filter().is_some_and(|filter| filter.denies(&source) || filter.denies(&real)) {
            return ToolResult::error(format!("Reading {shown} is denied by a permission rule.")).into();
        }
        let files_dir = self.kairos_dir.join("files").join(utc_day());
        let job_source = real;
        let sent = tokio::task::spawn_blocking(move || send(&job_source, &files_dir)).await;
        let (copy, preview) = match sent {
            Ok(Ok(sent)) => sent,
            Ok(Err(error)) => return ToolResult::error(error.message(&shown)).into(),
            Err(error) => return ToolResult::error(format!("Could not send {shown}: {error}")).into(),
        };
        let copy_path = copy.display().to_string();
        let result = ToolResult::ok(format!("Sent {shown} to the user; a copy is kept at {copy_path}."));
        let file =
            SentFile { path: source.display().to_string(), message: request.message, preview, copy_path };
        ToolOutcome { update: Some(ToolUpdate::FileSent(file)), ..result.into() }
    }
}

struct Request {
    path: String,
    message: String,
}

impl Request {
    fn parse(input: &Value) -> Result<Request, String> {
        let text = |field: &str| input.get(field).and_then(Value::as_str).map(str::to_string);
        let path = text("path").filter(|path| !path.trim().is_empty());
        let Some(path) = path else {
            return Err("send_user_file needs `path`: the file to send.".to_string());
        };
        let Some(message) = text("message") else {
            return Err("send_user_file needs `message`: why the user should look at the file.".to_string());
        };
        Ok(Request { path, message: message.trim().to_string() })
    }
}

/// The largest file sent: each send keeps a copy in the user's home, so it is bounded.
const MAX_SEND_BYTES: u64 = 50_000_000;

/// Why a file could not be sent.
#[derive(Debug)]
enum SendError {
    Missing,
    Directory,
    NotAFile,
    TooLarge(u64),
    Read(io::Error),
    Copy(io::Error),
}

impl SendError {
    fn message(&self, shown: &str) -> String {
        match self {
            SendError::Missing => format!("There is no file at {shown}."),
            SendError::Directory => format!("{shown} is a directory; send_user_file sends one file."),
            SendError::NotAFile => format!("{shown} is not a regular file."),
            SendError::TooLarge(bytes) => format!(
                "{shown} is {} MB; send_user_file sends files of at most {} MB (send a summary or an excerpt).",
                bytes / 1_000_000,
                MAX_SEND_BYTES / 1_000_000
            ),
            SendError::Read(error) => format!("Could not read {shown}: {error}"),
            SendError::Copy(error) => format!("Could not keep a copy of {shown}: {error}"),
        }
    }
}

/// Copy `source` into `files_dir` and describe it: the copy's path and the preview. Nothing is created when
/// the source cannot be read.
fn send(source: &Path, files_dir: &Path) -> Result<(PathBuf, String), SendError> {
    // Opened first and then examined, so what is copied is what was examined: without following a last
    // link (the path is already resolved) and without blocking on a FIFO swapped in meanwhile.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use nix::fcntl::OFlag;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK).bits());
    }
    let mut reader = match options.open(source) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(SendError::Missing),
        Err(_) if source.is_dir() => return Err(SendError::Directory),
        Err(error) => return Err(SendError::Read(error)),
    };
    let metadata = reader.metadata().map_err(SendError::Read)?;
    if metadata.is_dir() {
        return Err(SendError::Directory);
    }
    if !metadata.is_file() {
        return Err(SendError::NotAFile);
    }
    if metadata.len() > MAX_SEND_BYTES {
        return Err(SendError::TooLarge(metadata.len()));
    }
    let mut head = Vec::with_capacity(HEAD_BYTES.min(metadata.len() as usize));
    (&mut reader).take(HEAD_BYTES as u64).read_to_end(&mut head).map_err(SendError::Read)?;
    let preview = preview(&head, metadata.len());
    let name = source.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("file"));
    let (copy, mut target) = create_copy(files_dir, &name).map_err(SendError::Copy)?;
    let copied = io::copy(&mut head.as_slice(), &mut target).and_then(|_| io::copy(&mut reader, &mut target));
    if let Err(error) = copied {
        // A torn copy would mislead the user later: take it away.
        let _ = std::fs::remove_file(&copy);
        return Err(SendError::Copy(error));
    }
    Ok((copy, preview))
}

/// A new file in `dir` named `name`, or `stem-N.ext` when that is taken; created atomically, so two sends
/// of same-named files never overwrite each other.
fn create_copy(dir: &Path, name: &Path) -> io::Result<(PathBuf, File)> {
    std::fs::create_dir_all(dir)?;
    let stem = name.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = name.extension().map(|extension| extension.to_string_lossy().into_owned());
    for attempt in 0..MAX_COPY_NAMES {
        let candidate = match (attempt, &extension) {
            (0, _) => name.to_path_buf(),
            (n, Some(extension)) => PathBuf::from(format!("{stem}-{n}.{extension}")),
            (n, None) => PathBuf::from(format!("{stem}-{n}")),
        };
        let path = dir.join(candidate);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other(format!("{MAX_COPY_NAMES} files of that name were already sent today")))
}

/// The first lines of a text file, or what a binary one is (`binary, 2048 bytes, image/png`).
pub fn preview(head: &[u8], size: u64) -> String {
    if let Some(media_type) = sniff_media_type(head) {
        return format!("binary, {size} bytes, {media_type}");
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The head may end inside a character: only an error before its last few bytes means binary.
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return format!("binary, {size} bytes"),
    };
    if text.contains('\0') {
        return format!("binary, {size} bytes");
    }
    let mut lines: Vec<String> = text
        .lines()
        .take(PREVIEW_LINES)
        .map(|line| {
            let mut kept: String = line.chars().take(PREVIEW_LINE_CHARS).collect();
            if kept.len() < line.len() {
                kept.push('…');
            }
            kept
        })
        .collect();
    let more = text.lines().nth(PREVIEW_LINES).is_some() || (head.len() as u64) < size;
    if more {
        lines.push("…".to_string());
    }
    lines.join("\n")
}

/// Today (UTC) as `YYYY-MM-DD`: the day the log and the copies are filed under.
fn utc_day() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_preview_is_the_first_lines_and_says_when_there_is_more() {
        let text: String = (1..=30).map(|n| format!("line {n}\n")).collect();
        let shown = preview(text.as_bytes(), text.len() as u64);
        assert!(shown.starts_with("line 1\nline 2\n"));
        assert!(shown.ends_with("line 20\n…"), "{shown}");
        assert_eq!(preview(b"one\ntwo\n", 8), "one\ntwo");
    }

    #[test]
    fn binaries_are_described_not_shown() {
        assert_eq!(preview(b"\x89PNG\r\n\x1a\n\0\0", 2048), "binary, 2048 bytes, image/png");
        assert_eq!(preview(b"ab\0cd", 5), "binary, 5 bytes");
        assert_eq!(preview(&[0xff, 0xfe, 0x41, 0x42], 4), "binary, 4 bytes");
        // A head cut inside a character is still text.
        assert_eq!(preview("é".as_bytes().get(..1).unwrap_or_default(), 10), "…");
    }

    #[test]
    fn a_second_copy_of_the_same_name_gets_a_suffix() {
        let dir = tempfile::tempdir().unwrap();
        let (first, _) = create_copy(dir.path(), Path::new("notes.md")).unwrap();
        let (second, _) = create_copy(dir.path(), Path::new("notes.md")).unwrap();
        let (bare, _) = create_copy(dir.path(), Path::new("Makefile")).unwrap();
        let (bare_again, _) = create_copy(dir.path(), Path::new("Makefile")).unwrap();
        assert_eq!(first, dir.path().join("notes.md"));
        assert_eq!(second, dir.path().join("notes-1.md"));
        assert_eq!(bare, dir.path().join("Makefile"));
        assert_eq!(bare_again, dir.path().join("Makefile-1"));
    }

    #[test]
    fn the_day_is_an_iso_date() {
        let day = utc_day();
        assert_eq!(day.len(), 10);
        assert_eq!(day.as_bytes()[4], b'-');
    }
}
