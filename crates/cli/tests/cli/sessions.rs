//! Durable sessions through the binary: transcripts, `--continue`, `--resume`, crashes, compaction,
//! project instructions.

use crate::{claurst, run, stderr, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// Every transcript of the project, newest last.
/// The session transcripts (`ID.jsonl`), oldest first; a session's folder of checkpoints and sub-agents is not
/// one.
pub(crate) fn transcripts(project: &TempProject) -> Vec<PathBuf> {
    let projects = project.home().join(".claurst/projects");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&projects)
        .map(|dirs| {
            dirs.flatten()
                .flat_map(|dir| std::fs::read_dir(dir.path()).unwrap().flatten().map(|f| f.path()))
                .filter(|path| path.extension().is_some_and(|extension| extension == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|path| std::fs::metadata(path).unwrap().modified().unwrap());
    files
}

fn json_result(output: &std::process::Output) -> Value {
    serde_json::from_str(stdout(output).trim()).unwrap_or_else(|_| panic!("not JSON: {}", describe(output)))
}

pub fn texts(body: &Value) -> Vec<String> {
    body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["content"].as_array().unwrap().iter())
        .filter_map(|block| block["text"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_event_is_written_to_the_transcript() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "ls"})).usage(50, 5)));
    api.push(Reply::stream(Turn::text_only("done").usage(60, 4)));
    let output = run(claurst(&project, &api).args(["-p", "look", "--output-format", "json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let files = transcripts(&project);
    assert_eq!(files.len(), 1);
    let kinds: Vec<String> = std::fs::read_to_string(&files[0])
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["session", "user", "usage", "assistant", "tool_results", "usage", "assistant"]);
    let session_id = json_result(&output)["session_id"].as_str().unwrap().to_string();
    assert!(files[0].file_name().unwrap().to_string_lossy().starts_with(&session_id));
}

#[test]
fn continue_resumes_the_latest_session() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("The answer is 42.")));
    let first = run(claurst(&project, &api).args(["-p", "what is the answer?", "--output-format", "json"]));
    assert!(first.status.success(), "{}", describe(&first));
    api.push(Reply::stream(Turn::text_only("You asked about the answer.")));
    let second =
        run(claurst(&project, &api).args(["-c", "-p", "what did I ask?", "--output-format", "json"]));
    assert!(second.status.success(), "{}", describe(&second));
    assert_eq!(
        json_result(&first)["session_id"],
        json_result(&second)["session_id"],
        "same session continued"
    );
    assert_eq!(
        texts(&api.requests()[1].body),
        ["what is the answer?", "The answer is 42.", "what did I ask?"]
    );
    assert_eq!(transcripts(&project).len(), 1);
}

#[test]
fn resume_by_id_picks_that_session() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("first session")));
    let first = run(claurst(&project, &api).args(["-p", "one", "--output-format", "json"]));
    api.push(Reply::stream(Turn::text_only("second session")));
    run(claurst(&project, &api).args(["-p", "two"]));
    let first_id = json_result(&first)["session_id"].as_str().unwrap().to_string();
    api.push(Reply::stream(Turn::text_only("back in the first")));
    let output = run(claurst(&project, &api).args(["-r", &first_id[..8], "-p", "three"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(texts(&api.requests()[2].body), ["one", "first session", "three"]);
}

#[test]
fn resume_errors_are_actionable() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-c", "-p", "hi"]));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no saved session to continue"), "{}", describe(&output));
    let output = run(claurst(&project, &api).args(["-r", "-p", "hi"]));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--resume needs a session id in headless mode"),
        "{}",
        describe(&output)
    );
    let output = run(claurst(&project, &api).args(["-r", "nope", "-p", "hi"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(api.requests().is_empty());
}

#[test]
fn a_session_killed_mid_turn_resumes_with_only_the_turn_in_flight_lost() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "echo step-one"}))));
    api.push(Reply::stream(Turn::text_only("this reply never completes")).stall_after(120));
    let mut command = claurst(&project, &api);
    command.args(["-p", "do the work", "--permission-mode", "bypassPermissions"]);
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = command.spawn().unwrap();
    api.wait_for_requests(2, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    api.push(Reply::stream(Turn::text_only("resumed fine")));
    let output = run(claurst(&project, &api).args(["-c", "-p", "carry on"]));
    assert!(output.status.success(), "{}", describe(&output));
    let body = &api.requests()[2].body;
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages[0]["content"][0]["text"], "do the work");
    assert_eq!(messages[1]["content"][0]["name"], "bash");
    assert_eq!(messages[2]["content"][0]["type"], "tool_result");
    assert_eq!(messages[2]["content"][0]["content"][0]["text"], "step-one");
    assert_eq!(messages[2]["content"][1]["text"], "carry on", "the new prompt follows the last saved event");
    assert_eq!(messages.len(), 3);
}

