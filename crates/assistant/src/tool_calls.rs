//! Running the tool calls of one assistant message: permission, approval, execution.
//!
//! Consecutive read-only calls run in parallel; a mutating call runs alone, in the order the model gave.
//! Approvals are asked one at a time, in order. Every call gets exactly one result, whatever happens.

use crate::agent::{Agent, RunStats};
use crate::config::{AgentConfig, ApprovalMode};
use crate::error::AgentError;
use crate::events::EventSink;
use crate::run_scope::RunScope;
use crate::subagents::Delegation;
use claurst_extensions::hooks::HookPermission;
use claurst_permissions::{Grant, PermissionEngine, PermissionPolicy, Rule, RuleSet, Verdict};
use claurst_protocol::INTERRUPTED_TOOL_RESULT;
use claurst_protocol::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, ContentBlock, Decision, DenialRecord,
    FileChange, ToolCallView, ToolFamily, ToolFinished, ToolResultContent,
};
use claurst_tools::{SandboxRefusal, Tool, ToolOutcome, ToolSet, ToolUpdate};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// The engine for a new agent: configured rules plus the rules the user remembered for this project.
/// `tool_output` (where the bash tool saves large outputs) is readable without asking. `read_only_shell` says
/// whether shell commands classified read-only may run without approval: only when the kernel sandbox
/// confines them (or the user turned it off).
pub(crate) fn permission_engine(
    config: &AgentConfig,
    project_root: &Path,
    tool_output: &Path,
    read_only_shell: bool,
) -> Result<PermissionEngine, AgentError> {
    let rules = RuleSet::parse(&config.allow, &config.ask, &config.deny)
        .map_err(|error| AgentError::InvalidRule { list: "[tools]", message: error.to_string() })?;
    let policy = PermissionPolicy {
        mode: config.permission_mode,
        rules,
        project_root: project_root.to_path_buf(),
        additional_dirs: config.additional_directories.clone(),
        home_dir: std::env::var_os("HOME").map(std::path::PathBuf::from),
        // Skill folders too: the `skill` tool tells the model to read their bundled files.
        readable_dirs: std::iter::once(tool_output.to_path_buf())
            .chain(config.extensions.skills.iter().map(|skill| skill.dir.clone()))
            .collect(),
        auto_approve_read_only_shell: read_only_shell,
        xdg_config_home: std::env::var_os("XDG_CONFIG_HOME").map(std::path::PathBuf::from),
    };
    PermissionEngine::new(policy)
        .map_err(|error| AgentError::InvalidRule { list: "remembered rules", message: error.to_string() })
}

/// Whether a call may run, and with which tool.
enum Authorization {
    /// Run it, within what the grant allows.
    Run(Arc<dyn Tool>, Grant),
    Refused(String),
    /// Refused by the user, who also ended the turn: no further call runs and the model is not called again.
    Stopped(String),
    Interrupted,
}

/// The result of a call the user refused with "No", which also ends the turn.
pub(crate) const USER_REFUSED_TOOL_RESULT: &str =
    "The user refused this tool call and stopped the turn. Wait for the user's next message.";
/// The result of a call not run because the user refused an earlier call of the same turn.
pub(crate) const NOT_RUN_AFTER_REFUSAL: &str =
    "Not run: the user refused an earlier tool call of this turn and stopped the turn.";

