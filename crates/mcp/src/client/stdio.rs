//! Stdio servers: a child process in its own process group, its stderr sent to the log (never to the
//! terminal), its exit reported in words, and the whole group killed when Claurst lets go of it.

use claurst_config::McpServerConfig;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use rmcp::RoleClient;
use rmcp::transport::async_rw::AsyncRwTransport;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::process::{ChildStderr, ChildStdin, ChildStdout};
use tokio::sync::watch;

/// The largest JSON-RPC message read from a server's stdout. rmcp's default (16 MiB) would silently drop a
/// bigger result and leave the call waiting; results this large are capped after they arrive.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;
/// How long a stopped server's exit status is waited for (it can arrive just after its output closed).
const EXIT_WAIT: Duration = Duration::from_secs(2);
/// The longest stderr line kept for a failure reason.
const MAX_REASON_LINE: usize = 300;

pub(crate) type StdioTransport = AsyncRwTransport<RoleClient, ChildStdout, ChildStdin>;

/// A running server process. Dropping it kills the process group.
pub(crate) struct ServerProcess {
    pgid: Option<i32>,
    exit: watch::Receiver<Option<ExitStatus>>,
    last_stderr: Arc<Mutex<Option<String>>>,
}

impl ServerProcess {
    /// The process group to kill when the session ends.
    pub(crate) fn pgid(&self) -> Option<i32> {
        self.pgid
    }

    /// Resolves when the server process has exited, even if a helper it left behind still holds its
    /// output open.
    pub(crate) async fn exited(&self) {
        let mut exit = self.exit.clone();
        let _ = exit.wait_for(Option::is_some).await;
    }

    /// Why the process stopped, in words: its exit status and the last line it wrote to stderr. Waits a
    /// moment for the status, which can arrive just after its stdout closed.
    pub(crate) async fn stop_reason(&self) -> String {
        match self.exit_reason(EXIT_WAIT).await {
            Some(reason) => reason,
            None => self.with_last_line("the server closed its output".to_string()),
        }
    }

    /// The exit status and last stderr line, or `None` when the process is still running after `wait`.
    pub(crate) async fn exit_reason(&self, wait: Duration) -> Option<String> {
        let mut exit = self.exit.clone();
        let status = match tokio::time::timeout(wait, exit.wait_for(Option::is_some)).await {
            Ok(Ok(status)) => (*status)?,
            _ => return None,
        };
        Some(self.with_last_line(describe_status(status)))
    }

    fn with_last_line(&self, what: String) -> String {
        let last = self.last_stderr.lock().ok().and_then(|line| line.clone());
        match last {
            Some(line) => format!("{what}: {line}"),
            None => what,
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(pgid) = self.pgid {
            kill_group(pgid);
        }
    }
}

/// Kill a server's whole process group (its helpers included); a group already gone is fine.
pub(crate) fn kill_group(pgid: i32) {
    let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
}

/// Start the server `config` describes; `Err` says why in the user's words.
pub(crate) fn spawn(
    config: &McpServerConfig,
    command: &str,
    args: &[String],
    env: &BTreeMap<String, String>,
    cwd: &Path,
) -> Result<(StdioTransport, ServerProcess), String> {
    let mut child = tokio::process::Command::new(command)
        .args(args)
        .envs(env)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| spawn_failure(command, cwd, &error))?;
    let pgid = child.id().and_then(|id| i32::try_from(id).ok());
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err("its standard input or output could not be connected".to_string());
    };
    let last_stderr = Arc::new(Mutex::new(None));
    if let Some(stderr) = child.stderr.take() {
        tokio::spawn(log_stderr(config.name.clone(), stderr, Arc::clone(&last_stderr)));
    }
    let (exit_tx, exit) = watch::channel(None);
    tokio::spawn(async move {
        // Owning the child here reaps it; `kill_on_drop` covers a runtime that shuts down first.
        let status = child.wait().await.ok();
        let _ = exit_tx.send(status);
    });
    let transport = AsyncRwTransport::new(stdout, stdin).with_max_line_length(MAX_MESSAGE_BYTES);
    Ok((transport, ServerProcess { pgid, exit, last_stderr }))
}

fn spawn_failure(command: &str, cwd: &Path, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound if !cwd.is_dir() => {
            format!("its working directory {} does not exist", cwd.display())
        }
        std::io::ErrorKind::NotFound => format!("command `{command}` not found"),
        std::io::ErrorKind::PermissionDenied => {
            format!("command `{command}` cannot be run (permission denied)")
        }
        _ => format!("command `{command}` could not start: {error}"),
    }
}

fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("the server exited with status {code}"),
        (None, Some(signal)) => format!("the server was killed by signal {signal}"),
        (None, None) => "the server exited".to_string(),
    }
}

/// Every stderr line goes to the log; the last non-empty one is kept for a failure reason. Lines are read
/// in bounded pieces, so a server that never writes a newline costs no more than one piece.
async fn log_stderr(server: String, mut stderr: ChildStderr, last: Arc<Mutex<Option<String>>>) {
    let mut chunk = vec![0_u8; 8 * 1024];
    let mut pending = Vec::new();
    loop {
        let read = match stderr.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        pending.extend_from_slice(&chunk[..read]);
        while let Some(end) = pending.iter().position(|&byte| byte == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            note_line(&server, &line, &last);
        }
        if pending.len() > chunk.len() {
            note_line(&server, &pending, &last);
            pending.clear();
        }
    }
    if !pending.is_empty() {
        note_line(&server, &pending, &last);
    }
}

fn note_line(server: &str, line: &[u8], last: &Mutex<Option<String>>) {
    let line = String::from_utf8_lossy(line);
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    tracing::debug!(target: "claurst_mcp::server_stderr", server, "{line}");
    let kept: String = line.chars().take(MAX_REASON_LINE).collect();
    if let Ok(mut last) = last.lock() {
        *last = Some(kept);
    }
}
