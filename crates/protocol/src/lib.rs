//! The shared vocabulary of Claurst.
//!
//! This crate owns two things: the Messages API wire types (`Message`, `ContentBlock`, `Usage`, …) that the
//! client sends and the session store records, and the event protocol between the agent and any front-end
//! (`AgentEvent` out, `Op` in, approvals answered through a one-shot `ApprovalResponder`).
//!
//! It must never depend on another Claurst crate, on I/O, or on anything that knows what a terminal is.

mod context_usage;
mod event;
mod extensions;
mod hook;
mod image;
mod interaction;
mod kairos;
mod mcp;
mod message;
mod permission;
mod permission_rules;
mod provider;
mod rewind;
mod sandbox_mode;
mod settings;
mod stream;
pub mod tool_names;
mod web_search;

pub use context_usage::{ContextCategory, ContextKind, ContextUsage};
pub use event::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, CompactionCause, Decision, DenialRecord,
    DreamView, FileChange, HistoryItem, INTERRUPTED_TOOL_RESULT, ModelUsage, Op, ReportKind, RunOutcome,
    RunSummary, SessionChoice, SessionInfo, SubagentView, TodoItem, TodoStatus, ToolCallView, ToolFamily,
    ToolFinished, WorktreesRequest,
};
pub use extensions::{AgentScope, AgentTypeView, ExtensionCommandView, ExtensionKind, OutputStyleView};
pub use hook::{HookCallbackRegistration, HookEvent, HookReport, HookReportKind, HookView};
pub use image::{ImageRefusal, MAX_IMAGE_BYTES, image_media_type, sniff_media_type};
pub use interaction::{
    PlanChoice, PlanRequest, Question, QuestionOption, QuestionReply, QuestionRequest, Responder,
};
pub use kairos::{DeferredJobView, KairosEvent, KairosRequest, KairosView, SentFile, TickSkip};
pub use mcp::{McpPromptView, McpRequest, McpServerStatus, McpServerView, TrustChoice};
pub use message::{
    CacheControl, ContentBlock, ImageSource, Message, ModelPrice, Role, StopReason, ToolResultContent, Usage,
};
pub use permission::{PermissionMode, UnknownPermissionMode};
pub use permission_rules::{PermissionRuleView, PermissionRulesView, RuleEdit, RuleListKind, RuleScope};
pub use provider::{ModelInfo, ProviderInfo, WireApi};
pub use rewind::{RestoreScope, RewindReport, SkippedFileView, TurnView};
pub use sandbox_mode::{SandboxMode, UnknownSandboxMode};
pub use settings::UserSetting;
pub use stream::{BlockDelta, MessageDeltaFields, ReplyInfo, StreamEvent, StreamedMessage};
pub use web_search::{
    Citation, ServerToolUsage, WEB_SEARCH_TOOL, WebSearchError, WebSearchOutcome, WebSearchResult,
};