impl Agent {
    /// Run every call; the results come back in the calls' order.
    pub(crate) async fn run_tool_calls(
        &self,
        scope: &RunScope,
        tools: &ToolSet,
        mut calls: Vec<ToolCallView>,
        sink: &EventSink,
        cancel: &CancellationToken,
        stats: &mut RunStats,
    ) -> Vec<ContentBlock> {
        let hook_stop = AtomicBool::new(false);
        let delegation = Delegation::new(self.config.agents.max_parallel, cancel);
        for call in &calls {
            sink.emit(AgentEvent::ToolCallRequested(call.clone())).await;
        }
        let mut results: Vec<Option<ContentBlock>> = vec![None; calls.len()];
        let mut start = 0;
        'batches: while start < calls.len() && !cancel.is_cancelled() {
            let end = batch_end(tools, &calls, start);
            let mut runnable = Vec::new();
            for index in start..end {
                let hook = self.pre_tool_use(tools, &mut calls[index], sink, &hook_stop).await;
                match self.authorize(scope, tools, &mut calls[index], hook, sink, cancel, stats).await {
                    Authorization::Run(tool, grant) => runnable.push((index, tool, grant)),
                    Authorization::Refused(message) => {
                        results[index] = Some(ContentBlock::tool_result(&calls[index].id, message, true));
                    }
                    Authorization::Stopped(message) => {
                        results[index] = Some(ContentBlock::tool_result(&calls[index].id, message, true));
                        stats.stopped_by_user = true;
                        scope.tell_parent_user_stopped();
                        break 'batches;
                    }
                    Authorization::Interrupted => break 'batches,
                }
            }
            let executions = runnable.iter().map(|(index, tool, grant)| {
                let run = Run { scope, sink, cancel, hook_stop: &hook_stop, delegation: &delegation };
                self.execute(&calls[*index], tool, *grant, run)
            });
            for ((index, _, _), result) in runnable.iter().zip(futures::future::join_all(executions).await) {
                results[*index] = Some(result);
            }
            start = end;
            if delegation.stopped_by_user() {
                stats.stopped_by_user = true;
                scope.tell_parent_user_stopped();
                break;
            }
        }
        stats.stopped_by_hook |= hook_stop.load(Ordering::Relaxed);
        stats.subagent_spend.extend(delegation.into_spend());
        calls
            .iter()
            .zip(results)
            .map(|(call, result)| {
                let missing =
                    if stats.stopped_by_user { NOT_RUN_AFTER_REFUSAL } else { INTERRUPTED_TOOL_RESULT };
                result.unwrap_or_else(|| ContentBlock::tool_result(&call.id, missing, true))
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    async fn authorize(
        &self,
        scope: &RunScope,
        tools: &ToolSet,
        call: &mut ToolCallView,
        hook: Option<HookPermission>,
        sink: &EventSink,
        cancel: &CancellationToken,
        stats: &mut RunStats,
    ) -> Authorization {
        if let Some(HookPermission::Deny { reason }) = &hook {
            let reason = format!("A PreToolUse hook refused this call: {reason}");
            return self.refuse(call, reason, sink, stats).await;
        }
        let Some(tool) = tools.get(&call.name).cloned() else {
            return Authorization::Refused(format!(
                "There is no tool named `{}`. The available tools are: {}.",
                call.name,
                tools.names().join(", ")
            ));
        };
        // Arguments that were not a JSON object reach us as their raw text (OpenAI-compatible servers pass on
        // whatever the model wrote): answer the model, which can retry, rather than judge or run the call.
        if let serde_json::Value::String(raw) = &call.input {
            return Authorization::Refused(malformed_arguments(raw));
        }
        let access = tool.access(&call.input);
        let verdict = narrow_to_skill(scope, &call.name, self.evaluate_in(scope, &call.name, &access));
        let verdict = weigh_hook(verdict, hook, call);
        match verdict {
            Verdict::Allow(grant) => Authorization::Run(tool, grant),
            Verdict::Deny { reason } => self.refuse(call, reason, sink, stats).await,
            Verdict::Ask { suggested_rule } => match &self.config.approval {
                ApprovalMode::Interactive if sink.is_attached() => {
                    self.ask_user(call, tool, suggested_rule, sink, cancel, stats).await
                }
                ApprovalMode::Tool(approver) => {
                    let Some(decision) = self.ask_approval_tool(approver, tools, call, cancel).await else {
                        return Authorization::Interrupted;
                    };
                    self.apply_decision(decision, call, tool, suggested_rule, sink, stats).await
                }
                _ => {
                    let reason = format!(
                        "This call needs the user's approval, and no one can approve it in this non-interactive run. \
                         It was not run. The user can allow calls like it with the rule `{suggested_rule}` (under \
                         [tools] allow in .claurst.toml) or with --permission-mode."
                    );
                    self.refuse(call, reason, sink, stats).await
                }
            },
        }
    }

    /// The verdict of the engine in force: a custom command's while it runs, else the session's.
    pub(crate) fn evaluate(&self, tool: &str, access: &claurst_permissions::Access) -> Verdict {
        const FAILED: &str = "The permission engine failed; the call was not run.";
        if let Ok(run) = self.run_permissions.lock()
            && let Some(engine) = run.as_ref()
        {
            return engine.evaluate(tool, access);
        }
        match self.permissions.lock() {
            Ok(engine) => engine.evaluate(tool, access),
            Err(_) => Verdict::Deny { reason: FAILED.into() },
        }
    }

    async fn ask_user(
        &self,
        call: &mut ToolCallView,
        tool: Arc<dyn Tool>,
        suggested_rule: Rule,
        sink: &EventSink,
        cancel: &CancellationToken,
        stats: &mut RunStats,
    ) -> Authorization {
        self.approval_notification(&call_title(call));
        let (responder, answer) = ApprovalResponder::channel();
        let request = ApprovalRequest {
            call: call.clone(),
            title: call_title(call),
            detail: tool.approval_detail(&call.input).await,
            suggested_rule: suggested_rule.to_string(),
            responder,
        };
        sink.emit(AgentEvent::ApprovalRequested(request)).await;
        let decision = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Authorization::Interrupted,
            decision = answer => decision.unwrap_or(Decision::Deny),
        };
        self.apply_decision(decision, call, tool, suggested_rule, sink, stats).await
    }

    /// What the approver's decision means for the call.
    async fn apply_decision(
        &self,
        decision: Decision,
        call: &mut ToolCallView,
        tool: Arc<dyn Tool>,
        suggested_rule: Rule,
        sink: &EventSink,
        stats: &mut RunStats,
    ) -> Authorization {
        match decision {
            Decision::AllowOnce => Authorization::Run(tool, Grant::Approved),
            Decision::AllowWithInput(input) => {
                // The approver rewrote the call: what runs, and what the history records, is its version.
                call.input = input;
                Authorization::Run(tool, Grant::Approved)
            }
            Decision::AllowAlways => {
                self.remember(suggested_rule, sink).await;
                Authorization::Run(tool, Grant::Approved)
            }
            Decision::Deny => {
                let reason = "The user denied this tool call. Do not retry it unchanged: take another approach or ask the user how to proceed.";
                self.refuse(call, reason.into(), sink, stats).await
            }
            Decision::DenyWithFeedback(note) => {
                let reason = format!("The user denied this tool call and said: {note}");
                self.refuse(call, reason, sink, stats).await
            }
            Decision::DenyAndStop => {
                match self.refuse(call, USER_REFUSED_TOOL_RESULT.into(), sink, stats).await {
                    Authorization::Refused(reason) => Authorization::Stopped(reason),
                    other => other,
                }
            }
        }
    }

    async fn remember(&self, rule: Rule, sink: &EventSink) {
        let saved = match self.permissions.lock() {
            Ok(mut engine) => engine.remember(rule.clone()).map_err(|error| error.to_string()),
            Err(_) => Err("the permission engine failed".to_string()),
        };
        let text = match saved {
            Ok(path) => format!("Saved the rule `{rule}` to {}", path.display()),
            Err(error) => format!("Allowed once, but could not save the rule `{rule}`: {error}"),
        };
        sink.emit(AgentEvent::Notice { text }).await;
    }

    async fn refuse(
        &self,
        call: &ToolCallView,
        reason: String,
        sink: &EventSink,
        stats: &mut RunStats,
    ) -> Authorization {
        stats.denials.push(DenialRecord {
            tool_name: call.name.clone(),
            tool_use_id: call.id.clone(),
            tool_input: call.input.clone(),
        });
        sink.emit(AgentEvent::ToolCallDenied { id: call.id.clone(), reason: reason.clone() }).await;
        Authorization::Refused(reason)
    }

    async fn execute(
        &self,
        call: &ToolCallView,
        tool: &Arc<dyn Tool>,
        grant: Grant,
        run: Run<'_>,
    ) -> ContentBlock {
        let Run { scope, sink, cancel, hook_stop, delegation } = run;
        // The change an edit will make, read before it is made: afterwards the old text is gone.
        let planned_change = planned_change(call, tool).await;
        sink.emit(AgentEvent::ToolCallStarted { id: call.id.clone() }).await;
        let started = Instant::now();
        // A file a tool is about to change is saved first, so a rewind can put it back.
        let edited = match tool.access(&call.input) {
            claurst_permissions::Access::Edit { path } => vec![path],
            claurst_permissions::Access::Edits { paths } => paths,
            _ => Vec::new(),
        };
        for path in &edited {
            self.checkpoints.before_change(path);
        }
        let outcome = self.run_call(call, tool, grant, cancel).await;
        for path in &edited {
            self.checkpoints.after_change(path);
        }
        let mut outcome =
            outcome.unwrap_or_else(|| claurst_tools::ToolResult::error(INTERRUPTED_TOOL_RESULT).into());
        // Only approved commands are offered a second run: one that ran unasked as read-only and then tried
        // to write is exactly what the sandbox is for.
        if grant == Grant::Approved
            && let Some(refusal) = outcome.sandbox_refusal.take()
            && let Some(rerun) = self.run_outside_sandbox(call, tool, refusal, sink, cancel).await
        {
            outcome = rerun;
        }
        let ToolOutcome { mut result, extra_content, update, .. } = outcome;
        let extra_content = self.images_for_model(extra_content, &mut result);
        match update {
            Some(ToolUpdate::Todos(todos)) => sink.emit(AgentEvent::TodosUpdated { todos }).await,
            Some(ToolUpdate::SkillLoaded { name, allowed_tools }) => {
                scope.set_active_skill(Some((name, allowed_tools)))
            }
            // KAIROS pushed a file to the user (`send_user_file`): the day's log keeps it, the front-ends show it.
            Some(ToolUpdate::FileSent(sent)) => {
                #[cfg(feature = "proactive")]
                if let Some(settings) = &self.config.kairos {
                    let text = format!("{}: {} (copy: {})", sent.path, sent.message, sent.copy_path);
                    let log = crate::kairos::DailyLog::new(&settings.dir);
                    if let Err(error) = log.append(crate::kairos::LogKind::FileSent, &text) {
                        tracing::warn!(%error, "the day's KAIROS log cannot record a sent file");
                    }
                }
                sink.emit(AgentEvent::Kairos(claurst_protocol::KairosEvent::FileSent(sent))).await
            }
            Some(ToolUpdate::Delegate { agent_type, description, prompt }) => {
                let task = crate::subagents::Task { agent_type, description, prompt };
                result = self.delegate(scope, call, task, sink, delegation).await;
            }
            Some(update @ (ToolUpdate::EnterWorktree { .. } | ToolUpdate::ExitWorktree { .. })) => {
                if let Some(moved) = self.move_between_worktrees(scope, &update, sink).await {
                    result = moved;
                }
            }
            Some(update) => {
                if let Some(answered) = self.ask_the_user(scope, call, update, sink, cancel).await {
                    result = answered;
                }
            }
            None => {}
        }
        sink.emit(AgentEvent::ToolCallFinished(ToolFinished {
            id: call.id.clone(),
            name: call.name.clone(),
            output: result.output.clone(),
            is_error: result.is_error,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            summary: tool.summary(&call.input, &result).unwrap_or_default(),
            change: planned_change.filter(|_| !result.is_error),
        }))
        .await;
        let hook_notes = self.post_tool_use(call, (&result.output, result.is_error), sink, hook_stop).await;
        let mut content = vec![ToolResultContent::Text { text: result.output }];
        content.extend(extra_content);
        content.extend(hook_notes);
        ContentBlock::ToolResult { tool_use_id: call.id.clone(), content, is_error: result.is_error }
    }
}

impl Agent {
    /// Run a call to its end, or `None` when interrupted first. In a KAIROS tick a call past the blocking
    /// budget ends early with a "deferred" result and keeps running in the background.
    async fn run_call(
        &self,
        call: &ToolCallView,
        tool: &Arc<dyn Tool>,
        grant: Grant,
        cancel: &CancellationToken,
    ) -> Option<ToolOutcome> {
        #[cfg(feature = "proactive")]
        if let Some(budget) = self.tick_budget.lock().ok().and_then(|budget| budget.clone()) {
            return budget.run(call, tool, grant, cancel).await;
        }
        // Dropping the tool's future on interruption kills whatever it started.
        tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            outcome = tool.run_granted(call.input.clone(), grant) => Some(outcome),
        }
    }
}

