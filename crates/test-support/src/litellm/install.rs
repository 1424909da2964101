//! How the LiteLLM proxy is installed for the tests: a virtualenv in the test cache holding `litellm[proxy]`
//! at exactly [`LITELLM_VERSION`], installed with pip from PyPI through [`crate::cached_install`].
//!
//! `cargo xtask setup-litellm` (run by `.ci/run`) and [`LiteLlmProxy::start`](super::LiteLlmProxy::start) both
//! call [`install`]; whichever comes first installs, the others find the finished virtualenv.

use std::path::PathBuf;

pub use crate::cached_install::InstallError;

/// The LiteLLM release the tests run. Pinned exactly: the proxy's translation is what the tests observe, and
/// it changes between releases. Newer releases (1.108.5 and later, checked 2026-12-01) pin companion
/// packages (`litellm-enterprise`, `litellm-proxy-extras`, `litellm-proxy`) that PyPI mirrors may not carry
/// yet; this one installs cleanly with Python 3.11.
pub const LITELLM_VERSION: &str = "1.108.3";

/// The virtualenv's name in the test cache.
fn venv_name() -> String {
    format!("litellm-venv-{LITELLM_VERSION}")
}

/// Installs the pinned proxy unless it is already installed; returns the virtualenv's directory.
///
/// Blocks while another process or thread installs. A cold install (no pip cache) took 80 s and 750 MB of
/// disk on the 2-core CI machine; afterwards this is one `stat`.
pub fn install() -> Result<PathBuf, InstallError> {
    crate::cached_install::python_venv(
        &venv_name(),
        "claurst-litellm-installed",
        &[&format!("litellm[proxy]=={LITELLM_VERSION}")],
    )
}
