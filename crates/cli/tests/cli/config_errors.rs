//! Bad configuration stops Claurst with an error that says where and what to fix.

use crate::{claurst, run, stderr};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};

#[test]
fn a_bad_value_names_the_file_key_and_line() {
    let project = TempProject::new();
    let file = project.write(".claurst.toml", "[tools]\nbash_timeout_secs = \"forever\"\n");
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains(&format!("{}:2", file.display())), "{error}");
    assert!(error.contains("tools.bash_timeout_secs"), "{error}");
    assert!(api.requests().is_empty());
}

#[test]
fn broken_toml_names_the_file_and_line() {
    let project = TempProject::new();
    let file = project.write_home(".claurst/config.toml", "[api\nmodel = \"x\"\n");
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains(&format!("{}:1", file.display())) && error.contains("not valid TOML"), "{error}");
}

#[test]
fn an_unknown_key_warns_and_the_run_goes_on() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[api]\nmodle = \"typo\"\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("fine")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(
        stderr(&output).contains("warning:") && stderr(&output).contains("api.modle"),
        "{}",
        describe(&output)
    );
}

#[test]
fn a_bad_environment_value_names_the_variable() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut command = claurst(&project, &api);
    command.env("CLAURST_MAX_TOKENS", "lots").args(["-p", "hi"]);
    let output = run(&mut command);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("CLAURST_MAX_TOKENS"), "{}", describe(&output));
}

#[test]
fn config_file_settings_reach_the_request() {
    let project = TempProject::new();
    project.write_home(".claurst/config.toml", "[api]\nmodel = \"claude-opus-4-6\"\nmax_tokens = 1234\n");
    project.write(".claurst.toml", "[api]\nmax_tokens = 4321\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    let body = &api.requests()[0].body;
    assert_eq!(body["model"], "claude-opus-4-6");
    assert_eq!(body["max_tokens"], 4321);
}

#[test]
fn logs_go_to_the_log_file_not_the_screen() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let mut command = claurst(&project, &api);
    command.env("CLAURST_LOG_LEVEL", "debug").args(["-p", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ok\n");
    let log = std::fs::read_to_string(project.home().join(".claurst/logs/claurst.log")).unwrap();
    assert!(log.contains("configuration loaded"), "{log}");
}

#[test]
fn bad_agents_json_stops_the_start_naming_the_flag() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["--agents", "{bad json", "-p", "hi"]));
    assert!(!output.status.success(), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains("--agents") && error.contains("not valid JSON"), "{error}");
    let output = run(claurst(&project, &api).args(["--agents", r#"{"rev": {"prompt": "p"}}"#, "-p", "hi"]));
    assert!(!output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("agent `rev`: `description` is missing"), "{}", describe(&output));
    assert!(api.requests().is_empty());
}
