//! `send_user_file` through the agent loop: the file reaches the front-end as `KairosEvent::FileSent` with a
//! preview and a copy beside the day's log; a read-deny rule or a missing file sends nothing.

use crate::{config, events_until, is_run_finished};
use claurst_assistant::{Agent, AgentConfig, Conversation, KairosSettings, spawn_session};
use claurst_protocol::{AgentEvent, KairosEvent, Op, SentFile};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn kairos(dir: PathBuf) -> KairosSettings {
    KairosSettings {
        tick_interval: Duration::from_secs(60),
        blocking_budget: Duration::from_secs(15),
        max_ticks_per_hour: 20,
        daily_budget_usd: 1.0,
        dir,
        // Nothing here polls pull requests.
        github_api_url: "http://127.0.0.1:9".into(),
    }
}

/// Runs one prompt whose reply calls `send_user_file` with `input`; the events of the run.
async fn send(project: &TempProject, deny: Vec<String>, input: serde_json::Value) -> Vec<AgentEvent> {
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("s1", "send_user_file", input)));
    api.push(Reply::stream(Turn::text_only("sent")));
    let config =
        AgentConfig { kairos: Some(kairos(project.root().join("kairos"))), deny, ..config(project, &api) };
    let mut session = spawn_session(Agent::try_new(config).unwrap(), Conversation::new());
    session.ops.send(Op::Prompt { text: "tick".into() }).await.unwrap();
    events_until(&mut session, is_run_finished).await
}

fn sent_files(events: &[AgentEvent]) -> Vec<SentFile> {
    events
        .iter()
        .filter_map(|event| match event {
            AgentEvent::Kairos(KairosEvent::FileSent(file)) => Some(file.clone()),
            _ => None,
        })
        .collect()
}

fn tool_result(events: &[AgentEvent]) -> (String, bool) {
    events
        .iter()
        .find_map(|event| match event {
            AgentEvent::ToolCallFinished(done) if done.id == "s1" => {
                Some((done.output.clone(), done.is_error))
            }
            AgentEvent::ToolCallDenied { id, reason } if id == "s1" => Some((reason.clone(), true)),
            _ => None,
        })
        .expect("the call ended")
}

/// Every file under `dir`, however deep.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { files_under(&path) } else { vec![path] }
        })
        .collect()
}

#[tokio::test]
async fn a_sent_file_reaches_the_front_end_with_a_preview_and_a_copy_is_kept() {
    let project = TempProject::new();
    let report: String = (1..=25).map(|n| format!("finding {n}\n")).collect();
    let source = project.write("reports/flaky.md", &report);
    let events =
        send(&project, Vec::new(), json!({"path": "reports/flaky.md", "message": "Two tests are flaky."}))
            .await;
    let sent = sent_files(&events);
    assert_eq!(sent.len(), 1, "{events:?}");
    let file = &sent[0];
    assert_eq!(Path::new(&file.path), source.canonicalize().unwrap_or(source.clone()).as_path());
    assert_eq!(file.message, "Two tests are flaky.");
    assert!(file.preview.starts_with("finding 1\nfinding 2\n"), "{}", file.preview);
    assert!(file.preview.ends_with("finding 20\n…"), "{}", file.preview);
    let copy = Path::new(&file.copy_path);
    assert_eq!(std::fs::read_to_string(copy).unwrap(), report);
    let day_dir = copy.parent().unwrap();
    assert_eq!(day_dir.parent().unwrap(), project.root().join("kairos").join("files"));
    assert_eq!(day_dir.file_name().unwrap().len(), "YYYY-MM-DD".len());
    let (output, is_error) = tool_result(&events);
    assert!(!is_error && output.contains(&file.copy_path), "{output}");
    // The day's log keeps what was sent, and where its copy is.
    let day = day_dir.file_name().unwrap().to_string_lossy().into_owned();
    let log = std::fs::read_to_string(project.root().join("kairos").join(format!("{day}.log"))).unwrap();
    let entry = log.lines().find(|line| line.contains("file-sent")).expect("a file_sent entry");
    assert!(entry.contains("Two tests are flaky.") && entry.contains("flaky.md"), "{entry}");
}

#[tokio::test]
async fn a_read_deny_rule_refuses_it_and_nothing_is_copied() {
    let project = TempProject::new();
    project.write("secrets/.env", "TOKEN=1\n");
    let deny = vec!["read_file(secrets/**)".to_string()];
    let events = send(&project, deny, json!({"path": "secrets/.env", "message": "look"})).await;
    assert!(sent_files(&events).is_empty(), "{events:?}");
    let (_, is_error) = tool_result(&events);
    assert!(is_error);
    assert!(files_under(&project.root().join("kairos").join("files")).is_empty());
}

#[tokio::test]
async fn a_missing_file_or_a_directory_is_a_tool_error() {
    let project = TempProject::new();
    let events = send(&project, Vec::new(), json!({"path": "nope.txt", "message": "look"})).await;
    let (output, is_error) = tool_result(&events);
    assert!(is_error && output.contains("There is no file at nope.txt"), "{output}");
    assert!(sent_files(&events).is_empty());
    project.write("src/lib.rs", "");
    let events = send(&project, Vec::new(), json!({"path": "src", "message": "look"})).await;
    let (output, is_error) = tool_result(&events);
    assert!(is_error && output.contains("is a directory"), "{output}");
    assert!(files_under(&project.root().join("kairos").join("files")).is_empty());
}

/// Every send keeps a copy in the user's home: a huge file (a build artefact, a pack) is refused, and a FIFO
/// is refused without hanging the call.
#[tokio::test]
async fn a_huge_file_or_a_fifo_is_refused_and_nothing_is_copied() {
    let project = TempProject::new();
    let huge = project.write("target/big.bin", "");
    std::fs::File::options().write(true).open(&huge).unwrap().set_len(60_000_000).unwrap();
    let events = send(&project, Vec::new(), json!({"path": "target/big.bin", "message": "look"})).await;
    let (output, is_error) = tool_result(&events);
    assert!(is_error && output.contains("at most 50 MB"), "{output}");
    let fifo = project.path("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let events = send(&project, Vec::new(), json!({"path": "pipe", "message": "look"})).await;
    let (output, is_error) = tool_result(&events);
    assert!(is_error && output.contains("not a regular file"), "{output}");
    assert!(files_under(&project.root().join("kairos").join("files")).is_empty());
}
