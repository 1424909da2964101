//! Snapshots of the assembled system prompt, from fixed inputs so that they only change when the text does.
#![allow(clippy::unwrap_used)]

use super::*;
use std::path::PathBuf;

fn environment(git: Option<GitContext>) -> String {
    Environment {
        project_root: PathBuf::from("/home/ada/shop"),
        platform: "linux (x86_64)".into(),
        shell: Some("/bin/bash".into()),
        date: time::macros::date!(2026 - 12 - 01),
        git,
    }
    .section()
}

fn repository() -> GitContext {
    GitContext {
        branch: "fix-totals".into(),
        main_branch: Some("origin/main".into()),
        status: vec![" M src/cart.rs".into(), "?? notes.txt".into()],
        status_omitted: 0,
        unread: None,
        recent_commits: vec!["Round totals half-up".into(), "Add the cart".into()],
    }
}

fn state<'a>(environment: &'a str, mode: PermissionMode) -> PromptState<'a> {
    PromptState {
        family: ModelFamily::Claude,
        environment,
        style: "",
        mcp_servers: &[],
        mode,
        approval: &ApprovalMode::Interactive,
    }
}

/// The sections with a visible boundary between them.
fn shown(sections: &[String]) -> String {
    sections
        .iter()
        .enumerate()
        .map(|(index, section)| format!("----- section {index} -----\n{section}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_smallest_prompt() {
    let environment = environment(None);
    let prompt = SystemPrompt::new(None, &[]);
    insta::assert_snapshot!(shown(&prompt.sections(&state(&environment, PermissionMode::Default))));
}

#[test]
fn every_optional_section() {
    let environment = environment(Some(repository()));
    let additions = [
        "# Memory\nThe user prefers small commits.".to_string(),
        "# Project instructions\n\n## /home/ada/shop/CLAURST.md (project instructions)\n\nRun `make check`."
            .into(),
        "# Skills\nSkills are packaged instructions. Available skills:\n- pdf: Fill PDF forms".into(),
        "Always answer in British English.".into(),
    ];
    let servers = [("tickets".to_string(), "Search tickets before creating one.".to_string())];
    let prompt = SystemPrompt::new(None, &additions);
    let state = PromptState {
        family: ModelFamily::OpenAi,
        style: "How to answer:\n- Be brief.",
        mcp_servers: &servers,
        ..state(&environment, PermissionMode::AcceptEdits)
    };
    insta::assert_snapshot!(shown(&prompt.sections(&state)));
}

#[test]
fn a_replaced_prompt_keeps_the_context_but_not_the_style_or_family_notes() {
    let environment = environment(None);
    let prompt = SystemPrompt::new(Some("You review Rust code."), &["# Memory\nNothing yet.".into()]);
    let state = PromptState {
        family: ModelFamily::OpenAi,
        style: "How to answer:\n- Be brief.",
        ..state(&environment, PermissionMode::Plan)
    };
    insta::assert_snapshot!(shown(&prompt.sections(&state)));
}

#[test]
fn each_permission_mode_changes_only_the_last_section() {
    let environment = environment(Some(repository()));
    let prompt = SystemPrompt::new(None, &["# Memory\nThe user prefers small commits.".into()]);
    let default = prompt.sections(&state(&environment, PermissionMode::Default));
    let (fixed, _) = default.split_at(default.len() - 1);
    let mut modes = Vec::new();
    for mode in PermissionMode::ALL {
        for approval in [ApprovalMode::Interactive, ApprovalMode::DenyUnlisted] {
            let sections = prompt.sections(&PromptState { approval: &approval, ..state(&environment, mode) });
            assert_eq!(&sections[..fixed.len()], fixed, "{mode:?} keeps the prefix");
            assert_eq!(sections.len(), default.len());
            modes.push(format!("{mode:?}, {approval:?}:\n{}", sections[fixed.len()]));
        }
    }
    modes.dedup();
    insta::assert_snapshot!(modes.join("\n\n"));
}

#[test]
fn a_busy_repository_is_cut_short() {
    let git = GitContext {
        status: (0..40).map(|n| format!("?? file{n}")).collect(),
        status_omitted: 12,
        recent_commits: Vec::new(),
        main_branch: None,
        ..repository()
    };
    let section = environment(Some(git));
    assert!(section.ends_with("?? file39\n… 12 more"), "{section}");
    assert!(!section.contains("Main branch"));
    assert!(!section.contains("Recent commits"));
}

#[test]
fn the_instructions_stay_within_budget() {
    // The instructions ride on every request: growing them should be a decision, not an accident.
    assert!(BASE_PROMPT.len() < 7_000, "{} characters", BASE_PROMPT.len());
}

#[test]
fn an_empty_replacement_sends_only_the_additions() {
    let environment = environment(Some(repository()));
    let state = state(&environment, PermissionMode::Default);
    assert!(SystemPrompt::new(Some(""), &[]).sections(&state).is_empty());
    let prompt = SystemPrompt::new(Some("  "), &["Answer in French.".into()]);
    assert_eq!(prompt.sections(&state), ["Answer in French."]);
    assert!(SystemPrompt::new(None, &[]).sections(&state).len() > 2, "no replacement keeps Claurst's");
}
