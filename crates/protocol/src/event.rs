//! The event protocol: the agent emits `AgentEvent`s, front-ends send `Op`s back.
//!
//! Every item has a start, its deltas and an end: a model turn is `TurnStarted`, `TextDelta`/`ThinkingDelta`,
//! then `AssistantMessage` and `TurnEnded`; a tool call is `ToolCallRequested`, optionally `ApprovalRequested`,
//! then `ToolCallDenied` or `ToolCallStarted` … `ToolCallFinished`. A run (one prompt) always ends with exactly
//! one `RunFinished`, whatever happened, so a front-end can rely on it to leave its busy state.

use crate::message::{Message, StopReason, Usage};
use crate::permission::PermissionMode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::oneshot;

/// The result of a tool call that an interruption stopped, as the model is told (front-ends recognise it).
pub const INTERRUPTED_TOOL_RESULT: &str = "Interrupted by the user: the tool was stopped before it finished.";

/// What a front-end asks the agent to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Start a run with this prompt (queued while another job runs).
    Prompt { text: String },
    /// Start a run with this prompt and these images (a program driving Claurst sent both).
    PromptWithImages { text: String, images: Vec<crate::message::ImageSource> },
    /// Stop the current run at once: the stream is dropped, running tools are killed, and every `tool_use`
    /// already in the history gets a `tool_result` so the conversation stays well-formed.
    Interrupt,
    /// Take back the last prompt queued with this text while a job runs (the user pulled it back into the
    /// composer to edit it). Nothing happens when it already started or is not queued.
    WithdrawQueuedPrompt { text: String },
    /// Run a shell command the user typed (`!cmd`): no approval is asked, its output is shown and added to
    /// the conversation as context for the next prompt.
    RunShell { command: String },
    /// Change the permission mode for the following tool calls.
    SetPermissionMode(PermissionMode),
    /// The front-end has drawn its first frame: background work that would compete with it (starting MCP
    /// servers) may begin.
    FrontEndReady,
    /// Act on an MCP server (trust, reconnect, enable, run a prompt); answered by `McpServers` or a notice.
    Mcp(crate::mcp::McpRequest),
    /// Change the model used for the following requests: `MODEL` or `PROVIDER/MODEL`.
    SetModel(String),
    /// Ask the current provider's endpoint which models it serves; answered by `ModelsListed` (or a notice)
    /// in the background, whatever else runs.
    ListModels,
    /// Turn extended thinking on with this budget (tokens), or off (`None`), for the following requests.
    SetThinking(Option<u32>),
    /// Forget the conversation and start fresh.
    ClearConversation,
    /// Ask for a report (`/memory`, `/dream`, `/cost`); it comes back as `AgentEvent::Report`.
    Report(ReportKind),
    /// Summarise the older part of the conversation now (`/compact [instructions]`).
    Compact { instructions: Option<String> },
    /// Ask for this project's saved sessions; they come back as `AgentEvent::SessionList`.
    ListSessions,
    /// Continue a saved session instead of the current one.
    ResumeSession { session_id: String },
    /// Ask the model to study the project and write a first `CLAURST.md` (`/init`).
    InitProject,
    /// The user's answer about the hooks the project defines (`SessionInfo::hooks_awaiting_approval`):
    /// remembered for this project, applied from the next event on; answered by a notice.
    TrustProjectHooks { choice: crate::mcp::TrustChoice },
    /// Run a custom command or a skill by name (`/frontend:test 42`) with the text typed after it.
    RunCommand { name: String, arguments: String },
    /// Use this output style from the next request on; answered by `OutputStyleChanged` or a notice.
    SetOutputStyle(String),
    /// Ask the model to draft a sub-agent definition from the user's short description (`/agents new …`);
    /// answered by `AgentDrafted` or a notice. Nothing is saved until `SaveAgent`.
    DraftAgent { description: String },
    /// Save a sub-agent definition (Markdown with frontmatter) the user reviewed; answered by `AgentTypes`
    /// and a notice naming the file, or a notice saying what is wrong with it.
    SaveAgent { scope: crate::extensions::AgentScope, markdown: String },
    /// Add kinds of sub-agent for the rest of the session, as JSON in `--agents` shape (an Agent SDK sends
    /// them when it connects); answered by `AgentTypes`, or a notice saying what is wrong.
    AddAgents { json: String },
    /// The hooks the front-end's program answers (an Agent SDK registers them when it connects); replaces
    /// the previous list. Calls reach the program through `AgentConfig.hooks.callbacks`.
    RegisterHookCallbacks(Vec<crate::hook::HookCallbackRegistration>),
    /// Ask for the session's turns a rewind can go back to; answered by `Checkpoints`.
    ListCheckpoints,
    /// Go back to before `turn` (a `TurnView::turn`): put back the files, the conversation or both;
    /// answered by `Rewound` (after `HistoryLoaded` when the conversation changed) or a notice.
    Rewind { turn: u32, scope: crate::rewind::RestoreScope },
    /// Ask for every permission rule with its scope (`/permissions`); answered by `PermissionRules`.
    ListPermissionRules,
    /// Add or remove a rule: saved to its scope's file (comments kept) and applied to the session at once;
    /// answered by `PermissionRules`, or `PermissionRuleRefused` saying why (an invalid rule, a bad file).
    EditPermissionRule(crate::permission_rules::RuleEdit),
    /// Save a setting to the user's config file (comments kept); answered by a notice naming the file, or
    /// saying why it could not be saved. Applying it to the session is a separate op where it applies.
    SaveUserSetting(crate::settings::UserSetting),
    /// Let tools read and write in this directory too for the rest of the session, like `--add-dir`
    /// (`/add-dir`); relative to the project root. Answered by a notice saying what happened.
    AddDirectory(std::path::PathBuf),
    /// List this repository's Claurst worktrees, or remove the clean, merged ones (`/worktrees [clean]`);
    /// answered by a notice.
    Worktrees(WorktreesRequest),
    /// Write a bug report file (`/bug`): the session's facts and configuration with secrets redacted, the
    /// front-end's `recent` events, and the conversation only when `include_conversation`. Answered by a
    /// notice naming the file.
    WriteBugReport { terminal: (u16, u16), recent: Vec<String>, include_conversation: bool },
    /// Stop the agent task.
    Shutdown,
    /// Ask KAIROS for its state, pause or resume it, or read its log (sessions without KAIROS say so).
    Kairos(crate::kairos::KairosRequest),
    /// The user is typing: no KAIROS tick starts for a short while (front-ends send it at most once a second).
    UserActivity,
}

