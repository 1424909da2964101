//! Real MCP servers nobody here wrote, for the MCP client's tests: `@modelcontextprotocol/server-everything`
//! (tools, resources, prompts; stdio and streamable HTTP) and `@modelcontextprotocol/server-filesystem`.
//!
//! They are installed with npm, through [`crate::cached_install`], into a cache directory whose
//! `package.json` pins both at exactly [`EVERYTHING_VERSION`] and [`FILESYSTEM_VERSION`]. `cargo xtask
//! setup-mcp-servers` (run by `.ci/run`) and [`install`] in a test both end there.

use std::path::PathBuf;
use std::process::{Command, Stdio};

pub use crate::cached_install::InstallError;
use crate::cached_install::{cache_dir, npm_packages};

/// The server-everything release the tests run (current on the npm registry on 2026-12-01). Pinned exactly:
/// the tests name its tools, resources and prompts, which change between releases.
pub const EVERYTHING_VERSION: &str = "2026.8.31";
/// The server-filesystem release the tests run (current on the npm registry on 2026-12-01).
pub const FILESYSTEM_VERSION: &str = "2026.8.31";

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

/// The install directory's name in the test cache.
fn install_name() -> String {
    format!("mcp-servers-{EVERYTHING_VERSION}-{FILESYSTEM_VERSION}")
}

/// The install directory for the pinned versions.
pub fn install_dir() -> PathBuf {
    cache_dir().join(install_name())
}

/// Installs the pinned servers unless they are installed. Blocks while another process or thread installs.
pub fn install() -> Result<McpServers, InstallError> {
    let dependencies = [
        ("@modelcontextprotocol/server-everything", EVERYTHING_VERSION),
        ("@modelcontextprotocol/server-filesystem", FILESYSTEM_VERSION),
    ];
    let dir = npm_packages(&install_name(), "claurst-mcp-servers-installed", &dependencies, &[])?;
    Ok(McpServers { dir })
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
