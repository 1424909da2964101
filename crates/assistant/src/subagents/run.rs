//! Running one sub-agent for an `agent` call: its model, instructions and permissions, its conversation, and
//! the report that becomes the call's result.

use super::{Delegation, SubagentSpend, Task};
use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::error::AgentError;
use crate::events::EventSink;
use crate::provider::Selection;
use crate::run_scope::{RunScope, SubagentScope};
use claurst_api::ModelClient;
use claurst_extensions::agents::{AgentDefinition, FAST_MODEL, INHERIT_MODEL};
use claurst_protocol::INTERRUPTED_TOOL_RESULT;
use claurst_protocol::{AgentEvent, Message, PermissionMode, RunSummary, SubagentView, ToolCallView};
use claurst_tools::ToolResult;
use std::sync::Arc;

/// Model families a definition may name by alias (`model: haiku`).
const FAMILY_ALIASES: &[&str] = &["haiku", "sonnet", "opus"];

impl Agent {
    /// Run a sub-agent on `task` for `call` (made in `parent`), and return its report as the call's result.
    pub(crate) async fn delegate(
        &self,
        parent: &RunScope,
        call: &ToolCallView,
        task: Task,
        sink: &EventSink,
        delegation: &Delegation,
    ) -> ToolResult {
        let Some(definition) = self.agent_types.find(&task.agent_type) else {
            return ToolResult::error(format!(
                "There is no sub-agent type `{}`. The types are: {}.",
                task.agent_type,
                self.agent_types.names().join(", ")
            ));
        };
        let depth = parent.depth() + 1;
        if depth > self.config.agents.max_depth {
            return ToolResult::error(format!(
                "Sub-agents may not start sub-agents here (the depth limit is {}); do the task yourself.",
                self.config.agents.max_depth
            ));
        }
        // The user's "No" inside any sub-agent of the batch stops them all (a child of the run's token, so Esc
        // still stops them too).
        let cancel = &delegation.user_stop.token;
        // Queued past the parallel limit: the call waits for a free slot, and Esc still stops the wait.
        let Some(_slot) = delegation.slot(cancel).await else {
            if delegation.stopped_by_user() {
                return ToolResult::error(super::SUBAGENT_STOPPED_BY_USER);
            }
            return ToolResult::error(INTERRUPTED_TOOL_RESULT);
        };
        let (selection, client) = match self.subagent_model(parent, &definition) {
            Ok(chosen) => chosen,
            Err(error) => return ToolResult::error(format!("The sub-agent could not start: {error}")),
        };
        let mut conversation = Conversation::new();
        let transcript = self.subagent_transcript(&selection);
        let transcript_id = transcript.as_ref().map(crate::conversation::Transcript::session_id);
        if let Some(transcript) = transcript {
            conversation = conversation.with_transcript(transcript);
        }
        let label = format!("{}: {}", definition.name, task.description);
        sink.emit(AgentEvent::SubagentStarted(SubagentView {
            parent_id: call.id.clone(),
            agent_type: definition.name.clone(),
            description: task.description.clone(),
            model: selection.label(),
            transcript_id,
        }))
        .await;
        let scope = RunScope::subagent(SubagentScope {
            parent_id: call.id.clone(),
            system: self.subagent_system(&definition),
            read_only_engine: definition.read_only.then(|| self.plan_mode_engine()).flatten(),
            parent_user_stop: Arc::clone(&delegation.user_stop),
            definition,
            depth,
            selection,
            client,
        });
        let missing = self.missing_tools(&scope);
        if !missing.is_empty() {
            let text = format!(
                "The sub-agent `{}` lists tools this session does not have ({}); it runs without them.",
                task.agent_type,
                missing.join(", ")
            );
            sink.emit(AgentEvent::Notice { text }).await;
        }
        conversation.push(Message::user(task.prompt));
        let (summary, result) =
            self.run_in(&scope, &mut conversation, &sink.for_subagent(&call.id), cancel).await;
        delegation.record(SubagentSpend { agent: label, costs: conversation.ledger.models().to_vec() });
        if delegation.stopped_by_user() {
            return ToolResult::error(super::SUBAGENT_STOPPED_BY_USER);
        }
        report(&scope, &summary, conversation.price_unknown(), result)
    }

