//! Finding a project's sessions: for `--continue`, `--resume [id]` and the `/resume` picker. Sub-agents'
//! transcripts are found by id but never listed.

use super::TranscriptRecord;
use super::wire::{self, Line, MESSAGE_LINE_PREFIXES};
use crate::error::SessionError;
use crate::project::{SUBAGENTS_DIR, TRANSCRIPT_EXTENSION, project_sessions_dir, validate_session_id};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use time::OffsetDateTime;

/// Longest first prompt kept in a summary, in characters.
const FIRST_PROMPT_CHARS: usize = 200;
/// Candidates named in an "ambiguous prefix" error.
const AMBIGUOUS_SHOWN: usize = 5;
/// How deep sub-agent folders are searched (sub-agents of sub-agents of …): a bound, so that a folder tree that
/// loops through symbolic links cannot keep the search going.
const SUBAGENT_DEPTH: usize = 4;

/// What a session picker shows about one session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionSummary {
    pub session_id: String,
    pub path: PathBuf,
    /// The first prompt's text on one line (whitespace runs collapsed), cut at 200 characters with `…`.
    /// Empty when the session has no prompt yet.
    pub first_prompt: String,
    /// The model the session started with.
    pub model: String,
    pub created: OffsetDateTime,
    /// When the transcript was last written (from the file system).
    pub modified: SystemTime,
    pub size_bytes: u64,
    /// Messages recorded (prompts, assistant messages and tool-result messages), compacted ones included.
    pub message_count: u64,
    /// For a sub-agent's transcript (found by [`find_session`]), the session that delegated to it.
    pub parent_session_id: Option<String>,
}

/// The project's sessions, most recently written first. A project without sessions yields an empty list;
/// files that are not readable transcripts are skipped (and logged). Sub-agents' transcripts live in folders
/// beside the sessions and are not listed: they are parts of a session, not sessions to continue.
///
/// Cost: the metadata line and the first prompt are decoded; every other line is only compared by its first
/// bytes (a message line begins `{"type":"user"`, `{"type":"assistant"` or `{"type":"tool_results"`) to count
/// messages exactly, so listing reads each file once without parsing JSON, at memory-copy speed.
pub fn list_sessions(projects_dir: &Path, project_root: &Path) -> Result<Vec<SessionSummary>, SessionError> {
    let mut sessions: Vec<SessionSummary> = transcript_files(projects_dir, project_root)?
        .into_iter()
        .filter_map(|path| match summarize(&path) {
            Ok(summary) => Some(summary),
            Err(error) => {
                tracing::warn!(%error, "skipping a session file");
                None
            }
        })
        .collect();
    sessions.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| a.session_id.cmp(&b.session_id)));
    Ok(sessions)
}

/// The most recently written session of the project (`claurst --continue`), reading only that file.
pub fn latest_session(
    projects_dir: &Path,
    project_root: &Path,
) -> Result<Option<SessionSummary>, SessionError> {
    let mut files: Vec<(SystemTime, PathBuf)> = transcript_files(projects_dir, project_root)?
        .into_iter()
        .map(|path| (modified(&path), path))
        .collect();
    files.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, path) in files {
        match summarize(&path) {
            Ok(summary) => return Ok(Some(summary)),
            Err(error) => tracing::warn!(%error, "skipping a session file"),
        }
    }
    Ok(None)
}

/// The session whose id is `id_or_prefix`, or the only one whose id starts with it (case-insensitively).
///
/// Sub-agents' transcripts (in `<session id>/subagents/`, see
/// [`subagent_transcript_path`](crate::subagent_transcript_path)) are found too, so that one can be opened for
/// inspection, though [`list_sessions`] never lists them.
pub fn find_session(
    projects_dir: &Path,
    project_root: &Path,
    id_or_prefix: &str,
) -> Result<SessionSummary, SessionError> {
    let query = id_or_prefix.trim();
    let dir = project_sessions_dir(projects_dir, project_root);
    let exact_id = validate_session_id(query).is_ok();
    if exact_id {
        let exact = dir.join(format!("{query}.{TRANSCRIPT_EXTENSION}"));
        if exact.is_file() {
            return summarize(&exact);
        }
    }
    let mut candidates = transcript_files(projects_dir, project_root)?;
    candidates.extend(subagent_transcript_files(&dir));
    if exact_id && let Some(exact) = candidates.iter().find(|path| stem(path) == query) {
        return summarize(exact);
    }
    let prefix = query.to_ascii_lowercase();
    let mut matches: Vec<PathBuf> = candidates
        .into_iter()
        .filter(|path| !prefix.is_empty() && stem(path).to_ascii_lowercase().starts_with(&prefix))
        .collect();
    match matches.len() {
        0 => Err(SessionError::SessionNotFound { query: query.to_string(), dir }),
        1 => summarize(&matches[0]),
        count => {
            matches.sort_by_key(|path| stem(path));
            let mut candidates: Vec<String> = matches.iter().take(AMBIGUOUS_SHOWN).map(|p| stem(p)).collect();
            if count > AMBIGUOUS_SHOWN {
                candidates.push("…".into());
            }
            Err(SessionError::AmbiguousSession {
                query: query.to_string(),
                count,
                candidates: candidates.join(", "),
            })
        }
    }
}

