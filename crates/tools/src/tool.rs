//! The `Tool` contract.

use crate::shell_sandbox::SandboxRefusal;
use async_trait::async_trait;
use claurst_permissions::{Access, Effect, Grant};
use claurst_protocol::{ApprovalDetail, TodoItem, ToolFamily, ToolResultContent};
use serde_json::Value;

/// What a tool tells the model: text, and whether the call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolResult {
    pub output: String,
    pub is_error: bool,
}

impl ToolResult {
    pub fn ok(output: impl Into<String>) -> Self {
        Self { output: output.into(), is_error: false }
    }

    pub fn error(output: impl Into<String>) -> Self {
        Self { output: output.into(), is_error: true }
    }
}

/// What a tool asks of the agent loop beyond its result: state front-ends show outside the transcript, or work
/// only the loop can do.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolUpdate {
    Todos(Vec<TodoItem>),
    /// A skill's instructions were loaded: for the rest of the run, only the tools it lists may run without
    /// approval (empty: it lists none, and narrows nothing).
    SkillLoaded {
        name: String,
        allowed_tools: Vec<String>,
    },
    /// Start a sub-agent of this kind on this task; its report replaces the call's result. Only the agent
    /// loop can run one (it owns the model, the permissions and the front-end), so a host without a loop
    /// keeps the result the tool gave, which says so.
    Delegate {
        agent_type: String,
        description: String,
        prompt: String,
    },
    /// Put these questions to the user; their answers replace the call's result. Only the agent loop can
    /// (it owns the front-end), so a host without a loop keeps the result the tool gave, which says so.
    AskUser(Vec<claurst_protocol::Question>),
    /// Show this plan to the user, who approves it (leaving plan mode) or asks for more planning. Only the
    /// loop knows the permission mode and can change it.
    ExitPlanMode {
        plan: String,
    },
    /// Ask the user to confirm switching to plan mode, for this reason (maybe empty).
    EnterPlanMode {
        reason: String,
    },
    /// Create (or take up again) the Claurst worktree `name` (a made-up one when `None`) and move the session
    /// into it. Only the loop owns the working directory, the permissions and the sandbox that move.
    EnterWorktree {
        name: Option<String>,
    },
    /// Move the session back from the worktree it entered, removing the worktree and its branch when
    /// `remove` (refused with unsaved work unless `discard_changes`).
    ExitWorktree {
        remove: bool,
        discard_changes: bool,
    },
    /// A file was pushed to the user (KAIROS's `send_user_file`): the loop tells the front-ends
    /// (`AgentEvent::Kairos(KairosEvent::FileSent)`); a host without a loop keeps the result, which says where
    /// the copy is.
    FileSent(claurst_protocol::SentFile),
}

/// The full result of a call: the text plus anything richer (images) and state updates.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutcome {
    pub result: ToolResult,
    /// Content beyond the text, such as an image read from disk.
    pub extra_content: Vec<ToolResultContent>,
    pub update: Option<ToolUpdate>,
    /// Set when an approved command failed because the sandbox refused a write: the agent loop may offer
    /// to run it once outside the sandbox.
    pub sandbox_refusal: Option<SandboxRefusal>,
}

impl From<ToolResult> for ToolOutcome {
    fn from(result: ToolResult) -> Self {
        Self { result, extra_content: Vec::new(), update: None, sandbox_refusal: None }
    }
}

/// A capability the model can call.
///
/// Contract:
/// - `name` is unique in a registry, snake_case (MCP tools: `mcp__<server>__<tool>`), and stable (permission
///   rules and transcripts refer to it).
/// - `title`, `key_argument` and `family` are how front-ends show a call; nothing outside a tool matches on
///   its name to learn them.
/// - `input_schema` is a JSON Schema object describing `input`; `execute` still validates its input and
///   answers bad input with an error result rather than panicking.
/// - `execute` must not block the async runtime (use `spawn_blocking` for heavy synchronous work) and must
///   leave nothing running when its future is dropped.
/// - `is_read_only` must be conservative: `true` only when the call cannot change files, processes or the
///   outside world. Read-only calls may run in parallel and are allowed in plan mode.
#[async_trait]
pub trait Tool: Send + Sync {
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    fn input_schema(&self) -> Value;
    async fn execute(&self, input: Value) -> ToolResult;

    /// What kind of thing the tool does. Defaults to `Other`.
    fn family(&self) -> ToolFamily {
        ToolFamily::Other
    }

    /// The title front-ends show for the tool. Defaults to its name.
    fn title(&self) -> String {
        self.name().to_string()
    }

    /// The argument a user recognises a call by (`cargo test`, `src/main.rs`), on one line. Defaults to none.
    fn key_argument(&self, _input: &Value) -> Option<String> {
        None
    }

    /// Whether the tool is offered in a turn talking to `model` (the model's id, `vendor/` prefix included
    /// when the provider writes one). Defaults to `true`; a tool made for one family of models says so here.
    fn offered_to(&self, _model: &str) -> bool {
        true
    }

    /// Whether this call changes nothing. Defaults to `false`, the safe answer.
    fn is_read_only(&self, _input: &Value) -> bool {
        false
    }

    /// What the call touches, for the permission engine. Defaults to "something else", mutating unless
    /// `is_read_only` says otherwise. Tools that run commands, touch files or fetch URLs must say so.
    fn access(&self, input: &Value) -> Access {
        let effect = if self.is_read_only(input) { Effect::ReadOnly } else { Effect::Mutating };
        Access::Other { effect }
    }

    /// Run the call, returning rich content when the tool has any. Defaults to `execute`.
    async fn run(&self, input: Value) -> ToolOutcome {
        self.execute(input).await.into()
    }

    /// Run the call within what `grant` allows: tools that run commands choose their sandbox from it.
    /// Defaults to `run`.
    async fn run_granted(&self, input: Value, _grant: Grant) -> ToolOutcome {
        self.run(input).await
    }

    /// Run the call once outside the kernel sandbox, after the user agreed to it for this call. Defaults
    /// to `run`.
    async fn run_outside_sandbox(&self, input: Value) -> ToolOutcome {
        self.run(input).await
    }

    /// Run a call the user typed themselves (`!command`): no sandbox and the user's whole environment.
    /// Defaults to `run`.
    async fn run_for_user(&self, input: Value) -> ToolOutcome {
        self.run(input).await
    }

    /// The call's outcome in one line for people (`Read 120 lines`), shown in place of the output until they
    /// ask for details. Defaults to none: front-ends then show the output's first lines.
    fn summary(&self, _input: &Value, _result: &ToolResult) -> Option<String> {
        None
    }

    /// What to show the user when asking to approve this call (a diff for an edit). Defaults to the raw input.
    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        ApprovalDetail::Input { input: input.clone() }
    }
}

/// The first line of the string field `field` of `input`: the usual key argument.
pub fn first_line_of(input: &Value, field: &str) -> Option<String> {
    let text = input.get(field)?.as_str()?;
    Some(text.lines().next().unwrap_or_default().to_string())
}
