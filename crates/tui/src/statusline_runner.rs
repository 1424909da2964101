//! Running the user's status line command: `sh -c COMMAND` with the session's JSON on stdin, killed after
//! [`TIMEOUT`]; the first line of its output is the result.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A status line command that takes longer is killed and reported.
pub const TIMEOUT: Duration = Duration::from_secs(2);
/// Runs start at most this often, however fast the session changes.
pub const MIN_INTERVAL: Duration = Duration::from_millis(300);

pub async fn run(command: &str, input: &str) -> Result<String, String> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // Its own process group, so that what the command starts (`git fetch; …`) can be stopped with it.
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| format!("cannot start `{command}`: {error}"))?;
    let group = child.id().and_then(|pid| i32::try_from(pid).ok()).map(Pid::from_raw);
    let result = tokio::time::timeout(TIMEOUT, run_to_end(command, &mut child, input)).await;
    // Whatever is left in the group (a timed-out command, a background job) goes, so runs never pile up.
    if let Some(group) = group {
        let _ = killpg(group, Signal::SIGKILL);
    }
    result.map_err(|_| format!("`{command}` took longer than {} s and was stopped", TIMEOUT.as_secs()))?
}

async fn run_to_end(command: &str, child: &mut tokio::process::Child, input: &str) -> Result<String, String> {
    if let Some(mut stdin) = child.stdin.take() {
        // A command that ignores its input closes the pipe early: not an error.
        let _ = stdin.write_all(input.as_bytes()).await;
    }
    let mut stdout = Vec::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_end(&mut stdout).await.map_err(|error| format!("`{command}` failed: {error}"))?;
    }
    let status = child.wait().await.map_err(|error| format!("`{command}` failed: {error}"))?;
    if !status.success() {
        return Err(format!("`{command}` exited with {status}"));
    }
    let text = String::from_utf8_lossy(&stdout);
    Ok(text.lines().next().unwrap_or_default().trim_end().to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn the_first_line_is_the_result_and_stdin_carries_the_session() {
        assert_eq!(run("echo one; echo two", "{}").await, Ok("one".to_string()));
        assert_eq!(run("cat", "{\"model\":\"m\"}\n").await, Ok("{\"model\":\"m\"}".to_string()));
        assert!(run("exit 3", "{}").await.is_err_and(|error| error.contains("exited")));
    }

    #[tokio::test]
    async fn a_command_that_hangs_is_stopped_with_everything_it_started() {
        let dir = std::env::temp_dir().join(format!("claurst-statusline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("child.pid");
        // A background child that would outlive `sh` if only `sh` were killed.
        let command = format!("sleep 30 & echo $! > {}; wait", pid_file.display());
        assert!(run(&command, "{}").await.is_err_and(|error| error.contains("was stopped")));
        let pid: i32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
        // Reaped by init once killed; give the kernel a moment to deliver the signal.
        // Gone, or a zombie waiting for a reaper (a container's first process may never reap it).
        let gone = (0..50).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
                stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
            })
        });
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(gone, "the background child of a timed-out command is still running");
    }
}