/// Facts about the session, sent once when the agent starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub session_id: String,
    pub model: String,
    pub cwd: String,
    pub tools: Vec<String>,
    pub permission_mode: PermissionMode,
    /// Every configured MCP server and its status when the session started.
    #[serde(default)]
    pub mcp_servers: Vec<crate::mcp::McpServerView>,
    /// The hooks the project defines that wait for the user's approval (none: nothing to ask).
    #[serde(default)]
    pub hooks_awaiting_approval: Vec<crate::hook::HookView>,
    /// Custom commands and skills the user can type as `/name`.
    #[serde(default)]
    pub commands: Vec<crate::extensions::ExtensionCommandView>,
    /// The output styles to choose from, and the one in use.
    #[serde(default)]
    pub output_styles: Vec<crate::extensions::OutputStyleView>,
    #[serde(default)]
    pub output_style: String,
    /// The kinds of sub-agent the model may start with the `agent` tool.
    #[serde(default)]
    pub agents: Vec<crate::extensions::AgentTypeView>,
}

/// A tool call as the model asked for it, with how front-ends show it (told by the tool itself, so no
/// front-end needs to know tool names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCallView {
    pub id: String,
    pub name: String,
    pub input: Value,
    /// The tool's display title (`bash`, `github · create_issue (MCP)`); the name when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The argument a user recognises the call by (a command, a path), on one line; may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key_argument: String,
    #[serde(default)]
    pub family: ToolFamily,
}

impl ToolCallView {
    /// A call shown by its name alone, until the tool that runs it describes it.
    pub fn new(id: impl Into<String>, name: impl Into<String>, input: Value) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            input,
            title: String::new(),
            key_argument: String::new(),
            family: ToolFamily::Other,
        }
    }

    /// The title to show: the tool's own, else its name.
    pub fn display_title(&self) -> &str {
        if self.title.is_empty() { &self.name } else { &self.title }
    }
}

