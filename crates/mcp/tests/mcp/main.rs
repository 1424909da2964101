//! Tests of the MCP crate through real MCP sessions (rmcp's client over an in-process pipe).
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod client;
mod serve;