#[test]
fn a_session_killed_mid_tool_resumes_with_the_call_answered_as_interrupted() {
    let project = TempProject::new();
    let api = MockApi::start();
    // The command records its pid (exec keeps it for sleep) and then outlives the kill below.
    let command = "echo $$ > tool.pid; exec sleep 600";
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": command}))));
    let mut child = claurst(&project, &api)
        .args(["-p", "do the work", "--permission-mode", "bypassPermissions"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid_file = project.path("tool.pid");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let tool_pid = loop {
        if let Ok(text) = std::fs::read_to_string(&pid_file)
            && let Ok(pid) = text.trim().parse::<i32>()
        {
            break pid;
        }
        assert!(std::time::Instant::now() < deadline, "the tool never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap(); // SIGKILL while the tool runs: no result is ever written
    child.wait().unwrap();
    let _ = std::process::Command::new("kill").args(["-9", &tool_pid.to_string()]).status();

    api.push(Reply::stream(Turn::text_only("resumed fine")));
    let output = run(claurst(&project, &api).args(["-c", "-p", "carry on"]));
    assert!(output.status.success(), "the resumed request is accepted: {}", describe(&output));
    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    let messages = requests[1].body["messages"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1]["content"][0]["id"], "t1");
    let result = &messages[2]["content"][0];
    assert_eq!(result["type"], "tool_result");
    assert_eq!(result["tool_use_id"], "t1");
    assert_eq!(result["is_error"], true);
    assert_eq!(result["content"][0]["text"], "interrupted: the session ended before this tool finished");
    assert_eq!(messages[2]["content"][1]["text"], "carry on");
}

#[test]
fn a_torn_last_line_is_skipped_with_a_warning() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("saved reply")));
    run(claurst(&project, &api).args(["-p", "saved prompt"]));
    let file = transcripts(&project).pop().unwrap();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("{\"type\":\"user\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"message\":{\"role\":\"us");
    std::fs::write(&file, text).unwrap();

    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-c", "-p", "next"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("warning:"), "the torn line is reported: {}", describe(&output));
    assert_eq!(texts(&api.requests()[1].body), ["saved prompt", "saved reply", "next"]);
}

/// Four tool turns, the last reporting a context past the threshold.
fn script_until_full(api: &MockApi) {
    for n in 1..=4 {
        let usage = if n == 4 { 6000 } else { 100 };
        api.push(Reply::stream(
            Turn::new()
                .tool_use(&format!("t{n}"), "bash", json!({"command": format!("echo {n}")}))
                .usage(usage, 10),
        ));
    }
}

fn compaction_project() -> TempProject {
    let project = TempProject::new();
    project
        .write(".claurst.toml", "[api]\ncontext_window = 10000\n[session]\nauto_compact_threshold = 0.5\n");
    project.write("CLAURST.md", "Always run `make check` before finishing.\n");
    project
}

