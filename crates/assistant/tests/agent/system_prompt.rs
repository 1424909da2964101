//! The system prompt as requests carry it: the cached prefix across a session's turns, the starting context
//! from a real git repository, and the notes for OpenAI-family models.

use crate::{config, events_until, is_run_finished};
use claurst_assistant::{
    Agent, AgentConfig, Conversation, Environment, GitContext, McpStart, SessionOptions, spawn_session,
    spawn_session_with,
};
use claurst_extensions::{Catalog, Roots};
use claurst_protocol::{Message, Op, PermissionMode};
use claurst_test_support::{CapturedRequest, MockApi, Reply, TempProject, Turn};
use std::sync::Arc;

fn system_blocks(request: &CapturedRequest) -> Vec<String> {
    request.body["system"]
        .as_array()
        .unwrap()
        .iter()
        .map(|block| block["text"].as_str().unwrap().to_string())
        .collect()
}

/// Where the sections that may change between requests begin.
fn first_changeable(blocks: &[String]) -> usize {
    blocks
        .iter()
        .position(|block| {
            ["# Output style", "# MCP servers", "# Permission mode"]
                .iter()
                .any(|head| block.starts_with(head))
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cached_prefix_stays_byte_identical_across_turns_mode_and_style_changes() {
    let project = TempProject::new();
    project.git_init();
    project.write("src/lib.rs", "pub fn total() -> u32 { 1 }\n");
    project.git(&["add", "."]);
    project.git(&["commit", "-qm", "Start the shop"]);
    let api = MockApi::start();
    for answer in ["one", "two", "three"] {
        api.push(Reply::stream(Turn::text_only(answer)));
    }
    let catalog = Catalog::load(&Roots::new(project.project(), None));
    let agent = Agent::try_new(AgentConfig {
        extensions: Arc::new(catalog),
        system_sections: vec!["# Memory\nThe user likes short answers.".into()],
        ..config(&project, &api)
    })
    .unwrap();
    let mut session = spawn_session(agent, Conversation::new());
    session.ops.send(Op::Prompt { text: "first".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    session.ops.send(Op::Prompt { text: "second".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    // Ops are applied in order: both changes are in force before the third prompt runs.
    session.ops.send(Op::SetPermissionMode(PermissionMode::Plan)).await.unwrap();
    session.ops.send(Op::SetOutputStyle("explanatory".into())).await.unwrap();
    session.ops.send(Op::Prompt { text: "third".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;

    let requests = api.requests();
    let [first, second, third] = [0, 1, 2].map(|index| system_blocks(&requests[index]));
    assert_eq!(first, second, "nothing changed between the first two turns");
    let fixed = first_changeable(&first);
    assert!(first[..fixed].iter().any(|block| block.contains("on branch")), "{first:#?}");
    assert!(first[..fixed].iter().any(|block| block.starts_with("# Memory")));
    assert_eq!(first[..fixed], third[..fixed], "the prefix before the changeable sections");
    assert_eq!(first_changeable(&third), fixed);
    assert!(third[fixed..].iter().any(|block| block.contains("Insight")), "{:#?}", &third[fixed..]);
    assert!(third.last().unwrap().starts_with("# Permission mode\nPlan:"), "{third:#?}");
    assert!(first.last().unwrap().starts_with("# Permission mode\nDefault"), "{first:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_of_a_real_repository() {
    let project = TempProject::new();
    project.git_init();
    project.git(&["checkout", "-q", "-b", "main"]);
    project.write("src/cart.rs", "pub fn total() -> u32 { 1 }\n");
    project.git(&["add", "."]);
    project.git(&["commit", "-qm", "Add the cart"]);
    project.write("src/cart.rs", "pub fn total() -> u32 { 2 }\n");
    project.git(&["commit", "-qam", "Round totals half-up"]);
    project.git(&["checkout", "-q", "-b", "fix-totals"]);
    project.write("src/cart.rs", "pub fn total() -> u32 { 3 }\n");
    project.write("notes.txt", "todo\n");

    let git = GitContext::gather(project.project()).await.unwrap();
    assert_eq!(git.branch, "fix-totals");
    assert_eq!(git.main_branch.as_deref(), Some("main"));
    assert_eq!(git.status, [" M src/cart.rs", "?? notes.txt"]);
    assert_eq!(git.recent_commits, ["Round totals half-up", "Add the cart"]);
    let section = Environment::gather(project.project()).await.section();
    assert!(section.starts_with("# Environment\n"), "{section}");
    assert!(section.contains("- Git repository: yes, on branch fix-totals"), "{section}");
    assert!(section.contains("\n M src/cart.rs\n?? notes.txt\n"), "{section}");
    assert!(section.contains("- Round totals half-up\n- Add the cart"), "{section}");
}

#[tokio::test(flavor = "multi_thread")]
async fn outside_a_repository_there_is_no_git_part_and_the_run_works() {
    let project = TempProject::new();
    assert_eq!(GitContext::gather(project.project()).await, None);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("fine")));
    let agent = Agent::try_new(config(&project, &api)).unwrap();
    let run = agent.run(vec![Message::user("hi")]).await.unwrap();
    assert_eq!(run.final_response(), "fine");
    let blocks = system_blocks(&api.requests()[0]);
    let environment = blocks.iter().find(|block| block.starts_with("# Environment")).unwrap();
    assert!(environment.contains("- Git repository: no"), "{environment}");
    assert!(!environment.contains("Git status"), "{environment}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_openai_chat_provider_gets_the_tool_use_notes() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("anthropic")));
    api.push(Reply::stream(Turn::text_only("chat")));
    let anthropic = Agent::try_new(config(&project, &api)).unwrap();
    anthropic.run(vec![Message::user("hi")]).await.unwrap();
    let chat = Agent::try_new(AgentConfig {
        model: "qwen3".into(),
        provider: Some(crate::wire_formats::local_provider(&api)),
        api_key: None,
        base_url: None,
        ..config(&project, &api)
    })
    .unwrap();
    chat.run(vec![Message::user("hi")]).await.unwrap();

    let requests = api.requests();
    assert!(!requests[0].body["system"].to_string().contains("# Tool use with this model"));
    let system = requests[1].body["messages"][0]["content"].as_str().unwrap();
    assert!(requests[1].body["messages"][0]["role"] == "system");
    assert!(system.contains("# Tool use with this model"), "{system}");
    assert!(system.contains("`multi_edit`"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repository_configured_to_run_programs_runs_none_of_them() {
    let project = TempProject::new();
    project.git_init();
    project.write("notes.txt", "old\n");
    project.git(&["add", "."]);
    project.git(&["commit", "-qm", "Start"]);
    project.write("notes.txt", "new\n");
    let marker = project.project().join("FSMONITOR-RAN");
    let hook = project.write("bin/fsmonitor", format!("#!/bin/sh\ntouch {}\n", marker.display()));
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    project.git(&["config", "core.fsmonitor", hook.to_str().unwrap()]);

    let section = Environment::gather(project.project()).await.section();
    assert!(!marker.exists(), "gathering the context ran the repository's fsmonitor");
    assert!(section.contains("on branch"), "{section}");
    assert!(section.contains("Not read: its git configuration names programs"), "{section}");
    assert!(!section.contains("notes.txt"), "{section}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_prompt_sent_before_the_first_frame_waits_for_the_starting_context() {
    let project = TempProject::new();
    project.git_init();
    project.git(&["checkout", "-q", "-b", "early"]);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let agent = Agent::try_new(config(&project, &api)).unwrap();
    // The interface's mode: nothing is gathered until `FrontEndReady`, which never comes here.
    let options = SessionOptions { mcp_start: McpStart::WhenFrontEndReady, ..SessionOptions::default() };
    let mut session = spawn_session_with(agent, Conversation::new(), options);
    session.ops.send(Op::Prompt { text: "hi".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await;
    let blocks = system_blocks(&api.requests()[0]);
    assert!(blocks.iter().any(|block| block.contains("on branch early")), "{blocks:#?}");
}