/// The sessions matching a picker's search text: every whitespace-separated word of `query` must occur,
/// ignoring case, in the session id or the first prompt. An empty query matches everything. Order is kept.
pub fn filter_sessions<'a>(sessions: &'a [SessionSummary], query: &str) -> Vec<&'a SessionSummary> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    sessions
        .iter()
        .filter(|session| {
            let id = session.session_id.to_lowercase();
            let prompt = session.first_prompt.to_lowercase();
            words.iter().all(|word| id.contains(word.as_str()) || prompt.contains(word.as_str()))
        })
        .collect()
}

/// Every `*.jsonl` file of the project's session directory.
fn transcript_files(projects_dir: &Path, project_root: &Path) -> Result<Vec<PathBuf>, SessionError> {
    let dir = project_sessions_dir(projects_dir, project_root);
    let list_error = |source| SessionError::List { path: dir.clone(), source };
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(list_error(error)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(list_error)?.path();
        if path.extension().is_some_and(|ext| ext == TRANSCRIPT_EXTENSION) && path.is_file() {
            files.push(path);
        }
    }
    Ok(files)
}

/// Every sub-agent transcript under the project's session directory: `<session>/subagents/*.jsonl`, and the
/// same below a sub-agent's own folder when sub-agents delegated further (at most [`SUBAGENT_DEPTH`] levels).
/// A folder that cannot be read is skipped (and logged): it must not stop the main sessions from resuming.
fn subagent_transcript_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut parents = vec![(dir.to_path_buf(), 0)];
    while let Some((parent, depth)) = parents.pop() {
        for session_dir in sub_directories(&parent) {
            let subagents = session_dir.join(SUBAGENTS_DIR);
            for path in directory_entries(&subagents) {
                if path.extension().is_some_and(|ext| ext == TRANSCRIPT_EXTENSION) && path.is_file() {
                    files.push(path);
                }
            }
            if depth + 1 < SUBAGENT_DEPTH {
                parents.push((subagents, depth + 1));
            }
        }
    }
    files
}

fn sub_directories(dir: &Path) -> Vec<PathBuf> {
    directory_entries(dir).into_iter().filter(|path| path.is_dir()).collect()
}

/// The entries of `dir`; none when it is missing or unreadable.
fn directory_entries(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect(),
        Err(error) => {
            if error.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(%error, dir = %dir.display(), "skipping a folder while looking for sub-agent transcripts");
            }
            Vec::new()
        }
    }
}

/// Summarise one transcript: decode the metadata line and the first prompt, count message lines by prefix.
fn summarize(path: &Path) -> Result<SessionSummary, SessionError> {
    let read_error = |source| SessionError::Read { path: path.to_path_buf(), source };
    let file = File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut buffer = Vec::new();
    reader.read_until(b'\n', &mut buffer).map_err(read_error)?;
    let meta = match wire::decode(buffer.trim_ascii_end()) {
        Ok(Line::Meta(meta)) => meta,
        Ok(Line::Entry(_)) => return Err(not_a_transcript(path, "it is a different record".into())),
        Err(error) => return Err(not_a_transcript(path, error.to_string())),
    };
    let mut first_prompt = None;
    let mut message_count = 0;
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer).map_err(read_error)? == 0 {
            break;
        }
        if !MESSAGE_LINE_PREFIXES.iter().any(|prefix| buffer.starts_with(prefix)) {
            continue;
        }
        message_count += 1;
        if first_prompt.is_none() && buffer.starts_with(MESSAGE_LINE_PREFIXES[0]) {
            first_prompt = prompt_text(&buffer);
        }
    }
    Ok(SessionSummary {
        session_id: meta.session_id,
        path: path.to_path_buf(),
        first_prompt: first_prompt.unwrap_or_default(),
        model: meta.model,
        created: meta.created,
        modified: metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        size_bytes: metadata.len(),
        message_count,
        parent_session_id: meta.parent_session_id,
    })
}

/// The one-line, shortened text of a user record, if it has any text.
fn prompt_text(line: &[u8]) -> Option<String> {
    let Ok(Line::Entry(entry)) = wire::decode(line.trim_ascii_end()) else {
        return None;
    };
    let TranscriptRecord::User { message } = entry.record else {
        return None;
    };
    let text = message.text();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let one_line = words.join(" ");
    Some(match one_line.char_indices().nth(FIRST_PROMPT_CHARS) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    })
}

fn not_a_transcript(path: &Path, problem: String) -> SessionError {
    SessionError::NotATranscript { path: path.to_path_buf(), problem }
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).and_then(|metadata| metadata.modified()).unwrap_or(SystemTime::UNIX_EPOCH)
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
}
