//! Hooks the front-end's program answers itself (an Agent SDK's hook callbacks): registered by
//! `Op::RegisterHookCallbacks`, selected as configured hooks are, called through [`HookCallbacks`], and
//! their answers folded into the same [`HookOutcome`] as hook commands' output.

use async_trait::async_trait;
use claurst_config::DEFAULT_HOOK_TIMEOUT;
use claurst_extensions::hooks::{HookEvent, HookInput, HookMatcher, HookOutcome, HookSession};
use claurst_protocol::HookCallbackRegistration;
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The way to the program that answers registered hook callbacks.
///
/// Contract: `call` runs the program's callback `callback_id` on `input` (the JSON a hook command gets on
/// stdin for the same event) and returns its answer, which means what the same JSON printed by a hook
/// command means (`continue`, `decision`, `reason`, `systemMessage`, `hookSpecificOutput` with
/// `permissionDecision`, `additionalContext`, `updatedInput`); `{}` or `null` lets the event go on.
/// `tool_use_id` is the tool call's id for tool events. `Err` says why there is no answer, in words a user
/// can read; the hook counts as failed and what it guarded goes on. Calls may run concurrently; the
/// caller bounds each by the registration's timeout and drops the future when it passes.
#[async_trait]
pub trait HookCallbacks: Send + Sync {
    async fn call(&self, callback_id: &str, input: Value, tool_use_id: Option<&str>)
    -> Result<Value, String>;
}

impl std::fmt::Debug for dyn HookCallbacks {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("HookCallbacks")
    }
}

/// One registered callback, its matcher compiled.
struct Registered {
    registration: HookCallbackRegistration,
    matcher: HookMatcher,
}

/// The session's registered callbacks and the way to call them.
pub(crate) struct ProgramHooks {
    callbacks: Option<Arc<dyn HookCallbacks>>,
    registered: Mutex<Arc<Vec<Registered>>>,
}

impl ProgramHooks {
    pub(crate) fn new(callbacks: Option<Arc<dyn HookCallbacks>>) -> Self {
        Self { callbacks, registered: Mutex::new(Arc::default()) }
    }