#[test]
fn automatic_compaction_replaces_older_turns_with_a_summary() {
    let project = compaction_project();
    let api = MockApi::start();
    script_until_full(&api);
    api.push(Reply::stream(Turn::text_only("## Goals\nList things.\n## Decisions\nUse echo.")));
    api.push(Reply::stream(Turn::text_only("All listed.")));
    let output =
        run(claurst(&project, &api).args(["-p", "list things", "--permission-mode", "bypassPermissions"]));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    assert_eq!(requests.len(), 6);

    let compaction = &requests[4].body;
    assert!(compaction.get("tools").is_none(), "the summary request offers no tools");
    let last = compaction["messages"].as_array().unwrap().last().unwrap().to_string();
    assert!(last.to_lowercase().contains("summar"), "{last}");

    let next = &requests[5].body;
    let messages = next["messages"].as_array().unwrap();
    let first = messages[0]["content"][0]["text"].as_str().unwrap();
    assert!(
        first.contains("[Summary of the earlier conversation]") && first.contains("Use echo."),
        "{first}"
    );
    assert!(messages.len() < requests[3].body["messages"].as_array().unwrap().len() + 2);
    assert_eq!(messages.last().unwrap()["content"][0]["tool_use_id"], "t4", "the recent turns stay verbatim");
    let system = next["system"].to_string();
    assert!(system.contains("make check"), "the project instructions stay in the system prompt");

    let transcript = std::fs::read_to_string(transcripts(&project).pop().unwrap()).unwrap();
    assert!(
        transcript.lines().any(|line| line.contains("\"type\":\"compaction\"")),
        "the boundary is recorded"
    );
}