/// What kind of thing a tool does, for front-ends and for grouping rules: not a permission in itself (the
/// permission engine judges each call's `Access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolFamily {
    /// Reads or searches files.
    Read,
    /// Creates or changes files.
    Edit,
    /// Runs commands.
    Shell,
    /// Reaches the network (fetches, MCP servers).
    Network,
    /// Starts a sub-agent, whose own calls are each judged and shown (its events arrive as `Subagent`).
    Agent,
    /// Anything else (task lists, shell output).
    #[default]
    Other,
}

/// The end of a tool call: what the model is told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolFinished {
    pub id: String,
    pub name: String,
    pub output: String,
    pub is_error: bool,
    pub duration_ms: u64,
    /// The outcome in one line for people (`Read 120 lines`, `Ran cargo test (exit 0, 54 lines)`), told by
    /// the tool; empty when it has none (front-ends then show the output's first lines).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The file the call changed and how, for front-ends to draw as a diff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<FileChange>,
}

/// A change a tool made to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    /// As shown to the user (relative to the project when inside it).
    pub path: String,
    /// A unified diff of the change (`--- /dev/null` for a new file).
    pub diff: String,
}

/// A tool call that the permission engine or the user refused, in the shape CI tooling reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenialRecord {
    pub tool_name: String,
    pub tool_use_id: String,
    pub tool_input: Value,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum RunOutcome {
    /// The model ended its turn.
    Success,
    /// `--max-turns` stopped the run before the model finished.
    MaxTurns,
    /// The user interrupted the run.
    Interrupted,
    /// `--max-budget-usd` stopped the run: the session's cost passed it.
    MaxBudget,
    /// The run failed; the message says why and what to do.
    Error(String),
}

impl RunOutcome {
    pub fn is_success(&self) -> bool {
        matches!(self, RunOutcome::Success)
    }
}

/// Totals for one run, sent with `RunFinished`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub outcome: RunOutcome,
    /// The text of the last assistant message.
    pub final_text: String,
    /// Model requests made during the run.
    pub num_turns: u32,
    pub duration_ms: u64,
    pub duration_api_ms: u64,
    /// Cost of the whole session so far, in US dollars.
    pub total_cost_usd: f64,
    /// Tokens used during this run.
    pub usage: Usage,
    pub session_id: String,
    pub permission_denials: Vec<DenialRecord>,
    /// Tokens and cost per model over the whole session.
    pub model_usage: Vec<ModelUsage>,
}

/// What the user is shown when asked to approve a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApprovalDetail {
    /// A shell command.
    Command { command: String },
    /// A file change, as a unified diff.
    Diff { path: String, diff: String },
    /// A URL to fetch.
    Fetch { url: String },
    /// Anything else: the raw input.
    Input { input: Value },
    /// An approved command the kernel sandbox stopped from changing `path`: run it once more, outside the
    /// sandbox? Allowing it always is not offered; both allow answers mean this once.
    OutsideSandbox { command: String, path: String },
}

/// The user's answer to an approval request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Decision {
    /// Run this call only.
    AllowOnce,
    /// Run this call only, with this input instead of the model's (a program driving Claurst may rewrite
    /// what it approves, as an Agent SDK's `can_use_tool` callback can).
    AllowWithInput(Value),
    /// Run it and save the suggested rule so that calls like it are allowed from now on.
    AllowAlways,
    /// Refuse the call.
    Deny,
    /// Refuse the call and tell the model why; the turn goes on.
    DenyWithFeedback(String),
    /// Refuse the call and end the turn: the model is not called again until the user's next prompt (the
    /// interactive "No"). The call, and every other call of the turn not run yet, get a result saying so.
    DenyAndStop,
}

