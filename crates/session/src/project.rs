//! Where a project's transcripts live: `<projects_dir>/<project dir name>/<session id>.jsonl`, and its
//! sessions' sub-agents' beside them in `<session id>/subagents/<sub-agent id>.jsonl`.

use crate::error::SessionError;
use std::path::{Path, PathBuf};

/// Longest readable part of a project directory name, in bytes (file systems allow 255 per component).
const READABLE_MAX: usize = 100;
/// Extension of transcript files.
pub(crate) const TRANSCRIPT_EXTENSION: &str = "jsonl";
/// The folder, inside a session's own folder, holding the transcripts of its sub-agents.
pub(crate) const SUBAGENTS_DIR: &str = "subagents";

/// The directory name for a project's sessions: the project root's absolute path with every character other
/// than ASCII letters, digits, `.` and `_` turned into `-` (leading dashes dropped, only the last 100 bytes kept),
/// then `-` and 8 hex digits of a stable 64-bit FNV-1a hash of the full path's bytes.
///
/// `/home/ada/src/claurst` becomes `home-ada-src-claurst-<hash>`. The readable part alone would be ambiguous
/// (`/a-b` and `/a/b` both read `a-b`); the hash keeps distinct roots apart. The root is canonicalised when it
/// exists (so `..` and symbolic links name one project once), else made absolute without touching the disk.
pub fn project_dir_name(project_root: &Path) -> String {
    let root = absolute_root(project_root);
    let readable: String = root
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '_' { c } else { '-' })
        .collect();
    let readable = readable.trim_start_matches('-');
    // Every character is ASCII after the mapping above, so any byte index is a character boundary.
    let readable = &readable[readable.len().saturating_sub(READABLE_MAX)..];
    let hash = fnv1a(root.as_os_str().as_encoded_bytes());
    let short = (hash ^ (hash >> 32)) as u32;
    if readable.is_empty() { format!("{short:08x}") } else { format!("{readable}-{short:08x}") }
}

/// The directory holding a project's transcripts.
pub fn project_sessions_dir(projects_dir: &Path, project_root: &Path) -> PathBuf {
    projects_dir.join(project_dir_name(project_root))
}

/// The transcript file of one session.
pub fn session_path(projects_dir: &Path, project_root: &Path, session_id: &str) -> PathBuf {
    project_sessions_dir(projects_dir, project_root).join(format!("{session_id}.{TRANSCRIPT_EXTENSION}"))
}

/// Where the transcript of a sub-agent started by the session at `main_transcript` goes: beside it, in a
/// folder named after the parent session (`<dir>/<parent id>/subagents/<sub-agent id>.jsonl`). Listing a
/// project's sessions reads only `<dir>/*.jsonl`, so sub-agents never appear there as sessions of their own.
pub fn subagent_transcript_path(main_transcript: &Path, subagent_session_id: &str) -> PathBuf {
    main_transcript
        .with_extension("")
        .join(SUBAGENTS_DIR)
        .join(format!("{subagent_session_id}.{TRANSCRIPT_EXTENSION}"))
}

/// A fresh session id (a random UUID).
pub fn new_session_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Session ids become file names, so they are limited to characters that are safe in one.
pub fn validate_session_id(id: &str) -> Result<(), SessionError> {
    let valid = !id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid { Ok(()) } else { Err(SessionError::InvalidSessionId { id: id.to_string() }) }
}

fn absolute_root(project_root: &Path) -> PathBuf {
    std::fs::canonicalize(project_root)
        .or_else(|_| std::path::absolute(project_root))
        .unwrap_or_else(|_| project_root.to_path_buf())
}

/// 64-bit FNV-1a: tiny, and unlike `std`'s hasher its output is fixed forever, which directory names need.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn names_are_readable_and_distinct() {
        let a = project_dir_name(Path::new("/nonexistent-claurst/a-b"));
        let b = project_dir_name(Path::new("/nonexistent-claurst/a/b"));
        assert!(a.starts_with("nonexistent-claurst-a-b-"), "{a}");
        assert!(b.starts_with("nonexistent-claurst-a-b-"), "{b}");
        assert_ne!(a, b, "the hash separates paths that read the same");
        assert_eq!(a, project_dir_name(Path::new("/nonexistent-claurst/a-b")), "stable");
    }

    #[test]
    fn long_and_odd_paths_stay_short_and_safe() {
        let long = format!("/{}", "segment/".repeat(60));
        let name = project_dir_name(Path::new(&long));
        assert!(name.len() <= READABLE_MAX + 9, "{}", name.len());
        let odd = project_dir_name(Path::new("/tmp/ünï cødé/$(rm -rf)"));
        assert!(odd.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)), "{odd}");
        assert!(!odd.starts_with('-'));
    }

    #[test]
    fn existing_roots_are_canonicalised() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("inner");
        std::fs::create_dir(&inner).unwrap();
        assert_eq!(project_dir_name(&inner), project_dir_name(&inner.join("../inner")));
    }

    #[test]
    fn session_ids_must_be_file_name_safe() {
        assert!(validate_session_id(&new_session_id()).is_ok());
        for bad in ["", "../etc", "a/b", "x.jsonl", &"a".repeat(129)] {
            assert!(validate_session_id(bad).is_err(), "{bad}");
        }
    }
}
