//! [`TempProject`], a throwaway home directory and project directory side by side.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A temporary directory holding `home/` (to use as `HOME`) and `project/` (the working directory); both are
/// deleted when it is dropped.
pub struct TempProject {
    root: TempDir,
    home: PathBuf,
    project: PathBuf,
}

impl Default for TempProject {
    fn default() -> TempProject {
        TempProject::new()
    }
}

impl TempProject {
    pub fn new() -> TempProject {
        Self::new_in(&std::env::temp_dir())
    }

    /// A project under `parent` instead of the temp folder: sandbox tests need a home and project outside
    /// `/tmp`, which approved commands may write.
    pub fn new_in(parent: &Path) -> TempProject {
        let root = tempfile::Builder::new()
            .prefix("claurst-test-")
            .tempdir_in(parent)
            .unwrap_or_else(|e| panic!("cannot create a temporary directory in {}: {e}", parent.display()));
        let home = root.path().join("home");
        let project = root.path().join("project");
        for dir in [&home, &project] {
            std::fs::create_dir(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        TempProject { root, home, project }
    }

    /// The directory holding both `home/` and `project/`.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    pub fn project(&self) -> &Path {
        &self.project
    }

    /// `project/<rel_path>`.
    pub fn path(&self, rel_path: &str) -> PathBuf {
        self.project.join(rel_path)
    }

    /// Writes a file under `project/`, creating parent directories; returns its full path.
    pub fn write(&self, rel_path: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        write_creating_parents(&self.project.join(rel_path), contents.as_ref())
    }

    /// Writes a file under `home/`, creating parent directories; returns its full path.
    pub fn write_home(&self, rel_path: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        write_creating_parents(&self.home.join(rel_path), contents.as_ref())
    }

    /// Reads a UTF-8 file under `project/`.
    pub fn read(&self, rel_path: &str) -> String {
        let path = self.project.join(rel_path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Runs `git init -q` in `project/` and sets a local user name and email so commits work.
    pub fn git_init(&self) {
        self.git(&["init", "-q"]);
        self.git(&["config", "user.name", "Claurst Test"]);
        self.git(&["config", "user.email", "claurst-test@example.invalid"]);
        self.git(&["config", "commit.gpgsign", "false"]);
    }

    /// Runs `git ARGS` in `project/`, panicking with git's stderr if it fails; returns its stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(&self.project)
            .output()
            .unwrap_or_else(|e| panic!("cannot run git {args:?} (is git installed?): {e}"));
        assert!(
            output.status.success(),
            "git {args:?} failed with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

fn write_creating_parents(path: &Path, contents: &[u8]) -> PathBuf {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path.to_path_buf()
}
