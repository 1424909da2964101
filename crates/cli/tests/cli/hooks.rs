//! Hooks through the real binary: a PreToolUse hook blocks or rewrites a call, a PostToolUse hook formats a
//! file and talks to the model, a UserPromptSubmit hook adds context, a Stop hook makes the agent go on once,
//! a hanging hook is killed at its timeout, project hooks wait for approval, and a hook's allow never beats a
//! deny rule.

use crate::{claurst, run, stderr, stdout, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, claurst_command, describe};
use serde_json::{Value, json};

/// A user-configured hook (trusted: the user wrote it) for `event`, with `script` saved in the project and
/// run as `sh hooks/NAME.sh`.
fn user_hook(project: &TempProject, event: &str, matcher: &str, script: &str, extra: &str) {
    let name = format!("hooks/{}.sh", event.to_lowercase());
    project.write(&name, script);
    let config = format!(
        "{extra}\n[[hooks.{event}]]\nmatcher = {matcher:?}\n[[hooks.{event}.hooks]]\ntype = \"command\"\ncommand = \"sh {name}\"\n"
    );
    project.write_home(".claurst/config.toml", config);
}

fn last_user_text(body: &Value) -> String {
    let last = body["messages"].as_array().unwrap().last().unwrap();
    match &last["content"] {
        Value::String(text) => text.clone(),
        content => content
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|block| block["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn a_pre_tool_use_hook_blocks_rm_and_the_model_sees_why() {
    let project = TempProject::new();
    project.write("victim.txt", "keep me");
    let script = "if grep -q '\"rm '; then echo 'rm is not allowed in this project' >&2; exit 2; fi\n";
    user_hook(&project, "PreToolUse", "Bash", script, "[tools]\npermission_mode = \"bypassPermissions\"");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "rm victim.txt"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "clean up"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].1, "{results:?}");
    assert!(results[0].0.contains("rm is not allowed in this project"), "{results:?}");
    assert_eq!(project.read("victim.txt"), "keep me", "rm never ran");
}

