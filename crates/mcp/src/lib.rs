//! MCP, both ways.
//!
//! As a client: servers the user configured are started in the background, their tools are offered to the
//! model as `mcp__<server>__<tool>` (through the same permission engine as built-in tools), and their
//! resources and prompts are reachable from the composer. As a server: `claurst mcp serve` offers Claurst's
//! own tools to other agents over stdio. `spec/mcp.md` is the behavioural contract.

pub mod client;
pub mod serve;

pub use client::{Admission, McpError, McpManager, McpOptions, SdkMcpBridge};
