//! `enter_worktree` / `exit_worktree`: the model moves the session into a worktree of its own and back.
//! Each step is a model turn against the scripted API; the files on disk and the tool results the model was
//! sent are the proof.

use crate::worktrees::repository;
use crate::{claurst, run, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

/// Script one tool call per model turn, then a closing text.
fn script(api: &MockApi, calls: &[(&str, Value)]) {
    for (index, (tool, input)) in calls.iter().enumerate() {
        api.push(Reply::stream(Turn::new().tool_use(&format!("t{index}"), tool, input.clone())));
    }
    api.push(Reply::stream(Turn::text_only("done")));
}

/// The (text, is_error) of the result the model was sent for its `index`th call.
fn result_of(api: &MockApi, index: usize) -> (String, bool) {
    let requests = api.requests();
    tool_results(&requests[index + 1].body).into_iter().next().expect("a tool result")
}

fn tree_of(project: &TempProject, name: &str) -> std::path::PathBuf {
    project.path(&format!(".claurst/worktrees/{name}")).canonicalize().unwrap()
}

#[test]
fn the_model_moves_into_a_worktree_works_there_and_comes_back() {
    let project = repository();
    let api = MockApi::start();
    script(
        &api,
        &[
            ("enter_worktree", json!({"name": "spike"})),
            ("write_file", json!({"path": "inside.txt", "content": "in the worktree\n"})),
            ("bash", json!({"command": "pwd"})),
            ("exit_worktree", json!({"action": "keep"})),
            ("write_file", json!({"path": "outside.txt", "content": "back home\n"})),
        ],
    );
    let output = run(claurst(&project, &api).args([
        "-p",
        "try it in a worktree",
        "--allowedTools",
        "enter_worktree,Write",
    ]));
    assert!(output.status.success(), "{}", describe(&output));

    let tree = tree_of(&project, "spike");
    let (entered, failed) = result_of(&api, 0);
    assert!(!failed && entered.contains("Created worktree `spike`"), "{entered}");
    assert!(entered.contains("claurst/spike") && entered.contains("exit_worktree"), "{entered}");
    assert_eq!(std::fs::read_to_string(tree.join("inside.txt")).unwrap(), "in the worktree\n");
    assert!(!project.path("inside.txt").exists(), "the main checkout is untouched");
    let (pwd, _) = result_of(&api, 2);
    assert!(pwd.contains(&tree.display().to_string()), "the shell starts in the worktree: {pwd}");
    let (left, failed) = result_of(&api, 3);
    assert!(!failed && left.contains("stays at") && left.contains("claurst/spike"), "{left}");
    assert_eq!(std::fs::read_to_string(project.path("outside.txt")).unwrap(), "back home\n");
    assert!(!tree.join("outside.txt").exists());
    assert_eq!(
        project.git(&["branch", "--list", "--format=%(refname:short)", "claurst/*"]).trim(),
        "claurst/spike"
    );
}

#[test]
fn removing_a_worktree_with_work_is_refused_until_the_model_discards_it() {
    let project = repository();
    let api = MockApi::start();
    script(
        &api,
        &[
            ("enter_worktree", json!({"name": "wip"})),
            ("write_file", json!({"path": "draft.txt", "content": "unsaved\n"})),
            ("exit_worktree", json!({"action": "remove"})),
            ("write_file", json!({"path": "still.txt", "content": "still inside\n"})),
            ("exit_worktree", json!({"action": "remove", "discard_changes": true})),
        ],
    );
    let output = run(claurst(&project, &api).args([
        "-p",
        "throw it away",
        "--allowedTools",
        "enter_worktree,exit_worktree,Write",
    ]));
    assert!(output.status.success(), "{}", describe(&output));

    let (refused, failed) = result_of(&api, 2);
    assert!(
        failed && refused.contains("uncommitted changes") && refused.contains("discard_changes"),
        "{refused}"
    );
    // The refused removal left the session where it was.
    assert!(!project.path("still.txt").exists());
    let (removed, failed) = result_of(&api, 4);
    assert!(!failed && removed.contains("were removed"), "{removed}");
    assert!(!project.path(".claurst/worktrees/wip").exists(), "the worktree is gone");
    assert_eq!(project.git(&["branch", "--list", "claurst/*"]), "", "its branch is gone");
}

#[test]
fn a_clean_worktree_is_removed_with_its_branch() {
    let project = repository();
    let api = MockApi::start();
    script(
        &api,
        &[("enter_worktree", json!({"name": "look"})), ("exit_worktree", json!({"action": "remove"}))],
    );
    let output = run(claurst(&project, &api).args([
        "-p",
        "look around",
        "--allowedTools",
        "enter_worktree,exit_worktree",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let (removed, failed) = result_of(&api, 1);
    assert!(!failed && removed.contains("were removed"), "{removed}");
    assert!(!project.path(".claurst/worktrees/look").exists());
    assert_eq!(project.git(&["branch", "--list", "claurst/*"]), "");
}

#[test]
fn leaving_without_entering_and_entering_twice_are_tool_errors() {
    let project = repository();
    let api = MockApi::start();
    script(
        &api,
        &[
            ("exit_worktree", json!({"action": "keep"})),
            ("enter_worktree", json!({"name": "../escape"})),
            ("enter_worktree", json!({"name": "one"})),
            ("enter_worktree", json!({"name": "two"})),
        ],
    );
    let output = run(claurst(&project, &api).args(["-p", "go", "--allowedTools", "enter_worktree"]));
    assert!(output.status.success(), "{}", describe(&output));
    let (nothing, failed) = result_of(&api, 0);
    assert!(failed && nothing.contains("nothing to leave"), "{nothing}");
    let (bad, failed) = result_of(&api, 1);
    assert!(failed && bad.contains("not a valid worktree name"), "{bad}");
    assert!(!project.path(".claurst/escape").exists() && !project.path("escape").exists());
    let (twice, failed) = result_of(&api, 3);
    assert!(failed && twice.contains("already works in worktree `one`"), "{twice}");
    assert!(!project.path(".claurst/worktrees/two").exists());
}

/// The attacks: a model that was not allowed to enter creates nothing; once in a worktree, the user's
/// checkout is outside the workspace, so writing there needs approval (and `-p` has nobody to give it),
/// while the worktree itself is an ordinary workspace, not protected `.claurst/` settings.
#[test]
fn a_model_in_a_worktree_cannot_write_the_main_checkout_unasked() {
    let project = repository();
    let api = MockApi::start();
    script(&api, &[("enter_worktree", json!({"name": "sneaky"}))]);
    let output = run(claurst(&project, &api).args(["-p", "go", "--permission-mode", "acceptEdits"]));
    assert!(output.status.success(), "{}", describe(&output));
    let (denied, failed) = result_of(&api, 0);
    assert!(failed, "an unapproved enter_worktree is refused: {denied}");
    assert!(!project.path(".claurst/worktrees").exists(), "nothing was created");

    let api = MockApi::start();
    let marker = project.path("marker.txt");
    script(
        &api,
        &[
            ("enter_worktree", json!({"name": "sneaky"})),
            ("write_file", json!({"path": "fine.txt", "content": "in the worktree\n"})),
            ("write_file", json!({"path": marker.display().to_string(), "content": "pwned\n"})),
            ("write_file", json!({"path": "../../../marker2.txt", "content": "pwned\n"})),
            ("bash", json!({"command": "echo pwned > ../../../marker3.txt"})),
        ],
    );
    let output = run(claurst(&project, &api).args([
        "-p",
        "go",
        "--permission-mode",
        "acceptEdits",
        "--allowedTools",
        "enter_worktree",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let tree = tree_of(&project, "sneaky");
    assert!(!result_of(&api, 1).1, "writing in the worktree needs no approval in acceptEdits");
    assert!(tree.join("fine.txt").is_file());
    for index in 2..=4 {
        let (text, failed) = result_of(&api, index);
        assert!(failed, "call {index} reached the main checkout: {text}");
    }
    for name in ["marker.txt", "marker2.txt", "marker3.txt"] {
        assert!(!project.path(name).exists(), "{name} was written in the main checkout");
    }
}

/// A read-deny rule keeps holding in the worktree: the searching tools judge every file with the rules as
/// they apply to where the session works now, not to where it started.
#[test]
fn read_deny_rules_follow_the_session_into_the_worktree() {
    let project = repository();
    project.write("secrets/key.txt", "TOPSECRET-4242\n");
    project.write("src/lib.rs", "// TOPSECRET is a word here\n");
    project.git(&["add", "."]);
    project.git(&["commit", "-q", "-m", "files"]);
    let api = MockApi::start();
    script(
        &api,
        &[
            ("enter_worktree", json!({"name": "scan"})),
            ("grep", json!({"pattern": "TOPSECRET", "output_mode": "content"})),
            ("read_file", json!({"path": "secrets/key.txt"})),
        ],
    );
    let output = run(claurst(&project, &api).args([
        "-p",
        "look",
        "--allowedTools",
        "enter_worktree",
        "--disallowedTools",
        "Read(secrets/**)",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let (found, _) = result_of(&api, 1);
    assert!(found.contains("src/lib.rs"), "the search ran in the worktree: {found}");
    assert!(!found.contains("4242"), "a denied file's content leaked through grep: {found}");
    let (read, failed) = result_of(&api, 2);
    assert!(failed && !read.contains("4242"), "{read}");
}

/// Moving into a worktree lifts no rule from the checkout the session left: a deny rule on `.env` still
/// refuses the original file by its absolute path, even in bypassPermissions mode.
#[test]
fn deny_rules_keep_covering_the_checkout_after_entering() {
    let project = repository();
    project.write(".claurst.toml", "[tools]\ndeny = [\"read_file(.env)\"]\n");
    project.write(".env", "TOKEN=hunter2\n");
    let env = project.path(".env").canonicalize().unwrap();
    let api = MockApi::start();
    script(
        &api,
        &[
            ("read_file", json!({"path": ".env"})),
            ("enter_worktree", json!({"name": "esc"})),
            ("read_file", json!({"path": env.display().to_string()})),
            ("bash", json!({"command": "cat ../../../.env"})),
        ],
    );
    let output = run(claurst(&project, &api).args(["-p", "go", "--permission-mode", "bypassPermissions"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(result_of(&api, 0).1, "denied before the move");
    assert!(!result_of(&api, 1).1, "entered");
    for index in [2, 3] {
        let (text, failed) = result_of(&api, index);
        assert!(failed && !text.contains("hunter2"), "call {index} read the denied file: {text}");
    }
}

/// A `-w` session cannot enter its own worktree (and so cannot remove it with the user's work), and a
/// worktree that existed before the session entered it is not removed by `exit_worktree`.
#[test]
fn a_session_removes_only_worktrees_it_created() {
    let project = repository();
    let api = MockApi::start();
    script(
        &api,
        &[
            ("write_file", json!({"path": "work.txt", "content": "uncommitted\n"})),
            ("enter_worktree", json!({"name": "home"})),
            ("enter_worktree", json!({"name": "other"})),
            ("exit_worktree", json!({"action": "keep"})),
        ],
    );
    let allowed = ["--allowedTools", "enter_worktree,exit_worktree,Write"];
    let output = run(claurst(&project, &api).args(["-w", "home", "-p", "go"]).args(allowed));
    assert!(output.status.success(), "{}", describe(&output));
    let (own, failed) = result_of(&api, 1);
    assert!(failed && own.contains("already works in worktree `home`"), "{own}");
    assert!(!result_of(&api, 2).1 && !result_of(&api, 3).1);

    // A later session takes up `other` again and may not remove it, even discarding changes.
    let api = MockApi::start();
    script(
        &api,
        &[
            ("enter_worktree", json!({"name": "other"})),
            ("exit_worktree", json!({"action": "remove", "discard_changes": true})),
        ],
    );
    let output = run(claurst(&project, &api).args(["-p", "go"]).args(allowed));
    assert!(output.status.success(), "{}", describe(&output));
    let (taken_up, _) = result_of(&api, 0);
    assert!(taken_up.contains("Took up again"), "{taken_up}");
    let (refused, failed) = result_of(&api, 1);
    assert!(failed && refused.contains("existed before this session entered it"), "{refused}");
    assert!(project.path(".claurst/worktrees/other").is_dir());
    assert!(project.path(".claurst/worktrees/home/work.txt").is_file(), "the -w session's work is kept");
}
