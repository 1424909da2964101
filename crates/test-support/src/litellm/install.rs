//! The one definition of how the LiteLLM proxy is installed for the tests: a virtualenv in a cache directory,
//! holding `litellm[proxy]` at exactly [`LITELLM_VERSION`], installed with pip from PyPI.
//!
//! `cargo xtask setup-litellm` (run by `.ci/run`) and [`LiteLlmProxy::start`](super::LiteLlmProxy::start) both
//! call [`install`]; whichever comes first installs, the others find the finished virtualenv. An exclusive
//! lock on a file beside the virtualenv serialises concurrent installs (test threads, several test binaries),
//! and a marker written last means a half-finished install (pip killed, disk full) is redone, not trusted.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use nix::fcntl::{Flock, FlockArg};

/// The LiteLLM release the tests run. Pinned exactly: the proxy's translation is what the tests observe, and
/// it changes between releases. Newer releases (1.108.5 and later, checked 2026-12-01) pin companion
/// packages (`litellm-enterprise`, `litellm-proxy-extras`, `litellm-proxy`) that PyPI mirrors may not carry
/// yet; this one installs cleanly with Python 3.11.
pub const LITELLM_VERSION: &str = "1.108.3";

/// Written inside the virtualenv once pip has succeeded; its absence means "not installed".
const MARKER: &str = "claurst-litellm-installed";

/// Why the proxy could not be installed. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("cannot create the LiteLLM cache directory {path}: {source}")]
    CacheDir { path: PathBuf, source: io::Error },
    #[error(
        "cannot run `{program}` ({source}); install Python 3.10+ with the venv module, or set CLAURST_TEST_PYTHON"
    )]
    NoPython { program: String, source: io::Error },
    #[error("`{step}` failed ({status}); is PyPI reachable? Its output:\n{output}")]
    StepFailed { step: String, status: String, output: String },
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

/// The virtualenv for the pinned release; the version is in the name so that changing the pin installs anew
/// beside the old one instead of upgrading it in place under a running test.
pub fn venv_dir() -> PathBuf {
    cache_dir().join(format!("litellm-venv-{LITELLM_VERSION}"))
}

/// The virtualenv's Python, which runs the proxy as `python -m litellm.proxy.proxy_cli`.
pub fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// Installs the pinned proxy unless it is already installed; returns the virtualenv's directory.
///
/// Blocks while another process or thread installs. A cold install (no pip cache) took 80 s and 750 MB of
/// disk on the 2-core CI machine; afterwards this is one `stat`.
pub fn install() -> Result<PathBuf, InstallError> {
    let venv = venv_dir();
    if venv.join(MARKER).exists() {
        return Ok(venv);
    }
    let cache = cache_dir();
    fs::create_dir_all(&cache).map_err(|source| InstallError::CacheDir { path: cache.clone(), source })?;
    let lock_path = cache.join(format!("litellm-venv-{LITELLM_VERSION}.lock"));
    let lock =
        File::create(&lock_path).map_err(|source| InstallError::CacheDir { path: lock_path, source })?;
    // flock(2) through nix: `File::lock` is newer than the workspace's minimum Rust version.
    let lock = Flock::lock(lock, FlockArg::LockExclusive)
        .map_err(|(_, errno)| InstallError::CacheDir { path: cache.clone(), source: errno.into() })?;
    // Another holder of the lock may have finished while we waited for it.
    if venv.join(MARKER).exists() {
        return Ok(venv);
    }
    install_locked(&venv)?;
    // The lock is released when `lock` is dropped, after the marker is written.
    drop(lock);
    Ok(venv)
}

fn install_locked(venv: &Path) -> Result<(), InstallError> {
    if venv.exists() {
        // Left by an install that did not finish: start clean rather than trust it.
        fs::remove_dir_all(venv)
            .map_err(|source| InstallError::CacheDir { path: venv.to_owned(), source })?;
    }
    let python = std::env::var("CLAURST_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    run_step(Command::new(&python).arg("-m").arg("venv").arg(venv), &python)?;
    let requirement = format!("litellm[proxy]=={LITELLM_VERSION}");
    run_step(
        Command::new(venv_python(venv))
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet"])
            .arg(&requirement),
        &python,
    )?;
    fs::write(venv.join(MARKER), format!("{requirement}\n"))
        .map_err(|source| InstallError::CacheDir { path: venv.to_owned(), source })
}

fn run_step(command: &mut Command, python: &str) -> Result<(), InstallError> {
    let step = describe_step(command);
    let output: Output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| InstallError::NoPython { program: python.to_owned(), source })?;
    if output.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Err(InstallError::StepFailed { step, status: output.status.to_string(), output: text })
}

fn describe_step(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}
