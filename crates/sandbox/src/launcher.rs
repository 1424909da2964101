//! The launcher: the claurst binary run as `claurst __sandbox-exec <policy> -- PROGRAM ARGS…` confines
//! itself and then executes the program. Doing it in a fresh process avoids unsafe code between fork and
//! exec, and the process is single-threaded, which creating a user namespace requires.

use crate::error::SandboxError;
use crate::policy::SandboxPolicy;
use crate::probe::Protected;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The hidden first argument that turns the claurst binary into the launcher.
pub const LAUNCHER_ARG: &str = "__sandbox-exec";
/// `claurst __sandbox-exec --probe-namespace`: exit 0 when a user and mount namespace can be created.
pub const PROBE_NAMESPACE_ARG: &str = "--probe-namespace";
/// The launcher's exit code when it could not confine or start the command (as a shell's "cannot execute").
pub const LAUNCH_FAILED: u8 = 126;

/// Where the launcher is: the running claurst binary, or another path in tests and benchmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launcher {
    path: PathBuf,
}

impl Launcher {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The running executable as the launcher (only right when it is the claurst binary).
    pub fn current_exe() -> std::io::Result<Self> {
        std::env::current_exe().map(Self::new)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A command that runs `program` under `policy`; add its arguments, environment, directory and stdio
    /// to the returned command as usual.
    pub fn command(
        &self,
        policy: &SandboxPolicy,
        program: impl AsRef<OsStr>,
    ) -> Result<Command, SandboxError> {
        let mut command = Command::new(&self.path);
        command.arg(LAUNCHER_ARG).arg(policy.encode()?).arg("--").arg(program);
        Ok(command)
    }
}

/// The check whether a user and mount namespace can be created here (for protected paths): one short
/// launcher run, started without waiting for it so that it stays off the path to a session's first frame.
#[derive(Debug)]
pub struct NamespaceCheck(Option<std::process::Child>);

impl NamespaceCheck {
    /// Start the launcher run (a failure to start it answers `NotEnforced`).
    pub fn start(launcher: &Launcher) -> Self {
        let child = Command::new(&launcher.path)
            .args([LAUNCHER_ARG, PROBE_NAMESPACE_ARG])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        Self(child.ok())
    }

    /// Wait for the run (which also reaps it) and say whether protected paths can be enforced.
    pub fn answer(mut self) -> Protected {
        let created =
            self.0.take().and_then(|mut child| child.wait().ok()).is_some_and(|status| status.success());
        if created { Protected::Enforced } else { Protected::NotEnforced }
    }
}

impl Drop for NamespaceCheck {
    /// An unanswered check is still reaped: the run is short, and a zombie would outlive the session.
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.wait();
        }
    }
}

/// Run the launcher with the arguments after [`LAUNCHER_ARG`]. Returns only on failure: on success the
/// process has become the program.
pub fn run_launcher(args: Vec<OsString>) -> SandboxError {
    if args.first().map(OsString::as_os_str) == Some(OsStr::new(PROBE_NAMESPACE_ARG)) {
        #[cfg(target_os = "linux")]
        let code = if crate::namespace::enter().is_ok() { 0 } else { 1 };
        #[cfg(not(target_os = "linux"))]
        let code = 1;
        std::process::exit(code);
    }
    match confine_and_exec(&args) {
        Ok(never) => match never {},
        Err(error) => error,
    }
}

#[cfg(not(target_os = "linux"))]
fn confine_and_exec(_args: &[OsString]) -> Result<std::convert::Infallible, SandboxError> {
    Err(SandboxError::Unsupported)
}

#[cfg(target_os = "linux")]
fn confine_and_exec(args: &[OsString]) -> Result<std::convert::Infallible, SandboxError> {
    let [policy, separator, program, rest @ ..] = args else { return Err(SandboxError::Usage) };
    if separator != "--" {
        return Err(SandboxError::Usage);
    }
    let policy = SandboxPolicy::decode(policy.to_str().ok_or(SandboxError::Usage)?)?;
    apply(&policy)?;
    let exec_error =
        |reason: String| SandboxError::Exec { program: program.to_string_lossy().into_owned(), reason };
    let program_c = c_string(program).map_err(exec_error)?;
    let mut argv = vec![program_c.clone()];
    for arg in rest {
        argv.push(c_string(arg).map_err(exec_error)?);
    }
    match nix::unistd::execvp(&program_c, &argv) {
        Ok(never) => match never {},
        Err(errno) => Err(exec_error(errno.desc().to_string())),
    }
}

