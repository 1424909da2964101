//! Running the real `claurst` binary in a temporary project, isolated from the developer's own setup.

use crate::api::MockApi;
use crate::project::TempProject;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Environment variables passed through from the test runner; everything else is cleared so that a
/// developer's `ANTHROPIC_API_KEY` or `~/.claurst` can never leak into a test.
const PASSED_THROUGH: &[&str] = &["PATH", "LANG", "LC_ALL", "TMPDIR", "LLVM_PROFILE_FILE"];

/// A `claurst` command for `project`: HOME is the project's temporary home, the working directory is the
/// project, and when `api` is given the key and base URL point at the mock server.
pub fn claurst_command(binary: &Path, project: &TempProject, api: Option<&MockApi>) -> Command {
    isolated_command(binary, project, api)
}

/// Any program run the way [`claurst_command`] runs `claurst`: in `project`, with its home and only the
/// passed-through environment, plus the mock's key and URL when `api` is given. For a program that starts
/// `claurst` itself (an Agent SDK script), which hands its environment down.
pub fn isolated_command(program: &Path, project: &TempProject, api: Option<&MockApi>) -> Command {
    let mut command = Command::new(program);
    command.env_clear().current_dir(project.project()).env("HOME", project.home());
    for name in PASSED_THROUGH {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    if let Some(api) = api {
        command.env("ANTHROPIC_API_KEY", "sk-ant-test").env("ANTHROPIC_BASE_URL", api.url());
    }
    command
}

/// Run `command` with `stdin` piped in (empty when `None`) and wait for it.
pub fn run_with_stdin(command: &mut Command, stdin: Option<&str>) -> Output {
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the claurst binary should start");
    let mut pipe = child.stdin.take().expect("stdin was piped");
    let input = stdin.unwrap_or_default().to_string();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let output = child.wait_with_output().expect("waiting for claurst");
    let _ = writer.join();
    output
}

/// Stdout and stderr as text, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
