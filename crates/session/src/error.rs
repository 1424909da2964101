//! What can go wrong with a session, said so that the user knows what to do.

use std::path::PathBuf;

/// Errors of the session store and of compaction. Instruction files never fail: their problems are warnings.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(
        "cannot create the session directory {path}: {source}; check that its parent exists and is writable"
    )]
    CreateDir { path: PathBuf, source: std::io::Error },

    #[error("cannot write the session transcript {path}: {source}; check free disk space and permissions")]
    Write { path: PathBuf, source: std::io::Error },

    #[error("cannot read the session transcript {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },

    #[error("cannot list the sessions in {path}: {source}")]
    List { path: PathBuf, source: std::io::Error },

    #[error(
        "the session transcript {path} already exists; start a new session (its id is fresh) or resume this one"
    )]
    AlreadyExists { path: PathBuf },

    #[error(
        "{path} is not a Claurst session transcript: line 1 is not the session metadata record ({problem}); \
         move the file out of the projects directory"
    )]
    NotATranscript { path: PathBuf, problem: String },

    #[error("`{id}` cannot be a session id: use 1 to 128 letters, digits, `-` or `_` (ids are file names)")]
    InvalidSessionId { id: String },

    #[error(
        "no session of this project matches `{query}` (looked in {dir}); run `claurst --resume` to pick one"
    )]
    SessionNotFound { query: String, dir: PathBuf },

    #[error("`{query}` matches {count} sessions ({candidates}); type more characters of the id")]
    AmbiguousSession { query: String, count: usize, candidates: String },

    #[error(
        "the model's compaction reply held no summary; the conversation was left as it was \
         (try `/compact` again, or `/clear` to start afresh)"
    )]
    EmptySummary,
}