impl Decision {
    /// The decision in a permission answer as the Agent SDKs and permission prompt tools give it
    /// (`{"behavior": "allow", "updatedInput": …}` or `{"behavior": "deny", "message": …, "interrupt": bool}`),
    /// and whether it also asks to stop the turn. `input` is the call's: an `updatedInput` equal to it is a
    /// plain allow. Anything else refuses the call, saying what was not understood.
    pub fn from_permission_answer(answer: &Value, input: &Value) -> (Decision, bool) {
        match answer.get("behavior").and_then(Value::as_str) {
            Some("allow") => match answer.get("updatedInput") {
                Some(updated) if updated.is_object() && updated != input => {
                    (Decision::AllowWithInput(updated.clone()), false)
                }
                _ => (Decision::AllowOnce, false),
            },
            Some("deny") => {
                let message = answer.get("message").and_then(Value::as_str).unwrap_or_default();
                let interrupt = answer.get("interrupt").and_then(Value::as_bool).unwrap_or(false);
                let decision = if message.is_empty() {
                    Decision::Deny
                } else {
                    Decision::DenyWithFeedback(message.to_string())
                };
                (decision, interrupt)
            }
            _ => (
                Decision::DenyWithFeedback(format!(
                    "The approver's answer was not understood (expected behavior allow or deny): {answer}"
                )),
                false,
            ),
        }
    }
}

/// The reply half of an approval request. Dropping it unanswered counts as `Decision::Deny`.
#[derive(Debug)]
pub struct ApprovalResponder(oneshot::Sender<Decision>);

impl ApprovalResponder {
    /// A responder and the receiver the agent awaits.
    pub fn channel() -> (ApprovalResponder, oneshot::Receiver<Decision>) {
        let (sender, receiver) = oneshot::channel();
        (ApprovalResponder(sender), receiver)
    }

    /// Answer the request. Answering after the run was interrupted is harmless.
    pub fn respond(self, decision: Decision) {
        // The agent may have stopped waiting (interrupt); the decision is then moot.
        let _ = self.0.send(decision);
    }
}

/// A tool call waiting for the user's decision.
#[derive(Debug)]
pub struct ApprovalRequest {
    pub call: ToolCallView,
    /// What the call does, in one line (`Bash(cargo test)`).
    pub title: String,
    pub detail: ApprovalDetail,
    /// The rule "allow and remember" would save, in config syntax (`bash(cargo test:*)`).
    pub suggested_rule: String,
    pub responder: ApprovalResponder,
}

/// Reports a front-end can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// What memory and project instructions are loaded, and what exists.
    Memory,
    /// The dream's status: waiting, running, the last result.
    Dream,
    /// Tokens and cost per model for the session.
    Cost,
    /// Every configured hook, where it is defined and whether it runs (`/hooks`).
    Hooks,
    /// Every skill the model can load, where it comes from, and how to type it (`/skills`).
    Skills,
    /// What fills the context window (`/context`): answered by `AgentEvent::ContextUsage`, not `Report`.
    Context,
    /// The installation's health (`/doctor`): version, config files, API key and reachability, sandbox,
    /// MCP servers, hooks, tools on the PATH.
    Doctor,
}

/// A saved session as a picker shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChoice {
    pub session_id: String,
    /// The first prompt, on one line.
    pub first_prompt: String,
    /// When it was last written, for people (`2026-11-24 19:02`).
    pub modified: String,
    pub size_bytes: u64,
    pub message_count: u64,
}

/// Something of a resumed session's past, for front-ends to show before the new turns.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryItem {
    Message(Message),
    /// Older messages were replaced by this summary.
    Compacted {
        summary: String,
    },
    /// Something that happened without changing the conversation (an interruption, an error).
    Note(String),
}

/// Who asked for a compaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompactionCause {
    /// `/compact`.
    User,
    /// The context passed the configured share of the window.
    ContextFull,
}

/// Tokens and cost of one model over the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelUsage {
    pub model: String,
    pub usage: Usage,
    pub cost_usd: f64,
}

/// The background memory consolidation ("dream") as front-ends show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreamView {
    /// A dream is running now.
    pub running: bool,
    /// The running phase (`orient`, `gather`, `consolidate`, `prune`).
    pub phase: Option<String>,
    /// One or two lines for people: what it waits for or is doing, and how the last one went.
    pub summary: String,
}

/// One item on the agent's task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoItem {
    pub content: String,
    pub status: TodoStatus,
}

/// Progress of a task-list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoStatus {
    Pending,
    InProgress,
    Completed,
}

