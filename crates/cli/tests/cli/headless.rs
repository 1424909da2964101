//! `claurst -p`: a real agent session through the binary.

use crate::{claurst, run, stderr, stdout, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe, run_with_stdin};
use serde_json::json;
use std::time::Duration;

#[test]
fn a_multi_turn_session_runs_bash_reads_a_file_and_finishes() {
    let project = TempProject::new();
    project.write("notes.txt", "first line\nsecond line\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().text("Looking around.").tool_use(
        "t1",
        "bash",
        json!({"command": "ls"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use("t2", "read_file", json!({"path": "notes.txt"}))));
    api.push(Reply::stream(Turn::text_only("The notes have two lines.")));

    let output = run(claurst(&project, &api).args(["-p", "what is in the notes?"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "The notes have two lines.\n");

    let requests = api.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].body["messages"][0]["content"][0]["text"], "what is in the notes?");
    let tool_names: Vec<&str> =
        requests[0].body["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(tool_names.contains(&"bash") && tool_names.contains(&"read_file"), "{tool_names:?}");
    assert_eq!(tool_results(&requests[1].body), [("notes.txt".to_string(), false)]);
    assert_eq!(tool_results(&requests[2].body), [("1\tfirst line\n2\tsecond line\n".to_string(), false)]);
    // The assistant's tool call is sent back verbatim before its result.
    assert_eq!(requests[1].body["messages"][1]["content"][1]["type"], "tool_use");
}

#[test]
fn retries_after_an_overloaded_answer() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::overloaded());
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "done\n");
    assert_eq!(api.requests().len(), 2);
}

#[test]
fn a_cut_stream_is_retried_and_the_answer_printed_once() {
    let project = TempProject::new();
    let api = MockApi::start();
    let turn = Turn::text_only("complete answer");
    api.push(Reply::stream(turn.clone()).disconnect_after(turn.to_sse_bytes().len() / 2));
    api.push(Reply::stream(turn));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "complete answer\n");
}

#[test]
fn a_missing_key_is_explained() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").args(["-p", "hi"]);
    let output = run(&mut command);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let error = stderr(&output);
    assert!(
        error.starts_with("Error: no API key for provider `anthropic`: set ANTHROPIC_API_KEY"),
        "{error}"
    );
    assert!(error.contains("export ANTHROPIC_API_KEY") && error.contains("[api]"), "{error}");
    assert!(stdout(&output).is_empty());
    assert!(api.requests().is_empty());
}

#[test]
fn the_key_can_come_from_the_config_file() {
    let project = TempProject::new();
    project.write_home(".claurst/config.toml", "[api]\napi_key = \"sk-from-file\"\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").args(["-p", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(api.requests()[0].header("x-api-key"), Some("sk-from-file"));
}

#[test]
fn piped_stdin_is_added_to_the_prompt() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("looks fine")));
    let output = run_with_stdin(
        claurst(&project, &api).args(["-p", "review this diff"]),
        Some("+added line\n-removed line\n"),
    );
    assert!(output.status.success(), "{}", describe(&output));
    let prompt = api.requests()[0].body["messages"][0]["content"][0]["text"].as_str().unwrap().to_string();
    assert!(
        prompt.starts_with("review this diff\n\n<stdin>\n+added line\n-removed line\n</stdin>"),
        "{prompt}"
    );
}

#[test]
fn invalid_utf8_on_stdin_is_decoded_lossily_with_a_note() {
    use std::io::Write;
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut child = claurst(&project, &api)
        .args(["-p", "what is this?"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // "café" in Latin-1: the 0xE9 byte is not UTF-8.
    let writer = std::thread::spawn(move || stdin.write_all(b"caf\xe9 au lait\n"));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    let prompt = api.requests()[0].body["messages"][0]["content"][0]["text"].as_str().unwrap().to_string();
    assert!(prompt.contains("<stdin>\ncaf\u{FFFD} au lait\n"), "{prompt}");
    assert!(prompt.contains("was not valid UTF-8"), "{prompt}");
}

#[test]
fn stdin_alone_is_the_prompt() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run_with_stdin(claurst(&project, &api).arg("-p"), Some("explain this code"));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(api.requests()[0].body["messages"][0]["content"][0]["text"], "explain this code");
}

#[test]
fn no_prompt_at_all_is_an_error() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).arg("-p"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no prompt given"), "{}", describe(&output));
}

