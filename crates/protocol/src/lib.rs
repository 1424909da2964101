//! The shared vocabulary of Claurst.
//!
//! This crate owns two things: the Messages API wire types (`Message`, `ContentBlock`, `Usage`, …) that the
//! client sends and the session store records, and the event protocol between the agent and any front-end
//! (`AgentEvent` out, `Op` in, approvals answered through a one-shot `ApprovalResponder`).
//!
//! It must never depend on another Claurst crate, on I/O, or on anything that knows what a terminal is.

mod event;
mod extensions;
mod hook;
mod mcp;
mod message;
mod permission;
mod provider;
mod sandbox_mode;
mod stream;
pub mod tool_names;

pub use event::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, CompactionCause, Decision, DenialRecord,
    DreamView, FileChange, HistoryItem, INTERRUPTED_TOOL_RESULT, ModelUsage, Op, ReportKind, RunOutcome,
    RunSummary, SessionChoice, SessionInfo, SubagentView, TodoItem, TodoStatus, ToolCallView, ToolFamily,
    ToolFinished,
};
pub use extensions::{AgentScope, AgentTypeView, ExtensionCommandView, ExtensionKind, OutputStyleView};
pub use hook::{HookCallbackRegistration, HookEvent, HookReport, HookReportKind, HookView};
pub use mcp::{McpPromptView, McpRequest, McpServerStatus, McpServerView, TrustChoice};
pub use message::{
    CacheControl, ContentBlock, ImageSource, Message, ModelPrice, Role, StopReason, ToolResultContent, Usage,
};
pub use permission::{PermissionMode, UnknownPermissionMode};
pub use provider::{ModelInfo, ProviderInfo, WireApi};
pub use sandbox_mode::{SandboxMode, UnknownSandboxMode};
pub use stream::{BlockDelta, MessageDeltaFields, ReplyInfo, StreamEvent, StreamedMessage};
