//! The agent and its loop.

use crate::config::AgentConfig;
use crate::conversation::Conversation;
use crate::error::AgentError;
use crate::events::EventSink;
use crate::provider::Selection;
use crate::run_scope::RunScope;
use crate::system_prompt::SystemPrompt;
use crate::turn::{RawEvents, TurnFailure, stream_turn};
use claurst_api::{MessagesRequest, ModelClient, ToolDefinition};
use claurst_permissions::PermissionEngine;
use claurst_protocol::{
    AgentEvent, ContentBlock, DenialRecord, Message, PermissionMode, Role, RunOutcome, RunSummary,
    StopReason, ToolCallView,
};
use claurst_session::Note;
use claurst_tools::{ToolRegistry, ToolSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

pub(crate) mod setup;

/// Added to the history when the user interrupts the model mid-reply.
const INTERRUPTED_NOTE: &str = "[The user interrupted this reply.]";

/// A configured agent: a model, tools, permissions and a way to reach the API. It holds no conversation;
/// every run is given one.
pub struct Agent {
    pub(crate) config: AgentConfig,
    pub(crate) project_root: PathBuf,
    session_id: Mutex<String>,
    pub(crate) system: SystemPrompt,
    /// The `# Environment` section, gathered once in the background when the session starts; the first
    /// request waits for it (system_prompt/context.rs bounds how long).
    pub(crate) environment: Arc<tokio::sync::OnceCell<String>>,
    pub(crate) tools: ToolRegistry,
    /// Shared with the walking tools' read filter (see `served_tools::ToolSetup`).
    pub(crate) permissions: Arc<Mutex<PermissionEngine>>,
    /// The engine of a custom command's run (its `allowed-tools` added), used instead of `permissions`
    /// until the run ends.
    pub(crate) run_permissions: Mutex<Option<PermissionEngine>>,
    /// The kinds of sub-agent, shared with the `agent` tool they describe.
    pub(crate) agent_types: Arc<crate::subagents::AgentTypes>,
    /// The output style in use: its name and the system prompt section it puts in place.
    pub(crate) style: Mutex<claurst_extensions::styles::OutputStyle>,
    /// What the user should hear about once the session starts (extension files with mistakes).
    pub(crate) startup_notices: Vec<String>,
    /// The model in use and its client; a turn takes both when it starts, so a switch applies to the next one.
    pub(crate) current: Mutex<Current>,
    /// The extended-thinking budget for the next requests; `None` is off.
    pub(crate) thinking: Mutex<Option<u32>>,
    /// Why `new` could not set the agent up; every run reports it.
    pub(crate) setup_error: Option<SetupError>,
    /// Why shell commands cannot be sandboxed as configured, to tell the user once.
    sandbox_notice: Option<String>,
    /// Whether protected paths are kernel-enforced, learnt after start: a session reports it as a notice.
    pub(crate) namespace_check: claurst_tools::PendingNamespaceCheck,
    /// The sandbox the tools' commands and the hooks run in (one shared workspace): `/add-dir` widens it.
    pub(crate) shell_sandbox: Option<claurst_tools::ShellSandbox>,
    /// Held while the user is asked to run a call outside the sandbox: one question at a time.
    pub(crate) outside_sandbox_questions: tokio::sync::Mutex<()>,
    /// The MCP servers of the session, when any are configured; their tools reach the model through `tools`.
    pub(crate) mcp: Option<crate::mcp::SessionMcp>,
    /// The language servers of the `lsp` tool, shut down when the session ends.
    pub(crate) lsp: Option<std::sync::Arc<claurst_lsp::LspManager>>,
    /// The hooks configured for the session, when any are.
    pub(crate) hooks: Option<crate::hooks::SessionHooks>,
    /// The hooks the front-end's program registered and answers (an Agent SDK's hook callbacks).
    pub(crate) program_hooks: crate::hook_callbacks::ProgramHooks,
    /// Context from SessionStart hooks, sent with the next prompt.
    pub(crate) session_context: Mutex<Vec<String>>,
    /// The session's transcript file, told to hooks (`transcript_path`); the session keeps it current.
    pub(crate) transcript_path: Mutex<Option<PathBuf>>,
    /// Problems with the hooks' set-up (an invalid matcher), to tell the user at session start.
    pub(crate) hook_warnings: Vec<String>,
    /// What the tools share (their working directory): entering a worktree moves it.
    pub(crate) tool_context: Option<Arc<claurst_tools::ToolContext>>,
    /// The worktree the model moved the session into with `enter_worktree`, if it did.
    pub(crate) entered_worktree: Mutex<Option<crate::worktree_switch::EnteredWorktree>>,
    /// What the files the tools change held before each user turn, for rewinding.
    pub(crate) checkpoints: crate::checkpoints::SessionCheckpoints,
    /// Set while a KAIROS tick runs: its tool calls past the blocking budget move to the background.
    #[cfg(feature = "proactive")]
    pub(crate) tick_budget: Mutex<Option<crate::kairos::TickBudget>>,
    /// The pull requests `subscribe_pr` watches, when KAIROS runs: its ticks poll this same instance.
    #[cfg(feature = "proactive")]
    pub(crate) pull_requests: Option<Arc<crate::kairos::pull_requests::PullRequestWatch>>,
    /// Kept alive so the temporary session directory lasts as long as the agent.
    _scratch: Option<tempfile::TempDir>,
}

/// The model in use and the client that reaches it (`None` when `Agent::new` could not build one).
pub(crate) struct Current {
    pub(crate) selection: Selection,
    pub(crate) client: Option<Arc<dyn ModelClient>>,
}

/// A set-up problem kept by `Agent::new` for `run` to report.
pub(crate) enum SetupError {
    MissingKey { provider: String, env: String },
    Other(String),
}

/// The result of `Agent::run`.
#[derive(Debug, Clone)]
pub struct AgentRun {
    pub summary: RunSummary,
    pub conversation: Conversation,
}

impl AgentRun {
    /// The text of the model's last message.
    pub fn final_response(&self) -> &str {
        &self.summary.final_text
    }
}

/// Counters for one run.
#[derive(Default)]
pub(crate) struct RunStats {
    pub turns: u32,
    pub api_time: Duration,
    pub usage: claurst_protocol::Usage,
    pub denials: Vec<DenialRecord>,
    /// A hook answered `continue: false`: the run ends once the current tool results are recorded.
    pub stopped_by_hook: bool,
    /// The user refused a call with "No": the run ends once the tool results are recorded.
    pub stopped_by_user: bool,
    /// What the sub-agents of the last tool calls spent, for the session's totals.
    pub subagent_spend: Vec<crate::subagents::SubagentSpend>,
}

impl Agent {
    /// Offer the model no tools at all (a sub-agent that is given its own with `register_tool`), the API's
    /// web search included.
    pub fn remove_all_tools(&mut self) {
        self.tools = ToolRegistry::new();
        self.config.web_search.enabled = false;
    }

    /// Offer another tool to the model. A tool with a built-in's name replaces it.
    pub fn register_tool(&mut self, tool: Box<dyn claurst_tools::Tool>) {
        self.tools.register(tool);
    }

    pub fn session_id(&self) -> String {
        self.session_id.lock().map(|id| id.clone()).unwrap_or_default()
    }

    /// The session continues under another id (after `/clear` or `/resume`).
    pub fn set_session_id(&self, id: &str) {
        if let Ok(mut current) = self.session_id.lock() {
            *current = id.to_string();
        }
    }

    pub fn project_root(&self) -> &Path {
        &self.project_root
    }

    pub fn permission_mode(&self) -> PermissionMode {
        self.permissions.lock().map(|engine| engine.mode()).unwrap_or_default()
    }

    pub fn set_permission_mode(&self, mode: PermissionMode) {
        if let Ok(mut engine) = self.permissions.lock() {
            engine.set_mode(mode);
        }
        // A custom command's run judges its calls with its own copy (its `allowed-tools` added): the mode
        // changes there too, at once.
        if let Ok(mut run) = self.run_permissions.lock()
            && let Some(engine) = run.as_mut()
        {
            engine.set_mode(mode);
        }
    }

    /// The tools the model would be offered now (built-ins and every MCP tool that is ready), after
    /// `--tools` and deny rules.
    /// The API's own web search counts as the tool `web_search` when the model in use is offered it.
    pub fn tool_names(&self) -> Vec<String> {
        let scope = crate::run_scope::RunScope::main();
        let mut names = self.tools_in(&scope).names();
        let selection = self.current.lock().ok().map(|current| current.selection.clone());
        let server_search =
            selection.is_some_and(|selection| self.server_web_search(&scope, &selection).is_some());
        if server_search && !names.iter().any(|name| name == claurst_protocol::WEB_SEARCH_TOOL) {
            names.push(claurst_protocol::WEB_SEARCH_TOOL.to_string());
        }
        names
    }

    /// Offer the model the tools of a source that changes during the session (MCP servers).
    pub fn add_tool_source(&mut self, source: Arc<dyn claurst_tools::ToolSource>) {
        self.tools.add_source(source);
    }

    /// How the tool calls of a resumed history are shown, described by the tools offered now.
    pub fn describe_history(&self, items: &[claurst_protocol::HistoryItem]) -> Vec<ToolCallView> {
        let tools = self.tools.snapshot();
        items
            .iter()
            .filter_map(|item| match item {
                claurst_protocol::HistoryItem::Message(message) => Some(message),
                _ => None,
            })
            .flat_map(|message| message.tool_uses())
            .map(|(id, name, input)| tools.describe(id, name, input))
            .collect()
    }

    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// Why shell commands cannot be sandboxed as configured (`None` when they can, or the sandbox is off):
    /// front-ends show it once, at session start. That protected paths are not kernel-enforced (no user
    /// namespaces) is learnt later: a session sends it as an `AgentEvent::Notice`.
    pub fn sandbox_notice(&self) -> Option<&str> {
        self.sandbox_notice.as_deref()
    }

    /// Run until the model ends its turn, with no front-end: calls that need approval are denied.
    pub async fn run(&self, messages: Vec<Message>) -> Result<AgentRun, AgentError> {
        let mut conversation = Conversation::from_messages(messages);
        if !conversation.ends_with_user() {
            return Err(AgentError::NoPrompt);
        }
        // A one-shot run has no later turn for a slow server to join: its tools are there from the start.
        self.settle_mcp().await;
        let (summary, result) =
            self.run_conversation(&mut conversation, &EventSink::discard(), &CancellationToken::new()).await;
        result.map(|()| AgentRun { summary, conversation })
    }

    /// Run `conversation` (ending with a user message) to the end of the model's turn, reporting through `sink`.
    /// Always emits exactly one `RunFinished`.
    pub(crate) async fn run_conversation(
        &self,
        conversation: &mut Conversation,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> (RunSummary, Result<(), AgentError>) {
        self.run_in(&RunScope::main(), conversation, sink, cancel).await
    }

    /// Run `conversation` in `scope` (the main conversation's or a sub-agent's). Always emits exactly one
    /// `RunFinished`.
    pub(crate) async fn run_in(
        &self,
        scope: &RunScope,
        conversation: &mut Conversation,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> (RunSummary, Result<(), AgentError>) {
        let started = Instant::now();
        let mut stats = RunStats::default();
        let result = self.drive(scope, conversation, sink, cancel, &mut stats).await;
        match &result {
            Err(AgentError::Interrupted) => {
                conversation.close_open_tool_calls(claurst_protocol::INTERRUPTED_TOOL_RESULT);
                conversation.note(Note::Interrupted);
            }
            Err(error) if !matches!(error, AgentError::MaxTurns(_) | AgentError::MaxBudget { .. }) => {
                conversation.note(Note::RunFailed { message: error.to_string() });
            }
            _ => {}
        }
        let outcome = match &result {
            Ok(()) => RunOutcome::Success,
            Err(AgentError::MaxTurns(_)) => RunOutcome::MaxTurns,
            Err(AgentError::MaxBudget { .. }) => RunOutcome::MaxBudget,
            Err(AgentError::Interrupted) => RunOutcome::Interrupted,
            Err(error) => RunOutcome::Error(error.to_string()),
        };
        let summary = RunSummary {
            outcome,
            final_text: conversation.last_assistant_text(),
            num_turns: stats.turns,
            duration_ms: millis(started.elapsed()),
            duration_api_ms: millis(stats.api_time),
            total_cost_usd: conversation.total_cost_usd(),
            usage: stats.usage,
            session_id: self.session_id(),
            permission_denials: std::mem::take(&mut stats.denials),
            model_usage: conversation.model_usage(),
        };
        sink.emit(AgentEvent::RunFinished(summary.clone())).await;
        (summary, result)
    }

    async fn drive(
        &self,
        scope: &RunScope,
        conversation: &mut Conversation,
        sink: &EventSink,
        cancel: &CancellationToken,
        stats: &mut RunStats,
    ) -> Result<(), AgentError> {
        if self.setup_error.is_some() {
            return Err(self.setup_failure());
        }
        self.environment_ready().await;
        let mut continuations = 0;
        let mut fell_back = false;
        loop {
            if let Some(limit) = self.config.max_turns
                && stats.turns >= limit
            {
                return Err(AgentError::MaxTurns(limit));
            }
            self.check_budget(scope, conversation)?;
            self.compact_if_full(conversation, sink, cancel).await?;
            stats.turns += 1;
            sink.emit(AgentEvent::TurnStarted { turn: stats.turns }).await;
            let (selection, client) = self.turn_client_in(scope)?;
            // The tools of this turn, fixed now: no request waits for MCP servers (a server still starting
            // joins the first turn after it is ready); this only makes sure they were started.
            self.start_mcp();
            let tools = self.tools_in(scope);
            let request = self.request(scope, &selection, conversation, &tools);
            let raw_events =
                if self.config.forward_stream_events { RawEvents::Forward } else { RawEvents::Drop };
            let (response, api_time) = stream_turn(client.as_ref(), &request, sink, cancel, raw_events).await;
            stats.api_time += api_time;
            let response = match response {
                Ok(response) => response,
                Err(TurnFailure::Interrupted { partial_text }) => {
                    record_interrupted_reply(conversation, partial_text);
                    return Err(AgentError::Interrupted);
                }
                Err(TurnFailure::Api(error)) => {
                    if !fell_back && self.fall_back(scope, &error, conversation, sink).await {
                        fell_back = true;
                        stats.turns -= 1;
                        continue;
                    }
                    return Err(error.into());
                }
            };
            self.account(&selection, conversation, stats, &response.usage, sink).await;
            conversation.push_assistant(response.message.clone(), response.stop_reason.clone());
            let reply = response.reply_info();
            sink.emit(AgentEvent::AssistantMessage { message: response.message.clone(), reply }).await;
            sink.emit(AgentEvent::TurnEnded { stop_reason: response.stop_reason.clone() }).await;

            let calls: Vec<ToolCallView> = response
                .message
                .tool_uses()
                .map(|(id, name, input)| tools.describe(id, name, input))
                .collect();
            if calls.is_empty() {
                if response.stop_reason == Some(StopReason::PauseTurn)
                    || self.stop_hooks_continue(scope, conversation, &mut continuations, sink).await
                {
                    continue;
                }
                return Ok(());
            }
            let results = self.run_tool_calls(scope, &tools, calls, sink, cancel, stats).await;
            let message = Message { role: Role::User, content: results };
            conversation.push(message.clone());
            sink.emit(AgentEvent::ToolResults { message }).await;
            if !stats.subagent_spend.is_empty() {
                // The run's usage counts its sub-agents' tokens, as its cost does.
                for spend in std::mem::take(&mut stats.subagent_spend) {
                    spend.costs.iter().for_each(|cost| stats.usage.accumulate(&cost.usage));
                    spend.record_in(conversation);
                }
                self.report_usage(conversation, &claurst_protocol::Usage::default(), sink).await;
            }
            if cancel.is_cancelled() {
                return Err(AgentError::Interrupted);
            }
            if stats.stopped_by_hook || stats.stopped_by_user {
                return Ok(());
            }
        }
    }

    /// `--max-budget-usd`: the main conversation makes no further request once the session's cost passed
    /// the budget (a sub-agent's spend counts once its call ends).
    fn check_budget(&self, scope: &RunScope, conversation: &Conversation) -> Result<(), AgentError> {
        let spent = conversation.total_cost_usd();
        match self.config.max_budget_usd {
            Some(limit) if scope.subagent.is_none() && spent > limit => {
                Err(AgentError::MaxBudget { spent, limit })
            }
            _ => Ok(()),
        }
    }

    /// `--fallback-model`: when the main conversation's model is still overloaded after the retries, switch
    /// the session to the fallback model (the primary is at capacity for the following requests too) and say
    /// so; the transcript records the switch as `set_model` does, so a resumed session stays on the
    /// fallback. Whether the request should be sent again.
    async fn fall_back(
        &self,
        scope: &RunScope,
        error: &claurst_api::ApiError,
        conversation: &mut Conversation,
        sink: &EventSink,
    ) -> bool {
        let Some(fallback) = self.config.fallback_model.as_deref() else { return false };
        if scope.subagent.is_some() || !error.is_overloaded() || self.model() == fallback {
            return false;
        }
        let primary = self.model();
        match self.set_model(fallback) {
            Ok(label) => {
                conversation.note(claurst_session::Note::ModelChanged { model: label.clone() });
                sink.emit(AgentEvent::ModelChanged(label.clone())).await;
                let text = format!("{primary} is overloaded; continuing with the fallback model {label}");
                sink.emit(AgentEvent::Notice { text }).await;
                true
            }
            Err(switch_error) => {
                tracing::warn!(%switch_error, "the fallback model cannot be used");
                false
            }
        }
    }

    fn request(
        &self,
        scope: &RunScope,
        selection: &Selection,
        conversation: &Conversation,
        tools: &ToolSet,
    ) -> MessagesRequest {
        let base = self.request_base(selection);
        let system = match &scope.subagent {
            Some(sub) => sub.system.clone(),
            None => base.system,
        };
        let web_search = self.server_web_search(scope, selection);
        MessagesRequest {
            system,
            messages: crate::request::messages_for(&selection.provider, conversation.messages()),
            // The API's search replaces the client-side tool of the same name.
            tools: tools
                .iter()
                .filter(|tool| web_search.is_none() || tool.name() != claurst_protocol::WEB_SEARCH_TOOL)
                .map(|tool| ToolDefinition {
                    name: tool.name().into(),
                    description: tool.description().into(),
                    input_schema: tool.input_schema(),
                })
                .collect(),
            web_search,
            ..base
        }
    }

    /// Count a response's tokens and cost, and tell the front-end.
    pub(crate) async fn account(
        &self,
        selection: &Selection,
        conversation: &mut Conversation,
        stats: &mut RunStats,
        usage: &claurst_protocol::Usage,
        sink: &EventSink,
    ) {
        stats.usage.accumulate(usage);
        let model = selection.label();
        let cost = self.price(selection).map(|price| price.cost(usage));
        conversation.record_usage(&model, usage, cost, usage.context_tokens() + usage.output_tokens);
        self.report_usage(conversation, usage, sink).await;
    }

    /// The session totals as a `Usage` event (also after a resume or a compaction changed them).
    pub(crate) async fn report_usage(
        &self,
        conversation: &Conversation,
        turn: &claurst_protocol::Usage,
        sink: &EventSink,
    ) {
        sink.emit(AgentEvent::Usage {
            turn: *turn,
            session_total: conversation.total_usage(),
            session_cost_usd: conversation.total_cost_usd(),
            price_unknown: conversation.price_unknown(),
            context_tokens: conversation.context_tokens,
            context_window: self.context_window(),
        })
        .await;
    }
}

/// Keep what the user saw of an interrupted reply, and say that it was cut short.
fn record_interrupted_reply(conversation: &mut Conversation, partial_text: String) {
    if !partial_text.trim().is_empty() {
        conversation.push(Message { role: Role::Assistant, content: vec![ContentBlock::text(partial_text)] });
        conversation.push(Message::user(INTERRUPTED_NOTE));
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
