//! Interrupting a run leaves a history the API accepts.

use crate::{config, events_until, is_run_finished, next_event};
use claurst_assistant::{Agent, AgentConfig, Conversation, spawn_session};
use claurst_protocol::{AgentEvent, Op, PermissionMode, RunOutcome};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::json;
use std::time::{Duration, Instant};

fn bypass(project: &TempProject, api: &MockApi) -> Agent {
    Agent::try_new(AgentConfig { permission_mode: PermissionMode::BypassPermissions, ..config(project, api) })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupting_a_running_tool_kills_it_and_answers_the_call() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "bash",
        json!({"command": "sleep 30; touch late.txt"}),
    )));
    api.push(Reply::stream(Turn::text_only("next answer")));
    let mut session = spawn_session(bypass(&project, &api), Conversation::new());
    session.ops.send(Op::Prompt { text: "run it".into() }).await.unwrap();
    events_until(&mut session, |e| matches!(e, AgentEvent::ToolCallStarted { .. })).await;

    let interrupted_at = Instant::now();
    session.ops.send(Op::Interrupt).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    assert!(
        interrupted_at.elapsed() < Duration::from_secs(2),
        "interrupt took {:?}",
        interrupted_at.elapsed()
    );
    let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
    assert_eq!(summary.outcome, RunOutcome::Interrupted);
    assert!(events.iter().any(|e| matches!(e, AgentEvent::ToolCallFinished(done) if done.is_error)));

    // The next prompt's request carries a result for the interrupted call, then the new prompt.
    session.ops.send(Op::Prompt { text: "carry on".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    let body = &api.requests()[1].body;
    let last = body["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(last["role"], "user");
    assert_eq!(last["content"][0]["type"], "tool_result");
    assert_eq!(last["content"][0]["tool_use_id"], "t1");
    assert!(last["content"][0]["content"][0]["text"].as_str().unwrap().contains("Interrupted by the user"));
    assert_eq!(last["content"][1]["text"], "carry on");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!project.path("late.txt").exists(), "the killed command must not finish");
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupting_mid_stream_keeps_what_was_said() {
    let project = TempProject::new();
    let api = MockApi::start();
    let slow = Turn::text_only("A long answer that streams slowly and is cut short");
    api.push(Reply::stream(slow).chunked_every(64).delay_between_chunks(Duration::from_millis(100)));
    api.push(Reply::stream(Turn::text_only("short answer")));
    let mut session = spawn_session(bypass(&project, &api), Conversation::new());
    session.ops.send(Op::Prompt { text: "talk".into() }).await.unwrap();
    events_until(&mut session, |e| matches!(e, AgentEvent::TextDelta { .. })).await;
    session.ops.send(Op::Interrupt).await.unwrap();
    let events = events_until(&mut session, is_run_finished).await;
    let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
    assert_eq!(summary.outcome, RunOutcome::Interrupted);

    session.ops.send(Op::Prompt { text: "again".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    let messages = api.requests()[1].body["messages"].as_array().unwrap().clone();
    let roles: Vec<&str> = messages.iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant", "user"], "roles still alternate");
    assert!(messages[1]["content"][0]["text"].as_str().unwrap().starts_with("A long"));
    let last_texts: Vec<&str> =
        messages[2]["content"].as_array().unwrap().iter().map(|b| b["text"].as_str().unwrap()).collect();
    assert_eq!(last_texts, ["[The user interrupted this reply.]", "again"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn prompts_sent_during_a_run_are_answered_afterwards() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("first")).delay_before_headers(Duration::from_millis(300)));
    api.push(Reply::stream(Turn::text_only("second")));
    let mut session = spawn_session(bypass(&project, &api), Conversation::new());
    assert!(matches!(next_event(&mut session).await, AgentEvent::SessionStarted(_)));
    session.ops.send(Op::Prompt { text: "one".into() }).await.unwrap();
    session.ops.send(Op::Prompt { text: "two".into() }).await.unwrap();
    let first = events_until(&mut session, is_run_finished).await;
    let second = events_until(&mut session, is_run_finished).await;
    let finals: Vec<String> = [first, second]
        .iter()
        .map(|events| match events.last().unwrap() {
            AgentEvent::RunFinished(summary) => summary.final_text.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(finals, ["first", "second"]);
    session.ops.send(Op::Shutdown).await.unwrap();
    let conversation = session.finished.await.unwrap();
    assert_eq!(conversation.messages().len(), 4);
}