/// For a call that edits files, the diff it is about to apply (as its approval shows it), so front-ends can
/// draw the change once it is made.
async fn planned_change(call: &ToolCallView, tool: &Arc<dyn Tool>) -> Option<FileChange> {
    if call.family != ToolFamily::Edit {
        return None;
    }
    match tool.approval_detail(&call.input).await {
        ApprovalDetail::Diff { path, diff } => Some(FileChange { path, diff }),
        _ => None,
    }
}

impl Agent {
    /// Offer to run a call once outside the sandbox after the sandbox refused one of its writes; the new
    /// outcome when the user agreed. Headless runs keep the refusal, whose text names the settings.
    async fn run_outside_sandbox(
        &self,
        call: &ToolCallView,
        tool: &Arc<dyn Tool>,
        refusal: SandboxRefusal,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) -> Option<ToolOutcome> {
        if self.config.approval != ApprovalMode::Interactive || !sink.is_attached() {
            return None;
        }
        // Calls of one batch run together; their questions are asked one at a time.
        let _turn = self.outside_sandbox_questions.lock().await;
        let (responder, answer) = ApprovalResponder::channel();
        let request = ApprovalRequest {
            call: call.clone(),
            title: format!("{} outside the sandbox", call_title(call)),
            detail: ApprovalDetail::OutsideSandbox {
                command: refusal.command,
                path: refusal.path.display().to_string(),
            },
            suggested_rule: String::new(),
            responder,
        };
        sink.emit(AgentEvent::ApprovalRequested(request)).await;
        let decision = tokio::select! {
            biased;
            _ = cancel.cancelled() => return None,
            decision = answer => decision.unwrap_or(Decision::Deny),
        };
        match decision {
            Decision::AllowOnce | Decision::AllowAlways | Decision::AllowWithInput(_) => tokio::select! {
                biased;
                _ = cancel.cancelled() => None,
                outcome = tool.run_outside_sandbox(call.input.clone()) => Some(outcome),
            },
            Decision::Deny | Decision::DenyWithFeedback(_) | Decision::DenyAndStop => None,
        }
    }
}

