//! What Claurst tells programs written for Claude Code about the version it speaks.
//!
//! The Agent SDKs read Claude Code's version (from `-v`, and `claude_code_version` in `system/init`) to
//! decide whether the executable is new enough for them. Claurst reports the Claude Code release whose
//! headless protocol it implements, and its own version beside it under its own key, so that neither
//! number is mistaken for the other.

/// The Claude Code release whose headless and control protocol Claurst implements.
pub const CLAUDE_CODE_COMPATIBLE_VERSION: &str = "2.1.197";

/// Claurst's own version.
pub const CLAURST_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `-v` and `--version` print: the compatible Claude Code version first, since programs written for
/// Claude Code read the first dotted number of the line, then Claurst's own.
pub fn version_line() -> String {
    format!("{CLAUDE_CODE_COMPATIBLE_VERSION} (Claurst {CLAURST_VERSION})")
}
