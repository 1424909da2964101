//! What can go wrong talking to a language server, in words a user can act on.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum LspError {
    #[error(
        "the {language} language server `{command}` is not installed (not found on PATH). Install it, or set \
         its command in ~/.claurst/config.toml: [lsp.{language}] command = [\"/path/to/server\", \"--stdio\"]"
    )]
    NotInstalled { language: String, command: String },
    #[error("cannot start the {language} language server `{command}`: {source}")]
    Spawn { language: String, command: String, source: std::io::Error },
    #[error("no language server is configured for `.{extension}` files; configured languages: {known}")]
    NoServerFor { extension: String, known: String },
    #[error("the language server sent a malformed message: {0}")]
    Protocol(String),
    #[error("the language server stopped (its connection closed)")]
    Closed,
    #[error("the language server did not answer `{method}` within {} s", timeout.as_secs_f32())]
    Timeout { method: String, timeout: Duration },
    #[error("the language server answered `{method}` with an error: {message}")]
    Server { method: String, message: String },
    #[error("cannot write to the language server: {0}")]
    Write(std::io::Error),
}
