//! Real MCP servers nobody here wrote, for the MCP client's tests: `@modelcontextprotocol/server-everything`
//! (tools, resources, prompts; stdio and streamable HTTP) and `@modelcontextprotocol/server-filesystem`.
//!
//! The one definition of how they are installed: npm, into a cache directory holding a `package.json` that
//! pins both at exactly [`EVERYTHING_VERSION`] and [`FILESYSTEM_VERSION`]. `cargo xtask setup-mcp-servers`
//! (run by `.ci/run`) and [`install`] in a test both end here; as for LiteLLM, a lock file serialises
//! concurrent installs and a marker written last means a half-finished install is redone.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use nix::fcntl::{Flock, FlockArg};

use crate::litellm::cache_dir;

/// The server-everything release the tests run (current on the npm registry on 2026-12-01). Pinned exactly:
/// the tests name its tools, resources and prompts, which change between releases.
pub const EVERYTHING_VERSION: &str = "2026.8.31";
/// The server-filesystem release the tests run (current on the npm registry on 2026-12-01).
pub const FILESYSTEM_VERSION: &str = "2026.8.31";

/// Written once npm has succeeded; its absence means "not installed".
const MARKER: &str = "claurst-mcp-servers-installed";

/// Why the servers could not be installed. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("cannot create the MCP servers' cache directory {path}: {source}")]
    CacheDir { path: PathBuf, source: io::Error },
    #[error("cannot run `npm` ({0}); install Node.js 18+ with npm")]
    NoNpm(io::Error),
    #[error("`npm install` failed ({status}); is the npm registry reachable? Its output:\n{output}")]
    NpmFailed { status: String, output: String },
}

/// The installed servers.
#[derive(Debug, Clone)]
pub struct McpServers {
    dir: PathBuf,
}

impl McpServers {
    /// The command that starts server-everything: `node <script>`; add `stdio` or `streamableHttp`.
    pub fn everything(&self) -> (String, Vec<String>) {
        self.node_script("server-everything")
    }

    /// The command that starts server-filesystem; add the directories it may read.
    pub fn filesystem(&self) -> (String, Vec<String>) {
        self.node_script("server-filesystem")
    }

    fn node_script(&self, package: &str) -> (String, Vec<String>) {
        let script = self.dir.join("node_modules/@modelcontextprotocol").join(package).join("dist/index.js");
        ("node".to_string(), vec![script.display().to_string()])
    }
}

/// The install directory for the pinned versions (the versions are in its name, so that a new pin installs
/// beside the old one instead of under a running test).
pub fn install_dir() -> PathBuf {
    cache_dir().join(format!("mcp-servers-{EVERYTHING_VERSION}-{FILESYSTEM_VERSION}"))
}

/// Installs the pinned servers unless they are installed. Blocks while another process or thread installs.
pub fn install() -> Result<McpServers, InstallError> {
    let dir = install_dir();
    if dir.join(MARKER).exists() {
        return Ok(McpServers { dir });
    }
    let cache = cache_dir();
    fs::create_dir_all(&cache).map_err(|source| InstallError::CacheDir { path: cache.clone(), source })?;
    let lock_path = cache.join(format!("mcp-servers-{EVERYTHING_VERSION}-{FILESYSTEM_VERSION}.lock"));
    let lock =
        File::create(&lock_path).map_err(|source| InstallError::CacheDir { path: lock_path, source })?;
    let lock = Flock::lock(lock, FlockArg::LockExclusive)
        .map_err(|(_, errno)| InstallError::CacheDir { path: cache.clone(), source: errno.into() })?;
    if !dir.join(MARKER).exists() {
        install_locked(&dir)?;
    }
    drop(lock);
    Ok(McpServers { dir })
}

fn install_locked(dir: &Path) -> Result<(), InstallError> {
    let cache_error = |source| InstallError::CacheDir { path: dir.to_owned(), source };
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(cache_error)?;
    }
    fs::create_dir_all(dir).map_err(cache_error)?;
    let package = format!(
        "{{\n  \"name\": \"claurst-test-mcp-servers\",\n  \"private\": true,\n  \"dependencies\": {{\n    \
         \"@modelcontextprotocol/server-everything\": \"{EVERYTHING_VERSION}\",\n    \
         \"@modelcontextprotocol/server-filesystem\": \"{FILESYSTEM_VERSION}\"\n  }}\n}}\n"
    );
    fs::write(dir.join("package.json"), package).map_err(cache_error)?;
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(InstallError::NoNpm)?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        return Err(InstallError::NpmFailed { status: output.status.to_string(), output: text });
    }
    fs::write(dir.join(MARKER), "installed\n").map_err(cache_error)
}

/// server-everything in one of its HTTP modes (`streamableHttp`, `sse`) on a free port of 127.0.0.1, started
/// once it says it listens; killed when dropped.
pub struct EverythingHttp {
    child: std::process::Child,
    pub port: u16,
}

impl EverythingHttp {
    pub fn start(mode: &str) -> EverythingHttp {
        use std::io::{BufRead, BufReader};
        let servers = install().unwrap_or_else(|error| panic!("{error}"));
        let (command, mut args) = servers.everything();
        args.push(mode.to_string());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(command)
            .args(args)
            .env("PORT", port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It says on stderr when it listens; read until then, then keep draining so it never blocks.
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut said = String::new();
        loop {
            let mut line = String::new();
            assert!(stderr.read_line(&mut line).unwrap() > 0, "server-everything {mode} exited: {said}");
            said.push_str(&line);
            if line.contains(&port.to_string()) {
                break;
            }
        }
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        EverythingHttp { child, port }
    }
}

impl Drop for EverythingHttp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
