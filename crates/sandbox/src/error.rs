//! What can go wrong while building or applying a sandbox.

/// Why a command could not be sandboxed; the launcher prints it and exits with [`crate::LAUNCH_FAILED`].
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox policy could not be read: {0}")]
    Policy(String),
    #[error("usage: claurst {} <policy> -- PROGRAM [ARGS…]", crate::LAUNCHER_ARG)]
    Usage,
    #[error("Landlock could not confine the command: {0}")]
    Landlock(String),
    #[error("Landlock is not fully enforced by this kernel ({0}); the command was not run")]
    NotEnforced(String),
    #[error("the seccomp filter could not be installed: {0}")]
    Seccomp(String),
    #[error("could not protect {path}: {reason}")]
    Namespace { path: String, reason: String },
    #[error("the kernel sandbox needs Linux (Landlock and seccomp); this system has neither")]
    Unsupported,
    #[error("could not run {program}: {reason}")]
    Exec { program: String, reason: String },
}
