//! What one run works with, fixed when it starts: the main conversation's settings, or a sub-agent's (its
//! model, instructions, tools and permissions). The loop reads these instead of the agent's mutable settings,
//! so a sub-agent running beside the main conversation never sees another run's state.

use crate::agent::Agent;
use crate::provider::Selection;
use claurst_api::ModelClient;
use claurst_extensions::agents::AgentDefinition;
use claurst_permissions::{Access, MCP_PREFIX, PermissionEngine, Verdict};
use claurst_protocol::ToolFamily;
use claurst_tools::ToolSet;
use std::sync::{Arc, Mutex};

/// One run's fixed context.
#[derive(Default)]
pub(crate) struct RunScope {
    /// `None` for the main conversation.
    pub(crate) subagent: Option<Box<SubagentScope>>,
    /// The skill the model loaded in this run and the tools it lists: only those may run without approval
    /// until the run ends (see `narrow_to_skill`). Per run, so parallel sub-agents never share it.
    active_skill: Mutex<Option<(String, Vec<String>)>>,
}

/// What a sub-agent runs with, decided when its `agent` call starts it.
pub(crate) struct SubagentScope {
    /// The `agent` call that started it.
    pub(crate) parent_id: String,
    pub(crate) definition: AgentDefinition,
    /// 1 for a sub-agent of the main conversation, 2 for one of a sub-agent, …
    pub(crate) depth: u32,
    pub(crate) selection: Selection,
    pub(crate) client: Arc<dyn ModelClient>,
    /// Its system prompt, whole.
    pub(crate) system: Vec<String>,
    /// A copy of the session's engine in plan mode, for an agent that may only read: nothing it calls can
    /// write, whatever mode the session is in.
    pub(crate) read_only_engine: Option<PermissionEngine>,
    /// Told when the user stops this sub-agent's turn, so the turn that started it stops too.
    pub(crate) parent_user_stop: Arc<crate::subagents::UserStop>,
}

impl RunScope {
    /// The user stopped this run's turn: a sub-agent's parent turn stops too (nothing to tell for the main
    /// conversation).
    pub(crate) fn tell_parent_user_stopped(&self) {
        if let Some(subagent) = &self.subagent {
            subagent.parent_user_stop.signal();
        }
    }

    pub(crate) fn main() -> Self {
        Self::default()
    }

    pub(crate) fn subagent(scope: SubagentScope) -> Self {
        Self { subagent: Some(Box::new(scope)), active_skill: Mutex::new(None) }
    }

    /// How many `agent` calls lead to this run (0: the main conversation).
    pub(crate) fn depth(&self) -> u32 {
        self.subagent.as_ref().map_or(0, |scope| scope.depth)
    }

    pub(crate) fn active_skill(&self) -> Option<(String, Vec<String>)> {
        self.active_skill.lock().ok().and_then(|skill| skill.clone())
    }

    pub(crate) fn set_active_skill(&self, skill: Option<(String, Vec<String>)>) {
        if let Ok(mut active) = self.active_skill.lock() {
            *active = skill;
        }
    }
}

impl Agent {
    /// The model and client of the next request in `scope`: a sub-agent keeps the ones it started with; the
    /// main conversation takes the session's current ones (a `/model` switch applies from the next turn).
    pub(crate) fn turn_client_in(
        &self,
        scope: &RunScope,
    ) -> Result<(Selection, Arc<dyn ModelClient>), crate::error::AgentError> {
        match &scope.subagent {
            Some(sub) => Ok((sub.selection.clone(), Arc::clone(&sub.client))),
            None => self.turn_client(),
        }
    }

    /// The tools of the next turn in `scope`: those offered to its model (`Tool::offered_to`: `apply_patch`
    /// goes to the models `[tools] apply_patch` names, OpenAI's by default). The `agent` tool is offered only while the depth limit allows
    /// another level; a sub-agent with a tool list gets exactly the listed tools that exist. `--tools` narrows
    /// Claurst's own tools, and a tool that a bare deny rule names is never offered.
    pub(crate) fn tools_in(&self, scope: &RunScope) -> ToolSet {
        let mut tools = self.tools.snapshot();
        let engine = self.permissions.lock().ok();
        let model = match &scope.subagent {
            Some(sub) => sub.selection.model.clone(),
            None => self.model_id(),
        };
        tools.retain(|tool| {
            tool.offered_to(&model) && self.offers_in(scope, tool.name(), tool.family(), engine.as_deref())
        });
        tools
    }

    /// Whether `scope` offers the tool `name` of `family` (see `tools_in`); also asked of the API's own web
    /// search, which is no tool of the registry.
    pub(crate) fn offers_in(
        &self,
        scope: &RunScope,
        name: &str,
        family: ToolFamily,
        engine: Option<&PermissionEngine>,
    ) -> bool {
        let may_delegate = scope.depth() < self.config.agents.max_depth;
        let listed = scope.subagent.as_ref().and_then(|sub| sub.definition.tools.as_ref());
        let builtin = self.config.builtin_tools.as_deref();
        let delegates = family == ToolFamily::Agent;
        let selected = name.starts_with(MCP_PREFIX)
            || builtin.is_none_or(|names| names.iter().any(|wanted| wanted == name));
        let hidden = engine.is_some_and(|engine| engine.hides_tool(name));
        (!delegates || may_delegate)
            && selected
            && !hidden
            && listed.is_none_or(|names| names.iter().any(|wanted| wanted == name))
    }

    /// The permission verdict for a call in `scope`: a read-only sub-agent's own plan-mode engine, else the
    /// engine in force for the session.
    pub(crate) fn evaluate_in(&self, scope: &RunScope, tool: &str, access: &Access) -> Verdict {
        match scope.subagent.as_ref().and_then(|sub| sub.read_only_engine.as_ref()) {
            Some(engine) => engine.evaluate(tool, access),
            None => self.evaluate(tool, access),
        }
    }
}