#[test]
fn a_failed_compaction_leaves_the_session_as_it_was() {
    let project = compaction_project();
    let api = MockApi::start();
    script_until_full(&api);
    api.push(Reply::error(400, "invalid_request_error", "cannot summarise"));
    api.push(Reply::stream(Turn::text_only("Carried on.")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "list things",
        "--permission-mode",
        "bypassPermissions",
        "--verbose",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("compaction failed"), "{}", describe(&output));
    let requests = api.requests();
    let before = requests[3].body["messages"].as_array().unwrap().len();
    let after = requests[5].body["messages"].as_array().unwrap().len();
    assert_eq!(after, before + 2, "nothing was removed: the previous history plus the new turn");
}

#[test]
fn instruction_files_are_found_up_the_tree() {
    let project = TempProject::new();
    project.git_init();
    project.write("CLAURST.md", "Root rule: tabs.\n@docs/style.md\n");
    project.write("docs/style.md", "Imported rule: no unwrap.\n");
    project.write("app/AGENTS.md", "App rule: small functions.\n");
    project.write("app/.claurst.toml", "");
    project.write_home(".claurst/CLAURST.md", "User rule: be brief.\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut command = claurst(&project, &api);
    command.current_dir(project.path("app")).args(["-p", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    let system = api.requests()[0].body["system"].to_string();
    for rule in [
        "User rule: be brief.",
        "Root rule: tabs.",
        "Imported rule: no unwrap.",
        "App rule: small functions.",
    ] {
        assert!(system.contains(rule), "missing {rule:?} in {system}");
    }
    let user = system.find("User rule").unwrap();
    let root = system.find("Root rule").unwrap();
    let app = system.find("App rule").unwrap();
    assert!(user < root && root < app, "user file first, then outermost to innermost");
}

#[test]
fn the_json_result_counts_tokens_and_cost_per_model() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[prices]\nsonnet = { input = 10, output = 100 }\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok").usage(1_000_000, 0)));
    let output = run(claurst(&project, &api).args(["-p", "hi", "--output-format", "json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result = json_result(&output);
    let model = &result["modelUsage"]["claude-sonnet-4-5"];
    assert_eq!(model["inputTokens"], 1_000_000);
    assert!((model["costUSD"].as_f64().unwrap() - 10.0).abs() < 1e-3, "configured price used: {model}");
    assert!((result["total_cost_usd"].as_f64().unwrap() - 10.0).abs() < 1e-3);
}

mod interface {
    use crate::BIN;
    use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
    use serde_json::json;
    use std::path::Path;
    use std::time::Duration;

    const WAIT: Duration = Duration::from_secs(10);

    fn headless_session(project: &TempProject, api: &MockApi, prompt: &str, answer: &str) {
        api.push(Reply::stream(Turn::text_only(answer)));
        let output = crate::run(crate::claurst(project, api).args(["-p", prompt]));
        assert!(output.status.success(), "{}", claurst_test_support::describe(&output));
    }

    fn pty(project: &TempProject, api: &MockApi, args: &[&str]) -> PtySession {
        let mut command = claurst_pty_command(Path::new(BIN), project, Some(api));
        command.args(args);
        PtySession::spawn(command, 30, 100)
    }

    #[test]
    fn the_resume_picker_opens_the_chosen_session() {
        let project = TempProject::new();
        let api = MockApi::start();
        headless_session(&project, &api, "alpha question", "alpha answer");
        headless_session(&project, &api, "beta question", "beta answer");
        let mut session = pty(&project, &api, &["--resume"]);
        let picker = session.wait_for("Resume a session", WAIT);
        assert!(picker.contains("alpha question") && picker.contains("beta question"), "{picker}");
        assert!(picker.find("beta question") < picker.find("alpha question"), "newest first: {picker}");
        session.type_text("alpha");
        session.wait_until("the search to narrow the list", WAIT, |screen| !screen.contains("beta question"));
        session.send(keys::ENTER);
        let screen = session.wait_for("● alpha answer", WAIT);
        assert!(screen.contains("› alpha question"), "{screen}");
        api.push(Reply::stream(Turn::text_only("continuing alpha")));
        session.type_text("and then?");
        session.send(keys::ENTER);
        session.wait_for("continuing alpha", WAIT);
        let texts = crate::sessions::texts(&api.requests()[2].body);
        assert_eq!(texts, ["alpha question", "alpha answer", "and then?"]);
    }

    #[test]
    fn resume_by_id_opens_that_session_in_the_interface() {
        let project = TempProject::new();
        let api = MockApi::start();
        api.push(Reply::stream(Turn::text_only("first answer")));
        let output = crate::run(crate::claurst(&project, &api).args([
            "-p",
            "first question",
            "--output-format",
            "json",
        ]));
        let id = serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()["session_id"]
            .as_str()
            .unwrap()
            .to_string();
        headless_session(&project, &api, "second question", "second answer");
        let session = pty(&project, &api, &["-r", &id]);
        let screen = session.wait_for("● first answer", WAIT);
        assert!(screen.contains("› first question") && !screen.contains("second question"), "{screen}");
    }

    #[test]
    fn continue_shows_the_previous_conversation() {
        let project = TempProject::new();
        let api = MockApi::start();
        headless_session(&project, &api, "remember the number 7", "Noted: 7.");
        let session = pty(&project, &api, &["-c"]);
        let screen = session.wait_for("Noted: 7.", WAIT);
        assert!(screen.contains("› remember the number 7"), "{screen}");
    }

    #[test]
    fn slash_compact_summarises_in_the_interface() {
        let project = TempProject::new();
        let api = MockApi::start();
        for n in 1..=3 {
            api.push(Reply::stream(Turn::new().tool_use(
                &format!("t{n}"),
                "bash",
                json!({"command": format!("echo {n}")}),
            )));
        }
        api.push(Reply::stream(Turn::text_only("three steps done")));
        let output = crate::run(crate::claurst(&project, &api).args([
            "-p",
            "do three steps",
            "--permission-mode",
            "bypassPermissions",
        ]));
        assert!(output.status.success(), "{}", claurst_test_support::describe(&output));
        let mut session = pty(&project, &api, &["-c"]);
        session.wait_for("three steps done", WAIT);
        api.push(Reply::stream(Turn::text_only("## Goals\nThree steps.")));
        session.type_text("/compact focus on the steps");
        session.send(keys::ENTER);
        session.wait_for("Conversation compacted", WAIT);
        let request = &api.requests()[4].body;
        assert!(request["messages"].to_string().contains("focus on the steps"), "the user's focus is sent");
    }
}
