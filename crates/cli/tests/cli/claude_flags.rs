//! The flags scripts written for Claude Code's headless mode pass, each honoured by the real binary.

use crate::{claurst, run, stderr, stdout, tool_result_text, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Run `-p go` with `flags` and JSON output, the model making `command` through bash then finishing.
fn run_bash(project: &TempProject, command: &str, flags: &[&str]) -> (Value, MockApi) {
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": command}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(project, &api).args(["-p", "go", "--output-format", "json"]).args(flags));
    assert!(output.status.success(), "{}", describe(&output));
    (serde_json::from_str(&stdout(&output)).unwrap(), api)
}

/// The names of the tools offered in a request.
fn offered_tools(body: &Value) -> Vec<String> {
    body["tools"]
        .as_array()
        .map(|tools| tools.iter().map(|tool| tool["name"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn allowed_tools_let_a_command_run_that_is_refused_without_them() {
    let project = TempProject::new();
    let (result, _) = run_bash(&project, "touch refused.txt", &[]);
    assert_eq!(result["permission_denials"][0]["tool_use_id"], "t1", "{result}");
    assert!(!project.path("refused.txt").exists(), "a refused command must never run");

    let (result, _) = run_bash(&project, "touch allowed.txt", &["--allowedTools", "Bash"]);
    assert_eq!(result["permission_denials"], json!([]), "{result}");
    assert!(project.path("allowed.txt").exists());

    // A rule with a command pattern, in the hyphenated spelling, among others.
    let (_, api) =
        run_bash(&project, "touch narrow.txt", &["--allowed-tools", "Read,Bash(touch narrow.txt) Grep"]);
    assert!(project.path("narrow.txt").exists(), "{}", tool_result_text(&api.requests()[1].body));
}

#[test]
fn disallowed_tools_hide_a_bare_tool_and_refuse_narrower_rules_even_when_bypassing() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "go", "--disallowedTools", "Bash"]));
    assert!(output.status.success(), "{}", describe(&output));
    let tools = offered_tools(&api.requests()[0].body);
    assert!(!tools.contains(&"bash".to_string()), "{tools:?}");
    assert!(tools.contains(&"read_file".to_string()), "{tools:?}");

    let flags = ["--permission-mode", "bypassPermissions", "--disallowed-tools", "Bash(touch:*)"];
    let (result, api) = run_bash(&project, "touch never.txt", &flags);
    assert!(!project.path("never.txt").exists(), "a denied command must never run");
    assert_eq!(result["permission_denials"][0]["tool_use_id"], "t1", "{result}");
    assert!(offered_tools(&api.requests()[0].body).contains(&"bash".to_string()));
}

#[test]
fn tools_restricts_the_built_in_tools_in_either_vocabulary() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("one")));
    api.push(Reply::stream(Turn::text_only("two")));
    api.push(Reply::stream(Turn::text_only("three")));
    for value in ["Read", "read_file,Bash", ""] {
        let output = run(claurst(&project, &api).args(["-p", "go", "--tools", value]));
        assert!(output.status.success(), "{}", describe(&output));
    }
    let requests = api.requests();
    assert_eq!(offered_tools(&requests[0].body), ["read_file"]);
    assert_eq!(offered_tools(&requests[1].body), ["bash", "read_file"]);
    assert!(offered_tools(&requests[2].body).is_empty(), "{}", requests[2].body["tools"]);
}

