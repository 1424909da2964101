//! The seed's library API: `Agent::new(AgentConfig { .. }).run(messages).await?.final_response()`.

use crate::config;
use claurst_assistant::{Agent, AgentConfig, AgentError, Message};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_sub_agent_runs_with_only_its_tools() {
    let project = TempProject::new();
    project.write("src/lib.rs", "pub fn safe() {}\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "read_file", json!({"path": "src/lib.rs"}))));
    api.push(Reply::stream(Turn::text_only("No unsafe blocks.")));

    let subagent = Agent::new(AgentConfig {
        model: "claude-sonnet-4-5".into(),
        system_prompt: Some("You are a focused code reviewer.".into()),
        tools: vec!["read_file"],
        max_tokens: 2048,
        ..config(&project, &api)
    });
    let result = subagent.run(vec![Message::user("Review src/lib.rs for unsafe blocks")]).await.unwrap();
    assert_eq!(result.final_response(), "No unsafe blocks.");
    assert_eq!(result.summary.num_turns, 2);

    let first = &api.requests()[0].body;
    assert_eq!(first["max_tokens"], 2048);
    assert_eq!(first["system"][0]["text"], "You are a focused code reviewer.");
    let tools: Vec<&str> =
        first["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tools, ["read_file"]);
    assert_eq!(result.conversation.messages().len(), 4, "prompt, tool call, result, answer");
}

#[tokio::test]
async fn a_missing_key_is_reported_by_run() {
    let project = TempProject::new();
    let api = MockApi::start();
    let agent = Agent::new(AgentConfig { api_key: Some(String::new()), ..config(&project, &api) });
    let error = agent.run(vec![Message::user("hi")]).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("`anthropic`") && message.contains("ANTHROPIC_API_KEY"), "{message}");
}

#[tokio::test]
async fn unknown_tool_names_are_refused_up_front() {
    let project = TempProject::new();
    let api = MockApi::start();
    let error =
        Agent::try_new(AgentConfig { tools: vec!["teleport"], ..config(&project, &api) }).err().unwrap();
    assert!(matches!(error, AgentError::UnknownTool(ref name, _) if name == "teleport"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn thinking_blocks_are_sent_back_unchanged() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().thinking("plan the listing", "sig-abc").tool_use(
        "t1",
        "bash",
        json!({"command": "ls"}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    let agent = Agent::try_new(config(&project, &api)).unwrap();
    agent.run(vec![Message::user("list")]).await.unwrap();
    let second = &api.requests()[1].body;
    assert_eq!(
        second["messages"][1]["content"][0],
        json!({"type": "thinking", "thinking": "plan the listing", "signature": "sig-abc"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_turn_limit_is_an_error_for_library_callers() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "ls"}))));
    let agent = Agent::try_new(AgentConfig { max_turns: Some(1), ..config(&project, &api) }).unwrap();
    let error = agent.run(vec![Message::user("go")]).await.unwrap_err();
    assert!(matches!(error, AgentError::MaxTurns(1)), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_tools_called_by_the_model_get_an_error_result() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "teleport", json!({}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let agent = Agent::try_new(config(&project, &api)).unwrap();
    agent.run(vec![Message::user("go")]).await.unwrap();
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert_eq!(result["is_error"], true);
    assert!(result["content"][0]["text"].as_str().unwrap().contains("no tool named `teleport`"));
}
