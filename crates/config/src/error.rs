use std::path::PathBuf;
use thiserror::Error;

/// Why configuration could not be loaded. Every message names the place and what to do.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: this is not valid TOML: {message}\n  fix the syntax at that line (see docs/configuration.md)", file.display())]
    Syntax { file: PathBuf, line: usize, column: usize, message: String },
    #[error("{}:{line}: key `{key}` must be {expected}, found {found}\n  fix the value or delete the line", file.display())]
    InvalidValue { file: PathBuf, line: usize, key: String, expected: String, found: String },
    #[error("environment variable {var}={value:?} is invalid: expected {expected}\n  fix it or unset it")]
    InvalidEnv { var: String, value: String, expected: String },
    #[error("{at}: {message}\n  fix it (see docs/mcp.md)")]
    McpJson { at: String, message: String },
    #[error("{at}: {message}\n  fix it (see docs/extending.md, Hooks)")]
    Hooks { at: String, message: String },
    #[error("cannot write {}: {source}", file.display())]
    Write {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}\n  fix the file or move it away (it holds your approvals of project MCP servers; Claurst never overwrites it)", file.display())]
    TrustStore { file: PathBuf, message: String },
    #[error("an MCP server named `{name}` is already defined in {}\n  remove it first: claurst mcp remove {name} --scope {scope}", file.display())]
    McpServerExists { name: String, file: PathBuf, scope: &'static str },
    #[error("HOME is not set, so Claurst cannot find ~/.claurst\n  set HOME to your home directory")]
    NoHome,
}
