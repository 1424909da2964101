//! Hooks in a session: which run (project hooks only once the user trusted them), and running them with the
//! session's identity, their messages reaching the front-end as notices.

use crate::agent::Agent;
use crate::events::EventSink;
use crate::hook_callbacks::{EventCallbacks, HookCallbacks};
use claurst_config::{ClaurstPaths, HookDefinition, HookTrust, TrustChoice, TrustDecision};
use claurst_extensions::hooks::{HookEvent, HookInput, HookOutcome, HookRunner, HookSession};
use claurst_protocol::{AgentEvent, HookReport, HookReportKind, HookView};
use claurst_tools::ShellSandbox;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// How many times Stop hooks may send the model back to work in one run: a hook that always blocks must
/// not keep the agent (and the bill) running for ever.
pub(crate) const MAX_STOP_CONTINUATIONS: u32 = 3;

/// The hooks configured for a session (`claurst_config::hook_definitions`).
#[derive(Debug, Clone, Default)]
pub struct HookSettings {
    /// Every definition, the project's included; those the project defines run once trusted.
    pub hooks: Vec<HookDefinition>,
    /// Where trust decisions are kept; `None`: project hooks never run (library users, tests).
    pub trust_paths: Option<ClaurstPaths>,
    /// The way to the front-end's program, which answers the hooks it registers
    /// (`Op::RegisterHookCallbacks`); `None`: registrations are kept but never called.
    pub callbacks: Option<Arc<dyn HookCallbacks>>,
}

/// Whether the project's hooks run in this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectHooks {
    /// The project defines none.
    None,
    /// Approved: they run.
    Approved,
    /// The user said no to these definitions.
    Denied,
    /// Never asked about these definitions: they do not run until approved.
    NeedsApproval,
}

/// A session's hooks: the runner for those admitted, and what was held back.
pub(crate) struct SessionHooks {
    settings: HookSettings,
    project_root: std::path::PathBuf,
    sandbox: ShellSandbox,
    state: Mutex<(Arc<HookRunner>, ProjectHooks)>,
}

impl SessionHooks {
    /// The hooks of `settings` admitted by the trust store; `None` when none are configured. Matchers that
    /// are not valid patterns are pushed on `warnings`.
    pub(crate) fn new(
        settings: HookSettings,
        project_root: &Path,
        sandbox: ShellSandbox,
        warnings: &mut Vec<String>,
    ) -> Option<Self> {
        if settings.hooks.is_empty() {
            return None;
        }
        let project = project_decision(&settings, project_root);
        let (runner, mut problems) = build_runner(&settings, project, project_root, &sandbox);
        warnings.append(&mut problems);
        Some(Self {
            settings,
            project_root: project_root.to_path_buf(),
            sandbox,
            state: Mutex::new((Arc::new(runner), project)),
        })
    }

    fn runner(&self) -> Option<Arc<HookRunner>> {
        self.state.lock().ok().map(|state| state.0.clone())
    }

    pub(crate) fn project_status(&self) -> ProjectHooks {
        self.state.lock().map(|state| state.1).unwrap_or(ProjectHooks::NeedsApproval)
    }

    /// Record the user's answer about the project's hooks and apply it from the next event on.
    pub(crate) fn decide(&self, choice: TrustChoice) -> Result<(), String> {
        let Some(fingerprint) = fingerprint(&self.settings) else { return Ok(()) };
        let paths = self.settings.trust_paths.as_ref().ok_or("no trust store is configured")?;
        let mut trust = HookTrust::load(paths).map_err(|error| error.to_string())?;
        trust.record(&self.project_root, &fingerprint, choice).map_err(|error| error.to_string())?;
        let project = match choice {
            TrustChoice::Approve => ProjectHooks::Approved,
            TrustChoice::Deny => ProjectHooks::Denied,
        };
        let (runner, _) = build_runner(&self.settings, project, &self.project_root, &self.sandbox);
        if let Ok(mut state) = self.state.lock() {
            *state = (Arc::new(runner), project);
        }
        Ok(())
    }
}

