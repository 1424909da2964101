//! Processes a command started and then abandoned: adopted while the session runs, killed when it ends.
//!
//! A command can escape its process group (`setsid sleep 600 &`) and outlive the shell that started it. On
//! Linux the Claurst process declares itself a child subreaper, so such orphans are re-parented to it instead
//! of to init; at the end of the session every process descending from Claurst is killed and reaped, so
//! nothing a command started survives the session. Elsewhere both steps do nothing.

use std::collections::HashMap;

/// Make this process the parent of the orphans of its descendants (`PR_SET_CHILD_SUBREAPER`).
pub fn adopt_orphans() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_child_subreaper(true).map_err(std::io::Error::from)?;
    Ok(())
}

/// Kill every process descending from this one (escaped orphans included, once [`adopt_orphans`] ran) and
/// reap the ones that are this process's children. Returns how many were signalled.
///
/// Only call this when the session is over: it kills whatever still runs, background shells included.
pub fn kill_descendants() -> usize {
    let me = std::process::id();
    let mut killed = 0;
    // Killing a process re-parents its own children to us, so look again until nothing is left; a bounded
    // number of rounds, since a process that forks as fast as it is killed must not hold the exit forever.
    for _ in 0..8 {
        let processes = processes();
        for pid in children_of(me, &processes.zombies) {
            reap(pid);
        }
        let descendants = descendants_of(me, &processes.living);
        if descendants.is_empty() {
            break;
        }
        killed += descendants.iter().filter(|pid| signal_kill(**pid)).count();
        std::thread::yield_now();
    }
    if killed > 0 {
        tracing::debug!(killed, "killed processes left running by commands");
    }
    killed
}

/// Each process's parent, from `/proc` (empty where there is none), the dead-but-unreaped apart.
#[derive(Default)]
struct Processes {
    living: HashMap<u32, u32>,
    zombies: HashMap<u32, u32>,
}

fn processes() -> Processes {
    let mut found = Processes::default();
    let Ok(entries) = std::fs::read_dir("/proc") else { return found };
    for pid in entries.flatten().filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok()) {
        if let Some((state, parent)) = state_and_parent(pid) {
            let map = if state == "Z" { &mut found.zombies } else { &mut found.living };
            map.insert(pid, parent);
        }
    }
    found
}

/// The state and parent pid from `/proc/PID/stat`: the two fields after the command name, which is in
/// parentheses and may itself hold spaces and parentheses, hence the last `)`.
fn state_and_parent(pid: u32) -> Option<(String, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.to_string();
    Some((state, fields.next()?.parse().ok()?))
}

fn children_of(parent: u32, parents: &HashMap<u32, u32>) -> Vec<u32> {
    parents.iter().filter(|(_, of)| **of == parent).map(|(pid, _)| *pid).collect()
}

fn descendants_of(root: u32, parents: &HashMap<u32, u32>) -> Vec<u32> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for child in children_of(parent, parents) {
            if !found.contains(&child) {
                found.push(child);
                frontier.push(child);
            }
        }
    }
    found
}

fn signal_kill(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else { return false };
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), nix::sys::signal::Signal::SIGKILL).is_ok()
}

/// Collect a dead child's exit status so it does not linger as a zombie; never blocks.
fn reap(pid: u32) {
    let Ok(raw) = i32::try_from(pid) else { return };
    let _ =
        nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(raw), Some(nix::sys::wait::WaitPidFlag::WNOHANG));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_process_tree_is_read_from_proc() {
        let me = std::process::id();
        let parent = u32::try_from(nix::unistd::getppid().as_raw()).unwrap();
        assert_eq!(processes().living.get(&me).copied(), Some(parent));
        let mut child = std::process::Command::new("sleep").arg("5").spawn().unwrap();
        let tree = descendants_of(me, &processes().living);
        assert!(tree.contains(&child.id()), "{tree:?}");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
