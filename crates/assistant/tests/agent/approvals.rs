//! Calls that need approval are asked through events and answered through the one-shot responder.

use crate::{events_until, interactive, is_run_finished};
use claurst_assistant::{Conversation, spawn_session};
use claurst_protocol::{AgentEvent, ApprovalDetail, Decision, Op, RunOutcome};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::json;

/// Run one prompt whose model turn asks to `touch made.txt`, answering the approval with `decision`.
async fn run_with_decision(decision: Decision) -> (TempProject, MockApi, Vec<AgentEvent>) {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch made.txt"}))));
    api.push(Reply::stream(Turn::text_only("finished")));
    let mut session = spawn_session(interactive(&project, &api), Conversation::new());
    session.ops.send(Op::Prompt { text: "make it".into() }).await.unwrap();
    let mut events = events_until(&mut session, |e| matches!(e, AgentEvent::ApprovalRequested(_))).await;
    let Some(AgentEvent::ApprovalRequested(request)) = events.pop() else { unreachable!() };
    assert_eq!(request.title, "bash(touch made.txt)");
    assert_eq!(request.detail, ApprovalDetail::Command { command: "touch made.txt".into() });
    assert_eq!(request.suggested_rule, "bash(touch:*)");
    request.responder.respond(decision);
    events.extend(events_until(&mut session, is_run_finished).await);
    (project, api, events)
}

fn first_result_text(api: &MockApi) -> String {
    api.requests()[1].body["messages"][2]["content"][0]["content"][0]["text"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn allow_once_runs_the_call() {
    let (project, api, events) = run_with_decision(Decision::AllowOnce).await;
    assert!(project.path("made.txt").exists());
    assert!(!project.path(".claurst/permissions.local.toml").exists(), "allow once saves nothing");
    assert!(events.iter().any(|e| matches!(e, AgentEvent::ToolCallFinished(done) if !done.is_error)));
    assert!(!first_result_text(&api).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn allow_always_saves_the_rule_for_next_time() {
    let (project, _api, events) = run_with_decision(Decision::AllowAlways).await;
    assert!(project.path("made.txt").exists());
    let saved = project.read(".claurst/permissions.local.toml");
    assert!(saved.contains("bash(touch:*)"), "{saved}");
    assert!(
        events.iter().any(|e| matches!(e, AgentEvent::Notice { text } if text.contains("Saved the rule")))
    );

    // A new agent in the same project runs the same kind of call without asking.
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch second.txt"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut session = spawn_session(interactive(&project, &api), Conversation::new());
    session.ops.send(Op::Prompt { text: "again".into() }).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    assert!(!events.iter().any(|e| matches!(e, AgentEvent::ApprovalRequested(_))));
    assert!(project.path("second.txt").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_refuses_and_records_the_denial() {
    let (project, api, events) = run_with_decision(Decision::Deny).await;
    assert!(!project.path("made.txt").exists());
    assert!(first_result_text(&api).contains("The user denied this tool call"));
    let Some(AgentEvent::RunFinished(summary)) = events.last() else { unreachable!() };
    assert_eq!(summary.outcome, RunOutcome::Success);
    assert_eq!(summary.permission_denials.len(), 1);
    assert_eq!(summary.permission_denials[0].tool_name, "bash");
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_with_feedback_tells_the_model_why() {
    let (project, api, _) =
        run_with_decision(Decision::DenyWithFeedback("use the Makefile instead".into())).await;
    assert!(!project.path("made.txt").exists());
    assert_eq!(first_result_text(&api), "The user denied this tool call and said: use the Makefile instead");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_commands_need_no_approval() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "ls && git status"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut session = spawn_session(interactive(&project, &api), Conversation::new());
    session.ops.send(Op::Prompt { text: "look".into() }).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    assert!(!events.iter().any(|e| matches!(e, AgentEvent::ApprovalRequested(_))));
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_mode_set_during_a_session_refuses_mutation() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch x"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut session = spawn_session(interactive(&project, &api), Conversation::new());
    session.ops.send(Op::SetPermissionMode(claurst_protocol::PermissionMode::Plan)).await.unwrap();
    session.ops.send(Op::Prompt { text: "change".into() }).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    assert!(events.iter().any(|e| matches!(e, AgentEvent::PermissionModeChanged(_))));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AgentEvent::ToolCallDenied { reason, .. } if reason.contains("plan")))
    );
    assert!(!project.path("x").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn read_deny_rules_hide_paths_from_search_and_saved_output_is_readable() {
    let project = TempProject::new();
    project.write("src/a.txt", "needle\n");
    project.write("secrets/key.txt", "needle\n");
    let saved = project.root().join("session/tool-output/big.txt");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    std::fs::write(&saved, "saved output\n").unwrap();
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new()
            .tool_use("t1", "grep", json!({"pattern": "needle", "output_mode": "files_with_matches"}))
            .tool_use("t2", "read_file", json!({"path": saved})),
    ));
    api.push(Reply::stream(Turn::text_only("done")));
    let config = claurst_assistant::AgentConfig {
        approval: claurst_assistant::ApprovalMode::Interactive,
        deny: vec!["read_file(secrets/**)".into()],
        ..crate::config(&project, &api)
    };
    let agent = claurst_assistant::Agent::try_new(config).unwrap();
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "search".into() }).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    assert!(!events.iter().any(|e| matches!(e, AgentEvent::ApprovalRequested(_))), "{events:?}");
    let results = &api.requests()[1].body["messages"][2]["content"];
    let text = |index: usize| results[index]["content"][0]["text"].as_str().unwrap().to_string();
    assert!(text(0).contains("a.txt") && !text(0).contains("key.txt"), "{}", text(0));
    assert!(text(1).contains("saved output"), "{}", text(1));
}