/// Confine the calling (single-threaded) process: namespace for protected paths, then Landlock, then
/// seccomp (last, because it forbids the mount calls the first step needs).
#[cfg(target_os = "linux")]
pub fn apply(policy: &SandboxPolicy) -> Result<(), SandboxError> {
    if policy.level == crate::policy::Level::WorkspaceWrite {
        // Without a namespace only Landlock remains; `probe` reports that case to the user.
        crate::namespace::protect(policy)?;
    }
    crate::filesystem::confine(policy)?;
    crate::syscalls::confine(policy)
}

/// No kernel sandbox outside Linux.
#[cfg(not(target_os = "linux"))]
pub fn apply(_policy: &SandboxPolicy) -> Result<(), SandboxError> {
    Err(SandboxError::Unsupported)
}

#[cfg(target_os = "linux")]
fn c_string(text: &OsStr) -> Result<std::ffi::CString, String> {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::CString::new(text.as_bytes()).map_err(|_| "an argument contains a NUL byte".to_string())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::policy::{Level, Network};
    use std::net::TcpListener;

    /// Landlock and seccomp bind the calling thread only: confine a throwaway thread and try things there.
    #[test]
    fn a_confined_thread_writes_only_its_write_roots_and_opens_no_tcp_socket() {
        let allowed = tempfile::tempdir().unwrap();
        let forbidden = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let policy = SandboxPolicy {
            level: Level::ReadOnly,
            read_roots: vec![PathBuf::from("/usr")],
            write_roots: vec![allowed.path().to_path_buf()],
            protected: Vec::new(),
            network: Network::Denied,
        };
        let (inside, outside) = (allowed.path().join("ok"), forbidden.path().join("no"));
        let results = std::thread::spawn(move || {
            apply(&policy).unwrap();
            (
                std::fs::write(&inside, "x").map_err(|error| error.kind()),
                std::fs::write(&outside, "x").map_err(|error| error.kind()),
                std::net::TcpStream::connect(address).map(|_| ()).map_err(|error| error.raw_os_error()),
                std::fs::read_dir("/etc").map(|_| ()).map_err(|error| error.kind()),
            )
        })
        .join()
        .unwrap();
        assert_eq!(results.0, Ok(()));
        assert_eq!(results.1, Err(std::io::ErrorKind::PermissionDenied));
        assert_eq!(results.2, Err(Some(nix::libc::EPERM)));
        assert_eq!(results.3, Err(std::io::ErrorKind::PermissionDenied), "/etc is not a read root here");
        assert!(allowed.path().join("ok").exists() && !forbidden.path().join("no").exists());
        // This thread was never confined.
        std::fs::write(forbidden.path().join("free"), "x").unwrap();
    }

    #[test]
    fn the_launcher_command_carries_the_policy_and_the_program() {
        let policy = SandboxPolicy {
            level: Level::WorkspaceWrite,
            read_roots: Vec::new(),
            write_roots: vec![PathBuf::from("/work/p")],
            protected: vec![PathBuf::from("/work/p/.git/hooks")],
            network: Network::Allowed,
        };
        let command = Launcher::new("/opt/claurst").command(&policy, "bash").unwrap();
        let args: Vec<&OsStr> = command.get_args().collect();
        assert_eq!(command.get_program(), "/opt/claurst");
        assert_eq!(args[0], LAUNCHER_ARG);
        assert_eq!(SandboxPolicy::decode(args[1].to_str().unwrap()).unwrap(), policy);
        assert_eq!(&args[2..], [OsStr::new("--"), OsStr::new("bash")]);
        assert!(matches!(confine_and_exec(&[OsString::from("{}")]), Err(SandboxError::Usage)));
    }
}
