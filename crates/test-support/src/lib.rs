//! Shared test machinery for every Claurst crate and for the `claurst` binary's end-to-end tests.
//!
//! It owns the scripted model API server ([`MockApi`], answering Anthropic Messages and OpenAI Chat
//! Completions requests with [`Reply`]s built from [`Turn`]s and [`SseEvent`]s over real HTTP/1.1 and real
//! SSE), a tiny static web site for web-fetch tests
//! ([`MockWeb`]), the GitHub REST endpoints the pull-request watcher reads ([`MockGitHub`]), and throwaway home/project directories ([`TempProject`]).
//!
//! [`litellm::LiteLlmProxy`] puts a real, independent OpenAI-compatible server in front of a [`MockApi`]: the
//! LiteLLM proxy from PyPI, which translates OpenAI Chat Completions requests into Messages API requests to
//! the mock and streams the mock's scripted answers back as `chat.completion.chunk`s. It needs Python 3 with
//! `venv` and pip: [`litellm::install`] (also `cargo xtask setup-litellm`, run by `.ci/run`) installs the
//! pinned [`litellm::LITELLM_VERSION`] into a virtualenv under [`cached_install::cache_dir`]
//! (`$CLAURST_TEST_CACHE`, else `~/.cache/claurst-tests`) the first time, and finds it there afterwards.
//! Its test module in `tests/it/litellm.rs` lists what the proxy's translation looks like on the wire.
//! [`mcp_servers`] (real MCP servers from npm), [`lsp_servers`] (a real language server from npm) and [`agent_sdks`] (the official Agent SDKs for Python and
//! TypeScript) are installed the same way, all through [`cached_install`].
//!
//! Only `[dev-dependencies]` may use this crate; it must never be a dependency of shipped code, and it depends
//! on no other Claurst crate, so that any crate's tests can use it.

// Test machinery: a broken invariant here should fail the test loudly and at once, so panicking (with a
// message that says what went wrong) is the right failure mode rather than threading errors to the caller.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod agent_sdks;
mod api;
pub mod cached_install;
mod chat;
mod command;
mod github;
mod json_lines;
pub mod litellm;
pub mod lsp_servers;
pub mod mcp_servers;
mod mcp_stub;
mod pairing;
mod project;
mod pty;
mod server;
mod sse;
mod web;
mod wire;

pub use api::{MockApi, Reply};
pub use command::{claurst_command, describe, isolated_command, run_with_stdin};
pub use github::MockGitHub;
pub use json_lines::JsonLinesSession;
pub use mcp_stub::{mcp_stub_log, write_mcp_stub};
pub use project::TempProject;
pub use pty::{PtySession, claurst_pty_command, keys};
pub use sse::{DEFAULT_MODEL, SseEvent, Turn, sse_bytes};
pub use web::{MockWeb, WebResponse};
pub use wire::{CapturedRequest, WireFormat};

/// A realistic Jupyter notebook (nbformat 4.5, written as Jupyter writes: one-space indentation, sorted keys)
/// with stream, rich, image and error outputs, for the notebook tools' tests.
pub const NOTEBOOK_FIXTURE: &str = include_str!("../fixtures/analysis.ipynb");
