//! The kernel sandbox under the commands the model runs (Linux: Landlock, seccomp, a mount namespace).
//!
//! A [`SandboxPolicy`] says what a command may read, write and connect to. The policy is applied by a
//! launcher process — the claurst binary itself, run as `claurst __sandbox-exec <policy> -- PROGRAM ARGS…`
//! — which confines itself and then executes the program, so the sandbox needs no code between fork and
//! exec. [`Launcher::command`] builds such a command; [`run_launcher`] is the launcher's entry point;
//! [`probe`] says what the running kernel supports. `spec/sandbox.md` is the behavioural contract.
//!
//! This crate knows nothing of tools, permissions or configuration files: callers compute the roots. On
//! systems other than Linux it builds, and `probe` reports the sandbox unavailable.

mod error;
#[cfg(target_os = "linux")]
mod filesystem;
mod launcher;
#[cfg(target_os = "linux")]
mod namespace;
mod policy;
mod probe;
#[cfg(target_os = "linux")]
mod syscalls;

pub use error::SandboxError;
pub use launcher::{
    LAUNCH_FAILED, LAUNCHER_ARG, Launcher, NamespaceCheck, PROBE_NAMESPACE_ARG, apply, run_launcher,
};
pub use policy::{
    DEFAULT_HOME_READ_PATHS, DEVICE_WRITE_ROOTS, Level, Network, PROTECTED_PROJECT_NAMES, SYSTEM_READ_ROOTS,
    SandboxPolicy, Workspace,
};
pub use probe::{Protected, Support, probe, probe_kernel};
