//! `subscribe_pr` / `unsubscribe_pr` through the agent loop: offered only with KAIROS, judged as a fetch of
//! the GitHub API's host, and writing the project's `subscriptions.json`.

use crate::{config, events_until, interactive, is_run_finished};
use claurst_assistant::{Agent, AgentConfig, Conversation, KairosSettings, spawn_session};
use claurst_protocol::{AgentEvent, ApprovalDetail, Decision, Op};
use claurst_test_support::{MockApi, MockGitHub, Reply, TempProject, Turn};
use serde_json::{Value, json};
use std::time::Duration;

fn kairos(project: &TempProject, github: &MockGitHub) -> KairosSettings {
    KairosSettings {
        tick_interval: Duration::from_secs(60),
        blocking_budget: Duration::from_secs(15),
        max_ticks_per_hour: 12,
        daily_budget_usd: 1.0,
        dir: project.root().join("kairos"),
        github_api_url: github.url(),
    }
}

fn subscriptions(project: &TempProject) -> std::path::PathBuf {
    project.root().join("kairos/subscriptions.json")
}

/// The result the model got for its first tool call: (text, is_error).
fn first_result(api: &MockApi) -> (String, bool) {
    let block = &api.requests()[1].body["messages"][2]["content"][0];
    let text = block["content"][0]["text"].as_str().or(block["content"].as_str()).unwrap_or_default();
    (text.to_string(), block["is_error"] == json!(true))
}

/// One prompt whose model turn calls `tool` with `input`, run by `agent` to its end.
async fn run_call(agent: Agent, api: &MockApi, tool: &str, input: Value) -> Vec<AgentEvent> {
    api.push(Reply::stream(Turn::new().tool_use("t1", tool, input)));
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "watch it".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await
}

#[tokio::test(flavor = "multi_thread")]
async fn subscribe_pr_asks_as_a_fetch_of_the_api_and_stores_the_subscription() {
    let project = TempProject::new();
    let api = MockApi::start();
    let github = MockGitHub::start();
    github.open_pull("octo/widgets", 12, "Faster widgets", "aaaa1111");
    api.push(Reply::stream(Turn::new().tool_use("t1", "subscribe_pr", json!({"pr": "octo/widgets#12"}))));
    api.push(Reply::stream(Turn::text_only("watching")));
    let agent = Agent::try_new(AgentConfig {
        kairos: Some(kairos(&project, &github)),
        ..interactive_config(&project, &api)
    })
    .unwrap();
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "watch my PR".into() }).await.unwrap();
    let mut events = events_until(&mut session, |e| matches!(e, AgentEvent::ApprovalRequested(_))).await;
    let Some(AgentEvent::ApprovalRequested(request)) = events.pop() else { unreachable!() };
    assert_eq!(request.title, "subscribe_pr(octo/widgets#12)");
    assert_eq!(
        request.detail,
        ApprovalDetail::Fetch { url: format!("{}/repos/octo/widgets/pulls/12", github.url()) }
    );
    assert!(!subscriptions(&project).exists(), "nothing is read or stored before the user answers");
    request.responder.respond(Decision::AllowOnce);
    events_until(&mut session, is_run_finished).await;

    let (text, is_error) = first_result(&api);
    assert!(!is_error, "{text}");
    assert!(text.starts_with("Watching octo/widgets#12: \"Faster widgets\""), "{text}");
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(subscriptions(&project)).unwrap()).unwrap();
    assert_eq!(stored["subscriptions"][0]["repo"], "octo/widgets");
    assert_eq!(stored["subscriptions"][0]["number"], 12);
}

fn interactive_config(project: &TempProject, api: &MockApi) -> AgentConfig {
    AgentConfig { approval: claurst_assistant::ApprovalMode::Interactive, ..config(project, api) }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_allow_rule_lets_it_run_and_unsubscribe_pr_undoes_it() {
    let project = TempProject::new();
    let github = MockGitHub::start();
    github.open_pull("octo/widgets", 7, "Docs", "bbbb2222");
    let allowed = |api: &MockApi| AgentConfig {
        kairos: Some(kairos(&project, &github)),
        allow: vec!["subscribe_pr".into(), "unsubscribe_pr".into()],
        ..config(&project, api)
    };
    let api = MockApi::start();
    let url = "https://github.com/octo/widgets/pull/7";
    let events =
        run_call(Agent::try_new(allowed(&api)).unwrap(), &api, "subscribe_pr", json!({"pr": url})).await;
    assert!(!events.iter().any(|e| matches!(e, AgentEvent::ApprovalRequested(_))));
    assert!(!first_result(&api).1, "{}", first_result(&api).0);
    assert!(std::fs::read_to_string(subscriptions(&project)).unwrap().contains("\"number\": 7"));

    let api = MockApi::start();
    let input = json!({"repo": "octo/widgets", "number": 7});
    run_call(Agent::try_new(allowed(&api)).unwrap(), &api, "unsubscribe_pr", input.clone()).await;
    assert_eq!(first_result(&api), ("Stopped watching octo/widgets#7.".to_string(), false));
    assert!(!std::fs::read_to_string(subscriptions(&project)).unwrap().contains("\"number\": 7"));

    let api = MockApi::start();
    run_call(Agent::try_new(allowed(&api)).unwrap(), &api, "unsubscribe_pr", input).await;
    let (text, is_error) = first_result(&api);
    assert!(is_error && text.contains("octo/widgets#7 is not subscribed"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_a_tool_error_and_stores_nothing() {
    let project = TempProject::new();
    let github = MockGitHub::start();
    let api = MockApi::start();
    let agent = Agent::try_new(AgentConfig {
        kairos: Some(kairos(&project, &github)),
        allow: vec!["subscribe_pr".into()],
        ..config(&project, &api)
    })
    .unwrap();
    run_call(agent, &api, "subscribe_pr", json!({"pr": "octo/widgets"})).await;
    let (text, is_error) = first_result(&api);
    assert!(is_error && text.contains("is not a pull request"), "{text}");
    assert!(!subscriptions(&project).exists());
    assert!(github.requests().is_empty(), "nothing was asked of GitHub");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_kairos_the_tools_are_not_offered() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("hi")));
    let mut session = spawn_session(interactive(&project, &api), Conversation::new());
    session.ops.send(Op::Prompt { text: "hello".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    let tools = api.requests()[0].body["tools"].to_string();
    assert!(!tools.contains("subscribe_pr"), "{tools}");

    let github = MockGitHub::start();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("hi")));
    let agent =
        Agent::try_new(AgentConfig { kairos: Some(kairos(&project, &github)), ..config(&project, &api) })
            .unwrap();
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "hello".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    let tools = api.requests()[0].body["tools"].to_string();
    assert!(tools.contains("\"subscribe_pr\"") && tools.contains("\"unsubscribe_pr\""), "{tools}");
}
