//! An approved command the sandbox refused is offered once outside the sandbox; nobody to ask, or a "no",
//! leaves the model with the refusal and the settings that would allow it.

use crate::{config, events_until, is_run_finished};
use async_trait::async_trait;
use claurst_assistant::{Agent, AgentConfig, ApprovalMode, Conversation, spawn_session};
use claurst_permissions::Grant;
use claurst_protocol::{AgentEvent, ApprovalDetail, Decision, Op};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use claurst_tools::{SandboxRefusal, Tool, ToolOutcome, ToolResult};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A command tool whose sandboxed run is always refused, counting the runs outside the sandbox.
struct FencedTool {
    outside_runs: Arc<AtomicUsize>,
}

#[async_trait]
impl Tool for FencedTool {
    fn name(&self) -> &str {
        "fenced"
    }
    fn description(&self) -> &str {
        "A command the sandbox refuses"
    }
    fn input_schema(&self) -> Value {
        json!({"type": "object"})
    }
    async fn execute(&self, _input: Value) -> ToolResult {
        ToolResult::error("unreachable: run_granted is used")
    }
    async fn run_granted(&self, _input: Value, _grant: Grant) -> ToolOutcome {
        ToolOutcome {
            sandbox_refusal: Some(SandboxRefusal { command: "cp a ~/b".into(), path: "/home/ada/b".into() }),
            ..ToolResult::error(
                "cp: cannot create regular file '/home/ada/b': Permission denied\nThe sandbox refused …",
            )
            .into()
        }
    }
    async fn run_outside_sandbox(&self, _input: Value) -> ToolOutcome {
        self.outside_runs.fetch_add(1, Ordering::SeqCst);
        ToolResult::ok("copied outside the sandbox").into()
    }
}

fn agent(project: &TempProject, api: &MockApi, approval: ApprovalMode) -> (Agent, Arc<AtomicUsize>) {
    let mut agent =
        Agent::try_new(AgentConfig { approval, allow: vec!["fenced".into()], ..config(project, api) })
            .unwrap();
    let outside_runs = Arc::new(AtomicUsize::new(0));
    agent.register_tool(Box::new(FencedTool { outside_runs: Arc::clone(&outside_runs) }));
    (agent, outside_runs)
}

fn script(api: &MockApi) {
    api.push(Reply::stream(Turn::new().tool_use("t1", "fenced", json!({}))));
    api.push(Reply::stream(Turn::text_only("done")));
}

fn result_text(api: &MockApi) -> String {
    api.requests()[1].body["messages"][2]["content"][0]["content"][0]["text"].as_str().unwrap().to_string()
}

async fn answer_with(decision: Decision) -> (String, usize) {
    let project = TempProject::new();
    let api = MockApi::start();
    script(&api);
    let (agent, outside_runs) = agent(&project, &api, ApprovalMode::Interactive);
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "copy it".into() }).await.unwrap();
    let mut events = events_until(&mut session, |e| matches!(e, AgentEvent::ApprovalRequested(_))).await;
    let Some(AgentEvent::ApprovalRequested(request)) = events.pop() else { unreachable!() };
    assert_eq!(
        request.detail,
        ApprovalDetail::OutsideSandbox { command: "cp a ~/b".into(), path: "/home/ada/b".into() }
    );
    assert!(request.suggested_rule.is_empty(), "leaving the sandbox is never remembered");
    request.responder.respond(decision);
    events_until(&mut session, is_run_finished).await;
    (result_text(&api), outside_runs.load(Ordering::SeqCst))
}

#[tokio::test(flavor = "multi_thread")]
async fn yes_runs_the_command_once_outside_the_sandbox() {
    let (text, outside_runs) = answer_with(Decision::AllowOnce).await;
    assert_eq!(outside_runs, 1);
    assert_eq!(text, "copied outside the sandbox");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_keeps_the_refusal() {
    let (text, outside_runs) = answer_with(Decision::Deny).await;
    assert_eq!(outside_runs, 0);
    assert!(text.contains("Permission denied"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn headless_runs_keep_the_refusal_without_asking() {
    let project = TempProject::new();
    let api = MockApi::start();
    script(&api);
    let (agent, outside_runs) = agent(&project, &api, ApprovalMode::DenyUnlisted);
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "copy it".into() }).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    assert!(!events.iter().any(|e| matches!(e, AgentEvent::ApprovalRequested(_))));
    assert_eq!(outside_runs.load(Ordering::SeqCst), 0);
    assert!(result_text(&api).contains("The sandbox refused"));
}

/// Where the kernel cannot confine commands (here: no launcher), a command that would have run read-only
/// without approval asks instead, and the session says why once.
#[tokio::test(flavor = "multi_thread")]
async fn without_a_sandbox_read_only_commands_ask_and_the_session_says_why() {
    let project = TempProject::new();
    project.write("notes.txt", "hello\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "cat notes.txt"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let sandbox = claurst_assistant::SandboxSettings {
        mode: claurst_protocol::SandboxMode::Auto,
        ..claurst_assistant::SandboxSettings::off()
    };
    let agent = Agent::try_new(AgentConfig { sandbox, ..config(&project, &api) }).unwrap();
    let notice = agent.sandbox_notice().expect("the session must say the sandbox is unavailable");
    assert!(notice.contains("ask first"), "{notice}");
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "read it".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    let text = result_text(&api);
    assert!(text.contains("needs the user's approval") && !text.contains("hello"), "{text}");
}

/// The same command runs without asking when the sandbox is off by the user's choice.
#[tokio::test(flavor = "multi_thread")]
async fn with_the_sandbox_off_read_only_commands_run_unasked() {
    let project = TempProject::new();
    project.write("notes.txt", "hello\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "cat notes.txt"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let agent = Agent::try_new(config(&project, &api)).unwrap();
    assert_eq!(agent.sandbox_notice(), None);
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "read it".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    assert_eq!(result_text(&api), "hello");
}

/// Where user namespaces are missing (here: a launcher whose namespace run fails), the session says so as a
/// notice after it starts, not before: the check is a process the first frame does not wait for.
#[tokio::test(flavor = "multi_thread")]
async fn without_user_namespaces_the_session_says_so_in_a_later_notice() {
    let project = TempProject::new();
    let api = MockApi::start();
    let sandbox = claurst_assistant::SandboxSettings {
        mode: claurst_protocol::SandboxMode::Auto,
        launcher: Some("/bin/false".into()),
        ..claurst_assistant::SandboxSettings::off()
    };
    let agent = Agent::try_new(AgentConfig { sandbox, ..config(&project, &api) }).unwrap();
    assert_eq!(agent.sandbox_notice(), None, "Landlock and seccomp work here: nothing to say at start");
    let mut session = spawn_session(agent, Conversation::new());
    let events = events_until(&mut session, |event| matches!(event, AgentEvent::Notice { .. })).await;
    let Some(AgentEvent::Notice { text }) = events.last() else { unreachable!() };
    assert!(text.contains("user namespaces are unavailable"), "{text}");
}
