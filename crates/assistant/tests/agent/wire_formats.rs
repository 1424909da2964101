//! The same sessions against both wire formats: the Anthropic provider and an `openai-chat` provider pointed at
//! the scripted server's Chat Completions mode. The agent loop must not tell them apart.

use crate::{config, events_until, is_run_finished};
use claurst_assistant::{Agent, AgentConfig, Conversation, spawn_session};
use claurst_protocol::{AgentEvent, Message, Op, PermissionMode, ProviderInfo, RunOutcome, WireApi};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, WireFormat};
use serde_json::{Value, json};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Wire {
    Anthropic,
    OpenAiChat,
}

const BOTH: [Wire; 2] = [Wire::Anthropic, Wire::OpenAiChat];

/// A keyless `openai-chat` provider at the mock's `/v1`.
pub(crate) fn local_provider(api: &MockApi) -> ProviderInfo {
    ProviderInfo {
        name: "local".into(),
        wire_api: WireApi::OpenAiChat,
        base_url: api.openai_url(),
        api_key_env: None,
        headers: Vec::new(),
        models: Vec::new(),
    }
}

fn agent_config(wire: Wire, project: &TempProject, api: &MockApi) -> AgentConfig {
    let base = AgentConfig { permission_mode: PermissionMode::BypassPermissions, ..config(project, api) };
    match wire {
        Wire::Anthropic => base,
        Wire::OpenAiChat => AgentConfig {
            model: "qwen3".into(),
            provider: Some(local_provider(api)),
            api_key: None,
            base_url: None,
            ..base
        },
    }
}

fn expected_format(wire: Wire) -> WireFormat {
    match wire {
        Wire::Anthropic => WireFormat::Messages,
        Wire::OpenAiChat => WireFormat::ChatCompletions,
    }
}

