//! A real language server nobody here wrote, for the `lsp` tool's tests: pyright (its `pyright-langserver`)
//! from the npm registry, installed through [`crate::cached_install`] at exactly [`PYRIGHT_VERSION`].
//! `cargo xtask setup-lsp` (run by `.ci/run`) and [`install`] in a test both end there.

use std::path::PathBuf;

pub use crate::cached_install::InstallError;
use crate::cached_install::{cache_dir, npm_packages};

/// The pyright release the tests run (current on the npm registry on 2026-12-02). Pinned exactly: the tests
/// check its messages and its outline of a file.
pub const PYRIGHT_VERSION: &str = "1.1.414";

/// The installed server.
#[derive(Debug, Clone)]
pub struct Pyright {
    dir: PathBuf,
}

impl Pyright {
    /// The command that starts the language server on stdio: `node <langserver script> --stdio`.
    pub fn command(&self) -> Vec<String> {
        let script = self.dir.join("node_modules/pyright/langserver.index.js");
        vec!["node".to_string(), script.display().to_string(), "--stdio".to_string()]
    }
}

fn install_name() -> String {
    format!("pyright-{PYRIGHT_VERSION}")
}

/// The install directory for the pinned version.
pub fn install_dir() -> PathBuf {
    cache_dir().join(install_name())
}

/// Installs the pinned pyright unless it is installed. Blocks while another process or thread installs.
pub fn install() -> Result<Pyright, InstallError> {
    let dir =
        npm_packages(&install_name(), "claurst-pyright-installed", &[("pyright", PYRIGHT_VERSION)], &[])?;
    Ok(Pyright { dir })
}
