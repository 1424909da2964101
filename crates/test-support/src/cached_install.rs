//! The one definition of how tests install programs nobody here wrote: a directory in a cache, named for the
//! pinned versions, filled once by pip (a virtualenv) or npm (a `package.json` and its `node_modules`).
//!
//! Whoever comes first installs; everyone else finds the finished directory. An exclusive lock on a file
//! beside the directory serialises concurrent installs (test threads, several test binaries, `cargo xtask
//! setup-…`), and a marker written last means a half-finished install (the installer killed, the disk full)
//! is redone, not trusted. The versions belong in the directory's name, so that a new pin installs beside the
//! old one instead of under a running test.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use nix::fcntl::{Flock, FlockArg};

/// Why a program could not be installed. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("cannot create the test cache directory {path}: {source}")]
    CacheDir { path: PathBuf, source: io::Error },
    #[error("cannot run `{program}` ({source}); {remedy}")]
    NoProgram { program: String, source: io::Error, remedy: &'static str },
    #[error("`{step}` failed ({status}); is {registry} reachable? Its output:\n{output}")]
    StepFailed { step: String, status: String, registry: &'static str, output: String },
}

/// Where cached test tools live: `$CLAURST_TEST_CACHE`, else `$XDG_CACHE_HOME/claurst-tests`, else
/// `~/.cache/claurst-tests`, else `claurst-tests` in the temp directory.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLAURST_TEST_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("claurst-tests");
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(home) => PathBuf::from(home).join(".cache").join("claurst-tests"),
        None => std::env::temp_dir().join("claurst-tests"),
    }
}

/// `cache_dir()/name`, filled by `fill` unless an earlier install finished. Blocks while another process
/// or thread installs the same `name`. `marker` is the file written inside once `fill` succeeded; each
/// install keeps the name it has always used, so that a cache filled by older code is found, not redone.
pub fn install_once(
    name: &str,
    marker: &str,
    fill: impl FnOnce(&Path) -> Result<(), InstallError>,
) -> Result<PathBuf, InstallError> {
    let cache = cache_dir();
    let dir = cache.join(name);
    if dir.join(marker).exists() {
        return Ok(dir);
    }
    let cache_error = |path: &Path| {
        let path = path.to_owned();
        move |source| InstallError::CacheDir { path, source }
    };
    fs::create_dir_all(&cache).map_err(cache_error(&cache))?;
    let lock_path = cache.join(format!("{name}.lock"));
    let lock = File::create(&lock_path).map_err(cache_error(&lock_path))?;
    // flock(2) through nix: `File::lock` is newer than the workspace's minimum Rust version.
    let lock = Flock::lock(lock, FlockArg::LockExclusive)
        .map_err(|(_, errno)| InstallError::CacheDir { path: lock_path.clone(), source: errno.into() })?;
    // Another holder of the lock may have finished while we waited for it.
    if !dir.join(marker).exists() {
        if dir.exists() {
            // Left by an install that did not finish: start clean rather than trust it.
            fs::remove_dir_all(&dir).map_err(cache_error(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(cache_error(&dir))?;
        fill(&dir)?;
        fs::write(dir.join(marker), "installed\n").map_err(cache_error(&dir))?;
    }
    // Released only now, after the marker is written.
    drop(lock);
    Ok(dir)
}

/// A virtualenv `cache_dir()/name` holding what `pip install PIP_ARGS` installs (requirements with exact
/// pins, and any options such as `--no-binary`). The base Python is `$CLAURST_TEST_PYTHON`, else `python3`.
pub fn python_venv(name: &str, marker: &str, pip_args: &[&str]) -> Result<PathBuf, InstallError> {
    install_once(name, marker, |venv| {
        let python = std::env::var("CLAURST_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let no_python = "install Python 3.10+ with the venv module, or set CLAURST_TEST_PYTHON";
        run_step(Command::new(&python).arg("-m").arg("venv").arg(venv), "PyPI", no_python)?;
        run_step(
            Command::new(venv_python(venv))
                .args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet"])
                .args(pip_args),
            "PyPI",
            no_python,
        )
    })
}

/// A virtualenv's Python.
pub fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// A directory `cache_dir()/name` with a `package.json` depending on exactly these `(package, version)`s,
/// installed by `npm install NPM_ARGS` into its `node_modules`.
pub fn npm_packages(
    name: &str,
    marker: &str,
    dependencies: &[(&str, &str)],
    npm_args: &[&str],
) -> Result<PathBuf, InstallError> {
    install_once(name, marker, |dir| {
        let dependencies: serde_json::Map<String, serde_json::Value> = dependencies
            .iter()
            .map(|(package, version)| ((*package).to_owned(), serde_json::Value::from(*version)))
            .collect();
        let package = serde_json::json!({
            "name": format!("claurst-test-{name}").to_ascii_lowercase(),
            "private": true,
            "dependencies": dependencies,
        });
        let text = serde_json::to_string_pretty(&package).expect("a JSON value always serialises");
        fs::write(dir.join("package.json"), text)
            .map_err(|source| InstallError::CacheDir { path: dir.to_owned(), source })?;
        run_step(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
                .args(npm_args)
                .current_dir(dir),
            "the npm registry",
            "install Node.js 18+ with npm",
        )
    })
}

fn run_step(command: &mut Command, registry: &'static str, remedy: &'static str) -> Result<(), InstallError> {
    let step = describe_step(command);
    let program = command.get_program().to_string_lossy().into_owned();
    let output: Output = command.stdin(Stdio::null()).output().map_err(|source| InstallError::NoProgram {
        program,
        source,
        remedy,
    })?;
    if output.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Err(InstallError::StepFailed { step, status: output.status.to_string(), registry, output: text })
}

fn describe_step(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}
