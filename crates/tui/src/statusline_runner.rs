//! Running the user's status line command: `sh -c COMMAND` with the session's JSON on stdin, killed after
//! [`TIMEOUT`]; the first line of its output is the result.

use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A status line command that takes longer is killed and reported.
pub const TIMEOUT: Duration = Duration::from_secs(2);
/// Runs start at most this often, however fast the session changes.
pub const MIN_INTERVAL: Duration = Duration::from_millis(300);

pub async fn run(command: &str, input: &str) -> Result<String, String> {
    tokio::time::timeout(TIMEOUT, run_to_end(command, input))
        .await
        .map_err(|_| format!("`{command}` took longer than {} s and was stopped", TIMEOUT.as_secs()))?
}

async fn run_to_end(command: &str, input: &str) -> Result<String, String> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // A run cut short by the timeout drops the child: it must not outlive that.
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| format!("cannot start `{command}`: {error}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that ignores its input closes the pipe early: not an error.
        let _ = stdin.write_all(input.as_bytes()).await;
    }
    let output = child.wait_with_output().await.map_err(|error| format!("`{command}` failed: {error}"))?;
    if !output.status.success() {
        return Err(format!("`{command}` exited with {}", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text.lines().next().unwrap_or_default().trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_line_is_the_result_and_stdin_carries_the_session() {
        assert_eq!(run("echo one; echo two", "{}").await, Ok("one".to_string()));
        assert_eq!(run("cat", "{\"model\":\"m\"}\n").await, Ok("{\"model\":\"m\"}".to_string()));
        assert!(run("exit 3", "{}").await.is_err_and(|error| error.contains("exited")));
    }

    #[tokio::test]
    async fn a_command_that_hangs_is_stopped() {
        assert!(run("sleep 30", "{}").await.is_err_and(|error| error.contains("was stopped")));
    }
}
