//! Sub-agents against the scripted Messages API: parallel runs with their own prompts, tools and models,
//! reports instead of transcripts, limits, permissions and interruption.

use crate::{config, events_until, interactive, next_event};
use claurst_assistant::{Agent, AgentConfig, AgentSettings, AgentTool, ApprovalMode, spawn_session};
use claurst_protocol::{AgentEvent, Decision, Op, PermissionMode};
use claurst_test_support::{CapturedRequest, MockApi, Reply, TempProject, Turn};
use serde_json::{Value, json};
use std::time::Duration;

fn agent_call(id: &str, agent_type: &str, task: &str) -> (String, Value) {
    (
        id.to_string(),
        json!({"description": format!("{task} work"), "prompt": format!("{task}: do it"), "agent_type": agent_type}),
    )
}

fn main_turn(calls: &[(String, Value)]) -> Turn {
    calls.iter().fold(Turn::new(), |turn, (id, input)| turn.tool_use(id, "agent", input.clone()))
}

fn tool_names(request: &CapturedRequest) -> Vec<String> {
    request.body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap().to_string())
        .collect()
}

fn system_text(request: &CapturedRequest) -> String {
    request.body["system"].as_array().unwrap().iter().map(|block| block["text"].as_str().unwrap()).collect()
}

/// Which task's sub-agent made `request`, by the word its prompt starts with.
fn task_of(request: &CapturedRequest) -> Option<&'static str> {
    let first = request.body["messages"][0]["content"].to_string();
    ["ALPHA", "BETA", "GAMMA"].into_iter().find(|task| first.contains(&format!("{task}: do it")))
}