fn fingerprint(settings: &HookSettings) -> Option<String> {
    claurst_config::project_fingerprint(&settings.hooks)
}

fn project_decision(settings: &HookSettings, project_root: &Path) -> ProjectHooks {
    let Some(fingerprint) = fingerprint(settings) else { return ProjectHooks::None };
    let Some(paths) = &settings.trust_paths else { return ProjectHooks::NeedsApproval };
    match HookTrust::load(paths) {
        Ok(trust) => match trust.decision(project_root, &fingerprint) {
            TrustDecision::Approved => ProjectHooks::Approved,
            TrustDecision::Denied => ProjectHooks::Denied,
            TrustDecision::Unknown => ProjectHooks::NeedsApproval,
        },
        Err(error) => {
            tracing::warn!(%error, "hook trust decisions cannot be read; project hooks will not run");
            ProjectHooks::NeedsApproval
        }
    }
}

fn build_runner(
    settings: &HookSettings,
    project: ProjectHooks,
    project_root: &Path,
    sandbox: &ShellSandbox,
) -> (HookRunner, Vec<String>) {
    let admitted = settings
        .hooks
        .iter()
        .filter(|hook| !hook.scope.needs_trust() || project == ProjectHooks::Approved)
        .cloned()
        .collect();
    HookRunner::new(admitted, project_root, sandbox.clone())
}

impl Agent {
    /// Run the hooks `input` selects and tell the user what they should know (failures, blocks, notes).
    /// No hooks: an empty outcome, at no cost.
    pub(crate) async fn run_hooks(&self, input: HookInput, sink: &EventSink) -> HookOutcome {
        if !self.has_hooks(input.event) {
            return HookOutcome::default();
        }
        let event = input.event;
        let (runner, callbacks) = (self.runner_for(event), self.program_hooks.for_event(event));
        let outcome = hook_outcome(runner, callbacks, &self.hook_session(), &self.project_root, input).await;
        for report in outcome.messages.iter().filter_map(|message| message.report()) {
            sink.emit(AgentEvent::HookReported(report)).await;
        }
        if let Some(reason) = &outcome.stop {
            sink.emit(AgentEvent::HookReported(report(event, HookReportKind::Stopped, reason))).await;
        }
        outcome
    }

    /// Run hooks without waiting for them (Notification: the question must not wait for a hook).
    pub(crate) fn spawn_hooks(&self, input: HookInput) {
        if !self.has_hooks(input.event) {
            return;
        }
        let (runner, callbacks) = (self.runner_for(input.event), self.program_hooks.for_event(input.event));
        let (session, project_dir) = (self.hook_session(), self.project_root.clone());
        tokio::spawn(async move {
            let outcome = hook_outcome(runner, callbacks, &session, &project_dir, input).await;
            for message in &outcome.messages {
                tracing::warn!("{}", message.describe());
            }
        });
    }

    /// Whether any hook, configured or registered by the program, listens to `event`. Callers on the
    /// tool-call path ask first, so that a session without such hooks does not build the event's input.
    pub(crate) fn has_hooks(&self, event: HookEvent) -> bool {
        self.runner_for(event).is_some() || self.program_hooks.for_event(event).is_some()
    }

    /// Replace the hooks the front-end's program answers (as `Op::RegisterHookCallbacks` does), before the
    /// session starts: a program that connects first may have hooks for the session's start. `Err` names a
    /// matcher that is not a valid pattern; nothing changes then.
    pub fn register_hook_callbacks(
        &self,
        registrations: Vec<claurst_protocol::HookCallbackRegistration>,
    ) -> Result<(), String> {
        self.program_hooks.register(registrations)
    }

    /// `Op::RegisterHookCallbacks`: a mistake is told as a notice.
    pub(crate) async fn apply_hook_registrations(
        &self,
        registrations: Vec<claurst_protocol::HookCallbackRegistration>,
        sink: &EventSink,
    ) {
        if let Err(text) = self.register_hook_callbacks(registrations) {
            sink.emit(AgentEvent::Notice {
                text: format!("The program's hooks were not registered: {text}"),
            })
            .await;
        }
    }

