//! The memory directory, its tools and the dream's gate, lock and snapshot, against real temporary directories.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod attempt;
mod gate;
mod lock;
mod store;
mod tools;

use std::collections::BTreeMap;
use std::path::Path;

/// Every entry under `root` (links as their target, files as their bytes), except the dream state, which
/// changes by design. Two equal trees are byte-for-byte the same.
pub fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for item in std::fs::read_dir(dir).unwrap() {
        let item = item.unwrap();
        let path = item.path();
        let name = path.strip_prefix(root).unwrap().display().to_string();
        if name == claurst_query::STATE_FILE {
            continue;
        }
        let kind = item.file_type().unwrap();
        if kind.is_symlink() {
            out.insert(name, format!("link -> {}", std::fs::read_link(&path).unwrap().display()));
        } else if kind.is_dir() {
            out.insert(name, "dir".into());
            walk(root, &path, out);
        } else {
            out.insert(name, String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
        }
    }
}

/// A pid that is certainly not running: a child that has exited and been reaped.
pub fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}