/// What a loaded skill's `allowed-tools` does: it narrows, never widens. While the skill is active, a call
/// the rules would allow is asked about instead unless the skill lists its tool; nothing the rules ask
/// about or deny is let through, and a skill that lists no tools narrows nothing.
fn narrow_to_skill(scope: &RunScope, tool: &str, verdict: Verdict) -> Verdict {
    let Verdict::Allow(_) = verdict else { return verdict };
    match scope.active_skill() {
        Some((_, listed)) if !listed.is_empty() && !claurst_extensions::skills::lists_tool(&listed, tool) => {
            Verdict::Ask { suggested_rule: Rule::tool(tool) }
        }
        _ => verdict,
    }
}

/// What every call of one batch shares while it runs.
#[derive(Clone, Copy)]
struct Run<'a> {
    scope: &'a RunScope,
    sink: &'a EventSink,
    cancel: &'a CancellationToken,
    hook_stop: &'a AtomicBool,
    delegation: &'a Delegation,
}

/// The permission engine's verdict with the PreToolUse hooks' say: a hook's allow skips the question but
/// never a deny rule; a hook's ask asks even what a rule allows.
fn weigh_hook(verdict: Verdict, hook: Option<HookPermission>, call: &ToolCallView) -> Verdict {
    match (verdict, hook) {
        (Verdict::Ask { .. }, Some(HookPermission::Allow { .. })) => Verdict::Allow(Grant::Approved),
        (Verdict::Allow(_), Some(HookPermission::Ask { .. })) => {
            Verdict::Ask { suggested_rule: Rule::tool(&call.name) }
        }
        (verdict, _) => verdict,
    }
}

/// `bash(cargo test)`: the tool and its key argument, for approval prompts.
pub(crate) fn call_title(call: &ToolCallView) -> String {
    match call.key_argument.as_str() {
        "" => call.display_title().to_string(),
        argument => format!("{}({argument})", call.display_title()),
    }
}

/// The end (exclusive) of the batch starting at `start`: a run of read-only calls, or one mutating call.
fn batch_end(tools: &ToolSet, calls: &[ToolCallView], start: usize) -> usize {
    let read_only =
        |call: &ToolCallView| tools.get(&call.name).is_some_and(|tool| tool.is_read_only(&call.input));
    if !read_only(&calls[start]) {
        return start + 1;
    }
    start + calls[start..].iter().take_while(|call| read_only(call)).count()
}

/// What the model is told when a tool call's arguments were not a JSON object.
pub(crate) fn malformed_arguments(raw: &str) -> String {
    const SHOWN: usize = 200;
    let shown: String = raw.chars().take(SHOWN).collect();
    let more = if raw.chars().count() > SHOWN { "…" } else { "" };
    format!(
        "The arguments of this tool call were not valid JSON: {shown}{more}; call the tool again with a JSON object."
    )
}
