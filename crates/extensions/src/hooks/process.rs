//! Running one hook command: `sh -c COMMAND` in the project directory, the event on stdin, within its
//! timeout. A hook that outlives its timeout is killed with everything it started (its process group).

use claurst_tools::ShellSandbox;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// How much of a hook's stdout or stderr is kept; the rest is cut (hooks talk to the model through it).
const MAX_OUTPUT_BYTES: usize = 64 * 1024;

/// How one hook run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookExit {
    /// It exited (`code` is `None` when a signal ended it).
    Exited { code: Option<i32>, stdout: String, stderr: String },
    /// It ran past its timeout and was killed.
    TimedOut(Duration),
    /// It could not be started (no `sh`, or a required sandbox is unavailable).
    NotStarted(String),
}

/// Run `command` with `input` on its stdin.
pub(crate) async fn run_hook(
    sandbox: &ShellSandbox,
    project_dir: &Path,
    command: &str,
    input: &[u8],
    timeout: Duration,
) -> HookExit {
    let mut shell = match sandbox.hook_shell() {
        Ok(shell) => shell,
        Err(reason) => return HookExit::NotStarted(reason),
    };
    shell
        .arg("-c")
        .arg(command)
        .current_dir(project_dir)
        .env("CLAURST_PROJECT_DIR", project_dir)
        .env("CLAUDE_PROJECT_DIR", project_dir)
        .env("CLAURST", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = match tokio::process::Command::from(shell).kill_on_drop(true).spawn() {
        Ok(child) => child,
        Err(error) => return HookExit::NotStarted(format!("cannot start sh: {error}")),
    };
    let group = child.id().and_then(|pid| i32::try_from(pid).ok()).map(Pid::from_raw);
    let stdin = child.stdin.take();
    let feed = async move {
        // A hook that does not read its input closes the pipe early: that is its right, not an error.
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(input).await;
        }
    };
    let finished = async {
        let (_, output) = tokio::join!(feed, child.wait_with_output());
        output
    };
    let exit = match tokio::time::timeout(timeout, finished).await {
        Err(_) => HookExit::TimedOut(timeout),
        Ok(Err(error)) => HookExit::NotStarted(format!("cannot read its output: {error}")),
        Ok(Ok(output)) => HookExit::Exited {
            code: output.status.code(),
            stdout: text(&output.stdout),
            stderr: text(&output.stderr),
        },
    };
    // Whatever the hook left behind in its group (a background `sleep &`, a timed-out command) goes too.
    if let Some(group) = group {
        let _ = killpg(group, Signal::SIGKILL);
    }
    exit
}

fn text(bytes: &[u8]) -> String {
    let kept = &bytes[..bytes.len().min(MAX_OUTPUT_BYTES)];
    String::from_utf8_lossy(kept).into_owned()
}
