//! `claurst --kairos --no-interactive`: the headless daemon, through the real binary.

use crate::claurst;
use claurst_test_support::{JsonLinesSession, MockApi, Reply, TempProject, Turn};
use serde_json::Value;
use std::path::PathBuf;

/// A daemon ticking every second in `project`.
fn daemon(project: &TempProject, api: &MockApi) -> JsonLinesSession {
    project.write_home(".claurst/config.toml", "[kairos]\ntick_interval_secs = 1\n");
    JsonLinesSession::start(claurst(project, api).args(["--kairos", "--no-interactive"]))
}

fn kairos_line(line: &Value, kind: &str) -> bool {
    line["type"] == "kairos" && line["kind"] == kind
}

/// The project's daily log, wherever its folder is named.
fn log_text(project: &TempProject) -> String {
    let dir = project.home().join(".claurst/kairos");
    let folders: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(folders.len(), 1, "one folder for the project: {folders:?}");
    // One day's file, unless the test ran across midnight UTC: then both, in order.
    let mut logs: Vec<PathBuf> = std::fs::read_dir(&folders[0])
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "log"))
        .collect();
    logs.sort();
    logs.iter().map(|path| std::fs::read_to_string(path).unwrap()).collect()
}

fn terminate(session: &JsonLinesSession) {
    let pid = session.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
}

#[test]
fn the_daemon_prints_json_lines_ticks_on_a_file_change_and_stops_on_sigterm() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("The todo list grew; nothing to run.")));
    let mut session = daemon(&project, &api);
    let status = session.wait_for(|line| kairos_line(line, "status"));
    assert_eq!(status["tick_interval_secs"], 1);
    assert_eq!(status["paused"], false);
    let skipped = session.wait_for(|line| kairos_line(line, "tick_skipped"));
    assert_eq!(skipped["reason"]["reason"], "nothing_changed");
    assert!(api.requests().is_empty(), "a quiet tick calls no model");

    project.write("TODO.md", "- ship it\n");
    let started = session.wait_for(|line| kairos_line(line, "tick_started"));
    assert!(started["changes"][0].as_str().unwrap().contains("TODO.md"), "{started}");
    let result = session.wait_for(|line| line["type"] == "result");
    assert_eq!(result["result"], "The todo list grew; nothing to run.");
    let prompt = api.requests()[0].body["messages"][0]["content"][0]["text"].as_str().unwrap().to_string();
    assert!(prompt.starts_with("<tick") && prompt.contains("TODO.md"), "{prompt}");

    terminate(&session);
    let (status, _, stderr) = session.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
    let log = log_text(&project);
    assert!(log.contains("\ttick\t#1: 1 file changed: TODO.md"), "{log}");
    assert!(log.contains("SIGTERM received"), "{log}");
    assert!(log.trim_end().ends_with("KAIROS stopped: the session ended"), "{log}");
}

#[test]
fn sigterm_interrupts_a_running_tick_and_exits_0() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("never completes")).stall_after(60));
    let mut session = daemon(&project, &api);
    session.wait_for(|line| kairos_line(line, "tick_skipped"));
    project.write("src.txt", "x");
    session.wait_for(|line| kairos_line(line, "tick_started"));
    api.wait_for_requests(1, std::time::Duration::from_secs(10));
    terminate(&session);
    let (status, rest, stderr) = session.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
    let result = rest.iter().find(|line| line["type"] == "result").expect("the tick's run ended");
    assert_eq!(result["is_error"], true, "{result}");
    let log = log_text(&project);
    assert!(log.contains("#1: interrupted"), "{log}");
}

#[test]
fn kairos_enabled_in_the_configuration_runs_without_the_flag() {
    let project = TempProject::new();
    let api = MockApi::start();
    project.write_home(
        ".claurst/config.toml",
        "[kairos]\nenabled = true\ntick_interval_secs = 1\nmax_ticks_per_hour = 3\n",
    );
    let mut session = JsonLinesSession::start(claurst(&project, &api).arg("--no-interactive"));
    let status = session.wait_for(|line| kairos_line(line, "status"));
    assert_eq!(status["max_ticks_per_hour"], 3);
    assert_eq!(status["daily_budget_usd"], 2.0);
    terminate(&session);
    let (status, _, stderr) = session.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
}

/// `subscribe_pr` in one run, then the daemon: what happens on the pull request (a review) reaches the
/// model at a tick, through the real binary and a local GitHub.
#[test]
fn a_subscribed_pull_request_s_review_arrives_at_a_tick() {
    let project = TempProject::new();
    let api = MockApi::start();
    let github = claurst_test_support::MockGitHub::start();
    github.open_pull("octo/widgets", 12, "Fix the flaky test", "a1a1a1a");
    project.write_home(
        ".claurst/config.toml",
        format!(
            "[kairos]\ntick_interval_secs = 1\ngithub_api_url = \"{}\"\n\n[tools]\nallow = [\"subscribe_pr\"]\n",
            github.url()
        ),
    );
    api.push(Reply::stream(Turn::new().tool_use(
        "p1",
        "subscribe_pr",
        serde_json::json!({"pr": "octo/widgets#12"}),
    )));
    api.push(Reply::stream(Turn::text_only("Watching it.")));
    let output = crate::run(claurst(&project, &api).env("GH_TOKEN", "t0ken").args([
        "--kairos",
        "-p",
        "watch octo/widgets#12",
    ]));
    assert!(output.status.success(), "{}", claurst_test_support::describe(&output));
    let result = crate::tool_result_text(&api.requests()[1].body);
    assert!(result.contains("octo/widgets#12"), "{result}");
    let seen = github.requests();
    assert!(seen.iter().any(|r| r.header("authorization") == Some("Bearer t0ken")), "the token is sent");

    github.add_review("octo/widgets", 12, "ada", "CHANGES_REQUESTED", "Please add a test");
    api.push(Reply::stream(Turn::text_only("Ada asked for a test.")));
    let mut session = JsonLinesSession::start(
        claurst(&project, &api).env("GH_TOKEN", "t0ken").args(["--kairos", "--no-interactive"]),
    );
    let status = session.wait_for(|line| kairos_line(line, "status"));
    assert_eq!(status["subscriptions"], serde_json::json!(["octo/widgets#12"]), "{status}");
    let started = session.wait_for(|line| kairos_line(line, "tick_started"));
    let changes = started["changes"].to_string();
    assert!(changes.contains("PR octo/widgets#12") && changes.contains("review by ada"), "{changes}");
    session.wait_for(|line| line["type"] == "result");
    terminate(&session);
    let (status, _, stderr) = session.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
}