#[test]
fn the_turn_limit_stops_the_run_with_a_distinct_exit_code() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "ls"}))));
    let output = run(claurst(&project, &api).args(["-p", "loop", "--max-turns", "1"]));
    assert_eq!(output.status.code(), Some(3), "{}", describe(&output));
    assert!(stderr(&output).contains("turn limit"), "{}", describe(&output));
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn calls_that_need_approval_are_denied_headless_and_the_model_is_told() {
    let project = TempProject::new();
    project.write("keep.txt", "precious");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm keep.txt"}))));
    api.push(Reply::stream(Turn::text_only("I could not delete it.")));
    let output = run(claurst(&project, &api).args(["-p", "delete keep.txt"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(project.read("keep.txt"), "precious");
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].1, "the refusal is an error result");
    assert!(results[0].0.contains("needs the user's approval"), "{}", results[0].0);
    assert!(
        results[0].0.contains("bash(rm"),
        "the model is told which rule would allow it: {}",
        results[0].0
    );
}

#[test]
fn bypass_mode_and_the_bash_timeout_flag_apply() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "bash",
        json!({"command": "touch made.txt; sleep 5"}),
    )));
    api.push(Reply::stream(Turn::text_only("timed out")));
    let started = std::time::Instant::now();
    let output = run(claurst(&project, &api).args([
        "-p",
        "make a file",
        "--permission-mode",
        "bypassPermissions",
        "--bash-timeout",
        "1",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(project.path("made.txt").exists());
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].0.contains("bash execution exceeded 1s timeout"), "{:?}", results);
}

#[test]
fn version_prints_and_exits() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).arg("--version"));
    assert!(output.status.success());
    // The Claude Code version Claurst speaks comes first (claude_flags.rs checks its shape), then Claurst's.
    let line = stdout(&output);
    assert!(line.ends_with(&format!(" (Claurst {})\n", env!("CARGO_PKG_VERSION"))), "{line}");
}

#[test]
fn system_prompt_flags_shape_the_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "hi",
        "--system",
        "You are an embedded Rust expert.",
        "--append-system-prompt",
        "Prefer no_std.",
        "--model",
        "claude-opus-4-6",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let body = &api.requests()[0].body;
    assert_eq!(body["model"], "claude-opus-4-6");
    let system = body["system"].as_array().unwrap();
    assert_eq!(system[0]["text"], "You are an embedded Rust expert.");
    // The appended text ends the fixed sections; only what may change mid-session (the mode) comes after.
    assert_eq!(system[system.len() - 2]["text"], "Prefer no_std.");
    assert!(system.last().unwrap()["text"].as_str().unwrap().starts_with("# Permission mode"));
    assert!(system[1]["text"].as_str().unwrap().contains(&project.project().display().to_string()));
}

#[test]
fn cwd_selects_the_project() {
    let project = TempProject::new();
    project.write("other/.claurst.toml", "[api]\nmodel = \"claude-opus-4-6\"\n");
    project.write("other/marker.txt", "here");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "ls"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let other = project.path("other");
    let output = run(claurst(&project, &api).args(["-p", "list", "--cwd", other.to_str().unwrap()]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(api.requests()[0].body["model"], "claude-opus-4-6", "the project's .claurst.toml applies");
    assert!(tool_results(&api.requests()[1].body)[0].0.contains("marker.txt"), "bash runs in that project");
    let missing = run(claurst(&project, &api).args(["-p", "x", "--cwd", "/no/such/dir"]));
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no such directory"), "{}", describe(&missing));
}

#[test]
fn help_lists_the_flags_and_bad_flags_exit_with_2() {
    let project = TempProject::new();
    let api = MockApi::start();
    let help = run(claurst(&project, &api).arg("--help"));
    assert!(help.status.success());
    for flag in [
        "--print",
        "--output-format",
        "--continue",
        "--resume",
        "--dream-now",
        "--ultraplan",
        "--permission-mode",
    ] {
        assert!(stdout(&help).contains(flag), "--help does not mention {flag}");
    }
    let bad = run(claurst(&project, &api).args(["--output-format", "yaml", "-p", "x"]));
    assert_eq!(bad.status.code(), Some(2), "{}", describe(&bad));
    assert!(stderr(&bad).contains("yaml"));
}

#[test]
fn ctrl_c_interrupts_a_headless_run_with_exit_code_130() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("never completes")).stall_after(60));
    let mut command = claurst(&project, &api);
    command.args(["-p", "wait"]).stdin(std::process::Stdio::null());
    command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let child = command.spawn().unwrap();
    api.wait_for_requests(1, Duration::from_secs(10));
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", describe(&output));
    assert!(stderr(&output).contains("Interrupted."), "{}", describe(&output));
}

