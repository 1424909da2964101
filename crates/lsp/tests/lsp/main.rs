//! The `lsp` tool and the edit observer against a real language server: pyright from npm, installed by
//! `cargo xtask setup-lsp` (or on first use).
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod pyright;
