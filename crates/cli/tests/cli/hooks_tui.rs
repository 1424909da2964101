//! Hooks in the real TUI: the project's hooks wait for the user's answer to the trust question, then run.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

#[test]
fn project_hooks_run_once_the_user_allows_them_in_the_dialog() {
    let project = TempProject::new();
    project.git_init();
    project
        .write(".claurst.toml", "[[hooks.UserPromptSubmit]]\nhooks = [{ command = \"touch hook-ran\" }]\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("hello there")));
    let mut session = PtySession::spawn(claurst_pty_command(Path::new(BIN), &project, Some(&api)), 40, 160);
    let dialog = session.wait_for("The project asks to run 1 hook(s)", WAIT);
    assert!(dialog.contains("touch hook-ran") && dialog.contains("UserPromptSubmit"), "{dialog}");
    assert!(!project.path("hook-ran").exists(), "nothing ran before the answer");

    session.send("y");
    session.wait_for("will run from now on", WAIT);
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("hello there", WAIT);
    assert!(project.path("hook-ran").exists(), "the approved hook ran when the prompt was sent");
}
