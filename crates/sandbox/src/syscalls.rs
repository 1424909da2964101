//! seccomp: the system calls a sandboxed command may not make.

use crate::error::SandboxError;
use crate::policy::{Network, SandboxPolicy};
use nix::libc;
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    TargetArch,
};
use std::collections::BTreeMap;

/// Calls that change the mount topology or enter other namespaces: they could undo the read-only bind
/// mounts over protected paths (the command may hold capabilities inside its own user namespace).
const MOUNT_CALLS: &[i64] = &[
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_open_tree,
    libc::SYS_move_mount,
    libc::SYS_fsopen,
    libc::SYS_fsmount,
    libc::SYS_fsconfig,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
];

/// io_uring can open sockets and files without the calls filtered here.
const IO_URING_CALLS: &[i64] =
    &[libc::SYS_io_uring_setup, libc::SYS_io_uring_enter, libc::SYS_io_uring_register];

/// `TIOCSTI` and `TIOCLINUX`: the same numbers on every architecture `ARCH` below covers (libc types them
/// differently per C library, hence written out).
const TERMINAL_INJECTION: [u64; 2] = [0x5412, 0x541C];

/// The x32 ABI reaches the same calls with this bit set and the same architecture tag: filter both numbers.
#[cfg(target_arch = "x86_64")]
const X32_SYSCALL_BIT: i64 = 0x4000_0000;

#[cfg(target_arch = "x86_64")]
const ARCH: TargetArch = TargetArch::x86_64;
#[cfg(target_arch = "aarch64")]
const ARCH: TargetArch = TargetArch::aarch64;
#[cfg(target_arch = "riscv64")]
const ARCH: TargetArch = TargetArch::riscv64;

/// The filter for `policy`: matching calls fail with `EPERM`; everything else is allowed. Other
/// architectures' calls (32-bit `int 0x80`) kill the process.
pub(crate) fn filter(policy: &SandboxPolicy) -> Result<BpfProgram, SandboxError> {
    let error = |error: seccompiler::BackendError| SandboxError::Seccomp(error.to_string());
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for call in MOUNT_CALLS.iter().chain(IO_URING_CALLS) {
        rules.insert(*call, Vec::new());
    }
    // Pushing characters into a terminal's input (TIOCSTI) or a console's (TIOCLINUX) would let a command
    // type into Claurst's own interface. The kernel reads the request as 32 bits, so compare 32 bits.
    let mut terminal_injection = Vec::new();
    for request in TERMINAL_INJECTION {
        let condition =
            SeccompCondition::new(1, SeccompCmpArgLen::Dword, SeccompCmpOp::Eq, request).map_err(error)?;
        terminal_injection.push(SeccompRule::new(vec![condition]).map_err(error)?);
    }
    rules.insert(libc::SYS_ioctl, terminal_injection);
    if policy.network == Network::Denied {
        let not_unix = SeccompCondition::new(
            0,
            SeccompCmpArgLen::Dword,
            SeccompCmpOp::Ne,
            u64::try_from(libc::AF_UNIX).unwrap_or(1),
        )
        .map_err(error)?;
        rules.insert(libc::SYS_socket, vec![SeccompRule::new(vec![not_unix]).map_err(error)?]);
    }
    #[cfg(target_arch = "x86_64")]
    {
        let x32: Vec<(i64, Vec<SeccompRule>)> =
            rules.iter().map(|(call, rule)| (call | X32_SYSCALL_BIT, rule.clone())).collect();
        rules.extend(x32);
    }
    let errno = u32::try_from(libc::EPERM).unwrap_or(1);
    let filter =
        SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::Errno(errno), ARCH).map_err(error)?;
    filter.try_into().map_err(error)
}

/// Install `policy`'s filter on the calling thread (which also sets no_new_privs).
pub(crate) fn confine(policy: &SandboxPolicy) -> Result<(), SandboxError> {
    let program = filter(policy)?;
    seccompiler::apply_filter(&program).map_err(|error| SandboxError::Seccomp(error.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::policy::Level;

    #[test]
    fn the_filter_compiles_with_and_without_network() {
        let mut policy = SandboxPolicy {
            level: Level::WorkspaceWrite,
            read_roots: Vec::new(),
            write_roots: Vec::new(),
            protected: Vec::new(),
            network: Network::Allowed,
        };
        let with_network = filter(&policy).unwrap();
        policy.network = Network::Denied;
        let without = filter(&policy).unwrap();
        assert!(without.len() > with_network.len(), "the socket rule adds instructions");
    }
}
