//! Collecting a command's merged output, and killing what it leaves behind.

use crate::shell_sandbox::{Confinement, ShellSandbox};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::unix::pipe::Receiver;

/// The most output kept in memory; a runaway command cannot exhaust memory.
const MAX_CAPTURE_BYTES: usize = 16 * 1024 * 1024;
/// After the shell exits, how long to wait for the pipe to drain before killing stragglers.
const DRAIN_GRACE: Duration = Duration::from_millis(200);

/// `bash` run with `args` in `cwd`, set up as every shell the tools start: a non-interactive environment
/// (pagers and editors that would wait for a person are disabled), no stdin, stdout and stderr merged into
/// `output`, and a process group of its own so that everything it starts can be killed together.
/// The command runs under `confinement` with credentials removed from its environment (see
/// [`ShellSandbox`]).
pub(crate) fn shell_command(
    args: &[&std::ffi::OsStr],
    cwd: &Path,
    output: std::io::PipeWriter,
    sandbox: &ShellSandbox,
    confinement: &Confinement,
) -> std::io::Result<std::process::Command> {
    use std::os::unix::process::CommandExt;
    let mut command = sandbox.command(confinement, "bash")?;
    command
        .args(args)
        .current_dir(cwd)
        .env("PAGER", "cat")
        .env("GIT_PAGER", "cat")
        .env("GIT_EDITOR", "true")
        .env("CLAURST", "1")
        .stdin(std::process::Stdio::null())
        .stdout(output.try_clone()?)
        .stderr(output)
        .process_group(0);
    Ok(command)
}

/// A command's process group; killed when dropped.
pub(crate) struct ProcessGroup {
    id: Option<i32>,
}

impl ProcessGroup {
    pub fn new(pid: Option<u32>) -> Self {
        Self { id: pid.and_then(|pid| i32::try_from(pid).ok()) }
    }

    /// Kill every process in the group. Killing a group that is already gone is harmless.
    pub fn kill(&self) {
        if let Some(id) = self.id {
            let _ = killpg(Pid::from_raw(id), Signal::SIGKILL);
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        self.kill();
    }
}

#[derive(Default)]
struct Buffer {
    bytes: Vec<u8>,
    dropped: usize,
}

/// Reads a pipe as an async task until EOF, or until [`Capture::finish`] gives up on it.
///
/// Async rather than a blocking thread on purpose: a process that escaped the command's group (`setsid … &`)
/// can hold the pipe open for ever, and a thread blocked on it could neither be stopped nor let the runtime
/// shut down, so the session could never exit. An async read is simply dropped.
pub(crate) struct Capture {
    buffer: Arc<Mutex<Buffer>>,
    reader: tokio::task::JoinHandle<()>,
}

impl Capture {
    pub fn start(pipe: std::io::PipeReader) -> Self {
        let buffer = Arc::new(Mutex::new(Buffer::default()));
        let sink = Arc::clone(&buffer);
        let reader = match Receiver::from_owned_fd(OwnedFd::from(pipe)) {
            Ok(receiver) => tokio::spawn(read_all(receiver, sink)),
            Err(error) => {
                if let Ok(mut buffer) = sink.lock() {
                    buffer
                        .bytes
                        .extend_from_slice(format!("[the output could not be read: {error}]").as_bytes());
                }
                tokio::spawn(async {})
            }
        };
        Self { buffer, reader }
    }

    /// Everything read, once the pipe closes or the grace period ends (then the group is killed, which
    /// closes the pipe unless a process escaped the group; then reading stops, with a note saying so).
    pub async fn finish(&self, group: &ProcessGroup) -> String {
        if tokio::time::timeout(DRAIN_GRACE, wait_finished(&self.reader)).await.is_err() {
            group.kill();
            let _ = tokio::time::timeout(DRAIN_GRACE, wait_finished(&self.reader)).await;
        }
        let held_open = !self.reader.is_finished();
        self.reader.abort();
        let Ok(buffer) = self.buffer.lock() else {
            return String::new();
        };
        let mut text = String::from_utf8_lossy(&buffer.bytes).into_owned();
        if buffer.dropped > 0 {
            text.push_str(&format!("\n[{} more bytes of output were discarded]", buffer.dropped));
        }
        if held_open {
            text.push_str(
                "\n[output after the command ended was not collected: a process it started in the background \
                 still holds its output open]",
            );
        }
        text
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

async fn read_all(mut pipe: Receiver, sink: Arc<Mutex<Buffer>>) {
    let mut chunk = [0u8; 8192];
    while let Ok(read) = pipe.read(&mut chunk).await {
        if read == 0 {
            break;
        }
        let Ok(mut buffer) = sink.lock() else { break };
        let room = MAX_CAPTURE_BYTES.saturating_sub(buffer.bytes.len());
        let kept = read.min(room);
        buffer.bytes.extend_from_slice(&chunk[..kept]);
        buffer.dropped += read - kept;
    }
}

async fn wait_finished(handle: &tokio::task::JoinHandle<()>) {
    while !handle.is_finished() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Output as the model sees it: whole when short, otherwise its head and tail, with the whole saved under
/// the session's `tool-output` folder.
pub(crate) async fn present(output: &str, session_dir: &Path, max_chars: usize) -> String {
    crate::present_long_text(output, &session_dir.join("tool-output"), max_chars, "bash", "output").await
}