    /// The runner, when a configured hook is admitted for `event`.
    pub(crate) fn runner_for(&self, event: HookEvent) -> Option<Arc<HookRunner>> {
        self.hooks.as_ref().and_then(SessionHooks::runner).filter(|runner| runner.has(event))
    }

    fn hook_session(&self) -> HookSession {
        HookSession {
            session_id: self.session_id(),
            transcript_path: self.transcript_path.lock().ok().and_then(|path| path.clone()),
            permission_mode: self.permission_mode().to_string(),
        }
    }

    /// Tell hooks where the session is saved from now on (after a start, `/clear` or a resume).
    pub(crate) fn set_transcript_path(&self, path: Option<std::path::PathBuf>) {
        if let Ok(mut current) = self.transcript_path.lock() {
            *current = path;
        }
    }

    /// Every configured hook and whether it runs.
    fn hooks(&self) -> Vec<(HookDefinition, bool)> {
        let Some(hooks) = &self.hooks else { return Vec::new() };
        let project_runs = hooks.project_status() == ProjectHooks::Approved;
        hooks
            .settings
            .hooks
            .iter()
            .map(|hook| (hook.clone(), !hook.scope.needs_trust() || project_runs))
            .collect()
    }

    /// Whether the project's hooks run.
    pub fn project_hooks(&self) -> ProjectHooks {
        self.hooks.as_ref().map_or(ProjectHooks::None, SessionHooks::project_status)
    }

    /// Approve or deny the project's hooks for this project (remembered), from the next event on.
    pub fn decide_project_hooks(&self, choice: TrustChoice) -> Result<(), String> {
        match &self.hooks {
            Some(hooks) => hooks.decide(choice),
            None => Ok(()),
        }
    }

    /// Tell the user about hooks that never run because their matcher is not a valid pattern.
    pub(crate) async fn report_hook_setup(&self, sink: &EventSink) {
        for warning in &self.hook_warnings {
            sink.emit(AgentEvent::Notice { text: warning.clone() }).await;
        }
    }

    /// What to say when the project's hooks do not run because nobody approved them; `None` otherwise.
    pub fn unapproved_hooks_notice(&self) -> Option<String> {
        if self.project_hooks() != ProjectHooks::NeedsApproval {
            return None;
        }
        let count = self.hooks().iter().filter(|(_, runs)| !runs).count();
        Some(format!(
            "The project defines {count} hook{} that did not run: they are not approved for this project. \
             Review them with `claurst hooks list`, then run `claurst hooks approve` (or answer the question in \
             an interactive session) to let them run.",
            if count == 1 { "" } else { "s" }
        ))
    }

    /// The project's hooks that wait for the user's approval, for the trust question.
    pub fn hooks_awaiting_approval(&self) -> Vec<HookView> {
        if self.project_hooks() != ProjectHooks::NeedsApproval {
            return Vec::new();
        }
        self.hook_views().into_iter().filter(|hook| !hook.runs).collect()
    }

    /// Every configured hook as front-ends list it: where it is defined and whether it runs.
    pub fn hook_views(&self) -> Vec<HookView> {
        self.hooks()
            .into_iter()
            .map(|(hook, runs)| HookView {
                event: hook.event,
                matcher: hook.matcher,
                command: hook.command,
                source: hook.scope.label().to_string(),
                runs,
            })
            .collect()
    }

