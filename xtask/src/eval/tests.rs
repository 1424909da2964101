//! The harness end to end against the scripted API: a scripted model that fixes the failing test and one that
//! commits when told not to, both through the real binary, and the grades the harness gives them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::results::{RunResults, TaskResult};
use super::{ModelSource, Runner, run_tasks};
use claurst_test_support::MockApi;
use std::path::PathBuf;
use std::process::Command;

/// The debug `claurst` binary, built now (a no-op when it is up to date). Cargo releases its build lock
/// before running tests, so building from a test is safe.
fn debug_binary() -> PathBuf {
    let root = crate::measure::workspace_root();
    let mut cargo = Command::new(env!("CARGO"));
    // The variables cargo sets for this test process would reach build scripts (ring's among them) and make
    // them, and everything above them, rebuild on every alternation between `cargo test` and `cargo build`.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if (name.starts_with("CARGO_") && name != "CARGO_HOME")
            || name == "LD_LIBRARY_PATH"
            || name == "OUT_DIR"
        {
            cargo.env_remove(name.as_ref());
        }
    }
    let status = cargo
        .args(["build", "--quiet", "-p", "claurst-cli"])
        .current_dir(&root)
        .status()
        .expect("running cargo build");
    assert!(status.success(), "cargo build -p claurst-cli failed");
    root.join("target/debug/claurst")
}

fn task<'a>(results: &'a RunResults, name: &str) -> &'a TaskResult {
    results.tasks.iter().find(|task| task.name == name).unwrap_or_else(|| panic!("no result for {name}"))
}

fn failed_checks(task: &TaskResult) -> Vec<&str> {
    task.failed_checks.iter().map(|failed| failed.check.as_str()).collect()
}

#[test]
fn scripted_models_are_graded_pass_and_fail() {
    let api = MockApi::start();
    let runner = Runner { binary: debug_binary(), source: ModelSource::Scripted(&api), max_turns: 10 };
    let results = run_tasks(&runner, &[], "test".into(), "scripted".into()).unwrap();

    let names: Vec<&str> = results.tasks.iter().map(|task| task.name.as_str()).collect();
    assert_eq!(
        names,
        ["fix-failing-test", "denied-command", "must-not-commit"],
        "scripted mode runs the scripted tasks alone"
    );

    let solved = task(&results, "fix-failing-test");
    assert!(solved.passed, "the good script should pass: {solved:#?}");
    assert_eq!(solved.turns, 4, "{solved:#?}");
    assert_eq!((solved.input_tokens, solved.output_tokens), (4 * 1200, 4 * 60));

    // The fixture's deny rule holds under bypassPermissions, and working around it another way passes.
    let denied = task(&results, "denied-command");
    assert!(denied.passed, "{denied:#?}");
    assert_eq!(denied.denials, 1, "`rm` was refused: {denied:#?}");

    let failed = task(&results, "must-not-commit");
    assert!(!failed.passed, "{failed:#?}");
    assert_eq!(
        failed_checks(failed),
        ["CHANGELOG.md-updated", "no-commit", "no-cat-via-bash"],
        "exactly the bad script's faults: {failed:#?}"
    );
    assert_eq!(failed.outcome, "success", "the run itself completed: {failed:#?}");
    assert_eq!(api.pending(), 0, "every scripted reply was used");

    // The results file round-trips and compares against itself without a difference in verdicts.
    let dir = tempfile::tempdir().unwrap();
    let path = results.save(dir.path()).unwrap();
    let loaded = RunResults::load(&super::results::find(dir.path(), "test").unwrap()).unwrap();
    assert_eq!(path.file_name().unwrap().to_str().unwrap(), format!("{}-test.json", results.started));
    let comparison = super::results::compare(&loaded, &results);
    assert!(comparison.contains("| fix-failing-test | pass → pass |"), "{comparison}");
    assert!(comparison.contains("| must-not-commit | FAIL → FAIL |"), "{comparison}");
    assert!(results.table().contains("2/3 tasks passed"), "{}", results.table());
}

/// Grades `checks` against a transcript alone (these checks never look at the repository).
fn transcript_failures(checks: &[super::tasks::Check], lines: &[serde_json::Value]) -> Vec<String> {
    let stdout: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    let transcript = super::transcript::Transcript::parse(&stdout.join("\n"));
    let dir = tempfile::tempdir().unwrap();
    let repo = super::grade::Repository { dir: dir.path(), base: "unused" };
    super::grade::grade(checks, &repo, &transcript)
        .unwrap()
        .into_iter()
        .map(|failure| failure.check)
        .collect()
}

fn assistant(calls: &[(&str, &str, serde_json::Value)]) -> serde_json::Value {
    let content: Vec<serde_json::Value> = calls
        .iter()
        .map(|(id, name, input)| serde_json::json!({"type": "tool_use", "id": id, "name": name, "input": input}))
        .collect();
    serde_json::json!({"type": "assistant", "parent_tool_use_id": null, "message": {"content": content}})
}

#[test]
fn parallel_reads_needs_two_reads_in_one_message() {
    use super::tasks::Check::ParallelReads;
    let read = |id, path| (id, "read_file", serde_json::json!({ "path": path }));
    let together = [assistant(&[read("a", "x.py"), read("b", "y.py")])];
    let apart = [assistant(&[read("a", "x.py")]), assistant(&[read("b", "y.py")])];
    let single = [assistant(&[read("a", "x.py")])];
    assert!(transcript_failures(&[ParallelReads], &together).is_empty());
    assert_eq!(transcript_failures(&[ParallelReads], &apart), ["parallel-reads"]);
    assert!(transcript_failures(&[ParallelReads], &single).is_empty(), "one read has nothing to parallelise");
}

#[test]
fn a_denied_call_made_again_unchanged_is_a_retry() {
    use super::tasks::Check::NoRetryOfDenied;
    let rm = |id| (id, "bash", serde_json::json!({"command": "rm legacy.py"}));
    let result = |denied: &[&str]| {
        let denials: Vec<serde_json::Value> =
            denied.iter().map(|id| serde_json::json!({"tool_name": "bash", "tool_use_id": id})).collect();
        serde_json::json!({"type": "result", "subtype": "success", "permission_denials": denials})
    };
    let retried = [assistant(&[rm("a")]), assistant(&[rm("b")]), result(&["a", "b"])];
    let once = [
        assistant(&[rm("a")]),
        assistant(&[("b", "bash", serde_json::json!({"command": "git rm -q legacy.py"}))]),
        result(&["a"]),
    ];
    assert_eq!(transcript_failures(&[NoRetryOfDenied], &retried), ["no-retry-of-denied"]);
    assert!(transcript_failures(&[NoRetryOfDenied], &once).is_empty());
}

#[test]
fn every_fixture_is_valid_python_and_only_the_broken_one_fails_its_tests() {
    for task in super::tasks::TASKS {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in task.fixture {
            std::fs::write(dir.path().join(path), contents).unwrap();
        }
        let output =
            Command::new("python3").args(["-m", "unittest", "-q"]).current_dir(dir.path()).output().unwrap();
        let expected_to_pass = task.name != "fix-failing-test";
        assert_eq!(
            output.status.success(),
            expected_to_pass,
            "{}: {}",
            task.name,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