#[tokio::test(flavor = "multi_thread")]
async fn three_sub_agents_run_in_parallel_and_only_their_reports_come_back() {
    let project = TempProject::new();
    project.write("src/lib.rs", "pub fn alpha() {}\n");
    let api = MockApi::start();
    let calls = [
        agent_call("call-a", "explore", "ALPHA"),
        agent_call("call-b", "general-purpose", "BETA"),
        agent_call("call-c", "plan", "GAMMA"),
    ];
    api.push(Reply::stream(main_turn(&calls)));
    for task in ["ALPHA", "BETA", "GAMMA"] {
        let needle = format!("{task}: do it");
        // The first reply of each is slow: run one after another, a second request would come before the
        // next sub-agent's first.
        let read = Turn::new().tool_use(&format!("inner-{task}"), "read_file", json!({"path": "src/lib.rs"}));
        api.push_for(
            &needle,
            Reply::stream(read.usage(100, 7)).delay_before_headers(Duration::from_millis(300)),
        );
        api.push_for(&needle, Reply::stream(Turn::text_only(&format!("{task} report")).usage(100, 5)));
    }
    api.push(Reply::stream(Turn::text_only("All three are done.")));

    let agent = Agent::try_new(config(&project, &api)).unwrap();
    let run = agent.run(vec![claurst_protocol::Message::user("split the work")]).await.unwrap();
    assert_eq!(run.final_response(), "All three are done.");

    let requests = api.requests();
    assert_eq!(requests.len(), 8, "main, three sub-agents twice, main");
    let firsts: Vec<_> = requests[1..4].iter().map(task_of).collect();
    assert!(
        firsts.contains(&Some("ALPHA")) && firsts.contains(&Some("BETA")) && firsts.contains(&Some("GAMMA")),
        "every sub-agent's first request arrives before any second one: {firsts:?}"
    );

    let first_of = |task| requests.iter().find(|request| task_of(request) == Some(task)).unwrap();
    let (explore, general, plan) = (first_of("ALPHA"), first_of("BETA"), first_of("GAMMA"));
    assert!(system_text(explore).contains("exploring sub-agent"));
    assert!(system_text(plan).contains("planning sub-agent"));
    assert!(system_text(general).starts_with("You are a sub-agent of Claurst"));
    assert!(!system_text(general).contains("You are Claurst, a coding agent"), "not the main instructions");
    assert_eq!(explore.body["model"], "claude-haiku-4-5", "explore runs on the fast model");
    assert_eq!(general.body["model"], "claude-sonnet-4-5", "general-purpose inherits the session's");
    let read_only = ["bash", "read_file", "list_dir", "search_files", "grep", "web_fetch"];
    assert_eq!(tool_names(explore), read_only, "in the order the model always sees them");
    assert_eq!(tool_names(plan), read_only);
    let general_tools = tool_names(general);
    assert!(general_tools.contains(&"write_file".to_string()));
    assert!(!general_tools.contains(&"agent".to_string()), "past the depth limit: {general_tools:?}");
    assert!(tool_names(&requests[0]).contains(&"agent".to_string()));

    let last = &requests[7].body;
    let results = last["messages"][2]["content"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for (result, task) in results.iter().zip(["ALPHA", "BETA", "GAMMA"]) {
        let text = result["content"][0]["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("{task} report")), "{text}");
        assert!(text.contains("2 model requests") && text.contains("12 output tokens"), "{text}");
    }
    assert!(
        !last.to_string().contains("inner-ALPHA"),
        "the sub-agents' own turns stay out of the main context"
    );

    // The session's totals count the sub-agents' requests too.
    let total = run.conversation.total_usage();
    assert_eq!(total.output_tokens, 3 * 12 + 2 * default_output_tokens());
}

/// The output tokens a scripted reply reports unless told otherwise.
fn default_output_tokens() -> u64 {
    let events = Turn::text_only("x").events();
    events
        .iter()
        .find(|event| event.event == "message_delta")
        .and_then(|event| event.data["usage"]["output_tokens"].as_u64())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_sub_agent_cannot_write_whatever_the_session_mode() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(main_turn(&[agent_call("call-a", "explore", "ALPHA")])));
    let needle = "ALPHA: do it";
    let marker = project.path("marker");
    api.push_for(
        needle,
        Reply::stream(
            Turn::new().tool_use("w1", "write_file", json!({"path": "marker", "content": "x"})).tool_use(
                "b1",
                "bash",
                json!({"command": format!("touch {}", marker.display())}),
            ),
        ),
    );
    api.push_for(needle, Reply::stream(Turn::text_only("could not write")));
    api.push(Reply::stream(Turn::text_only("ok")));
    let agent = Agent::try_new(AgentConfig {
        permission_mode: PermissionMode::BypassPermissions,
        ..config(&project, &api)
    })
    .unwrap();
    agent.run(vec![claurst_protocol::Message::user("look")]).await.unwrap();
    assert!(!marker.exists(), "nothing was written");
    let requests = api.requests();
    let results = requests[2].body["messages"][2]["content"].to_string();
    assert!(results.contains("no tool named `write_file`"), "{results}");
    assert!(
        results.to_lowercase().contains("plan mode"),
        "the shell write is refused by plan mode: {results}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn delegation_is_limited_in_depth_and_in_parallel_runs() {
    let project = TempProject::new();
    let api = MockApi::start();
    // At most one sub-agent at a time: the second starts after the first one's last reply.
    let calls =
        [agent_call("call-a", "general-purpose", "ALPHA"), agent_call("call-b", "general-purpose", "BETA")];
    api.push(Reply::stream(main_turn(&calls)));
    api.push_for(
        "ALPHA: do it",
        Reply::stream(Turn::new().tool_use("nested", "agent", json!({"prompt": "GAMMA: do it"}))),
    );
    api.push_for("ALPHA: do it", Reply::stream(Turn::text_only("ALPHA report")));
    api.push_for("BETA: do it", Reply::stream(Turn::text_only("BETA report")));
    api.push(Reply::stream(Turn::text_only("done")));
    let settings = AgentSettings { max_parallel: 1, ..AgentSettings::default() };
    let agent = Agent::try_new(AgentConfig { agents: settings, ..config(&project, &api) }).unwrap();
    agent.run(vec![claurst_protocol::Message::user("go")]).await.unwrap();
    let order: Vec<_> = api.requests().iter().map(task_of).collect();
    assert_eq!(order, [None, Some("ALPHA"), Some("ALPHA"), Some("BETA"), None], "one at a time");
    let nested = api.requests()[2].body["messages"][2]["content"].to_string();
    assert!(nested.contains("no tool named `agent`"), "a sub-agent cannot delegate at depth 1: {nested}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sub_agents_events_and_approvals_reach_the_front_end_under_its_call() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(main_turn(&[agent_call("call-a", "general-purpose", "ALPHA")])));
    api.push_for(
        "ALPHA: do it",
        Reply::stream(Turn::new().tool_use(
            "inner",
            "write_file",
            json!({"path": "out.txt", "content": "hi"}),
        )),
    );
    api.push_for("ALPHA: do it", Reply::stream(Turn::text_only("ALPHA report")));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut session = spawn_session(interactive(&project, &api), Default::default());
    session.ops.send(Op::Prompt { text: "write it".into() }).await.unwrap();
    let seen = events_until(&mut session, |event| {
        matches!(event, AgentEvent::Subagent { event, .. } if matches!(**event, AgentEvent::ApprovalRequested(_)))
    })
    .await;
    let started = seen.iter().find_map(|event| match event {
        AgentEvent::SubagentStarted(view) => Some(view.clone()),
        _ => None,
    });
    let started = started.expect("SubagentStarted before its events");
    assert_eq!((started.parent_id.as_str(), started.agent_type.as_str()), ("call-a", "general-purpose"));
    assert_eq!(started.description, "ALPHA work");
    let Some(AgentEvent::Subagent { parent_id, event }) = seen.into_iter().last() else { unreachable!() };
    assert_eq!(parent_id, "call-a");
    let AgentEvent::ApprovalRequested(request) = *event else { unreachable!() };
    assert_eq!(request.call.name, "write_file");
    request.responder.respond(Decision::AllowOnce);
    let rest = events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    assert_eq!(project.read("out.txt"), "hi");
    let inner_finished = rest.iter().any(|event| {
        matches!(event, AgentEvent::Subagent { event, .. } if matches!(**event, AgentEvent::RunFinished(_)))
    });
    assert!(inner_finished, "the sub-agent's run ends with its own RunFinished");
    let report = rest.iter().find_map(|event| match event {
        AgentEvent::ToolCallFinished(done) if done.id == "call-a" => Some(done.output.clone()),
        _ => None,
    });
    assert!(report.unwrap().starts_with("ALPHA report"));
    drop(session.ops);
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupting_parallel_sub_agents_leaves_every_conversation_well_formed() {
    let project = TempProject::new();
    project.write("a.txt", "a\n");
    let api = MockApi::start();
    let calls = [agent_call("call-a", "general-purpose", "ALPHA"), agent_call("call-b", "explore", "BETA")];
    api.push(Reply::stream(main_turn(&calls)));
    // One is mid-tool (its command hangs), the other waits on the model.
    api.push_for(
        "ALPHA: do it",
        Reply::stream(Turn::new().tool_use("sleepy", "bash", json!({"command": "sleep 30"}))),
    );
    api.push_for("BETA: do it", Reply::stream(Turn::text_only("late")).never_answer());
    let mut session = spawn_session(
        Agent::try_new(AgentConfig {
            approval: ApprovalMode::Interactive,
            permission_mode: PermissionMode::BypassPermissions,
            ..config(&project, &api)
        })
        .unwrap(),
        Default::default(),
    );
    session.ops.send(Op::Prompt { text: "go".into() }).await.unwrap();
    events_until(&mut session, |event| {
        matches!(event, AgentEvent::Subagent { parent_id, event } if parent_id == "call-a" && matches!(**event, AgentEvent::ToolCallStarted { .. }))
    })
    .await;
    api.wait_for_requests(3, Duration::from_secs(5));
    session.ops.send(Op::Interrupt).await.unwrap();
    let rest = events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    let inner_ends = rest
        .iter()
        .filter(|event| {
            matches!(event, AgentEvent::Subagent { event, .. } if matches!(**event, AgentEvent::RunFinished(_)))
        })
        .count();
    assert_eq!(inner_ends, 2, "both sub-agents end their runs");
    // The next prompt's request carries a result for every call: the mock refuses unpaired tool calls.
    api.push(Reply::stream(Turn::text_only("fine")));
    session.ops.send(Op::Prompt { text: "again".into() }).await.unwrap();
    let after = events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    let Some(AgentEvent::RunFinished(summary)) = after.last() else { unreachable!() };
    assert_eq!(summary.final_text, "fine", "{summary:?}");
    let last = api.requests().last().unwrap().body.clone();
    let results = last["messages"][2]["content"].to_string();
    assert!(results.contains("call-a") && results.contains("call-b") && results.contains("Interrupted"));
    drop(session.ops);
    let _ = next_event;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_library_agent_is_a_tool_of_another() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("r1", "reviewer", json!({"prompt": "Review src/lib.rs"}))));
    api.push(Reply::stream(Turn::text_only("No unsafe code.")));
    api.push(Reply::stream(Turn::text_only("The reviewer found nothing.")));
    let reviewer = AgentTool::new(AgentConfig {
        system_prompt: Some("You review Rust code.".into()),
        tools: vec!["read_file"],
        ..config(&project, &api)
    })
    .named("reviewer", "Reviews Rust code.");
    let mut lead = Agent::try_new(config(&project, &api)).unwrap();
    lead.register_tool(Box::new(reviewer));
    let run = lead.run(vec![claurst_protocol::Message::user("review")]).await.unwrap();
    assert_eq!(run.final_response(), "The reviewer found nothing.");
    let requests = api.requests();
    assert_eq!(requests[1].body["system"][0]["text"], "You review Rust code.");
    assert_eq!(tool_names(&requests[1]), ["read_file"]);
    let result = requests[2].body["messages"][2]["content"][0]["content"][0]["text"].as_str().unwrap();
    assert!(result.starts_with("No unsafe code."), "{result}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_definition_listing_a_tool_that_does_not_exist_runs_without_it_and_says_so() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(main_turn(&[agent_call("call-a", "reader", "ALPHA")])));
    api.push_for("ALPHA: do it", Reply::stream(Turn::text_only("ALPHA report")));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut catalog = claurst_extensions::Catalog::default();
    let mut reader = catalog.agents[0].clone();
    reader.name = "reader".into();
    reader.tools = Some(vec!["read_file".into(), "raed_file".into()]);
    catalog.agents.insert(0, reader);
    let agent = Agent::try_new(AgentConfig {
        approval: ApprovalMode::Interactive,
        extensions: std::sync::Arc::new(catalog),
        ..config(&project, &api)
    })
    .unwrap();
    let mut session = spawn_session(agent, Default::default());
    session.ops.send(Op::Prompt { text: "read".into() }).await.unwrap();
    let seen = events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    let notice = seen.iter().find_map(|event| match event {
        AgentEvent::Notice { text } => Some(text.clone()),
        _ => None,
    });
    assert!(notice.unwrap().contains("(raed_file); it runs without them"));
    assert_eq!(tool_names(&api.requests()[1]), ["read_file"]);
    drop(session.ops);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_deeper_limit_a_sub_agent_delegates_in_turn() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(main_turn(&[agent_call("call-a", "general-purpose", "ALPHA")])));
    let nested = json!({"description": "gamma", "prompt": "GAMMA: do it", "agent_type": "explore"});
    api.push_for("ALPHA: do it", Reply::stream(Turn::new().tool_use("call-g", "agent", nested)));
    api.push_for("GAMMA: do it", Reply::stream(Turn::text_only("GAMMA report")));
    api.push_for("ALPHA: do it", Reply::stream(Turn::text_only("ALPHA report")));
    api.push(Reply::stream(Turn::text_only("done")));
    let settings = AgentSettings { max_depth: 2, ..AgentSettings::default() };
    let agent = Agent::try_new(AgentConfig { agents: settings, ..config(&project, &api) }).unwrap();
    let run = agent.run(vec![claurst_protocol::Message::user("go")]).await.unwrap();
    assert_eq!(run.final_response(), "done");
    let requests = api.requests();
    let order: Vec<_> = requests.iter().map(task_of).collect();
    assert_eq!(order, [None, Some("ALPHA"), Some("GAMMA"), Some("ALPHA"), None]);
    assert!(
        tool_names(&requests[1]).contains(&"agent".to_string()),
        "depth 1 may delegate under a limit of 2"
    );
    assert!(requests[2].body["messages"][0]["content"].to_string().contains("GAMMA: do it"));
    assert!(!tool_names(&requests[2]).contains(&"agent".to_string()), "depth 2 may not");
    let alpha_results = requests[3].body["messages"][2]["content"].to_string();
    assert!(alpha_results.contains("GAMMA report"), "{alpha_results}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_drafted_definition_is_saved_and_offered_to_the_model_from_its_next_turn() {
    let project = TempProject::new();
    let api = MockApi::start();
    let draft = "---\nname: migrations\ndescription: Reviews SQL migrations\ntools: read_file, grep\n---\nYou review SQL migrations.\n";
    api.push(Reply::stream(Turn::text_only(&format!("```markdown\n{draft}```"))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut session = spawn_session(interactive(&project, &api), Default::default());
    session.ops.send(Op::DraftAgent { description: "review my SQL migrations".into() }).await.unwrap();
    let seen = events_until(&mut session, |event| matches!(event, AgentEvent::AgentDrafted { .. })).await;
    let Some(AgentEvent::AgentDrafted { name, markdown }) = seen.into_iter().last() else { unreachable!() };
    assert_eq!((name.as_str(), markdown.as_str()), ("migrations", draft));
    let asked = api.requests()[0].body["messages"][0]["content"].to_string();
    assert!(asked.contains("review my SQL migrations"), "{asked}");

    session.ops.send(Op::SaveAgent { scope: claurst_protocol::AgentScope::Project, markdown }).await.unwrap();
    let seen = events_until(&mut session, |event| matches!(event, AgentEvent::Notice { .. })).await;
    let kinds = seen.iter().find_map(|event| match event {
        AgentEvent::AgentTypes(kinds) => Some(kinds.clone()),
        _ => None,
    });
    assert!(kinds.unwrap().iter().any(|kind| kind.name == "migrations" && kind.scope == "project"));
    assert_eq!(project.read(".claurst/agents/migrations.md"), draft);

    session.ops.send(Op::Prompt { text: "hi".into() }).await.unwrap();
    events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    let tools = &api.requests()[1].body["tools"];
    let agent = tools.as_array().unwrap().iter().find(|tool| tool["name"] == "agent").unwrap();
    assert!(agent["description"].as_str().unwrap().contains("- migrations: Reviews SQL migrations"));
    assert!(agent["input_schema"]["properties"]["agent_type"]["enum"].to_string().contains("migrations"));

    // Saving the same name again never overwrites the file.
    let other = draft.replace("You review", "You rewrite");
    session
        .ops
        .send(Op::SaveAgent { scope: claurst_protocol::AgentScope::Project, markdown: other })
        .await
        .unwrap();
    let seen = events_until(&mut session, |event| matches!(event, AgentEvent::Notice { .. })).await;
    let Some(AgentEvent::Notice { text }) = seen.last() else { unreachable!() };
    assert!(text.contains("was not saved") && text.contains("already exists"), "{text}");
    assert_eq!(project.read(".claurst/agents/migrations.md"), draft);
    drop(session.ops);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fast_model_setting_and_model_aliases_choose_a_sub_agents_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    let calls = [agent_call("call-a", "explore", "ALPHA"), agent_call("call-b", "opus-reader", "BETA")];
    api.push(Reply::stream(main_turn(&calls)));
    api.push_for("ALPHA: do it", Reply::stream(Turn::text_only("ALPHA report")));
    api.push_for("BETA: do it", Reply::stream(Turn::text_only("BETA report")));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut catalog = claurst_extensions::Catalog::default();
    let mut reader = catalog.agents[0].clone();
    reader.name = "opus-reader".into();
    reader.model = Some("opus".into());
    catalog.agents.insert(0, reader);
    let settings = AgentSettings { fast_model: Some("claude-sonnet-4-0".into()), ..AgentSettings::default() };
    let agent = Agent::try_new(AgentConfig {
        agents: settings,
        extensions: std::sync::Arc::new(catalog),
        ..config(&project, &api)
    })
    .unwrap();
    agent.run(vec![claurst_protocol::Message::user("go")]).await.unwrap();
    let requests = api.requests();
    let model_of =
        |task| requests.iter().find(|request| task_of(request) == Some(task)).unwrap().body["model"].clone();
    assert_eq!(model_of("ALPHA"), "claude-sonnet-4-0", "[agents] fast_model wins over the provider's Haiku");
    assert_eq!(model_of("BETA"), "claude-opus-4-6", "`opus` is the provider's first Opus model");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_to_a_sub_agents_call_stops_the_whole_turn_and_its_sibling() {
    let project = TempProject::new();
    let api = MockApi::start();
    let calls = [agent_call("call-a", "general-purpose", "ALPHA"), agent_call("call-b", "explore", "BETA")];
    api.push(Reply::stream(main_turn(&calls)));
    api.push_for(
        "ALPHA: do it",
        Reply::stream(Turn::new().tool_use(
            "inner",
            "write_file",
            json!({"path": "out.txt", "content": "x"}),
        )),
    );
    api.push_for("BETA: do it", Reply::stream(Turn::text_only("late")).never_answer());
    let mut session = spawn_session(interactive(&project, &api), Default::default());
    session.ops.send(Op::Prompt { text: "go".into() }).await.unwrap();
    let seen = events_until(&mut session, |event| {
        matches!(event, AgentEvent::Subagent { event, .. } if matches!(**event, AgentEvent::ApprovalRequested(_)))
    })
    .await;
    let Some(AgentEvent::Subagent { event, .. }) = seen.into_iter().last() else { unreachable!() };
    let AgentEvent::ApprovalRequested(request) = *event else { unreachable!() };
    api.wait_for_requests(3, Duration::from_secs(5));
    request.responder.respond(Decision::DenyAndStop);
    let rest = events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    let Some(AgentEvent::RunFinished(summary)) = rest.last() else { unreachable!() };
    assert!(summary.outcome.is_success(), "a stopped turn is not an interruption: {summary:?}");
    assert_eq!(api.requests().len(), 3, "the main conversation's model is not called again");
    assert!(!project.path("out.txt").exists());
    let results: Vec<(String, String)> = rest
        .iter()
        .filter_map(|event| match event {
            AgentEvent::ToolCallFinished(done) => Some((done.id.clone(), done.output.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(results.iter().all(|(_, output)| output.contains("stopped the turn")), "{results:?}");
    // The next prompt goes to the model with both calls answered.
    api.push(Reply::stream(Turn::text_only("ok")));
    session.ops.send(Op::Prompt { text: "again".into() }).await.unwrap();
    events_until(&mut session, |event| matches!(event, AgentEvent::RunFinished(_))).await;
    let last = api.requests().last().unwrap().body["messages"][2]["content"].to_string();
    assert!(last.contains("call-a") && last.contains("call-b"), "{last}");
    drop(session.ops);
}