    /// `/hooks`: every hook, where it is defined, and whether it runs.
    pub(crate) fn hooks_report(&self) -> String {
        let views = self.hook_views();
        if views.is_empty() {
            return "No hooks are configured. Add them under [hooks] in .claurst.toml or ~/.claurst/config.toml, \
                    or in .claude/settings.json (see docs/extending.md)."
                .into();
        }
        let mut text = String::from("Hooks:");
        for view in &views {
            let state = if view.runs { "" } else { " (not approved: does not run)" };
            text.push_str(&format!("\n  {}{state}", view.describe()));
        }
        match self.project_hooks() {
            ProjectHooks::NeedsApproval => text.push_str(
                "\nThe project's hooks run once approved: answer the question, or run `claurst hooks approve`.",
            ),
            ProjectHooks::Denied => {
                text.push_str("\nYou denied the project's hooks; `claurst hooks approve` lets them run.")
            }
            ProjectHooks::None | ProjectHooks::Approved => {}
        }
        text
    }

    /// The user answered the trust question about the project's hooks.
    pub(crate) async fn answer_project_hooks(&self, choice: TrustChoice, sink: &EventSink) {
        let text = match self.decide_project_hooks(choice) {
            Ok(()) if choice == TrustChoice::Approve => {
                "The project's hooks will run from now on (until they change).".to_string()
            }
            Ok(()) => "The project's hooks will not run (until they change).".to_string(),
            Err(error) => format!("Cannot record the decision about the project's hooks: {error}"),
        };
        sink.emit(AgentEvent::Notice { text }).await;
    }

    /// A SessionStart hook's context, waiting for the first prompt.
    pub(crate) fn take_session_context(&self) -> Vec<String> {
        self.session_context.lock().map(|mut context| std::mem::take(&mut *context)).unwrap_or_default()
    }

    /// Run the SessionStart hooks (`source`: startup, resume, clear); their context goes with the next prompt.
    pub(crate) async fn session_start_hooks(&self, source: &str, sink: &EventSink) {
        let input = HookInput::new(HookEvent::SessionStart).subject(source).field("source", source);
        let outcome = self.run_hooks(input, sink).await;
        if let Ok(mut context) = self.session_context.lock() {
            context.extend(outcome.context);
        }
    }

    /// Run the SessionEnd hooks (`reason`: clear, other).
    pub(crate) async fn session_end_hooks(&self, reason: &str, sink: &EventSink) {
        let input = HookInput::new(HookEvent::SessionEnd).subject(reason).field("reason", reason);
        self.run_hooks(input, sink).await;
    }
}

/// What the configured hook commands and the program's callbacks that `input` selects decided, run
/// together; the commands' answers come first.
async fn hook_outcome(
    runner: Option<Arc<HookRunner>>,
    callbacks: Option<EventCallbacks>,
    session: &HookSession,
    project_dir: &Path,
    input: HookInput,
) -> HookOutcome {
    let mut answers = HookOutcome::default();
    let asking = async {
        if let Some(callbacks) = &callbacks {
            callbacks.run(session, project_dir, &input, &mut answers).await;
        }
    };
    let commands = async {
        match &runner {
            Some(runner) => runner.run(session, input.clone()).await,
            None => HookOutcome::default(),
        }
    };
    let (mut outcome, ()) = tokio::join!(commands, asking);
    outcome.merge(answers);
    outcome
}

/// What happens to a prompt after the UserPromptSubmit hooks.
pub(crate) enum PromptVerdict {
    /// Send this (the prompt, with the hooks' context after it).
    Send(String),
    /// A hook dropped it; the user was told why.
    Dropped(String),
}

impl Agent {
    /// Run the UserPromptSubmit hooks on `prompt`.
    pub(crate) async fn submit_prompt(&self, prompt: String, sink: &EventSink) -> PromptVerdict {
        let input = HookInput::new(HookEvent::UserPromptSubmit).field("prompt", prompt.clone());
        let outcome = self.run_hooks(input, sink).await;
        if let Some(reason) = outcome.stop.or(outcome.block) {
            return PromptVerdict::Dropped(reason);
        }
        let context: Vec<String> = self.take_session_context().into_iter().chain(outcome.context).collect();
        if context.is_empty() {
            return PromptVerdict::Send(prompt);
        }
        PromptVerdict::Send(format!("{prompt}\n\n{}", context.join("\n\n")))
    }
}