#[test]
fn verbose_narrates_tool_calls_on_stderr_only() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "echo narrated"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "go", "--verbose"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "done\n");
    let narration = stderr(&output);
    assert!(narration.contains("→ bash {\"command\":\"echo narrated\"}"), "{narration}");
    assert!(narration.contains("← bash ok in") && narration.contains(": narrated"), "{narration}");
}

/// Whether `pid` is a live process (a zombie waiting to be reaped counts as gone).
fn is_running(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next()) != Some("Z"),
        Err(_) => false,
    }
}

#[test]
fn a_detached_grandchild_holding_the_output_neither_hangs_the_run_nor_survives_it() {
    let project = TempProject::new();
    let api = MockApi::start();
    // Two processes escape the command's group and outlive its shell: one keeps stdout and stderr (the
    // tool's output pipe), the other stderr only. The command waits until both have written their pids.
    let command = "setsid sh -c 'echo $$ > one.pid; exec sleep 600' & \
                   setsid sh -c 'echo $$ > two.pid; exec sleep 600' > /dev/null & \
                   while [ ! -s one.pid ] || [ ! -s two.pid ]; do sleep 0.05; done; echo started";
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": command}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let mut child = claurst(&project, &api)
        .args(["-p", "start it", "--permission-mode", "bypassPermissions"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Generous: the run itself takes well under a second; the grandchildren sleep for ten minutes.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let exited = loop {
        if child.try_wait().unwrap().is_some() {
            break true;
        }
        if std::time::Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let pids: Vec<i32> = ["one.pid", "two.pid"]
        .iter()
        .filter_map(|file| std::fs::read_to_string(project.path(file)).ok()?.trim().parse().ok())
        .collect();
    let survivors: Vec<i32> = pids.iter().copied().filter(|pid| is_running(*pid)).collect();
    // Clean up before judging, so a failure leaves nothing behind.
    if !exited {
        let _ = child.kill();
    }
    for pid in &survivors {
        let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
    let output = child.wait_with_output().unwrap();
    assert!(exited, "claurst -p did not exit within 20 s: {}", describe(&output));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "done\n");
    assert_eq!(pids.len(), 2, "both grandchildren started");
    assert!(survivors.is_empty(), "processes the command started outlived the session: {survivors:?}");
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].0.starts_with("started"), "{results:?}");
    assert!(results[0].0.contains("still holds its output open"), "{results:?}");
}

/// The debug lines of the log file, by crate (the event's target up to the first `::`).
fn debug_log_targets(project: &TempProject) -> Vec<String> {
    let log = std::fs::read_to_string(project.home().join(".claurst/logs/claurst.log")).unwrap_or_default();
    log.lines()
        .filter_map(|line| line.split_once(" DEBUG ")?.1.split("::").next().map(str::to_string))
        .collect()
}

#[test]
fn debug_logging_reaches_every_crate() {
    let project = TempProject::new();
    project.write("CLAURST.md", "Run the tests with make.\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("first")));
    api.push(Reply::stream(Turn::text_only("second")));
    let first = run(claurst(&project, &api).args(["-p", "one"]).env("CLAURST_LOG_LEVEL", "debug"));
    assert!(first.status.success(), "{}", describe(&first));
    let second = run(claurst(&project, &api).args(["-c", "-p", "two"]).env("CLAURST_LOG_LEVEL", "debug"));
    assert!(second.status.success(), "{}", describe(&second));
    let targets = debug_log_targets(&project);
    // Crates that used to log only warnings and errors: the session store and the memory engine.
    for quiet_before in ["claurst_session", "claurst_query"] {
        assert!(
            targets.iter().any(|target| target == quiet_before),
            "no debug line from {quiet_before}: {targets:?}"
        );
    }

    // RUST_LOG, when set, is the whole filter.
    let project = TempProject::new();
    project.write("CLAURST.md", "Run the tests with make.\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("third")));
    let quiet = run(claurst(&project, &api)
        .args(["-p", "three"])
        .env("CLAURST_LOG_LEVEL", "debug")
        .env("RUST_LOG", "claurst_session=debug,warn"));
    assert!(quiet.status.success(), "{}", describe(&quiet));
    let targets = debug_log_targets(&project);
    assert!(!targets.is_empty() && targets.iter().all(|target| target == "claurst_session"), "{targets:?}");
}
