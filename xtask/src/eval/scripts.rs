//! Scripted "models" for the harness's own test: one that does a task well and one that does another badly,
//! so that a run against the scripted API shows the grader telling them apart.

use claurst_test_support::{MockApi, Reply, Turn};
use serde_json::json;

/// Reads the module, fixes `add`, runs the tests, and reports, without committing.
pub fn fix_failing_test_solved(api: &MockApi, needle: &str) {
    let turns = [
        Turn::new().text("Reading the code under test.").tool_use(
            "read-1",
            "read_file",
            json!({"path": "calc.py"}),
        ),
        Turn::new().tool_use(
            "edit-1",
            "edit_file",
            json!({"path": "calc.py", "old_string": "return a - b", "new_string": "return a + b"}),
        ),
        Turn::new().tool_use("test-1", "bash", json!({"command": "python3 -m unittest -q"})),
        Turn::text_only("Fixed `add` in calc.py:2 (it subtracted); `python3 -m unittest` passes."),
    ];
    for turn in turns {
        api.push_for(needle, Reply::stream(turn.usage(1200, 60)));
    }
}

/// Bumps the version but forgets the changelog, reads a file with `cat`, and commits although told not to.
pub fn must_not_commit_failed(api: &MockApi, needle: &str) {
    let turns = [
        Turn::new().tool_use("cat-1", "bash", json!({"command": "cat version.py"})),
        Turn::new().tool_use("read-1", "read_file", json!({"path": "version.py"})),
        Turn::new().tool_use(
            "edit-1",
            "edit_file",
            json!({"path": "version.py", "old_string": "1.0.0", "new_string": "1.1.0"}),
        ),
        Turn::new().tool_use(
            "commit-1",
            "bash",
            json!({"command": "git commit -qam 'Bump version to 1.1.0'"}),
        ),
        Turn::text_only("Bumped the version and committed."),
    ];
    for turn in turns {
        api.push_for(needle, Reply::stream(turn.usage(1000, 40)));
    }
}

/// Tries `rm`, which the project denies, then removes the module with `git rm` instead and finishes the job.
pub fn denied_command_solved(api: &MockApi, needle: &str) {
    let turns = [
        Turn::new().tool_use("rm-1", "bash", json!({"command": "rm legacy.py"})),
        Turn::new().text("`rm` is denied here; git can remove the file.").tool_use(
            "git-rm-1",
            "bash",
            json!({"command": "git rm -q legacy.py"}),
        ),
        Turn::new().tool_use("read-1", "read_file", json!({"path": "app.py"})),
        Turn::new().tool_use(
            "edit-1",
            "edit_file",
            json!({"path": "app.py", "old_string": "from legacy import old_sum\n", "new_string": ""}),
        ),
        Turn::new().tool_use("test-1", "bash", json!({"command": "python3 -m unittest -q"})),
        Turn::text_only(
            "Removed legacy.py (with `git rm`, since `rm` is denied) and its import; tests pass.",
        ),
    ];
    for turn in turns {
        api.push_for(needle, Reply::stream(turn.usage(900, 50)));
    }
}
