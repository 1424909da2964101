//! Whether git config could make a "read-only" git command run a program: a pager, an external diff or
//! textconv driver, an fsmonitor, hooks, filters, an ssh command, signature checking, or an include we
//! do not follow. The repository's config and the user's are read (bounded); the bash tool also runs
//! read-only git with these settings overridden, so this check is the first of two layers.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Config files larger than this are not read; the command asks.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// Whether any config git would read, for a command run in one of `dirs`, configures execution.
/// `xdg_config_home` is `$XDG_CONFIG_HOME` when set.
pub fn config_runs_programs(dirs: &[PathBuf], home: Option<&Path>, xdg_config_home: Option<&Path>) -> bool {
    let mut files = Vec::new();
    for dir in dirs {
        match repository_config(dir) {
            Some(Some(config)) => files.push(config),
            Some(None) => {}
            // A `.git` file (worktree, submodule) points elsewhere: not followed, so ask.
            None => return true,
        }
    }
    if let Some(home) = home {
        files.push(home.join(".gitconfig"));
    }
    let xdg = xdg_config_home.filter(|dir| dir.is_absolute()).map(Path::to_path_buf);
    if let Some(xdg) = xdg.or_else(|| home.map(|home| home.join(".config"))) {
        files.push(xdg.join("git/config"));
    }
    files.iter().any(|file| match read_bounded(file) {
        Ok(Some(text)) => text_runs_programs(&text),
        Ok(None) => false,
        Err(()) => true,
    })
}

/// The config of the repository containing `dir`: `Some(None)` outside any repository, `None` when
/// `.git` is a file.
fn repository_config(dir: &Path) -> Option<Option<PathBuf>> {
    for ancestor in dir.ancestors() {
        let dot_git = ancestor.join(".git");
        match fs::symlink_metadata(&dot_git) {
            Ok(meta) if meta.is_dir() => return Some(Some(dot_git.join("config"))),
            Ok(_) => return None,
            Err(_) => {}
        }
    }
    Some(None)
}

/// `Ok(None)`: no such file. `Err`: unreadable or too large.
fn read_bounded(file: &Path) -> Result<Option<String>, ()> {
    let handle = match fs::File::open(file) {
        Ok(handle) => handle,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(()),
    };
    let mut bytes = Vec::new();
    handle.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes).map_err(|_| ())?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(());
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Reads git config syntax loosely: `[section "sub"]` headers and `key = value` lines. Whatever looks
/// like a setting that runs a program counts, whatever its value.
pub(crate) fn text_runs_programs(text: &str) -> bool {
    let mut section = String::new();
    for line in text.lines() {
        let mut line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let Some((name, rest)) = header.split_once(']') else { return true };
            section = name.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
            // A section header may be followed by a setting on the same line.
            line = rest.trim();
            if matches!(section.as_str(), "include" | "includeif") {
                return true;
            }
        }
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let key = line.split(['=', ' ', '\t']).next().unwrap_or_default().to_ascii_lowercase();
        if setting_runs_program(&section, &key) {
            return true;
        }
    }
    false
}

fn setting_runs_program(section: &str, key: &str) -> bool {
    match section {
        "core" => matches!(key, "pager" | "fsmonitor" | "hookspath" | "sshcommand" | "askpass" | "gitproxy"),
        "pager" | "include" | "includeif" => true,
        "diff" => matches!(key, "external" | "textconv" | "command" | "tool"),
        "filter" => matches!(key, "process" | "smudge" | "clean"),
        "gpg" => key == "program",
        "log" => key == "showsignature",
        _ => key == "textconv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_run_programs() {
        for text in [
            "[core]\n\tpager = less",
            "[core]\nfsmonitor = ./x",
            "[diff \"pdf\"]\n textconv = sh -c x",
            "[diff]\nexternal = x",
            "[filter \"lfs\"]\nsmudge = git-lfs smudge",
            "[include]\npath = other",
            "[includeIf \"gitdir:~/\"]\npath = x",
            "[pager]\nlog = x",
            "[CORE]\nSSHCommand = x",
            "[core] pager = x",
            "[gpg]\nprogram = x",
            "[core]\nhooksPath = x",
            "[core]\naskPass = x",
            "[core]\ngitProxy = x",
            "[diff \"x\"]\ncommand = x",
            "[diff]\ntool = x",
            "[filter \"x\"]\nprocess = x",
            "[filter \"x\"]\nclean = x",
            "[log]\nshowSignature = true",
            "[merge \"x\"]\ntextconv = x",
            "[broken",
        ] {
            assert!(text_runs_programs(text), "{text}");
        }
        assert!(!text_runs_programs("[core]\nbare = false\n[user]\nname = me\n# pager = x"));
    }

    #[test]
    fn repository_and_user_config() {
        let project = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        fs::create_dir_all(project.path().join(".git")).unwrap();
        fs::create_dir_all(project.path().join("src")).unwrap();
        let dirs = [project.path().join("src")];
        assert!(!config_runs_programs(&dirs, Some(home.path()), None));
        fs::write(home.path().join(".gitconfig"), "[core]\npager = evil").unwrap();
        assert!(config_runs_programs(&dirs, Some(home.path()), None));
        fs::remove_file(home.path().join(".gitconfig")).unwrap();
        fs::write(project.path().join(".git/config"), "[diff]\nexternal = evil").unwrap();
        assert!(config_runs_programs(&dirs, Some(home.path()), None));
    }

    #[test]
    fn xdg_config_or_its_default() {
        let project = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let xdg = tempfile::tempdir().unwrap();
        let dirs = [project.path().to_path_buf()];
        fs::create_dir_all(home.path().join(".config/git")).unwrap();
        fs::write(home.path().join(".config/git/config"), "[core]\npager = evil").unwrap();
        assert!(config_runs_programs(&dirs, Some(home.path()), None), "~/.config/git/config");
        assert!(!config_runs_programs(&dirs, Some(home.path()), Some(xdg.path())), "$XDG_CONFIG_HOME wins");
        assert!(
            config_runs_programs(&dirs, Some(home.path()), Some(Path::new("relative"))),
            "a relative $XDG_CONFIG_HOME is ignored"
        );
        fs::create_dir_all(xdg.path().join("git")).unwrap();
        fs::write(xdg.path().join("git/config"), "[diff]\nexternal = evil").unwrap();
        assert!(config_runs_programs(&dirs, Some(home.path()), Some(xdg.path())));
    }
}