/// A report about the event's hooks together (no single command).
pub(crate) fn report(event: HookEvent, kind: HookReportKind, text: &str) -> HookReport {
    HookReport { event, command: String::new(), kind, text: text.to_string() }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::config::AgentConfig;
    use crate::conversation::Conversation;
    use claurst_config::HookScope;
    use claurst_protocol::Op;
    use claurst_test_support::{MockApi, Reply, TempProject, Turn};
    use std::time::Duration;

    fn hook(scope: HookScope, command: &str) -> HookDefinition {
        HookDefinition {
            event: HookEvent::PreToolUse,
            matcher: "Bash".into(),
            command: command.into(),
            timeout: Duration::from_secs(5),
            scope,
            file: "settings.json".into(),
        }
    }

    #[test]
    fn the_hooks_report_names_each_source_and_what_waits_for_approval() {
        let project = tempfile::tempdir().unwrap();
        let agent = Agent::try_new(AgentConfig {
            api_key: Some("test-key".into()),
            cwd: Some(project.path().to_path_buf()),
            hooks: HookSettings {
                hooks: vec![
                    hook(HookScope::User, "./mine.sh"),
                    hook(HookScope::ClaudeProject, "./theirs.sh"),
                ],
                trust_paths: None,
                callbacks: None,
            },
            ..AgentConfig::default()
        })
        .unwrap();
        let report = agent.hooks_report();
        assert!(report.contains("PreToolUse [Bash] ./mine.sh — user (~/.claurst/config.toml)\n"), "{report}");
        assert!(
            report.contains(
                "PreToolUse [Bash] ./theirs.sh — project (.claude/settings.json) (not approved: does not run)"
            ),
            "{report}"
        );
        assert!(report.contains("`claurst hooks approve`"), "{report}");
        assert_eq!(agent.hooks_awaiting_approval().len(), 1);

        let none = Agent::try_new(AgentConfig { api_key: Some("test-key".into()), ..AgentConfig::default() });
        assert!(none.unwrap().hooks_report().starts_with("No hooks are configured."));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn pre_compact_hooks_run_before_the_compaction_with_its_trigger() {
        let project = TempProject::new();
        let api = MockApi::start();
        for n in 0..4 {
            api.push(Reply::stream(Turn::text_only(&format!("answer {n}"))));
        }
        api.push(Reply::stream(Turn::text_only("<summary>four things</summary>")));
        let compact_hook = |matcher: &str, command: &str| HookDefinition {
            event: HookEvent::PreCompact,
            matcher: matcher.into(),
            ..hook(HookScope::User, command)
        };
        let agent = Agent::try_new(AgentConfig {
            api_key: Some("test-key".into()),
            base_url: Some(api.url()),
            cwd: Some(project.project().to_path_buf()),
            session_dir: Some(project.root().join("session")),
            hooks: HookSettings {
                hooks: vec![
                    compact_hook("manual", "cat > compact.json"),
                    compact_hook("auto", "touch wrong"),
                ],
                trust_paths: None,
                callbacks: None,
            },
            ..AgentConfig::default()
        })
        .unwrap();
        let mut session = crate::spawn_session(agent, Conversation::new());
        let mut next = async || {
            tokio::time::timeout(Duration::from_secs(10), session.events.recv()).await.unwrap().unwrap()
        };
        for n in 0..4 {
            session.ops.send(Op::Prompt { text: format!("question {n}") }).await.unwrap();
            while !matches!(next().await, AgentEvent::RunFinished(_)) {}
        }
        session.ops.send(Op::Compact { instructions: Some("keep the names".into()) }).await.unwrap();
        // The hooks have finished by the time the compaction starts.
        while !matches!(next().await, AgentEvent::CompactionStarted { .. }) {}
        let seen: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(project.path("compact.json")).unwrap()).unwrap();
        assert_eq!(seen["hook_event_name"], "PreCompact");
        assert_eq!(seen["trigger"], "manual");
        assert_eq!(seen["custom_instructions"], "keep the names");
        assert!(!project.path("wrong").exists(), "the matcher selects on the trigger");
    }
}