    /// Replace the registered callbacks. A matcher that is not a valid pattern is refused, naming it, and
    /// nothing changes.
    pub(crate) fn register(&self, registrations: Vec<HookCallbackRegistration>) -> Result<(), String> {
        let registered = registrations
            .into_iter()
            .map(|registration| {
                let matcher = HookMatcher::parse(&registration.matcher).map_err(|error| {
                    format!(
                        "the {} hook matcher `{}` is not a valid pattern: {error}",
                        registration.event, registration.matcher
                    )
                })?;
                Ok(Registered { registration, matcher })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if let Ok(mut current) = self.registered.lock() {
            *current = Arc::new(registered);
        }
        Ok(())
    }

    fn current(&self) -> Arc<Vec<Registered>> {
        self.registered.lock().map(|registered| registered.clone()).unwrap_or_default()
    }

    /// The callbacks registered for `event`, when there are any and they can be called.
    pub(crate) fn for_event(&self, event: HookEvent) -> Option<EventCallbacks> {
        let callbacks = self.callbacks.clone()?;
        let registered = self.current();
        registered
            .iter()
            .any(|entry| entry.registration.event == event)
            .then_some(EventCallbacks { callbacks, registered })
    }
}

/// The callbacks registered when an event fired: a later registration does not change who answers it.
pub(crate) struct EventCallbacks {
    callbacks: Arc<dyn HookCallbacks>,
    registered: Arc<Vec<Registered>>,
}

impl EventCallbacks {
    /// Call every callback `input` selects, at once, and fold their answers into `outcome`.
    pub(crate) async fn run(
        &self,
        session: &HookSession,
        project_dir: &Path,
        input: &HookInput,
        outcome: &mut HookOutcome,
    ) {
        let selected: Vec<&HookCallbackRegistration> = self
            .registered
            .iter()
            .filter(|entry| {
                entry.registration.event == input.event
                    && input.subject.as_deref().is_none_or(|subject| entry.matcher.selects(subject))
            })
            .map(|entry| &entry.registration)
            .collect();
        if selected.is_empty() {
            return;
        }
        let json = input.to_json(session, project_dir);
        let tool_use_id = input.fields.get("tool_use_id").and_then(Value::as_str);
        let calls = selected.iter().map(|registration| {
            let timeout = registration.timeout_secs.map_or(DEFAULT_HOOK_TIMEOUT, Duration::from_secs);
            let call = self.callbacks.call(&registration.callback_id, json.clone(), tool_use_id);
            async move {
                tokio::time::timeout(timeout, call)
                    .await
                    .unwrap_or_else(|_| Err(format!("did not answer within {} s", timeout.as_secs())))
            }
        });
        for (registration, answer) in selected.iter().zip(futures::future::join_all(calls).await) {
            let source = format!("program callback {}", registration.callback_id);
            outcome.absorb_answer(input.event, &source, answer);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::config::AgentConfig;
    use crate::conversation::Conversation;
    use crate::hooks::HookSettings;
    use crate::{Agent, spawn_session};
    use claurst_protocol::{AgentEvent, Op};
    use claurst_test_support::{MockApi, Reply, TempProject, Turn};
    use serde_json::json;

    /// Answers every call with `answer`, and remembers what it was asked.
    struct Program {
        answer: Value,
        calls: Mutex<Vec<(String, Value, Option<String>)>>,
    }

    #[async_trait]
    impl HookCallbacks for Program {
        async fn call(
            &self,
            callback_id: &str,
            input: Value,
            tool_use_id: Option<&str>,
        ) -> Result<Value, String> {
            self.calls.lock().unwrap().push((callback_id.into(), input, tool_use_id.map(str::to_string)));
            Ok(self.answer.clone())
        }
    }

    fn registration(event: HookEvent, callback_id: &str) -> HookCallbackRegistration {
        HookCallbackRegistration {
            event,
            matcher: String::new(),
            callback_id: callback_id.into(),
            timeout_secs: None,
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_registered_callback_adds_context_to_the_prompt() {
        let project = TempProject::new();
        let api = MockApi::start();
        api.push(Reply::stream(Turn::text_only("noted")));
        let program = Arc::new(Program {
            answer: json!({"hookSpecificOutput": {"hookEventName": "UserPromptSubmit", "additionalContext": "it is Tuesday"}}),
            calls: Mutex::default(),
        });
        let agent = Agent::try_new(AgentConfig {
            api_key: Some("test-key".into()),
            base_url: Some(api.url()),
            cwd: Some(project.project().to_path_buf()),
            session_dir: Some(project.root().join("session")),
            hooks: HookSettings { callbacks: Some(program.clone()), ..HookSettings::default() },
            ..AgentConfig::default()
        })
        .unwrap();
        let mut session = spawn_session(agent, Conversation::new());
        let registrations = vec![registration(HookEvent::UserPromptSubmit, "hook_7")];
        session.ops.send(Op::RegisterHookCallbacks(registrations)).await.unwrap();
        session.ops.send(Op::Prompt { text: "what day is it?".into() }).await.unwrap();
        loop {
            let event =
                tokio::time::timeout(Duration::from_secs(10), session.events.recv()).await.unwrap().unwrap();
            if matches!(event, AgentEvent::RunFinished(_)) {
                break;
            }
        }
        let calls = program.calls.lock().unwrap().clone();
        assert_eq!(calls.len(), 1);
        let (callback_id, input, tool_use_id) = &calls[0];
        assert_eq!(callback_id, "hook_7");
        assert_eq!(input["hook_event_name"], "UserPromptSubmit");
        assert_eq!(input["prompt"], "what day is it?");
        assert_eq!(*tool_use_id, None);
        let sent = api.requests()[0].body["messages"][0].to_string();
        assert!(sent.contains("what day is it?") && sent.contains("it is Tuesday"), "{sent}");
    }

    #[test]
    fn a_matcher_that_is_not_a_pattern_is_refused_and_changes_nothing() {
        let program = Arc::new(Program { answer: json!({}), calls: Mutex::default() });
        let hooks = ProgramHooks::new(Some(program));
        hooks.register(vec![registration(HookEvent::Stop, "hook_0")]).unwrap();
        let broken =
            HookCallbackRegistration { matcher: "(".into(), ..registration(HookEvent::PreToolUse, "hook_1") };
        assert!(hooks.register(vec![broken]).unwrap_err().contains("not a valid pattern"));
        assert!(hooks.for_event(HookEvent::Stop).is_some());
        assert!(hooks.for_event(HookEvent::PreToolUse).is_none());
        assert!(ProgramHooks::new(None).for_event(HookEvent::Stop).is_none(), "nobody to call");
    }
}
