//! Appending records to a transcript, one line per event.

use super::loader::LoadedSession;
use super::wire::{self, Line};
use super::{SessionMeta, TranscriptEntry, TranscriptRecord};
use crate::error::SessionError;
use crate::project::{session_path, validate_session_id};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Initial capacity of the line buffer, and the most it keeps between records.
const LINE_BUFFER: usize = 4096;
const LINE_BUFFER_KEPT: usize = 1024 * 1024;
/// Bytes read at a time when looking backwards for the start of a torn last line.
const TAIL_CHUNK: u64 = 64 * 1024;

/// Appends records to one session's transcript.
///
/// Each [`append`](Self::append) encodes the record into a reused buffer and hands it to the kernel in a single
/// `write` on a file opened in append mode, so a record is never split across writes and a `kill -9` loses at
/// most the record being written. There is no user-space buffer to flush. Records are not `fsync`ed: that
/// costs milliseconds per call on many file systems and only matters for power loss or a kernel crash, not
/// for Claurst dying; call [`sync`](Self::sync) at moments worth the cost (end of session, after compacting).
///
/// One writer per session file: two processes appending to one transcript may interleave records.
#[derive(Debug)]
pub struct TranscriptWriter {
    file: File,
    path: PathBuf,
    session_id: String,
    line: Vec<u8>,
}

impl TranscriptWriter {
    /// Start the transcript of a new session under `projects_dir` (normally `~/.claurst/projects`), creating
    /// the project's directory if needed, and write the metadata line. Fails if the file already exists.
    pub fn create(projects_dir: &Path, meta: &SessionMeta) -> Result<Self, SessionError> {
        validate_session_id(&meta.session_id)?;
        Self::create_at(&session_path(projects_dir, &meta.project_root, &meta.session_id), meta)
    }

    /// Start a new transcript at `path` (such as a sub-agent's, from
    /// [`subagent_transcript_path`](crate::subagent_transcript_path)), creating its directory if needed, and
    /// write the metadata line. Fails if the file already exists.
    pub fn create_at(path: &Path, meta: &SessionMeta) -> Result<Self, SessionError> {
        validate_session_id(&meta.session_id)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|source| SessionError::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let file =
            OpenOptions::new().append(true).create_new(true).open(path).map_err(|source| {
                match source.kind() {
                    std::io::ErrorKind::AlreadyExists => {
                        SessionError::AlreadyExists { path: path.to_path_buf() }
                    }
                    _ => SessionError::Write { path: path.to_path_buf(), source },
                }
            })?;
        let mut writer = Self {
            file,
            path: path.to_path_buf(),
            session_id: meta.session_id.clone(),
            line: Vec::with_capacity(LINE_BUFFER),
        };
        wire::encode_meta(meta, &mut writer.line).map_err(|error| writer.encode_error(error))?;
        writer.write_line()?;
        Ok(writer)
    }

    /// Continue the transcript of a session that was just loaded.
    pub fn append_to(session: &LoadedSession) -> Result<Self, SessionError> {
        Self::open(&session.path, &session.meta.session_id)
    }

    /// Continue the transcript at `path`, whose session id is `session_id`.
    ///
    /// If the process that wrote it last died mid-line, the file does not end with a newline. A complete
    /// record missing only its newline gets one; an unparseable fragment is cut off (the loader already
    /// skipped it with a warning), so the next record starts on a line of its own.
    pub fn open(path: &Path, session_id: &str) -> Result<Self, SessionError> {
        validate_session_id(session_id)?;
        let write_error = |source| SessionError::Write { path: path.to_path_buf(), source };
        let mut file = OpenOptions::new().read(true).append(true).open(path).map_err(write_error)?;
        repair_torn_tail(&mut file).map_err(write_error)?;
        Ok(Self {
            file,
            path: path.to_path_buf(),
            session_id: session_id.to_string(),
            line: Vec::with_capacity(LINE_BUFFER),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Append `record`, stamped with the current time.
    pub fn append(&mut self, record: &TranscriptRecord) -> Result<(), SessionError> {
        self.encode_and_write(OffsetDateTime::now_utc(), record)
    }

    /// Append an entry with its own timestamp (for imports and tests).
    pub fn append_entry(&mut self, entry: &TranscriptEntry) -> Result<(), SessionError> {
        self.encode_and_write(entry.timestamp, &entry.record)
    }

    /// Ask the OS to put what was written on disk (`fdatasync`). Slow; see the type's documentation.
    pub fn sync(&self) -> Result<(), SessionError> {
        self.file.sync_data().map_err(|source| SessionError::Write { path: self.path.clone(), source })
    }

    fn encode_and_write(
        &mut self,
        timestamp: OffsetDateTime,
        record: &TranscriptRecord,
    ) -> Result<(), SessionError> {
        self.line.clear();
        wire::encode_entry(&self.session_id, timestamp, record, &mut self.line)
            .map_err(|error| self.encode_error(error))?;
        self.write_line()
    }

    fn write_line(&mut self) -> Result<(), SessionError> {
        let result = self.file.write_all(&self.line);
        self.line.clear();
        if self.line.capacity() > LINE_BUFFER_KEPT {
            // One huge tool result should not pin megabytes for the rest of the session.
            self.line = Vec::with_capacity(LINE_BUFFER);
        }
        result.map_err(|source| SessionError::Write { path: self.path.clone(), source })
    }

    fn encode_error(&self, error: serde_json::Error) -> SessionError {
        SessionError::Write { path: self.path.clone(), source: std::io::Error::other(error) }
    }
}

/// Make the file end with a newline: add one after a complete last record, or cut off a torn fragment.
fn repair_torn_tail(file: &mut File) -> std::io::Result<()> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    let start = last_line_start(file, len)?;
    let mut fragment = Vec::new();
    file.seek(SeekFrom::Start(start))?;
    file.read_to_end(&mut fragment)?;
    match wire::decode(&fragment) {
        Ok(Line::Entry(_) | Line::Meta(_)) => file.write_all(b"\n"),
        Err(_) => {
            tracing::warn!(
                bytes = fragment.len(),
                "cutting off a torn last transcript line before appending"
            );
            file.set_len(start)
        }
    }
}

/// Offset of the first byte after the last newline before `len` (0 when there is none).
fn last_line_start(file: &mut File, len: u64) -> std::io::Result<u64> {
    let mut end = len;
    let mut chunk = Vec::new();
    while end > 0 {
        let start = end.saturating_sub(TAIL_CHUNK);
        chunk.resize(usize::try_from(end - start).unwrap_or(0), 0);
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut chunk)?;
        if let Some(newline) = chunk.iter().rposition(|byte| *byte == b'\n') {
            return Ok(start + newline as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}
