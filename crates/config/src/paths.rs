//! Where Claurst keeps its files.

use crate::env::Environment;
use crate::error::ConfigError;
use std::path::{Path, PathBuf};

/// The user's Claurst directories, derived from `HOME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaurstPaths {
    home: PathBuf,
    claurst_dir: PathBuf,
}

impl ClaurstPaths {
    pub fn from_env(env: &Environment) -> Result<Self, ConfigError> {
        let home = env.get_os("HOME").map(PathBuf::from).ok_or(ConfigError::NoHome)?;
        Ok(Self::with_home(home))
    }

    pub fn with_home(home: impl Into<PathBuf>) -> Self {
        let home = home.into();
        let claurst_dir = home.join(".claurst");
        Self { home, claurst_dir }
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// `~/.claurst`
    pub fn claurst_dir(&self) -> &Path {
        &self.claurst_dir
    }

    /// `~/.claurst/config.toml`
    pub fn global_config(&self) -> PathBuf {
        self.claurst_dir.join("config.toml")
    }

    /// `~/.claurst/logs`
    pub fn logs_dir(&self) -> PathBuf {
        self.claurst_dir.join("logs")
    }

    /// `~/.claurst/projects`: one directory of session transcripts per project.
    pub fn projects_dir(&self) -> PathBuf {
        self.claurst_dir.join("projects")
    }
}

/// Replace a leading `~` or `~/` with the home directory.
pub(crate) fn expand_tilde(path: &str, home: &Path) -> PathBuf {
    if path == "~" {
        home.to_path_buf()
    } else if let Some(rest) = path.strip_prefix("~/") {
        home.join(rest)
    } else {
        PathBuf::from(path)
    }
}

/// The project root for a session started in `cwd`: the nearest ancestor holding `.claurst.toml`, else the
/// nearest ancestor that is a git work tree, else `cwd` itself. The search stops at a linked git worktree's
/// root (its `.git` is a file naming `…/worktrees/NAME`): that checkout is a project of its own, even when
/// it lies inside another one (Claurst keeps its worktrees in `<repo>/.claurst/worktrees/`). A submodule's
/// `.git` is a file too, but the submodule stays part of the project around it, whose `.claurst.toml` (its
/// deny rules) applies.
pub fn find_project_root(cwd: &Path) -> PathBuf {
    let boundary = cwd.ancestors().position(is_linked_worktree);
    let ancestors = || cwd.ancestors().take(boundary.map_or(usize::MAX, |at| at + 1));
    ancestors()
        .find(|dir| dir.join(".claurst.toml").is_file())
        .or_else(|| ancestors().find(|dir| dir.join(".git").exists()))
        .unwrap_or(cwd)
        .to_path_buf()
}

/// Whether `dir` is the root of a linked worktree: its `.git` file points into a repository's `worktrees/`.
fn is_linked_worktree(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join(".git")) else { return false };
    text.lines().find_map(|line| line.strip_prefix("gitdir:")).is_some_and(|gitdir| {
        let parent = Path::new(gitdir.trim()).parent();
        parent.and_then(Path::file_name).is_some_and(|name| name == "worktrees")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_only_at_the_start() {
        let home = Path::new("/home/ada");
        assert_eq!(expand_tilde("~/mem", home), PathBuf::from("/home/ada/mem"));
        assert_eq!(expand_tilde("~", home), PathBuf::from("/home/ada"));
        assert_eq!(expand_tilde("/tmp/~x", home), PathBuf::from("/tmp/~x"));
    }

    #[test]
    fn a_linked_worktree_inside_a_project_is_its_own_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let tree = repo.join(".claurst/worktrees/fix");
        std::fs::create_dir_all(tree.join("src")).unwrap();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::write(repo.join(".claurst.toml"), "").unwrap();
        std::fs::write(tree.join(".git"), "gitdir: ../../../.git/worktrees/fix\n").unwrap();
        assert_eq!(find_project_root(&tree.join("src")), tree);
        assert_eq!(find_project_root(&repo), repo);
        // A submodule's `.git` file points into `modules/`: the project's `.claurst.toml` still applies.
        let module = repo.join("vendor/lib");
        std::fs::create_dir_all(module.join("src")).unwrap();
        std::fs::write(module.join(".git"), "gitdir: ../../.git/modules/vendor/lib\n").unwrap();
        assert_eq!(find_project_root(&module.join("src")), repo);
    }

    #[test]
    fn project_root_prefers_claurst_toml_then_git() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let nested = repo.join("app/src");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(find_project_root(&nested), repo);
        std::fs::write(repo.join("app/.claurst.toml"), "").unwrap();
        assert_eq!(find_project_root(&nested), repo.join("app"));
        let loose = dir.path().join("loose");
        std::fs::create_dir(&loose).unwrap();
        assert_eq!(find_project_root(&loose), loose);
    }
}
