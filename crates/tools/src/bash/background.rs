//! Background shells: commands started by `bash` with `run_in_background`, read with `bash_output`, stopped
//! with `kill_shell`, and all killed when the session's [`ToolContext`](crate::ToolContext) is dropped.
//!
//! Each shell is read and waited for on plain threads rather than runtime tasks, so a shell never keeps an
//! async runtime from shutting down and outlives no one: its process group dies with the registry.

use super::capture::ProcessGroup;
use crate::shell_sandbox::{Confinement, ShellSandbox};
use std::collections::VecDeque;
use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Unread output kept per shell; beyond it the oldest unread bytes are dropped (and counted).
const MAX_UNREAD_BYTES: usize = 4 * 1024 * 1024;
/// Shells that may run at once in a session; a runaway loop of background starts cannot fork-bomb.
pub const MAX_RUNNING_SHELLS: usize = 32;

/// How a background shell stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellStatus {
    Running,
    Exited(i32),
    /// Ended by a signal nobody in this session sent.
    Signaled(i32),
    /// Killed with `kill_shell` (or at session end).
    Killed,
}

impl fmt::Display for ShellStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShellStatus::Running => write!(f, "running"),
            ShellStatus::Exited(code) => write!(f, "exited with code {code}"),
            ShellStatus::Signaled(signal) => write!(f, "killed by signal {signal}"),
            ShellStatus::Killed => write!(f, "killed"),
        }
    }
}

#[derive(Default)]
struct Output {
    unread: VecDeque<u8>,
    /// Unread bytes discarded since the last read because the buffer was full.
    dropped: u64,
}

/// One command running (or finished) in the background.
pub struct BackgroundShell {
    id: String,
    command: String,
    group: ProcessGroup,
    output: Arc<Mutex<Output>>,
    status: Arc<Mutex<ShellStatus>>,
    killed: Arc<AtomicBool>,
}

/// What one `bash_output` read returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellRead {
    pub status: ShellStatus,
    pub output: String,
    pub dropped_bytes: u64,
}

impl BackgroundShell {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn command(&self) -> &str {
        &self.command
    }

    pub fn status(&self) -> ShellStatus {
        *lock(&self.status)
    }

    /// The output produced since the last read. While the shell runs, a multi-byte character cut by the
    /// pipe stays buffered until its last byte arrives, so reads never split characters.
    pub fn read_new_output(&self) -> ShellRead {
        let status = self.status();
        let mut output = lock(&self.output);
        let bytes: Vec<u8> = output.unread.drain(..).collect();
        let keep_from =
            if status == ShellStatus::Running { incomplete_utf8_tail(&bytes) } else { bytes.len() };
        output.unread.extend(&bytes[keep_from..]);
        let dropped_bytes = std::mem::take(&mut output.dropped);
        ShellRead { status, output: String::from_utf8_lossy(&bytes[..keep_from]).into_owned(), dropped_bytes }
    }

    /// Kill the shell's whole process group. Harmless when it has already ended.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
        self.group.kill();
    }

    /// Wait (up to `limit`) for the waiter thread to notice the end of the shell.
    pub async fn settle(&self, limit: std::time::Duration) -> ShellStatus {
        let deadline = tokio::time::Instant::now() + limit;
        while self.status() == ShellStatus::Running && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        self.status()
    }
}

/// Where the last complete UTF-8 character of `bytes` ends.
fn incomplete_utf8_tail(bytes: &[u8]) -> usize {
    let start = bytes.len().saturating_sub(3);
    match std::str::from_utf8(&bytes[start..]) {
        Ok(_) => bytes.len(),
        Err(error) if error.error_len().is_none() => start + error.valid_up_to(),
        Err(_) => bytes.len(),
    }
}

/// The session's background shells, by id (`bash_1`, `bash_2`, …). Dropping it kills every shell.
#[derive(Default)]
pub struct BackgroundShells {
    next_id: AtomicU64,
    shells: Mutex<Vec<Arc<BackgroundShell>>>,
}

impl fmt::Debug for BackgroundShells {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.ids()).finish()
    }
}