/// The tool results a request carries, as (text, is_error) — `is_error` is only known for Anthropic.
fn tool_results(wire: Wire, body: &Value) -> Vec<(String, Option<bool>)> {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    match wire {
        Wire::Anthropic => messages
            .iter()
            .flat_map(|message| message["content"].as_array().cloned().unwrap_or_default())
            .filter(|block| block["type"] == "tool_result")
            .map(|block| {
                let text = match &block["content"] {
                    Value::String(text) => text.clone(),
                    content => content[0]["text"].as_str().unwrap_or_default().to_string(),
                };
                (text, block["is_error"].as_bool())
            })
            .collect(),
        Wire::OpenAiChat => messages
            .iter()
            .filter(|message| message["role"] == "tool")
            .map(|message| {
                let text = match &message["content"] {
                    Value::String(text) => text.clone(),
                    Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect(),
                    _ => String::new(),
                };
                (text, None)
            })
            .collect(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_multi_turn_bash_and_read_file_session_runs_on_both_wire_formats() {
    for wire in BOTH {
        let project = TempProject::new();
        std::fs::write(project.project().join("notes.txt"), "the secret word is plover\n").unwrap();
        let api = MockApi::start();
        api.push(Reply::stream(Turn::new().text("Looking.").tool_use(
            "c1",
            "bash",
            json!({"command": "echo hi"}),
        )));
        api.push(
            Reply::stream(Turn::new().tool_use("c2", "read_file", json!({"path": "notes.txt"})))
                .tool_arguments_every(3),
        );
        api.push(Reply::stream(Turn::text_only("The word is plover.")));
        let agent = Agent::try_new(agent_config(wire, &project, &api)).unwrap();
        let run = agent.run(vec![Message::user("what is the word?")]).await.unwrap();
        assert_eq!(run.final_response(), "The word is plover.", "{wire:?}");
        let requests = api.requests();
        assert_eq!(requests.len(), 3, "{wire:?}");
        assert!(requests.iter().all(|r| r.wire_format() == Some(expected_format(wire))), "{wire:?}");
        let results = tool_results(wire, &requests[2].body);
        assert_eq!(results.len(), 2, "{wire:?}: {results:?}");
        assert!(results[0].0.contains("hi"), "{wire:?}: {results:?}");
        assert!(results[1].0.contains("plover"), "{wire:?}: {results:?}");
        if wire == Wire::OpenAiChat {
            assert_eq!(requests[0].body["model"], "qwen3");
            assert!(requests[0].header("authorization").is_none(), "a keyless provider sends no key");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limited_request_is_retried_on_both_wire_formats() {
    for wire in BOTH {
        let project = TempProject::new();
        let api = MockApi::start();
        api.push(Reply::rate_limited());
        api.push(Reply::stream(Turn::text_only("after the wait")));
        let mut session =
            spawn_session(Agent::try_new(agent_config(wire, &project, &api)).unwrap(), Conversation::new());
        session.ops.send(Op::Prompt { text: "hi".into() }).await.unwrap();
        let events = events_until(&mut session, is_run_finished).await;
        assert!(events.iter().any(|e| matches!(e, AgentEvent::Retrying { .. })), "{wire:?}");
        let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
        assert_eq!(summary.outcome, RunOutcome::Success, "{wire:?}");
        assert_eq!(summary.final_text, "after the wait");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupting_mid_stream_keeps_the_history_valid_on_both_wire_formats() {
    for wire in BOTH {
        let project = TempProject::new();
        let api = MockApi::start();
        let slow = Turn::text_only("A long answer that streams slowly and is cut short");
        api.push(Reply::stream(slow).chunked_every(64).delay_between_chunks(Duration::from_millis(100)));
        api.push(Reply::stream(Turn::text_only("short answer")));
        let mut session =
            spawn_session(Agent::try_new(agent_config(wire, &project, &api)).unwrap(), Conversation::new());
        session.ops.send(Op::Prompt { text: "talk".into() }).await.unwrap();
        events_until(&mut session, |e| matches!(e, AgentEvent::TextDelta { .. })).await;
        session.ops.send(Op::Interrupt).await.unwrap();
        let events = events_until(&mut session, is_run_finished).await;
        let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
        assert_eq!(summary.outcome, RunOutcome::Interrupted, "{wire:?}");
        session.ops.send(Op::Prompt { text: "again".into() }).await.unwrap();
        let events = events_until(&mut session, is_run_finished).await;
        let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
        assert_eq!(summary.final_text, "short answer", "{wire:?}");
        let body = &api.requests()[1].body;
        let text = body["messages"].to_string();
        assert!(
            text.contains("A long") && text.contains("[The user interrupted this reply.]"),
            "{wire:?}: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn compaction_summarises_on_both_wire_formats() {
    for wire in BOTH {
        let project = TempProject::new();
        let api = MockApi::start();
        for n in 0..4 {
            api.push(Reply::stream(Turn::text_only(&format!("answer {n}"))));
        }
        api.push(Reply::stream(Turn::text_only("<summary>We talked about four things.</summary>")));
        let mut session =
            spawn_session(Agent::try_new(agent_config(wire, &project, &api)).unwrap(), Conversation::new());
        for n in 0..4 {
            session.ops.send(Op::Prompt { text: format!("question {n}") }).await.unwrap();
            events_until(&mut session, is_run_finished).await;
        }
        session.ops.send(Op::Compact { instructions: None }).await.unwrap();
        let events = events_until(&mut session, |e| {
            matches!(e, AgentEvent::Compacted { .. } | AgentEvent::Notice { .. })
        })
        .await;
        let Some(AgentEvent::Compacted { summary, .. }) = events.last() else {
            panic!("{wire:?}: no compaction: {events:?}")
        };
        assert!(summary.contains("four things"), "{wire:?}: {summary}");
        assert_eq!(api.requests()[4].wire_format(), Some(expected_format(wire)));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_tool_arguments_are_answered_with_a_tool_error() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("c1", "bash", json!("{\"command\": \"ls"))));
    api.push(Reply::stream(Turn::text_only("sorry")));
    let agent = Agent::try_new(agent_config(Wire::OpenAiChat, &project, &api)).unwrap();
    let run = agent.run(vec![Message::user("list")]).await.unwrap();
    assert_eq!(run.final_response(), "sorry");
    let results = tool_results(Wire::OpenAiChat, &api.requests()[1].body);
    assert_eq!(results.len(), 1, "{results:?}");
    assert!(
        results[0].0.contains("were not valid JSON")
            && results[0].0.contains("call the tool again with a JSON object"),
        "{results:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_provider_keeps_the_history_and_drops_unsigned_thinking_for_anthropic() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().thinking("signed musing", "sig-1").text("anthropic answer")));
    api.push(Reply::stream(Turn::new().thinking("local musing", "").text("local answer")));
    api.push(Reply::stream(Turn::text_only("anthropic again")));
    let mut providers = claurst_api::builtin_providers();
    providers.push(local_provider(&api));
    let config = AgentConfig { providers, ..agent_config(Wire::Anthropic, &project, &api) };
    let mut session = spawn_session(Agent::try_new(config).unwrap(), Conversation::new());
    let switch_to = async |spec: &str, session: &mut claurst_assistant::SessionHandle| {
        session.ops.send(Op::SetModel(spec.into())).await.unwrap();
        let events =
            events_until(session, |e| matches!(e, AgentEvent::ModelChanged(_) | AgentEvent::Notice { .. }))
                .await;
        match events.last().unwrap() {
            AgentEvent::ModelChanged(model) => model.clone(),
            other => panic!("{other:?}"),
        }
    };
    for (prompt, spec) in
        [("one", Some("local/qwen3")), ("two", Some("anthropic/claude-sonnet-4-5")), ("three", None)]
    {
        session.ops.send(Op::Prompt { text: prompt.into() }).await.unwrap();
        events_until(&mut session, is_run_finished).await;
        if let Some(spec) = spec {
            let label = switch_to(spec, &mut session).await;
            assert_eq!(label, spec.trim_start_matches("anthropic/"));
        }
    }
    let requests = api.requests();
    let formats: Vec<_> = requests.iter().map(|r| r.wire_format()).collect();
    assert_eq!(
        formats,
        [Some(WireFormat::Messages), Some(WireFormat::ChatCompletions), Some(WireFormat::Messages)]
    );
    assert_eq!(requests[1].body["model"], "qwen3");
    assert!(requests[1].body["messages"].to_string().contains("anthropic answer"), "the history stays");
    let history = requests[2].body["messages"].to_string();
    assert!(history.contains("local answer") && history.contains("sig-1"), "{history}");
    assert!(!history.contains("local musing"), "unsigned thinking is not sent to Anthropic: {history}");
}

#[tokio::test]
async fn the_context_window_is_the_configured_one_else_the_models_else_200_000() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut provider = local_provider(&api);
    provider.models.push(claurst_protocol::ModelInfo {
        context_window: Some(32_768),
        ..claurst_protocol::ModelInfo::unknown("qwen3")
    });
    let base = AgentConfig { provider: Some(provider), ..agent_config(Wire::OpenAiChat, &project, &api) };
    assert_eq!(Agent::new(base.clone()).context_window_in_use(), 32_768, "the model's metadata");
    let configured = AgentConfig { context_window: Some(10_000), ..base.clone() };
    assert_eq!(Agent::new(configured).context_window_in_use(), 10_000, "[api] context_window wins");
    let unknown = AgentConfig { model: "mystery".into(), ..base };
    assert_eq!(Agent::new(unknown).context_window_in_use(), 200_000, "neither gives one");
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_to_a_provider_without_its_key_is_refused_with_a_notice() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("still anthropic")));
    let hosted = ProviderInfo {
        name: "hosted".into(),
        api_key_env: Some("CLAURST_TEST_NEVER_SET_KEY".into()),
        ..local_provider(&api)
    };
    let mut providers = claurst_api::builtin_providers();
    providers.push(hosted);
    let config = AgentConfig { providers, ..agent_config(Wire::Anthropic, &project, &api) };
    let mut session = spawn_session(Agent::try_new(config).unwrap(), Conversation::new());
    session.ops.send(Op::SetModel("hosted/m".into())).await.unwrap();
    let events =
        events_until(&mut session, |e| matches!(e, AgentEvent::ModelChanged(_) | AgentEvent::Notice { .. }))
            .await;
    match events.last().unwrap() {
        AgentEvent::Notice { text } => assert!(
            text.contains("Cannot switch to hosted/m")
                && text.contains("`hosted`")
                && text.contains("CLAURST_TEST_NEVER_SET_KEY"),
            "{text}"
        ),
        other => panic!("the switch should be refused: {other:?}"),
    }
    session.ops.send(Op::Prompt { text: "hi".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    assert_eq!(api.requests()[0].wire_format(), Some(WireFormat::Messages), "the model in use stays");
}
