//! What this kernel lets us enforce, asked without confining the caller: each check runs on a throwaway
//! thread (Landlock and seccomp bind the calling thread only).

use crate::launcher::{Launcher, NamespaceCheck};
use std::fmt;

/// Whether commands can be sandboxed here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Landlock and seccomp both work.
    Available { protected_paths: Protected },
    /// They do not; the reason is for the user.
    Unavailable { reason: String },
}

/// Whether protected paths inside the write roots are enforced by the kernel for approved commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protected {
    /// A user and mount namespace can be created: they are read-only bind mounts.
    Enforced,
    /// No user namespace: only the permission checks protect them.
    NotEnforced,
    /// Not checked (no launcher given to `probe`).
    Unknown,
}

impl Support {
    pub fn is_available(&self) -> bool {
        matches!(self, Support::Available { .. })
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Support::Available { protected_paths } => {
                write!(f, "available: Landlock file rules and a seccomp filter confine every shell command")?;
                match protected_paths {
                    Protected::Enforced => {
                        write!(f, "; protected paths are read-only mounts for approved commands")
                    }
                    Protected::NotEnforced => write!(
                        f,
                        "; user namespaces are unavailable, so protected paths (.git/hooks, .claurst.toml, …) are \
                         not enforced by the kernel for approved commands"
                    ),
                    Protected::Unknown => Ok(()),
                }
            }
            Support::Unavailable { reason } => write!(f, "unavailable: {reason}"),
        }
    }
}

/// Check Landlock and seccomp; with a launcher, also whether protected paths can be enforced (one short
/// process). The checks run at once. A session uses [`probe_kernel`] and a [`NamespaceCheck`] it answers
/// later instead, to keep the launcher run off the path to its first frame.
pub fn probe(launcher: Option<&Launcher>) -> Support {
    let namespaces = launcher.map(NamespaceCheck::start);
    let kernel = probe_kernel();
    let protected_paths = namespaces.map_or(Protected::Unknown, NamespaceCheck::answer);
    match kernel {
        Ok(()) => Support::Available { protected_paths },
        Err(reason) => Support::Unavailable { reason },
    }
}

/// Outside Linux there is no kernel sandbox to probe.
#[cfg(not(target_os = "linux"))]
pub fn probe_kernel() -> Result<(), String> {
    Err(crate::SandboxError::Unsupported.to_string())
}

/// Whether Landlock and seccomp both work here (why not, for the user), each checked on a thread of its
/// own, at the same time. Both are waited for even when one fails: no check outlives the call.
#[cfg(target_os = "linux")]
pub fn probe_kernel() -> Result<(), String> {
    use kernel::{answer, landlock_works, on_throwaway_thread, seccomp_works};
    let landlock = on_throwaway_thread(landlock_works);
    let seccomp = on_throwaway_thread(seccomp_works);
    let (landlock, seccomp) = (answer(landlock), answer(seccomp));
    landlock.and(seccomp)
}

#[cfg(target_os = "linux")]
mod kernel {
    use crate::filesystem::TARGET_ABI;
    use crate::policy::{Level, Network, SandboxPolicy};
    use landlock::{Access, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetStatus};

    type Check = Result<std::thread::JoinHandle<Result<(), String>>, String>;

    /// Start `check` on a thread of its own; [`answer`] waits for it.
    pub(super) fn on_throwaway_thread(check: fn() -> Result<(), String>) -> Check {
        std::thread::Builder::new()
            .name("sandbox-probe".into())
            .spawn(check)
            .map_err(|error| format!("could not start the probe: {error}"))
    }

    pub(super) fn answer(check: Check) -> Result<(), String> {
        check?.join().unwrap_or_else(|_| Err("the probe failed".into()))
    }

    pub(super) fn landlock_works() -> Result<(), String> {
        let status = Ruleset::default()
            .set_compatibility(CompatLevel::BestEffort)
            .handle_access(AccessFs::from_all(TARGET_ABI))
            .and_then(|ruleset| ruleset.create())
            .and_then(|ruleset| ruleset.restrict_self())
            .map_err(|error| format!("Landlock: {error}"))?;
        match status.ruleset {
            RulesetStatus::FullyEnforced | RulesetStatus::PartiallyEnforced => Ok(()),
            RulesetStatus::NotEnforced => Err(format!(
                "this kernel does not enforce Landlock ({:?}); it needs Linux 5.13 or later with Landlock in the \
                 `lsm=` boot list",
                status.landlock
            )),
        }
    }

    pub(super) fn seccomp_works() -> Result<(), String> {
        let policy = SandboxPolicy {
            level: Level::ReadOnly,
            read_roots: Vec::new(),
            write_roots: Vec::new(),
            protected: Vec::new(),
            network: Network::Denied,
        };
        crate::syscalls::confine(&policy).map_err(|error| error.to_string())
    }
}
