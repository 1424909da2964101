//! A session that moves its root (into a worktree and back) keeps every deny and ask rule on the roots it
//! left, and their settings protected: moving never lifts a restriction from the user's checkout.

use claurst_permissions::{Access, PermissionEngine, PermissionPolicy, RuleSet, Verdict};
use claurst_protocol::PermissionMode;
use std::path::{Path, PathBuf};

fn engine(base: &Path, mode: PermissionMode, deny: &[&str], additional: Vec<PathBuf>) -> PermissionEngine {
    let deny: Vec<String> = deny.iter().map(|rule| rule.to_string()).collect();
    PermissionEngine::new(PermissionPolicy {
        mode,
        rules: RuleSet::parse(&[], &[], &deny).unwrap(),
        project_root: base.join("proj"),
        additional_dirs: additional,
        home_dir: Some(base.join("home")),
        ..PermissionPolicy::default()
    })
    .unwrap()
}

#[test]
fn deny_rules_keep_covering_the_checkout_the_session_left() {
    let (_dir, base) = super::temp_tree(&["proj/.env", "proj/.claurst/worktrees/w/.env", "proj/src/a.rs"]);
    let mut engine = engine(&base, PermissionMode::BypassPermissions, &["read_file(.env)"], vec![]);
    let original = Access::Read { path: base.join("proj/.env") };
    let in_tree = Access::Read { path: base.join("proj/.claurst/worktrees/w/.env") };
    assert!(matches!(engine.evaluate("read_file", &original), Verdict::Deny { .. }));
    engine.set_project_root(&base.join("proj/.claurst/worktrees/w")).unwrap();
    assert!(matches!(engine.evaluate("read_file", &original), Verdict::Deny { .. }), "the left root");
    assert!(matches!(engine.evaluate("read_file", &in_tree), Verdict::Deny { .. }), "the new root");
    assert!(
        engine.denies_read(&base.join("proj/.env"))
            && engine.denies_read(&base.join("proj/.claurst/worktrees/w/.env"))
    );
    // Back home, the worktree stays covered too.
    engine.set_project_root(&base.join("proj")).unwrap();
    assert!(matches!(engine.evaluate("read_file", &original), Verdict::Deny { .. }));
    assert!(matches!(engine.evaluate("read_file", &in_tree), Verdict::Deny { .. }));
    let source = Access::Read { path: base.join("proj/src/a.rs") };
    assert!(
        matches!(engine.evaluate("read_file", &source), Verdict::Allow(_)),
        "the workspace is whole again"
    );
}

#[test]
fn the_left_checkout_keeps_its_settings_protected() {
    let (_dir, base) = super::temp_tree(&["proj/.git/hooks/x", "proj/.claurst/worktrees/w/src/a.rs"]);
    // The checkout lies inside an added directory, so it stays writable after the move.
    let mut engine = engine(&base, PermissionMode::AcceptEdits, &[], vec![base.clone()]);
    let hook = Access::Edit { path: base.join("proj/.git/hooks/pre-commit") };
    let config = Access::Edit { path: base.join("proj/.claurst.toml") };
    assert!(matches!(engine.evaluate("write_file", &hook), Verdict::Ask { .. }));
    engine.set_project_root(&base.join("proj/.claurst/worktrees/w")).unwrap();
    assert!(
        matches!(engine.evaluate("write_file", &hook), Verdict::Ask { .. }),
        "the hooks of the left root"
    );
    assert!(matches!(engine.evaluate("write_file", &config), Verdict::Ask { .. }));
    let source = Access::Edit { path: base.join("proj/.claurst/worktrees/w/src/a.rs") };
    assert!(
        matches!(engine.evaluate("write_file", &source), Verdict::Allow(_)),
        "the worktree is a workspace"
    );
}
