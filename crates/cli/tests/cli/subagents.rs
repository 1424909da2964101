//! Sub-agents through the real binary: definitions from files and `--agents`, what a limited agent cannot
//! do, stream-json lines, cost in the result, and saved sub-agent transcripts.

use crate::{claurst, run, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

fn lines(output: &std::process::Output) -> Vec<Value> {
    stdout(output).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

fn tool_names(body: &Value) -> Vec<&str> {
    body["tools"].as_array().unwrap().iter().map(|tool| tool["name"].as_str().unwrap()).collect()
}

fn delegate(id: &str, agent_type: &str, prompt: &str) -> Turn {
    Turn::new().tool_use(
        id,
        "agent",
        json!({"description": "Review lib", "prompt": prompt, "agent_type": agent_type}),
    )
}

#[test]
fn a_claude_code_reviewer_with_two_tools_cannot_write_even_when_everything_is_allowed() {
    let project = TempProject::new();
    project.write("src/lib.rs", "pub fn safe() {}\n");
    project.write(
        ".claude/agents/reviewer.md",
        "---\nname: reviewer\ndescription: Reviews code for problems\ntools: read_file, grep\n---\n\
         You are REVIEWER-PROMPT. Read the code and report problems.\n",
    );
    let api = MockApi::start();
    api.push(Reply::stream(delegate("call-r", "reviewer", "REVIEW-TASK: check src/lib.rs")));
    // The hostile sub-agent tries to write anyway, beside an honest read.
    api.push_for(
        "REVIEW-TASK",
        Reply::stream(
            Turn::new()
                .tool_use("w1", "write_file", json!({"path": "pwned.txt", "content": "owned"}))
                .tool_use("r1", "read_file", json!({"path": "src/lib.rs"})),
        ),
    );
    api.push_for("REVIEW-TASK", Reply::stream(Turn::text_only("Looks fine.")));
    api.push(Reply::stream(Turn::text_only("Reviewed.")));

    let output = run(claurst(&project, &api).args([
        "-p",
        "review the library",
        "--output-format",
        "stream-json",
        "--permission-mode",
        "bypassPermissions",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!project.path("pwned.txt").exists(), "the reviewer could not write");

    let requests = api.requests();
    let reviewer = &requests[1].body;
    assert_eq!(tool_names(reviewer), ["read_file", "grep"]);
    assert!(reviewer["system"][0]["text"].as_str().unwrap().contains("REVIEWER-PROMPT"));
    let refused = reviewer_results(&requests[2].body);
    assert!(refused.contains("no tool named `write_file`"), "{refused}");
    assert!(refused.contains("pub fn safe"), "the read went through: {refused}");

    let lines = lines(&output);
    assert!(lines[0]["agents"].as_array().unwrap().contains(&json!("reviewer")), "{}", lines[0]);
    let from_reviewer: Vec<&Value> =
        lines.iter().filter(|line| line["parent_tool_use_id"] == "call-r").collect();
    let kinds: Vec<&str> = from_reviewer.iter().map(|line| line["type"].as_str().unwrap()).collect();
    // Two calls, two results: one user line each.
    assert_eq!(
        kinds,
        ["assistant", "user", "user", "assistant"],
        "the reviewer's own messages, under its call"
    );
    assert_eq!(from_reviewer[0]["message"]["content"][0]["name"], "write_file");
    let main: Vec<&str> = lines
        .iter()
        .filter(|line| line["parent_tool_use_id"].is_null())
        .map(|line| line["type"].as_str().unwrap())
        .collect();
    assert_eq!(main, ["system", "assistant", "user", "assistant", "result"]);
    let report = &lines
        .iter()
        .find(|line| line["type"] == "user" && line["parent_tool_use_id"].is_null())
        .unwrap()["message"]["content"][0];
    assert_eq!(report["tool_use_id"], "call-r");
    assert!(report["content"].as_str().unwrap().starts_with("Looks fine."), "{report}");
    assert_eq!(lines.last().unwrap()["result"], "Reviewed.");
}

/// The text of every tool result in the last message of a request.
fn reviewer_results(body: &Value) -> String {
    let messages = body["messages"].as_array().unwrap();
    messages.last().unwrap()["content"].to_string()
}

#[test]
fn agents_from_the_command_line_are_offered_and_their_transcripts_are_saved_and_resumable() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(delegate("call-t", "tester", "TEST-TASK: run the tests")));
    api.push_for("TEST-TASK", Reply::stream(Turn::text_only("All 12 tests pass.")));
    api.push(Reply::stream(Turn::text_only("Tests are green.")));
    let agents = r#"{"tester": {"description": "Runs the tests", "prompt": "You are TESTER-PROMPT.", "tools": ["Bash", "Read"]}}"#;
    let output =
        run(claurst(&project, &api).args(["-p", "test it", "--output-format", "json", "--agents", agents]));
    assert!(output.status.success(), "{}", describe(&output));
    let main = &api.requests()[0].body;
    let agent_tool = main["tools"].as_array().unwrap().iter().find(|tool| tool["name"] == "agent").unwrap();
    assert!(agent_tool["description"].as_str().unwrap().contains("- tester: Runs the tests"));
    let tester = &api.requests()[1].body;
    assert!(tester["system"][0]["text"].as_str().unwrap().contains("TESTER-PROMPT"));
    assert_eq!(tool_names(tester), ["bash", "read_file"], "Claude Code's names are read as ours");

    // The sub-agent's conversation is saved in a folder beside the session's transcript.
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let session = result["session_id"].as_str().unwrap();
    let folders = glob_dir(&project.home().join(".claurst/projects"), session);
    let saved: Vec<_> =
        std::fs::read_dir(folders.join("subagents")).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let transcript = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(transcript.contains("TEST-TASK") && transcript.contains("All 12 tests pass."), "{transcript}");

    // `--resume` opens it for inspection like any session.
    let id = saved[0].file_stem().unwrap().to_str().unwrap().to_string();
    api.push(Reply::stream(Turn::text_only("It ran the tests.")));
    let output = run(claurst(&project, &api).args(["-p", "what did you do?", "--resume", &id]));
    assert!(output.status.success(), "{}", describe(&output));
    let resumed = api.requests().last().unwrap().body.clone();
    assert!(resumed["messages"].to_string().contains("All 12 tests pass."), "{resumed}");
}

/// The folder named `session` under one of the project folders in `projects`.
fn glob_dir(projects: &std::path::Path, session: &str) -> std::path::PathBuf {
    std::fs::read_dir(projects)
        .unwrap()
        .map(|entry| entry.unwrap().path().join(session))
        .find(|path| path.is_dir())
        .unwrap_or_else(|| panic!("no folder for session {session} under {}", projects.display()))
}

#[test]
fn the_result_counts_what_sub_agents_spent_on_their_own_models() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(delegate("call-e", "explore", "FIND-TASK: where is main").usage(1000, 100)));
    api.push_for("FIND-TASK", Reply::stream(Turn::text_only("In src/main.rs:1.").usage(2000, 50)));
    api.push(Reply::stream(Turn::text_only("It is in src/main.rs.").usage(1200, 20)));
    let output = run(claurst(&project, &api).args(["-p", "find main", "--output-format", "json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let models = &result["modelUsage"];
    assert_eq!(models["claude-haiku-4-5"]["outputTokens"], 50, "{models}");
    assert_eq!(models["claude-sonnet-4-5"]["outputTokens"], 120, "{models}");
    assert_eq!(result["usage"]["output_tokens"], 170, "the run's usage includes its sub-agent's");
    // Sonnet at $3/$15 and Haiku at $1/$5 per million tokens.
    let expected = (2200.0 * 3.0 + 120.0 * 15.0 + 2000.0 * 1.0 + 50.0 * 5.0) / 1e6;
    let cost = result["total_cost_usd"].as_f64().unwrap();
    assert!((cost - expected).abs() < 1e-9, "{cost} vs {expected}");
}