/// Everything the agent tells a front-end.
#[derive(Debug)]
pub enum AgentEvent {
    SessionStarted(SessionInfo),
    /// A user prompt was accepted and a run begins.
    RunStarted {
        prompt: String,
    },
    /// A model request begins (`turn` counts from 1 within the run).
    TurnStarted {
        turn: u32,
    },
    TextDelta {
        text: String,
    },
    ThinkingDelta {
        text: String,
    },
    /// The model's complete message for this turn, and what the API said about the reply (its id, model,
    /// stop reason and usage).
    AssistantMessage {
        message: Message,
        reply: crate::stream::ReplyInfo,
    },
    /// One streaming event of the model's reply as the API sent it, for front-ends that forward them
    /// (`--include-partial-messages`). Sent only when the session was asked to (`forward_stream_events`),
    /// and only by providers that speak the Messages API; `TextDelta` and friends come either way.
    ModelStreamEvent(crate::stream::StreamEvent),
    ToolCallRequested(ToolCallView),
    ApprovalRequested(ApprovalRequest),
    /// The model asks the user multiple-choice questions (`ask_user_question`, `enter_plan_mode`); the call
    /// waits for the reply. Front-ends without a user drop the request: the model is told no one answered.
    QuestionAsked(crate::interaction::QuestionRequest),
    /// The model presents its plan for review (`exit_plan_mode` in plan mode); the call waits for the verdict.
    PlanReviewRequested(crate::interaction::PlanRequest),
    ToolCallDenied {
        id: String,
        reason: String,
    },
    ToolCallStarted {
        id: String,
    },
    ToolCallFinished(ToolFinished),
    /// The API began searching the web for the model (its server-side `web_search`): it runs the search
    /// itself, so no approval is asked and no `ToolCallRequested` comes.
    WebSearchStarted {
        id: String,
        query: String,
    },
    /// The API's search ended: the pages it found, or why it failed.
    WebSearchFinished {
        id: String,
        outcome: crate::web_search::WebSearchOutcome,
    },
    /// The tool results sent back to the model, as the user message appended to the history.
    ToolResults {
        message: Message,
    },
    /// The agent's task list changed.
    TodosUpdated {
        todos: Vec<TodoItem>,
    },
    /// Usage of the turn just finished, and running totals.
    Usage {
        turn: Usage,
        session_total: Usage,
        /// The cost of the requests whose price is known.
        session_cost_usd: f64,
        /// Some request's price is unknown: front-ends show "price unknown" rather than $0.
        price_unknown: bool,
        /// Tokens of the context window the conversation now occupies, and the window's size.
        context_tokens: u64,
        context_window: u64,
    },
    /// A request failed in a way worth retrying; the next attempt starts after `delay_ms`.
    Retrying {
        attempt: u32,
        max_attempts: u32,
        delay_ms: u64,
        reason: String,
        /// The HTTP status of the failed attempt, when the API answered one.
        error_status: Option<u16>,
    },
    TurnEnded {
        stop_reason: Option<StopReason>,
    },
    PermissionModeChanged(PermissionMode),
    /// The permission rules in force, by scope (after `ListPermissionRules` or an edit).
    PermissionRules(crate::permission_rules::PermissionRulesView),
    /// An `EditPermissionRule` was not applied: `rule` as typed and the reason.
    PermissionRuleRefused {
        rule: String,
        reason: String,
    },
    ModelChanged(String),
    /// The models `provider`'s endpoint says it serves, as the user names them (`PROVIDER/MODEL`).
    ModelsListed {
        provider: String,
        models: Vec<String>,
    },
    /// Extended thinking is now on with this budget, or off.
    ThinkingChanged(Option<u32>),
    /// This output style applies from the next request on.
    OutputStyleChanged(String),
    ConversationCleared,
    /// Something the user should know that is not an error (a warning from config, a skipped file).
    Notice {
        text: String,
    },
    /// The answer to `Op::Report`.
    Report {
        kind: ReportKind,
        text: String,
    },
    /// The dream's status changed.
    DreamStatus(DreamView),
    /// The answer to `Op::Report(ReportKind::Context)`.
    ContextUsage(crate::context_usage::ContextUsage),
    /// A saved session was loaded: its past, to show before anything new. Sent at start for `--continue` and
    /// `--resume`, and after `Op::ResumeSession`.
    HistoryLoaded {
        session_id: String,
        items: Vec<HistoryItem>,
        /// How the history's tool calls are shown, by call id (described by today's tools).
        calls: Vec<ToolCallView>,
    },
    /// The answer to `Op::ListSessions`, newest first.
    SessionList {
        sessions: Vec<SessionChoice>,
    },
    /// A compaction began (the conversation is being summarised).
    CompactionStarted {
        cause: CompactionCause,
    },
    /// The conversation was compacted: `replaced` older messages are now `summary`.
    Compacted {
        cause: CompactionCause,
        replaced: usize,
        summary: String,
    },
    /// Every run ends with exactly one of these.
    RunFinished(RunSummary),
    /// Every configured MCP server and its status, sent whenever one changes.
    McpServers(Vec<crate::mcp::McpServerView>),
    /// A hook failed, blocked something, left a note, stopped the agent or sent it back to work.
    HookReported(crate::hook::HookReport),
    /// A sub-agent began work for the `agent` call `parent_id`; its events follow as `Subagent`.
    SubagentStarted(SubagentView),
    /// Something a sub-agent did, told with the `agent` call that started it. The inner event is one the
    /// sub-agent's own run emitted (a sub-agent of a sub-agent nests a second `Subagent`); its run ends
    /// with its own `RunFinished`, and the parent's `ToolCallFinished` for `parent_id` carries its report.
    Subagent {
        parent_id: String,
        event: Box<AgentEvent>,
    },
    /// A sub-agent definition the model drafted for `Op::DraftAgent`, for the user to review.
    AgentDrafted {
        name: String,
        markdown: String,
    },
    /// The kinds of sub-agent changed (a definition was saved); the model is offered them from its next turn.
    AgentTypes(Vec<crate::extensions::AgentTypeView>),
    /// The answer to `Op::ListCheckpoints`: the session's turns, oldest first.
    Checkpoints(Vec<crate::rewind::TurnView>),
    /// A rewind happened (the answer to `Op::Rewind`).
    Rewound(crate::rewind::RewindReport),
    /// Something the proactive mode did or is (only sessions running KAIROS send these).
    Kairos(crate::kairos::KairosEvent),
}