#[test]
fn a_pre_tool_use_hook_rewrites_the_input_and_allows_it() {
    let project = TempProject::new();
    let script = r#"echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow", "updatedInput": {"command": "echo rewritten > out.txt"}}}'"#;
    user_hook(&project, "PreToolUse", "bash", script, "");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "bash",
        json!({"command": "echo original > out.txt"}),
    )));
    api.push(Reply::stream(Turn::text_only("ok")));
    // Headless, nobody could approve the write: the hook's allow does.
    let output = run(claurst(&project, &api).args(["-p", "write it"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!tool_results(&api.requests()[1].body)[0].1, "{}", describe(&output));
    assert_eq!(project.read("out.txt"), "rewritten\n");
}

#[test]
fn a_post_tool_use_hook_formats_the_edited_file_and_tells_the_model() {
    let project = TempProject::new();
    let script = "tr a-z A-Z < notes.txt > notes.tmp && mv notes.tmp notes.txt\necho 'notes.txt was upper-cased' >&2\nexit 2\n";
    user_hook(&project, "PostToolUse", "Write|Edit", script, "[tools]\nallow = [\"write_file\"]");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "write_file",
        json!({"path": "notes.txt", "content": "hello\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "write notes"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(project.read("notes.txt"), "HELLO\n");
    let body = &api.requests()[1].body;
    let last = body["messages"].as_array().unwrap().last().unwrap().to_string();
    assert!(last.contains("PostToolUse hook feedback: notes.txt was upper-cased"), "{last}");
}

#[test]
fn a_user_prompt_submit_hook_adds_context_to_the_prompt() {
    let project = TempProject::new();
    user_hook(
        &project,
        "UserPromptSubmit",
        "",
        "cat > prompt.json\necho 'Context: the build is green.'\n",
        "",
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "how is the build?"]));
    assert!(output.status.success(), "{}", describe(&output));
    let sent = last_user_text(&api.requests()[0].body);
    assert!(sent.starts_with("how is the build?") && sent.contains("Context: the build is green."), "{sent}");
    let input: Value = serde_json::from_str(&project.read("prompt.json")).unwrap();
    assert_eq!(input["hook_event_name"], "UserPromptSubmit");
    assert_eq!(input["prompt"], "how is the build?");
    let transcript = input["transcript_path"].as_str().unwrap();
    assert!(std::path::Path::new(transcript).is_file(), "the session's transcript: {input}");
}

#[test]
fn a_user_prompt_submit_hook_that_blocks_drops_the_prompt() {
    let project = TempProject::new();
    user_hook(&project, "UserPromptSubmit", "", "echo 'no secrets in prompts' >&2; exit 2\n", "");
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-p", "my password is hunter2"]));
    assert!(!output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("no secrets in prompts"), "{}", describe(&output));
    assert!(api.requests().is_empty(), "the prompt never reached the model");
}

#[test]
fn a_stop_hook_makes_the_agent_continue_once() {
    let project = TempProject::new();
    let script = "cat >> stop-inputs.jsonl\necho >> stop-inputs.jsonl\nif [ -e asked ]; then exit 0; fi\ntouch asked\necho '{\"decision\": \"block\", \"reason\": \"Run the tests before you stop.\"}'\n";
    user_hook(&project, "Stop", "", script, "");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    api.push(Reply::stream(Turn::text_only("tests pass")));
    let output = run(claurst(&project, &api).args(["-p", "fix it"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "tests pass\n");
    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(last_user_text(&requests[1].body), "Run the tests before you stop.");
    let inputs: Vec<Value> = project
        .read("stop-inputs.jsonl")
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(inputs.len(), 2);
    assert_eq!(
        (inputs[0]["stop_hook_active"].clone(), inputs[1]["stop_hook_active"].clone()),
        (json!(false), json!(true))
    );
}

#[test]
fn a_hanging_hook_is_killed_at_its_timeout_and_the_run_goes_on() {
    let project = TempProject::new();
    project.write("hooks/hang.sh", "sleep 600\n");
    project.write_home(
        ".claurst/config.toml",
        "[tools]\nallow = [\"bash\"]\n[[hooks.PreToolUse]]\nhooks = [{ command = \"sh hooks/hang.sh\", timeout = 1 }]\n",
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "echo ran > ran.txt"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "go"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("timed out after 1 s and was killed"), "{}", describe(&output));
    assert_eq!(project.read("ran.txt"), "ran\n", "the call went on");
}

#[test]
fn a_project_hook_runs_only_once_approved() {
    let project = TempProject::new();
    project.write(
        ".claurst.toml",
        "[[hooks.UserPromptSubmit]]\nhooks = [{ type = \"command\", command = \"touch hook-ran\" }]\n",
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!project.path("hook-ran").exists(), "an unapproved project hook never runs");
    assert!(stderr(&output).contains("claurst hooks approve"), "{}", describe(&output));

    let listed =
        run(claurst_command(std::path::Path::new(crate::BIN), &project, None).args(["hooks", "list"]));
    assert!(
        stdout(&listed).contains("touch hook-ran") && stdout(&listed).contains("needs approval"),
        "{}",
        describe(&listed)
    );
    let approved =
        run(claurst_command(std::path::Path::new(crate::BIN), &project, None).args(["hooks", "approve"]));
    assert!(approved.status.success(), "{}", describe(&approved));

    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi again"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(project.path("hook-ran").exists(), "the approved hook ran");

    // A changed definition is asked about again.
    project.write(
        ".claurst.toml",
        "[[hooks.UserPromptSubmit]]\nhooks = [{ command = \"touch other-hook-ran\" }]\n",
    );
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "and again"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!project.path("other-hook-ran").exists());
}

#[test]
fn a_hook_s_allow_never_overrides_a_deny_rule() {
    let project = TempProject::new();
    let script =
        r#"echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow"}}'"#;
    user_hook(&project, "PreToolUse", "*", script, "[tools]\ndeny = [\"bash\"]");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch forbidden"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "go"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(tool_results(&api.requests()[1].body)[0].1);
    assert!(!project.path("forbidden").exists());
}

#[test]
fn a_hook_s_ask_makes_an_allowed_call_need_approval() {
    let project = TempProject::new();
    let script = r#"echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "ask", "permissionDecisionReason": "check with a human"}}'"#;
    user_hook(&project, "PreToolUse", "bash", script, "[tools]\nallow = [\"bash\"]");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch asked-first"}))));
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "go"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].1 && results[0].0.contains("approval"), "headless, nobody can approve: {results:?}");
    assert!(!project.path("asked-first").exists());
}

#[test]
fn session_start_context_reaches_the_first_prompt_and_session_end_runs() {
    let project = TempProject::new();
    project.write("hooks/start.sh", "cat > start.json\necho 'Context: today is release day.'\n");
    project.write("hooks/end.sh", "cat > end.json\n");
    project.write_home(
        ".claurst/config.toml",
        "[[hooks.SessionStart]]\nmatcher = \"startup\"\nhooks = [{ command = \"sh hooks/start.sh\" }]\n\
         [[hooks.SessionEnd]]\nhooks = [{ command = \"sh hooks/end.sh\" }]\n",
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "what day is it?"]));
    assert!(output.status.success(), "{}", describe(&output));
    let sent = last_user_text(&api.requests()[0].body);
    assert!(sent.contains("Context: today is release day."), "{sent}");
    let start: Value = serde_json::from_str(&project.read("start.json")).unwrap();
    assert_eq!(start["source"], "startup");
    let end: Value = serde_json::from_str(&project.read("end.json")).unwrap();
    assert_eq!(end["hook_event_name"], "SessionEnd");
}

#[test]
fn hooks_do_not_see_credentials_unless_env_passthrough_lists_them() {
    let project = TempProject::new();
    let script = "echo \"${DEPLOY_TOKEN-withheld} ${SHARED_SECRET-withheld}\" > env.txt\n";
    user_hook(&project, "UserPromptSubmit", "", script, "[tools]\nenv_passthrough = [\"SHARED_SECRET\"]");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api)
        .env("DEPLOY_TOKEN", "t-123")
        .env("SHARED_SECRET", "s-456")
        .args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(project.read("env.txt"), "withheld s-456\n", "{}", describe(&output));
}