/// Why a background shell could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "{MAX_RUNNING_SHELLS} background shells are already running; stop one with kill_shell before starting another"
    )]
    TooMany,
    #[error("could not start the command: {0}")]
    Spawn(#[from] std::io::Error),
}

impl BackgroundShells {
    /// Start `command` with `bash -c` in `cwd` under `confinement`, detached from the caller, and register it.
    pub fn start(
        &self,
        command: &str,
        cwd: &Path,
        sandbox: &ShellSandbox,
        confinement: &Confinement,
    ) -> Result<Arc<BackgroundShell>, StartError> {
        let running =
            lock(&self.shells).iter().filter(|shell| shell.status() == ShellStatus::Running).count();
        if running >= MAX_RUNNING_SHELLS {
            return Err(StartError::TooMany);
        }
        let (reader, writer) = std::io::pipe()?;
        let args = [OsStr::new("-c"), OsStr::new(command)];
        let mut spawn = super::capture::shell_command(&args, cwd, writer, sandbox, confinement)?;
        let child = spawn.spawn()?;
        // The command holds the parent's copies of the pipe's write end; the reader sees EOF only once
        // they are closed.
        drop(spawn);

        let id = format!("bash_{}", self.next_id.fetch_add(1, Ordering::SeqCst) + 1);
        let shell = Arc::new(BackgroundShell {
            id,
            command: command.to_string(),
            group: ProcessGroup::new(Some(child.id())),
            output: Arc::default(),
            status: Arc::new(Mutex::new(ShellStatus::Running)),
            killed: Arc::default(),
        });
        spawn_reader(reader, Arc::clone(&shell.output))?;
        spawn_waiter(child, Arc::clone(&shell.status), Arc::clone(&shell.killed))?;
        lock(&self.shells).push(Arc::clone(&shell));
        Ok(shell)
    }

    pub fn get(&self, id: &str) -> Option<Arc<BackgroundShell>> {
        lock(&self.shells).iter().find(|shell| shell.id == id).cloned()
    }

    /// The ids of every shell started in this session, oldest first.
    pub fn ids(&self) -> Vec<String> {
        lock(&self.shells).iter().map(|shell| shell.id.clone()).collect()
    }

    /// Kill every shell (session end).
    pub fn kill_all(&self) {
        for shell in lock(&self.shells).iter() {
            shell.kill();
        }
    }
}

impl Drop for BackgroundShells {
    fn drop(&mut self) {
        self.kill_all();
    }
}

fn spawn_reader(mut pipe: std::io::PipeReader, output: Arc<Mutex<Output>>) -> std::io::Result<()> {
    std::thread::Builder::new().name("bash-background-output".into()).spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(read) = pipe.read(&mut chunk) {
            if read == 0 {
                break;
            }
            let mut output = lock(&output);
            output.unread.extend(&chunk[..read]);
            let excess = output.unread.len().saturating_sub(MAX_UNREAD_BYTES);
            if excess > 0 {
                output.unread.drain(..excess);
                output.dropped += excess as u64;
            }
        }
    })?;
    Ok(())
}

fn spawn_waiter(
    mut child: Child,
    status: Arc<Mutex<ShellStatus>>,
    killed: Arc<AtomicBool>,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("bash-background-wait".into()).spawn(move || {
        let ended = match child.wait() {
            Ok(exit) => match (exit.code(), exit.signal()) {
                _ if killed.load(Ordering::SeqCst) => ShellStatus::Killed,
                (Some(code), _) => ShellStatus::Exited(code),
                (None, Some(signal)) => ShellStatus::Signaled(signal),
                (None, None) => ShellStatus::Exited(-1),
            },
            Err(_) => ShellStatus::Exited(-1),
        };
        *lock(&status) = ended;
    })?;
    Ok(())
}

/// Lock, recovering from poisoning: the data (bytes, a status) stays meaningful if a holder panicked.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cut_characters_for_the_next_read() {
        let text = "é".as_bytes();
        assert_eq!(incomplete_utf8_tail(b"abc"), 3);
        assert_eq!(incomplete_utf8_tail(&[b'a', text[0]]), 1);
        assert_eq!(incomplete_utf8_tail(text), 2);
        assert_eq!(incomplete_utf8_tail(&[b'a', 0xff]), 2);
    }
}
