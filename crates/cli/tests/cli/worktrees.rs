//! `-w [NAME]`: the session runs in a git worktree of its own.

use crate::{claurst, run, stderr};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::json;

/// A project that is a git repository with one commit.
pub fn repository() -> TempProject {
    let project = TempProject::new();
    project.git_init();
    project.write("README.md", "hello\n");
    project.git(&["add", "README.md"]);
    project.git(&["commit", "-q", "-m", "first"]);
    project
}

#[test]
fn a_worktree_session_writes_in_the_worktree_on_its_own_branch() {
    let project = repository();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "write_file",
        json!({"path": "made.txt", "content": "from the worktree\n"}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    let output =
        run(claurst(&project, &api).args(["-w", "feature", "-p", "write it", "--allowedTools", "Write"]));
    assert!(output.status.success(), "{}", describe(&output));

    let tree = project.path(".claurst/worktrees/feature");
    assert_eq!(std::fs::read_to_string(tree.join("made.txt")).unwrap(), "from the worktree\n");
    assert!(!project.path("made.txt").exists(), "the main checkout is untouched");
    assert_eq!(
        project.git(&["branch", "--list", "--format=%(refname:short)", "claurst/feature"]).trim(),
        "claurst/feature"
    );
    assert_eq!(project.git(&["status", "--porcelain"]), "", "the worktrees folder is excluded");
    // The model was told it works in the worktree.
    let system = api.requests()[0].body["system"].to_string();
    assert!(system.contains(".claurst/worktrees/feature"), "{system}");
    let err = stderr(&output);
    assert!(err.contains("Created worktree feature at "), "{err}");
    assert!(err.contains("The worktree stays at ") && err.contains("git worktree remove"), "{err}");

    // The same name again takes the worktree up with its work.
    api.push(Reply::stream(Turn::text_only("again")));
    let output = run(claurst(&project, &api).args(["-w", "feature", "-p", "go on"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("Resuming worktree feature"), "{}", describe(&output));
    assert!(tree.join("made.txt").is_file());
}

#[test]
fn a_worktree_without_a_name_gets_one() {
    let project = repository();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi", "--worktree"]));
    assert!(output.status.success(), "{}", describe(&output));
    let listed: Vec<_> = std::fs::read_dir(project.path(".claurst/worktrees")).unwrap().collect();
    assert_eq!(listed.len(), 1);
    let branches = project.git(&["branch", "--list", "claurst/*"]);
    assert_eq!(branches.lines().count(), 1, "{branches}");
}

#[test]
fn a_worktree_outside_a_repository_or_with_a_bad_name_is_refused() {
    let project = TempProject::new();
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-w", "x", "-p", "hi"]));
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("-w needs a git repository") && err.contains("not inside a git repository"),
        "{err}"
    );
    assert!(api.requests().is_empty(), "no session started");

    let project = repository();
    let output = run(claurst(&project, &api).args(["-w", "../escape", "-p", "hi"]));
    assert!(!output.status.success());
    assert!(stderr(&output).contains("is not a valid worktree name"), "{}", describe(&output));
    assert!(!project.root().join("escape").exists());
}

#[test]
fn slash_worktrees_lists_them_and_cleans_the_clean_ones() {
    use crate::BIN;
    use claurst_test_support::{PtySession, claurst_pty_command, keys};
    use std::time::Duration;
    const WAIT: Duration = Duration::from_secs(10);

    let project = repository();
    for name in ["spare", "keep"] {
        let path = format!(".claurst/worktrees/{name}");
        project.git(&["worktree", "add", "-q", "-b", &format!("claurst/{name}"), &path]);
    }
    project.write(".claurst/worktrees/keep/wip.txt", "not committed\n");
    let api = MockApi::start();
    let mut command = claurst_pty_command(std::path::Path::new(BIN), &project, Some(&api));
    command.args(["-w", "current"]);
    let mut session = PtySession::spawn(command, 30, 160);
    session.wait_for("ctx 0%", WAIT);

    session.type_text("/worktrees");
    session.send(keys::ENTER);
    let screen = session.wait_for("/worktrees clean removes", WAIT);
    assert!(screen.contains("current (current)  claurst/current  clean"), "{screen}");
    assert!(screen.contains("keep  claurst/keep  dirty"), "{screen}");
    assert!(screen.contains("spare  claurst/spare  clean"), "{screen}");

    session.type_text("/worktrees clean");
    session.send(keys::ENTER);
    let screen = session.wait_for("Removed spare and branch claurst/spare.", WAIT);
    assert!(screen.contains("Kept current: this session runs in it."), "{screen}");
    assert!(screen.contains("Kept keep: it has uncommitted changes."), "{screen}");
    assert!(!project.path(".claurst/worktrees/spare").exists());
    assert!(project.path(".claurst/worktrees/keep/wip.txt").is_file());
    assert!(project.path(".claurst/worktrees/current").is_dir());
}