#[test]
fn an_empty_system_prompt_is_sent_empty_and_files_give_the_prompt() {
    let project = TempProject::new();
    project.write("prompt.txt", "You answer in haiku.");
    project.write("more.txt", "Sign with a dash.");
    let api = MockApi::start();
    for _ in 0..3 {
        api.push(Reply::stream(Turn::text_only("ok")));
    }
    let runs: [&[&str]; 3] = [
        &["--system-prompt", ""],
        &["--system-prompt-file", "prompt.txt", "--append-system-prompt-file", "more.txt"],
        &[],
    ];
    for flags in runs {
        let output = run(claurst(&project, &api).args(["-p", "go"]).args(flags));
        assert!(output.status.success(), "{}", describe(&output));
    }
    let requests = api.requests();
    assert!(requests[0].body.get("system").is_none(), "{}", requests[0].body["system"]);
    let system = &requests[1].body["system"];
    assert_eq!(system[0]["text"], "You answer in haiku.", "{system}");
    assert!(system.to_string().contains("Sign with a dash."), "{system}");
    assert!(!requests[2].body["system"].as_array().unwrap().is_empty(), "no flag keeps Claurst's prompt");

    let output = run(claurst(&project, &api).args(["-p", "go", "--system-prompt-file", "missing.txt"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains("--system-prompt-file missing.txt"), "{}", stderr(&output));
    assert_eq!(api.requests().len(), 3);
}

#[test]
fn session_id_names_the_new_session_once() {
    let project = TempProject::new();
    let id = "0b6f5c1e-7d4a-4c2b-9a8e-3f1d2c4b5a69";
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output =
        run(claurst(&project, &api).args(["-p", "go", "--output-format", "json", "--session-id", id]));
    assert!(output.status.success(), "{}", describe(&output));
    let result: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(result["session_id"], id);
    assert!(transcript(&project, id).is_some(), "the session is saved under its id");

    let output = run(claurst(&project, &api).args(["-p", "go", "--session-id", id]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains("already saved"), "{}", stderr(&output));
    let output = run(claurst(&project, &api).args(["-p", "go", "--session-id", "not-a-uuid"]));
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn fork_session_goes_on_under_a_new_id_and_leaves_the_old_one_alone() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("first answer")));
    api.push(Reply::stream(Turn::text_only("forked answer")));
    let output = run(claurst(&project, &api).args(["-p", "remember 42", "--output-format", "json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let first: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let old_id = first["session_id"].as_str().unwrap().to_string();
    let old_file = transcript(&project, &old_id).unwrap();
    let before = std::fs::read(&old_file).unwrap();

    let new_id = "5a0c7e2b-1f3d-4e6a-8b9c-0d1e2f3a4b5c";
    let output = run(claurst(&project, &api).args([
        "-p",
        "what was it?",
        "--output-format",
        "json",
        "--resume",
        &old_id,
        "--fork-session",
        "--session-id",
        new_id,
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let forked: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(forked["session_id"], new_id);
    let history = api.requests()[1].body["messages"].clone();
    assert_eq!(history[0]["content"][0]["text"], "remember 42", "the fork carries the conversation");
    assert_eq!(std::fs::read(&old_file).unwrap(), before, "the old session is unchanged");
    let fork_text = std::fs::read_to_string(transcript(&project, new_id).unwrap()).unwrap();
    assert!(fork_text.contains("remember 42") && fork_text.contains("what was it?"), "{fork_text}");

    let output = run(claurst(&project, &api).args(["-p", "x", "--fork-session"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains("--fork-session needs --resume or --continue"), "{}", stderr(&output));

    // A new id for a resumed session is only a fork's.
    let other_id = "6b1d8f3c-2a4e-4f7b-9cad-1e2f3a4b5c6d";
    let output =
        run(claurst(&project, &api).args(["-p", "x", "--resume", &old_id, "--session-id", other_id]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains("needs --fork-session"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&old_file).unwrap(), before, "the refused run leaves the old session alone");
}

/// The transcript file of session `id`, wherever the project's sessions are kept.
fn transcript(project: &TempProject, id: &str) -> Option<PathBuf> {
    let projects = project.home().join(".claurst/projects");
    std::fs::read_dir(projects).ok()?.flatten().find_map(|dir| {
        let path = dir.path().join(format!("{id}.jsonl"));
        path.is_file().then_some(path)
    })
}

#[test]
fn settings_allow_rules_and_env_apply_and_mistakes_name_the_file() {
    let project = TempProject::new();
    let settings = json!({
        "permissions": {"allow": ["Bash(touch:*)", "Bash(echo:*)"]},
        "env": {"GREETING": "hello from settings"},
        "statusLine": {"type": "command"},
    });
    let (result, _) = run_bash(&project, "touch by-settings.txt", &["--settings", &settings.to_string()]);
    assert_eq!(result["permission_denials"], json!([]), "{result}");
    assert!(project.path("by-settings.txt").exists());

    project.write("settings.json", settings.to_string());
    let (_, api) = run_bash(&project, "echo \"$GREETING\"", &["--settings", "settings.json"]);
    assert_eq!(tool_results(&api.requests()[1].body), [("hello from settings".to_string(), false)]);

    project.write("broken.json", "{ not json");
    let api = MockApi::start();
    for file in ["broken.json", "absent.json"] {
        let output = run(claurst(&project, &api).args(["-p", "go", "--settings", file]));
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        assert!(stderr(&output).contains(file), "{}", stderr(&output));
    }
    assert!(api.requests().is_empty());
}

#[test]
fn unknown_settings_keys_are_reported_only_with_verbose() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    api.push(Reply::stream(Turn::text_only("ok")));
    let settings = r#"{"statusLine": {}, "model": "claude-haiku-4-5"}"#;
    let quiet = run(claurst(&project, &api).args(["-p", "go", "--settings", settings]));
    assert!(!stderr(&quiet).contains("statusLine"), "{}", describe(&quiet));
    let verbose = run(claurst(&project, &api).args(["-p", "go", "--verbose", "--settings", settings]));
    assert!(
        stderr(&verbose).contains("ignored keys Claurst does not use: statusLine"),
        "{}",
        describe(&verbose)
    );
    assert_eq!(api.requests()[0].body["model"], "claude-haiku-4-5", "the settings' model is used");
}

#[test]
fn setting_sources_choose_the_configuration_files() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[api]\nmodel = \"claude-from-project\"\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    api.push(Reply::stream(Turn::text_only("ok")));
    for sources in ["user,project", "user"] {
        let output = run(claurst(&project, &api).args(["-p", "go", "--setting-sources", sources]));
        assert!(output.status.success(), "{}", describe(&output));
    }
    let requests = api.requests();
    assert_eq!(requests[0].body["model"], "claude-from-project");
    assert_ne!(requests[1].body["model"], "claude-from-project", "the project file is not read");

    let output = run(claurst(&project, &api).args(["-p", "go", "--setting-sources", "user,team"]));
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(stderr(&output).contains("unknown setting source `team`"), "{}", stderr(&output));
}

#[test]
fn add_dir_lets_file_tools_read_outside_the_project() {
    let project = TempProject::new();
    let outside = project.root().join("shared");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("notes.txt"), "shared notes\n").unwrap();
    let path = outside.join("notes.txt").display().to_string();
    let read = |flags: &[&str]| {
        let api = MockApi::start();
        api.push(Reply::stream(Turn::new().tool_use("t1", "read_file", json!({"path": path}))));
        api.push(Reply::stream(Turn::text_only("done")));
        let output = run(claurst(&project, &api).args(["-p", "read it"]).args(flags));
        assert!(output.status.success(), "{}", describe(&output));
        tool_results(&api.requests()[1].body)
    };
    let (text, is_error) = read(&[]).remove(0);
    assert!(is_error && !text.contains("shared notes"), "{text}");
    let shared = outside.display().to_string();
    assert_eq!(read(&["--add-dir", &shared]), [("1\tshared notes\n".to_string(), false)]);
    let output = run(claurst(&project, &MockApi::start()).args(["-p", "x", "--add-dir", "no/such/dir"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(stderr(&output).contains("--add-dir no/such/dir"), "{}", stderr(&output));
}

#[test]
fn dash_v_prints_the_compatible_version_first() {
    let project = TempProject::new();
    for flag in ["-v", "--version"] {
        let output = run(&mut claurst_command_without_api(&project, flag));
        assert!(output.status.success(), "{}", describe(&output));
        // The Agent SDKs read the dotted number the line starts with as Claude Code's version.
        let line = stdout(&output);
        let (compatible, ours) = line.split_once(' ').unwrap();
        let parts: Vec<&str> = compatible.split('.').collect();
        assert!(parts.len() == 3 && parts.iter().all(|part| part.parse::<u32>().is_ok()), "{line}");
        assert_eq!(ours, format!("(Claurst {})\n", env!("CARGO_PKG_VERSION")));
    }
}

fn claurst_command_without_api(project: &TempProject, flag: &str) -> std::process::Command {
    let mut command = claurst_test_support::claurst_command(Path::new(crate::BIN), project, None);
    command.arg(flag);
    command
}

#[test]
fn an_unknown_flag_is_a_usage_error_that_names_it() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-p", "go", "--frobnicate"]));
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains("unexpected argument '--frobnicate'"), "{error}");
    assert!(error.contains("--help"), "{error}");
    assert!(api.requests().is_empty());
}
