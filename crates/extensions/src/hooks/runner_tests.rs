#![allow(clippy::unwrap_used)]
use super::*;
use std::time::Duration;

fn hook(event: HookEvent, matcher: &str, command: &str, timeout: Duration) -> HookDefinition {
    HookDefinition {
        event,
        matcher: matcher.into(),
        command: command.into(),
        timeout,
        scope: HookScope::User,
        file: "config.toml".into(),
    }
}

fn runner(dir: &Path, hooks: Vec<HookDefinition>) -> HookRunner {
    let (runner, warnings) = HookRunner::new(hooks, dir, ShellSandbox::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    runner
}

#[tokio::test]
async fn hooks_get_the_event_on_stdin_and_the_project_dir() {
    let dir = tempfile::tempdir().unwrap();
    let second = Duration::from_secs(30);
    let runner = runner(
        dir.path(),
        vec![
            hook(
                HookEvent::PreToolUse,
                "Bash",
                "cat > seen.json; echo \"$CLAURST_PROJECT_DIR\" > dir.txt",
                second,
            ),
            hook(HookEvent::PreToolUse, "edit_file", "touch wrong-tool", second),
            hook(HookEvent::PostToolUse, "", "touch wrong-event", second),
        ],
    );
    let session = HookSession { session_id: "s1".into(), ..HookSession::default() };
    let input = HookInput::new(HookEvent::PreToolUse)
        .subject("bash")
        .field("tool_name", "bash")
        .field("tool_input", serde_json::json!({"command": "ls"}));
    let outcome = runner.run(&session, input).await;
    assert_eq!(outcome, HookOutcome::default());
    let seen: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("seen.json")).unwrap()).unwrap();
    assert_eq!(seen["session_id"], "s1");
    assert_eq!(seen["hook_event_name"], "PreToolUse");
    assert_eq!(seen["tool_input"]["command"], "ls");
    assert_eq!(seen["cwd"], dir.path().display().to_string());
    let project_dir = std::fs::read_to_string(dir.path().join("dir.txt")).unwrap();
    assert_eq!(project_dir.trim(), dir.path().display().to_string());
    assert!(!dir.path().join("wrong-tool").exists());
    assert!(!dir.path().join("wrong-event").exists());
}

#[tokio::test]
async fn a_hanging_hook_is_killed_with_its_children_and_the_others_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let runner = runner(
        dir.path(),
        vec![
            // The child would create the marker after the timeout if the group survived.
            hook(HookEvent::Stop, "", "(sleep 2; touch survived) & sleep 30", Duration::from_millis(300)),
            hook(HookEvent::Stop, "", "echo 'not yet' >&2; exit 2", Duration::from_secs(30)),
        ],
    );
    let outcome = runner.run(&HookSession::default(), HookInput::new(HookEvent::Stop)).await;
    assert_eq!(outcome.block.as_deref(), Some("not yet"));
    assert!(outcome.messages.iter().any(|message| message.text.contains("timed out")), "{outcome:?}");
    // Wait for the moment the background child would have written its marker, then some.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(!dir.path().join("survived").exists());
}

#[tokio::test]
async fn the_hooks_of_one_event_run_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    // Each waits for the other's mark: run one after the other, the first would time out.
    let waits_for = |mine: &str, theirs: &str| {
        let command = format!("touch {mine}; while [ ! -e {theirs} ]; do sleep 0.01; done");
        hook(HookEvent::UserPromptSubmit, "", &command, Duration::from_secs(20))
    };
    let runner = runner(dir.path(), vec![waits_for("a", "b"), waits_for("b", "a")]);
    let outcome = runner.run(&HookSession::default(), HookInput::new(HookEvent::UserPromptSubmit)).await;
    assert_eq!(outcome, HookOutcome::default(), "both finished, neither timed out");
}

#[test]
fn a_bad_pattern_is_a_warning_and_selects_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (runner, warnings) = HookRunner::new(
        vec![hook(HookEvent::PreToolUse, "(oops", "true", Duration::from_secs(1))],
        dir.path(),
        ShellSandbox::default(),
    );
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("(oops"));
    assert!(runner.has(HookEvent::PreToolUse));
}
