#![allow(clippy::unwrap_used)]
use super::*;

fn exited(code: i32, stdout: &str, stderr: &str) -> HookExit {
    HookExit::Exited { code: Some(code), stdout: stdout.into(), stderr: stderr.into() }
}

fn outcome(event: HookEvent, exits: Vec<HookExit>) -> HookOutcome {
    let mut outcome = HookOutcome::default();
    for exit in exits {
        outcome.absorb(event, "hook.sh", exit);
    }
    outcome
}

#[test]
fn exit_codes_follow_the_contract() {
    let blocked = outcome(HookEvent::PreToolUse, vec![exited(2, "", "no rm here\n")]);
    assert_eq!(blocked.block.as_deref(), Some("no rm here"));
    let failed = outcome(HookEvent::PreToolUse, vec![exited(1, "", "oops")]);
    assert_eq!(failed.block, None);
    assert_eq!(failed.messages[0].kind, HookMessageKind::Error);
    assert!(failed.messages[0].describe().contains("exited with 1: oops"));
    let fine = outcome(HookEvent::PostToolUse, vec![exited(0, "formatted", "")]);
    assert_eq!(
        fine,
        HookOutcome {
            messages: vec![HookMessage {
                event: HookEvent::PostToolUse,
                command: "hook.sh".into(),
                kind: HookMessageKind::Output,
                text: "formatted".into(),
            }],
            ..HookOutcome::default()
        }
    );
    assert_eq!(fine.user_messages().count(), 0);
}

#[test]
fn plain_stdout_is_context_only_where_the_event_takes_it() {
    let prompt = outcome(HookEvent::UserPromptSubmit, vec![exited(0, "branch: main\n", "")]);
    assert_eq!(prompt.context, vec!["branch: main"]);
    let stop = outcome(HookEvent::Stop, vec![exited(0, "branch: main\n", "")]);
    assert!(stop.context.is_empty());
}

#[test]
fn json_gives_finer_control() {
    let json = r#"{"continue": false, "stopReason": "enough", "systemMessage": "hi",
        "hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow",
        "updatedInput": {"command": "ls"}, "additionalContext": "ctx"}}"#;
    let decided = outcome(HookEvent::PreToolUse, vec![exited(0, json, "")]);
    assert_eq!(decided.stop.as_deref(), Some("enough"));
    assert_eq!(decided.permission, Some(HookPermission::Allow { reason: String::new() }));
    assert_eq!(decided.updated_input, Some(serde_json::json!({"command": "ls"})));
    assert_eq!(decided.context, vec!["ctx"]);
    assert_eq!(decided.messages[0].kind, HookMessageKind::Note);

    let block =
        outcome(HookEvent::Stop, vec![exited(0, r#"{"decision": "block", "reason": "run the tests"}"#, "")]);
    assert_eq!(block.block.as_deref(), Some("run the tests"));
}

#[test]
fn deny_beats_ask_beats_allow_in_any_order() {
    let hook = |decision: &str| {
        exited(
            0,
            &format!(
                r#"{{"hookSpecificOutput": {{"permissionDecision": "{decision}", "permissionDecisionReason": "{decision}"}}}}"#
            ),
            "",
        )
    };
    let decided = outcome(HookEvent::PreToolUse, vec![hook("deny"), hook("allow"), hook("ask")]);
    assert_eq!(decided.permission, Some(HookPermission::Deny { reason: "deny".into() }));
    let decided = outcome(HookEvent::PreToolUse, vec![hook("allow"), hook("ask")]);
    assert_eq!(decided.permission, Some(HookPermission::Ask { reason: "ask".into() }));
    // Only PreToolUse decides permissions.
    assert_eq!(outcome(HookEvent::PostToolUse, vec![hook("deny")]).permission, None);
}

#[test]
fn timeouts_and_failures_to_start_are_reported_errors() {
    let decided = outcome(
        HookEvent::PreToolUse,
        vec![HookExit::TimedOut(std::time::Duration::from_secs(1)), HookExit::NotStarted("no sh".into())],
    );
    assert_eq!(decided.block, None);
    assert_eq!(decided.user_messages().count(), 2);
    assert!(decided.messages[0].describe().contains("timed out after 1 s and was killed"));
}

#[test]
fn a_program_answer_means_what_the_same_json_printed_means() {
    let answer = serde_json::json!({
        "hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                               "permissionDecisionReason": "not today", "additionalContext": "be careful"},
    });
    let mut answered = HookOutcome::default();
    answered.absorb_answer(HookEvent::PreToolUse, "callback hook_0", Ok(answer.clone()));
    let printed = outcome(HookEvent::PreToolUse, vec![exited(0, &answer.to_string(), "")]);
    assert_eq!(answered.permission, printed.permission);
    assert_eq!(answered.permission, Some(HookPermission::Deny { reason: "not today".into() }));
    assert_eq!(answered.context, ["be careful"]);

    let mut quiet = HookOutcome::default();
    quiet.absorb_answer(HookEvent::Stop, "callback hook_1", Ok(serde_json::json!({})));
    quiet.absorb_answer(HookEvent::Stop, "callback hook_1", Ok(serde_json::Value::Null));
    assert_eq!(quiet, HookOutcome::default());

    let mut failed = HookOutcome::default();
    failed.absorb_answer(HookEvent::Stop, "callback hook_2", Err("the program is gone".into()));
    assert_eq!(failed.block, None);
    assert_eq!(failed.messages[0].kind, HookMessageKind::Error);
    assert!(failed.messages[0].describe().contains("the program is gone"));
}
