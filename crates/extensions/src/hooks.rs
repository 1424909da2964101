//! Hooks: shell commands the user configured to run at the agent's events (before and after tool calls,
//! when a prompt is submitted, when the model stops, at session start and end, before compaction, when the
//! user is asked something).
//!
//! Every hook selected for an event runs at once, in parallel, each within its timeout, with the event as
//! JSON on stdin. They run confined as the model's approved shell commands are (the project's sandbox at
//! workspace-write level, when one is configured): a hook is the user's command, but it runs on every tool
//! call of a session the model drives. [`HookOutcome`] is what they decided together; the agent applies it.

mod matcher;
mod outcome;
mod process;

pub use claurst_config::{HookDefinition, HookScope};
pub use claurst_protocol::HookEvent;
pub use matcher::Matcher as HookMatcher;
pub use outcome::{HookMessage, HookMessageKind, HookOutcome, HookPermission};
pub use process::HookExit;

use claurst_tools::ShellSandbox;
use matcher::Matcher;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The session a hook runs in: the fields every event's JSON carries.
#[derive(Debug, Clone, Default)]
pub struct HookSession {
    pub session_id: String,
    /// The session's transcript file (`transcript_path`), when the session is saved.
    pub transcript_path: Option<PathBuf>,
    /// The permission mode in force, as written in config (`default`, `acceptEdits`, …).
    pub permission_mode: String,
}

/// One event, with what hooks are told about it.
#[derive(Debug, Clone)]
pub struct HookInput {
    pub event: HookEvent,
    /// What matchers select on: the tool name (PreToolUse, PostToolUse), the source (SessionStart), the
    /// trigger (PreCompact); `None` runs every hook of the event.
    pub subject: Option<String>,
    /// The event's own fields (`tool_name`, `tool_input`, `prompt`, `stop_hook_active`, …).
    pub fields: Map<String, Value>,
}

impl HookInput {
    pub fn new(event: HookEvent) -> Self {
        Self { event, subject: None, fields: Map::new() }
    }

    /// Select hooks whose matcher matches `subject`.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Add a field to the JSON hooks receive.
    pub fn field(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(key.to_string(), value.into());
        self
    }

    /// The JSON a hook receives about this event in `session`, run in `project_dir` (the session's fields,
    /// then the event's own).
    pub fn to_json(&self, session: &HookSession, project_dir: &Path) -> Value {
        let mut fields = Map::new();
        fields.insert("session_id".into(), session.session_id.clone().into());
        fields.insert(
            "transcript_path".into(),
            session
                .transcript_path
                .as_ref()
                .map(|path| path.display().to_string())
                .unwrap_or_default()
                .into(),
        );
        fields.insert("cwd".into(), project_dir.display().to_string().into());
        fields.insert("permission_mode".into(), session.permission_mode.clone().into());
        fields.insert("hook_event_name".into(), self.event.name().into());
        fields.extend(self.fields.clone());
        Value::Object(fields)
    }
}

/// The hooks a session runs, ready to be matched.
#[derive(Debug, Clone)]
pub struct HookRunner {
    hooks: Vec<(HookDefinition, Matcher)>,
    project_dir: PathBuf,
    sandbox: ShellSandbox,
}

impl HookRunner {
    /// A runner for `hooks` (already admitted by trust) in `project_dir`, confined by `sandbox`. Matchers
    /// that are not valid patterns select nothing; they are returned as warnings to show the user.
    pub fn new(hooks: Vec<HookDefinition>, project_dir: &Path, sandbox: ShellSandbox) -> (Self, Vec<String>) {
        let mut warnings = Vec::new();
        let hooks = hooks
            .into_iter()
            .map(|hook| {
                let matcher = Matcher::parse(&hook.matcher).unwrap_or_else(|error| {
                    warnings.push(format!(
                        "{}: the {} hook matcher `{}` is not a valid pattern ({error}); the hook never runs",
                        hook.file.display(),
                        hook.event,
                        hook.matcher
                    ));
                    Matcher::Nothing
                });
                (hook, matcher)
            })
            .collect();
        (Self { hooks, project_dir: project_dir.to_path_buf(), sandbox }, warnings)
    }

    /// Whether any hook is configured for `event` (so callers can skip building its input).
    pub fn has(&self, event: HookEvent) -> bool {
        self.hooks.iter().any(|(hook, _)| hook.event == event)
    }

    /// Run every hook `input` selects, in parallel, and fold what they decided.
    pub async fn run(&self, session: &HookSession, input: HookInput) -> HookOutcome {
        let selected: Vec<&HookDefinition> = self
            .hooks
            .iter()
            .filter(|(hook, matcher)| {
                hook.event == input.event
                    && input.subject.as_deref().is_none_or(|subject| matcher.selects(subject))
            })
            .map(|(hook, _)| hook)
            .collect();
        let mut outcome = HookOutcome::default();
        if selected.is_empty() {
            return outcome;
        }
        let json = input.to_json(session, &self.project_dir).to_string().into_bytes();
        let runs = selected.iter().map(|hook| {
            process::run_hook(&self.sandbox, &self.project_dir, &hook.command, &json, hook.timeout)
        });
        for (hook, exit) in selected.iter().zip(futures::future::join_all(runs).await) {
            tracing::debug!(event = %hook.event, command = %hook.command, ?exit, "hook finished");
            outcome.absorb(hook.event, &hook.command, exit);
        }
        outcome
    }
}

#[cfg(test)]
#[path = "hooks/runner_tests.rs"]
mod tests;