    /// The model a sub-agent runs on, and the client that reaches it (the parent's when the provider is the
    /// same, so a sub-agent opens no connection of its own).
    fn subagent_model(
        &self,
        parent: &RunScope,
        definition: &AgentDefinition,
    ) -> Result<(Selection, Arc<dyn ModelClient>), AgentError> {
        let (current, client) = self.turn_client_in(parent)?;
        let family_model = |family: &str| {
            current
                .provider
                .models
                .iter()
                .find(|model| model.id.contains(family))
                .map(|model| model.id.clone())
        };
        let wanted = match definition.model.as_deref().map(str::trim) {
            None | Some("") | Some(INHERIT_MODEL) => None,
            Some(FAST_MODEL) => self.config.agents.fast_model.clone().or_else(|| family_model("haiku")),
            Some(alias) if FAMILY_ALIASES.contains(&alias) => family_model(alias),
            Some(spec) => Some(spec.to_string()),
        };
        let Some(wanted) = wanted else { return Ok((current, client)) };
        let providers = crate::provider::known_providers(&self.config);
        let selection = crate::provider::select(&wanted, &current.provider, &providers);
        if selection.provider.name == current.provider.name {
            return Ok((selection, client));
        }
        let client = crate::provider::connect(&self.config, &selection.provider)?;
        Ok((selection, client))
    }

    /// A sub-agent's system prompt: its own instructions, the environment, then the project's instructions
    /// and memory the session was given (not the main conversation's style or skills list).
    fn subagent_system(&self, definition: &AgentDefinition) -> Vec<String> {
        let mut sections = vec![definition.system_prompt.clone(), self.environment_section()];
        sections
            .extend(self.config.system_sections.iter().filter(|section| !section.trim().is_empty()).cloned());
        sections
    }

    /// The tools a sub-agent's definition lists that no source offers now (a misspelling, an MCP server
    /// that is not connected).
    fn missing_tools(&self, scope: &RunScope) -> Vec<String> {
        let Some(listed) = scope.subagent.as_ref().and_then(|sub| sub.definition.tools.as_ref()) else {
            return Vec::new();
        };
        let offered = self.tools.snapshot();
        listed.iter().filter(|name| offered.get(name).is_none()).cloned().collect()
    }

    /// A copy of the session's engine in plan mode: everything the session allows or denies, and no writes.
    fn plan_mode_engine(&self) -> Option<claurst_permissions::PermissionEngine> {
        let mut engine = self.permissions.lock().ok()?.clone();
        engine.set_mode(PermissionMode::Plan);
        Some(engine)
    }
}

/// The call's result: the sub-agent's last message and what it cost, or why it has none.
fn report(
    scope: &RunScope,
    summary: &RunSummary,
    price_unknown: bool,
    result: Result<(), AgentError>,
) -> ToolResult {
    let kind = scope.subagent.as_ref().map_or("general-purpose", |sub| sub.definition.name.as_str());
    let spent = format!(
        "[{kind} sub-agent: {} model requests, {} input and {} output tokens, {}, {:.1} s]",
        summary.num_turns,
        summary.usage.context_tokens(),
        summary.usage.output_tokens,
        claurst_session::cost_text(summary.total_cost_usd, price_unknown),
        summary.duration_ms as f64 / 1000.0,
    );
    let said = summary.final_text.trim();
    match result {
        Ok(()) if said.is_empty() => {
            ToolResult::ok(format!("The sub-agent finished without a report.\n\n{spent}"))
        }
        Ok(()) => ToolResult::ok(format!("{said}\n\n{spent}")),
        Err(AgentError::Interrupted) => ToolResult::error(INTERRUPTED_TOOL_RESULT),
        Err(AgentError::MaxTurns(limit)) => ToolResult::error(format!(
            "The sub-agent stopped at the limit of {limit} model requests before finishing. Its last message: \
             {said}\n\n{spent}"
        )),
        Err(error) => ToolResult::error(format!("The sub-agent failed: {error}\n\n{spent}")),
    }
}

impl Agent {
    /// The transcript of a new sub-agent, in a folder beside the session's own (`claurst --resume ID` opens
    /// it for inspection). Sessions that are not saved save no sub-agents either; a file that cannot be
    /// created costs the sub-agent its transcript, never its run.
    fn subagent_transcript(&self, selection: &Selection) -> Option<crate::conversation::Transcript> {
        let main = self.transcript_path.lock().ok()?.clone()?;
        let meta = claurst_session::SessionMeta::for_subagent(
            &self.project_root,
            &self.project_root,
            selection.label(),
            self.session_id(),
        );
        let path = claurst_session::subagent_transcript_path(&main, &meta.session_id);
        match claurst_session::TranscriptWriter::create_at(&path, &meta) {
            Ok(writer) => Some(crate::conversation::Transcript::new(writer)),
            Err(error) => {
                tracing::warn!(%error, "the sub-agent's transcript cannot be saved");
                None
            }
        }
    }
}
