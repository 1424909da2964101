//! Protected paths for approved commands: Landlock cannot make a read-only hole in a writable tree, so the
//! launcher enters a user and mount namespace of its own and bind-mounts each protected path read-only
//! onto itself. Only existing paths can be covered; a protected name that does not exist yet can be
//! created (spec/sandbox.md lists this limit).

use crate::error::SandboxError;
use crate::policy::SandboxPolicy;
use nix::mount::{MsFlags, mount};
use nix::sched::{CloneFlags, unshare};
use nix::sys::statvfs::{FsFlags, statvfs};
use nix::unistd::{getegid, geteuid};
use std::path::{Path, PathBuf};

/// Whether the launcher could cover the protected paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protection {
    /// Every existing protected path is read-only in the command's mount namespace.
    Enforced,
    /// No user namespace could be created: only Landlock applies and protected paths inside the write
    /// roots are writable.
    Unavailable,
}

/// Enter new user and mount namespaces, keeping the caller's ids. Must run single-threaded.
pub(crate) fn enter() -> nix::Result<()> {
    let (uid, gid) = (geteuid(), getegid());
    unshare(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWNS)?;
    let write = |file: &str, text: String| std::fs::write(file, text).map_err(|_| nix::Error::EPERM);
    // Setting groups must be refused before an unprivileged gid map is accepted.
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
    write("/proc/self/gid_map", format!("{gid} {gid} 1"))?;
    // Mounts made from here on must not propagate back to the user's namespace.
    mount(None::<&str>, "/", None::<&str>, MsFlags::MS_REC | MsFlags::MS_PRIVATE, None::<&str>)
}

/// Make every existing protected path read-only, pinning its parents inside the write roots first so a
/// rename of the parent cannot move the protection away.
pub(crate) fn protect(policy: &SandboxPolicy) -> Result<Protection, SandboxError> {
    let existing: Vec<&PathBuf> = policy.protected.iter().filter(|path| path.exists()).collect();
    if existing.is_empty() {
        return Ok(Protection::Enforced);
    }
    if enter().is_err() {
        return Ok(Protection::Unavailable);
    }
    let mut pinned: Vec<PathBuf> = existing.iter().flat_map(|path| parents_to_pin(path, policy)).collect();
    pinned.sort();
    pinned.dedup();
    for dir in &pinned {
        bind(dir)?;
    }
    let mut ordered = existing;
    // Outer paths first, so an inner read-only mount is not hidden by a later outer one.
    ordered.sort_by_key(|path| path.components().count());
    for path in ordered {
        bind(path)?;
        remount_read_only(path)?;
    }
    Ok(Protection::Enforced)
}

/// The directories between the write root holding `path` and `path` itself (both excluded).
fn parents_to_pin(path: &Path, policy: &SandboxPolicy) -> Vec<PathBuf> {
    let Some(root) = policy
        .write_roots
        .iter()
        .filter(|root| path.starts_with(root))
        .max_by_key(|root| root.components().count())
    else {
        return Vec::new();
    };
    path.ancestors()
        .skip(1)
        .take_while(|dir| *dir != root.as_path() && dir.starts_with(root))
        .map(Path::to_path_buf)
        .collect()
}

fn bind(path: &Path) -> Result<(), SandboxError> {
    mount(Some(path), path, None::<&str>, MsFlags::MS_BIND | MsFlags::MS_REC, None::<&str>)
        .map_err(|errno| failure(path, errno))
}

/// A remount inside a user namespace must keep the flags the parent namespace locked (nosuid, nodev, …).
fn remount_read_only(path: &Path) -> Result<(), SandboxError> {
    let current = statvfs(path).map_err(|errno| failure(path, errno))?.flags();
    let mut flags = MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY;
    for (kept, flag) in [
        (FsFlags::ST_NOSUID, MsFlags::MS_NOSUID),
        (FsFlags::ST_NODEV, MsFlags::MS_NODEV),
        (FsFlags::ST_NOEXEC, MsFlags::MS_NOEXEC),
        (FsFlags::ST_NOATIME, MsFlags::MS_NOATIME),
        (FsFlags::ST_NODIRATIME, MsFlags::MS_NODIRATIME),
        (FsFlags::ST_RELATIME, MsFlags::MS_RELATIME),
    ] {
        if current.contains(kept) {
            flags |= flag;
        }
    }
    mount(None::<&str>, path, None::<&str>, flags, None::<&str>).map_err(|errno| failure(path, errno))
}

fn failure(path: &Path, errno: nix::Error) -> SandboxError {
    SandboxError::Namespace { path: path.display().to_string(), reason: errno.desc().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Level, Network};

    #[test]
    fn parents_inside_the_write_root_are_pinned() {
        let policy = SandboxPolicy {
            level: Level::WorkspaceWrite,
            read_roots: Vec::new(),
            write_roots: vec![PathBuf::from("/"), PathBuf::from("/work/p")],
            protected: Vec::new(),
            network: Network::Allowed,
        };
        assert_eq!(
            parents_to_pin(Path::new("/work/p/.git/hooks"), &policy),
            vec![PathBuf::from("/work/p/.git")]
        );
        assert!(parents_to_pin(Path::new("/work/p/.claurst.toml"), &policy).is_empty());
    }
}