/// A sub-agent as front-ends show it while it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubagentView {
    /// The id of the `agent` tool call that started it.
    pub parent_id: String,
    /// Its kind (`explore`, `reviewer`).
    pub agent_type: String,
    /// The short description the model gave the task.
    pub description: String,
    /// The model it runs on, as the user names it.
    pub model: String,
    /// The session id its transcript is saved under (`claurst --resume ID` reopens it), when saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn dropped_responder_reads_as_closed_channel() {
        let (responder, receiver) = ApprovalResponder::channel();
        drop(responder);
        assert!(receiver.await.is_err());
    }

    #[test]
    fn permission_answers_become_decisions() {
        use serde_json::json;
        let input = json!({"command": "ls"});
        let decide = |answer: Value| Decision::from_permission_answer(&answer, &input);
        assert_eq!(decide(json!({"behavior": "allow"})), (Decision::AllowOnce, false));
        assert_eq!(
            decide(json!({"behavior": "allow", "updatedInput": {"command": "ls"}})),
            (Decision::AllowOnce, false)
        );
        assert_eq!(
            decide(json!({"behavior": "allow", "updatedInput": {"command": "ls -a"}})),
            (Decision::AllowWithInput(json!({"command": "ls -a"})), false)
        );
        assert_eq!(
            decide(json!({"behavior": "deny", "message": "not that", "interrupt": true})),
            (Decision::DenyWithFeedback("not that".into()), true)
        );
        assert_eq!(decide(json!({"behavior": "deny"})), (Decision::Deny, false));
        assert!(
            matches!(decide(json!({"x": 1})).0, Decision::DenyWithFeedback(text) if text.contains("not understood"))
        );
    }

    #[tokio::test]
    async fn responder_delivers_decision() {
        let (responder, receiver) = ApprovalResponder::channel();
        responder.respond(Decision::DenyWithFeedback("use rg".into()));
        assert_eq!(receiver.await.unwrap(), Decision::DenyWithFeedback("use rg".into()));
    }
}

/// What `/worktrees` asks of the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorktreesRequest {
    /// Name, branch, state and path of each Claurst worktree.
    List,
    /// Remove those with no uncommitted change and no unmerged commit (never the session's own).
    Clean,
}
