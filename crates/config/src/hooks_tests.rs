#![allow(clippy::unwrap_used)]
use super::*;
use crate::{Environment, Overrides, hook_definitions};

fn load(project: &Path, home: &Path) -> crate::LoadedConfig {
    let env = Environment::from_pairs([("HOME", home.to_str().unwrap())]);
    crate::load(project, &env, &Overrides::default()).unwrap()
}

#[test]
fn toml_and_claude_json_read_alike() {
    let home = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join(".claurst.toml"),
        r#"
[[hooks.PreToolUse]]
matcher = "bash"
[[hooks.PreToolUse.hooks]]
type = "command"
command = "./check.sh"
timeout = 5
"#,
    )
    .unwrap();
    std::fs::create_dir_all(project.path().join(".claude")).unwrap();
    std::fs::write(
        project.path().join(".claude/settings.json"),
        r#"{"permissions": {}, "hooks": {"PostToolUse": [{"matcher": "Edit|Write",
            "hooks": [{"type": "command", "command": "fmt.sh"}]}],
            "Stop": [{"hooks": [{"type": "command", "command": "./check.sh"}]}]}}"#,
    )
    .unwrap();
    std::fs::create_dir_all(home.path().join(".claurst")).unwrap();
    std::fs::write(
        home.path().join(".claurst/config.toml"),
        "[[hooks.UserPromptSubmit]]\nhooks = [{ command = \"date\" }]\n",
    )
    .unwrap();
    let set = hook_definitions(&load(project.path(), home.path())).unwrap();
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    let summary: Vec<_> = set
        .hooks
        .iter()
        .map(|hook| (hook.event, hook.matcher.as_str(), hook.command.as_str(), hook.scope))
        .collect();
    assert_eq!(
        summary,
        vec![
            (HookEvent::UserPromptSubmit, "", "date", HookScope::User),
            (HookEvent::PreToolUse, "bash", "./check.sh", HookScope::Project),
            (HookEvent::PostToolUse, "Edit|Write", "fmt.sh", HookScope::ClaudeProject),
            (HookEvent::Stop, "", "./check.sh", HookScope::ClaudeProject),
        ]
    );
    assert_eq!(set.hooks[1].timeout, Duration::from_secs(5));
    assert_eq!(set.hooks[0].timeout, DEFAULT_HOOK_TIMEOUT);
    let fingerprint = set.project_fingerprint().unwrap();
    // Only the project's definitions count: the user's own hooks never need trust.
    let mut without_user = set.clone();
    without_user.hooks.remove(0);
    assert_eq!(without_user.project_fingerprint().unwrap(), fingerprint);
    let mut changed = set.clone();
    changed.hooks[1].command = "./other.sh".into();
    assert_ne!(changed.project_fingerprint().unwrap(), fingerprint);
}

#[test]
fn mistakes_name_the_file_and_key() {
    let project = tempfile::tempdir().unwrap();
    let mut warnings = Vec::new();
    let file = project.path().join("settings.json");
    let bad_timeout = serde_json::json!({"PreToolUse": [{"hooks": [{"command": "x", "timeout": -1}]}]});
    let error = read_hooks(&bad_timeout, HookScope::User, &file, &mut warnings).unwrap_err().to_string();
    assert!(
        error.contains("settings.json") && error.contains("hooks.PreToolUse[0].hooks[0].timeout"),
        "{error}"
    );
    let no_command = serde_json::json!({"Stop": [{"hooks": [{"type": "command"}]}]});
    let error = read_hooks(&no_command, HookScope::User, &file, &mut warnings).unwrap_err().to_string();
    assert!(error.contains("hooks.Stop[0].hooks[0].command"), "{error}");
    let prompt_kind = serde_json::json!({"Stop": [{"hooks": [{"type": "prompt", "command": "x"}]}]});
    assert!(read_hooks(&prompt_kind, HookScope::User, &file, &mut warnings).is_err());

    let unknown =
        serde_json::json!({"BeforeEverything": [], "Stop": [{"hooks": [{"command": "x", "when": 1}]}]});
    let hooks = read_hooks(&unknown, HookScope::User, &file, &mut warnings).unwrap();
    assert_eq!(hooks.len(), 1);
    assert!(warnings.iter().any(|w| w.contains("unknown hook event `BeforeEverything`")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("hooks.Stop[0].hooks[0].when")), "{warnings:?}");
}

#[test]
fn a_broken_claude_settings_file_is_a_warning_and_its_hooks_are_left_out() {
    let home = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join(".claude")).unwrap();
    std::fs::write(project.path().join(".claude/settings.local.json"), "{ nope").unwrap();
    std::fs::write(
        project.path().join(".claude/settings.json"),
        r#"{"hooks": {"Stop": [{"hooks": [{"command": "ok.sh"}]}], "PreToolUse": [{"hooks": [{}]}]}}"#,
    )
    .unwrap();
    let set = hook_definitions(&load(project.path(), home.path())).unwrap();
    assert!(set.hooks.is_empty(), "{:?}", set.hooks);
    let warnings = set.warnings.join("\n");
    assert!(warnings.contains("settings.local.json") && warnings.contains("not valid JSON"), "{warnings}");
    assert!(warnings.contains("hooks.PreToolUse[0].hooks[0].command"), "{warnings}");
}
