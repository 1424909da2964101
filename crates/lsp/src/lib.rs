//! Code intelligence through language servers: the `lsp` tool (diagnostics, definition, references, hover,
//! document symbols) and the diagnostics the file tools can report after an edit.
//!
//! It owns the JSON-RPC transport over a server's stdin/stdout ([`framing`], [`connection`]), one server's
//! lifecycle ([`LanguageServer`]: `initialize`, versioned document sync, published diagnostics, `shutdown`
//! and a process-group kill so nothing outlives the session) and the per-project [`LspManager`] that picks a
//! server by file extension, starts it on first use and reuses it. `spec/tools.md` is the behavioural
//! contract.
//!
//! It depends on the tools crate for the `Tool` contract; it must never depend on the agent loop or on
//! anything that knows what a terminal is.

mod after_edit;
pub mod connection;
mod error;
pub mod framing;
mod manager;
mod position;
mod present;
mod server;
mod tool;
pub mod uri;

pub use after_edit::{AFTER_EDIT_TIMEOUT, DiagnosticsAfterEdit};
pub use connection::{Connection, Published};
pub use error::LspError;
pub use manager::{Launcher, LspManager, ServerForFile};
pub use server::{LanguageServer, REQUEST_TIMEOUT, ServerCommand};
pub use tool::{DIAGNOSTICS_TIMEOUT, LspTool};
