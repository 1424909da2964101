//! Shared test machinery for every Claurst crate and for the `claurst` binary's end-to-end tests.
//!
//! It owns the scripted model API server ([`MockApi`], answering Anthropic Messages and OpenAI Chat
//! Completions requests with [`Reply`]s built from [`Turn`]s and [`SseEvent`]s over real HTTP/1.1 and real
//! SSE), a tiny static web site for web-fetch tests
//! ([`MockWeb`]), and throwaway home/project directories ([`TempProject`]).
//!
//! Only `[dev-dependencies]` may use this crate; it must never be a dependency of shipped code, and it depends
//! on no other Claurst crate, so that any crate's tests can use it.

// Test machinery: a broken invariant here should fail the test loudly and at once, so panicking (with a
// message that says what went wrong) is the right failure mode rather than threading errors to the caller.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod chat;
mod command;
mod pairing;
mod project;
mod pty;
mod server;
mod sse;
mod web;
mod wire;

pub use api::{MockApi, Reply};
pub use command::{claurst_command, describe, run_with_stdin};
pub use project::TempProject;
pub use pty::{PtySession, claurst_pty_command, keys};
pub use sse::{DEFAULT_MODEL, SseEvent, Turn, sse_bytes};
pub use web::{MockWeb, WebResponse};
pub use wire::{CapturedRequest, WireFormat};
