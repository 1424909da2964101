//! Memory through the binary: loaded into the prompt, written by the model, recorded at the end, dreamed.

use crate::{claurst, run, stderr, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

const MEMORY: &str = ".claurst/memory";

fn system_text(body: &Value) -> String {
    body["system"]
        .as_array()
        .unwrap()
        .iter()
        .map(|block| block["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_memory_index_is_in_every_system_prompt() {
    let project = TempProject::new();
    project.write_home(&format!("{MEMORY}/MEMORY.md"), "- The user prefers tabs over spaces.\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(system_text(&api.requests()[0].body).contains("The user prefers tabs over spaces."));
}

#[test]
fn remember_that_saves_to_memory_without_asking() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "memory_write",
        json!({"path": "topics/preferences.md", "content": "# Preferences\n\n- Use tabs.\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("I'll remember that.")));
    let output = run(claurst(&project, &api).args(["-p", "remember that I use tabs"]));
    assert!(output.status.success(), "{}", describe(&output));
    let saved = std::fs::read_to_string(project.home().join(MEMORY).join("topics/preferences.md")).unwrap();
    assert!(saved.contains("Use tabs."));
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert_ne!(result["is_error"], true, "{result}");
    assert!(result["content"][0]["text"].as_str().unwrap().starts_with("Saved to memory: "), "{result}");
}

#[test]
fn memory_tools_cannot_write_outside_the_memory_directory() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "memory_write",
        json!({"path": "../escape.md", "content": "x"}),
    )));
    api.push(Reply::stream(Turn::text_only("refused")));
    let output = run(claurst(&project, &api).args(["-p", "try"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!project.home().join(".claurst/escape.md").exists());
    assert_eq!(api.requests()[1].body["messages"][2]["content"][0]["is_error"], true);
}

#[test]
fn a_finished_session_is_recorded_and_counted() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "fix the flaky parser test"]));
    assert!(output.status.success(), "{}", describe(&output));
    let sessions = project.home().join(MEMORY).join("sessions");
    let logs: Vec<_> = std::fs::read_dir(&sessions).unwrap().flatten().collect();
    assert_eq!(logs.len(), 1, "one log for today");
    let log = std::fs::read_to_string(logs[0].path()).unwrap();
    assert!(log.contains("fix the flaky parser test"), "{log}");
    let state: Value = serde_json::from_str(
        &std::fs::read_to_string(project.home().join(MEMORY).join(".dream-state.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["sessions_since"], 1);
    assert_eq!(api.requests().len(), 1, "headless runs write the record without a model request");
}

#[test]
fn dream_now_consolidates_and_shows_each_phase() {
    let project = TempProject::new();
    project.write_home(&format!("{MEMORY}/MEMORY.md"), "- old index\n");
    project
        .write_home(&format!("{MEMORY}/sessions/2026-11-20.log"), "Learned: the user deploys on Fridays.\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Oriented: one index line, no topics.")));
    api.push(Reply::stream(Turn::text_only("Gathered: deploys on Fridays.")));
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "memory_write",
        json!({"path": "topics/workflow.md", "content": "# Workflow\n\n- Deploys on Fridays (since 2026-11-20).\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("Consolidated into topics/workflow.md.")));
    api.push(Reply::stream(Turn::new().tool_use(
        "t2",
        "memory_write",
        json!({"path": "MEMORY.md", "content": "# Memory\n\n- topics/workflow.md: how the user ships\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("Index rewritten.")));
    let output = run(claurst(&project, &api).args(["--dream-now", "--verbose"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stdout(&output).starts_with("Memory consolidated"), "{}", describe(&output));
    let narration = stderr(&output);
    for phase in ["1/4 orient", "2/4 gather", "3/4 consolidate", "4/4 prune"] {
        assert!(narration.contains(&format!("dream: {phase}")), "missing phase {phase}: {narration}");
    }
    let memory = project.home().join(MEMORY);
    assert!(std::fs::read_to_string(memory.join("topics/workflow.md")).unwrap().contains("Fridays"));
    assert!(std::fs::read_to_string(memory.join("MEMORY.md")).unwrap().contains("topics/workflow.md"));
    assert!(!memory.join(".dream.lock").exists(), "the lock is released");
}

#[test]
fn dream_now_refuses_while_another_process_dreams() {
    let project = TempProject::new();
    let now = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap();
    let lock = json!({"pid": std::process::id(), "started_at": now, "token": "held-by-test"});
    project.write_home(&format!("{MEMORY}/.dream.lock"), lock.to_string());
    let api = MockApi::start();
    let output = run(claurst(&project, &api).arg("--dream-now"));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains("is dreaming"), "{}", describe(&output));
    assert!(api.requests().is_empty());
}
