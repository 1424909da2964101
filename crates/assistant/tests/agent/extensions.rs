//! Output styles and custom commands in a running session.

use crate::{config, events_until, is_run_finished};
use claurst_assistant::{Agent, AgentConfig, Conversation, spawn_session};
use claurst_extensions::{Catalog, Roots};
use claurst_protocol::{AgentEvent, Op};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use std::sync::Arc;

#[tokio::test]
async fn switching_the_output_style_changes_the_next_request_only() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("one")));
    api.push(Reply::stream(Turn::text_only("two")));
    let catalog = Catalog::load(&Roots::new(project.project(), None));
    let agent =
        Agent::try_new(AgentConfig { extensions: Arc::new(catalog), ..config(&project, &api) }).unwrap();
    let mut session = spawn_session(agent, Conversation::new());
    let started = events_until(&mut session, |event| matches!(event, AgentEvent::SessionStarted(_))).await;
    let AgentEvent::SessionStarted(info) = started.last().unwrap() else { unreachable!() };
    assert_eq!(info.output_style, "default");
    let names: Vec<&str> = info.output_styles.iter().map(|style| style.name.as_str()).collect();
    assert_eq!(names, ["default", "explanatory", "learning"]);

    session.ops.send(Op::Prompt { text: "first".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    session.ops.send(Op::SetOutputStyle("Learning".into())).await.unwrap();
    let changed =
        events_until(&mut session, |event| matches!(event, AgentEvent::OutputStyleChanged(_))).await;
    assert!(matches!(changed.last(), Some(AgentEvent::OutputStyleChanged(name)) if name == "learning"));
    session.ops.send(Op::SetOutputStyle("nope".into())).await.unwrap();
    let refused = events_until(&mut session, |event| matches!(event, AgentEvent::Notice { .. })).await;
    assert!(
        matches!(refused.last(), Some(AgentEvent::Notice { text }) if text.contains("no output style `nope`"))
    );
    session.ops.send(Op::Prompt { text: "second".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;

    let requests = api.requests();
    let system = |index: usize| requests[index].body["system"].to_string();
    assert!(
        system(0).contains("Lead with the result") && !system(0).contains("TODO(human)"),
        "{}",
        system(0)
    );
    assert!(
        system(1).contains("TODO(human)") && !system(1).contains("Lead with the result"),
        "{}",
        system(1)
    );
    assert!(system(1).starts_with(&system(0)[..40]), "the base instructions stay first");
}

#[tokio::test]
async fn a_mode_change_during_a_command_run_applies_to_the_run() {
    let project = TempProject::new();
    project.write(".claurst/commands/scribble.md", "---\nallowed-tools: write_file\n---\nWrite the notes.");
    let api = MockApi::start();
    // Held back long enough for the mode change below to arrive first.
    api.push(
        Reply::stream(Turn::new().tool_use(
            "w1",
            "write_file",
            serde_json::json!({"path": "notes.txt", "content": "x"}),
        ))
        .delay_before_headers(std::time::Duration::from_millis(800)),
    );
    api.push(Reply::stream(Turn::text_only("done")));
    let catalog = Catalog::load(&Roots::new(project.project(), None));
    let agent =
        Agent::try_new(AgentConfig { extensions: Arc::new(catalog), ..config(&project, &api) }).unwrap();
    let mut session = spawn_session(agent, Conversation::new());
    let command = Op::RunCommand { name: "scribble".into(), arguments: String::new() };
    session.ops.send(command).await.unwrap();
    // The run's first request is on its way (and its answer held back) when the mode changes.
    events_until(&mut session, |event| matches!(event, AgentEvent::TurnStarted { .. })).await;
    session.ops.send(Op::SetPermissionMode(claurst_protocol::PermissionMode::Plan)).await.unwrap();
    events_until(&mut session, |event| matches!(event, AgentEvent::PermissionModeChanged(_))).await;
    events_until(&mut session, is_run_finished).await;
    assert!(!project.path("notes.txt").exists(), "plan mode holds for the command's run too");
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert_eq!(result["is_error"], true, "{result}");
}
