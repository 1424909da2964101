//! The official Agent SDKs, for the tests that drive the real `claurst` binary through them: the Python
//! `claude-agent-sdk` from PyPI and the TypeScript `@anthropic-ai/claude-agent-sdk` from npm.
//!
//! Both are installed through [`crate::cached_install`] without the Claude Code executable they can carry:
//! the Python package from its source distribution (its wheels bundle Claude Code), the npm package without
//! its optional per-platform packages (which hold it). The tests hand the SDKs Claurst's path instead, and a
//! test must never run Claude Code by accident. `cargo xtask setup-agent-sdks` (run by `.ci/run`) installs
//! them ahead of the tests.

use std::path::{Path, PathBuf};

use crate::cached_install::{InstallError, cache_dir, npm_packages, python_venv, venv_python};

/// The Python SDK release the tests run (current on PyPI on 2026-12-02). Pinned exactly: which flags it
/// passes and which message shapes it accepts change between releases.
pub const PYTHON_SDK_VERSION: &str = "0.2.189";
/// The TypeScript SDK release the tests run (current on the npm registry on 2026-12-02).
pub const TYPESCRIPT_SDK_VERSION: &str = "0.3.333";
/// The TypeScript SDK's peer dependencies, pinned at the releases npm chose for it on 2026-12-02, so that an
/// install tomorrow runs the same code. `zod` is also what the test script describes its tool's input with.
const TYPESCRIPT_PEERS: [(&str, &str); 3] =
    [("zod", "4.6.7"), ("@modelcontextprotocol/sdk", "1.32.2"), ("@anthropic-ai/sdk", "1.15.0")];

/// The Python SDK in its virtualenv.
#[derive(Debug, Clone)]
pub struct PythonSdk {
    venv: PathBuf,
}

impl PythonSdk {
    /// The virtualenv's Python, which can `import claude_agent_sdk`.
    pub fn python(&self) -> PathBuf {
        venv_python(&self.venv)
    }
}

/// The TypeScript SDK in its npm directory.
#[derive(Debug, Clone)]
pub struct TypeScriptSdk {
    dir: PathBuf,
}

impl TypeScriptSdk {
    /// The `node_modules` directory holding the SDK and its peers. ES modules do not read `NODE_PATH`, so a
    /// script outside it imports them by path from here.
    pub fn node_modules(&self) -> PathBuf {
        self.dir.join("node_modules")
    }
}

/// Written inside each SDK's install directory once it is installed.
const MARKER: &str = "claurst-agent-sdk-installed";

fn python_name() -> String {
    format!("agent-sdk-python-{PYTHON_SDK_VERSION}")
}

fn typescript_name() -> String {
    format!("agent-sdk-typescript-{TYPESCRIPT_SDK_VERSION}")
}

/// Where the SDKs are (or will be) installed, for messages.
pub fn install_dirs() -> [PathBuf; 2] {
    [cache_dir().join(python_name()), cache_dir().join(typescript_name())]
}

/// Installs the pinned Python SDK unless it is installed. Blocks while another process installs it.
pub fn install_python() -> Result<PythonSdk, InstallError> {
    let requirement = format!("claude-agent-sdk=={PYTHON_SDK_VERSION}");
    // The source distribution carries only the Python code; its dependencies come as usual.
    let venv = python_venv(&python_name(), MARKER, &["--no-binary", "claude-agent-sdk", &requirement])?;
    Ok(PythonSdk { venv })
}

/// Installs the pinned TypeScript SDK unless it is installed. Blocks while another process installs it.
pub fn install_typescript() -> Result<TypeScriptSdk, InstallError> {
    let mut dependencies = vec![("@anthropic-ai/claude-agent-sdk", TYPESCRIPT_SDK_VERSION)];
    dependencies.extend(TYPESCRIPT_PEERS);
    let dir = npm_packages(&typescript_name(), MARKER, &dependencies, &["--omit=optional"])?;
    Ok(TypeScriptSdk { dir })
}

/// Whether an install directory holds a Claude Code executable: the tests check that none came along.
pub fn bundles_claude_code(install_dir: &Path) -> bool {
    fn walk(dir: &Path) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else { return false };
        entries.flatten().any(|entry| {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name == "claude" && path.is_file() {
                return true;
            }
            path.is_dir() && !path.is_symlink() && (name.starts_with("claude-agent-sdk-") || walk(&path))
        })
    }
    walk(install_dir)
}

/// What a script driving an SDK left behind.
#[derive(Debug)]
pub struct ScriptRun {
    pub output: std::process::Output,
    /// The script was still running at the limit and was killed, with everything it started.
    pub timed_out: bool,
}

/// Runs `command` (a script driving an SDK, which starts `claurst` itself) in a process group of its own,
/// until it exits or `limit` passes; then kills the whole group, so that no `claurst` it started outlives the
/// test.
pub fn run_script(command: &mut std::process::Command, limit: std::time::Duration) -> ScriptRun {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;

    command.process_group(0).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = command.spawn().unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
    let group = Pid::from_raw(i32::try_from(child.id()).expect("process ids fit in i32"));
    let (sender, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    let (result, timed_out) = match finished.recv_timeout(limit) {
        Ok(result) => (result, false),
        Err(_) => {
            let _ = killpg(group, Signal::SIGKILL);
            let after_kill = std::time::Duration::from_secs(10);
            let result = finished.recv_timeout(after_kill).expect("a killed script's pipes close");
            (result, true)
        }
    };
    // Anything the script left running (a `claurst` it did not wait for) goes with it.
    let _ = killpg(group, Signal::SIGKILL);
    ScriptRun { output: result.expect("waiting for the SDK script"), timed_out }
}
