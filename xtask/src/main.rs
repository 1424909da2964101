//! Developer tasks, run with `cargo xtask <task>`.
//!
//! - `cargo xtask bench [NAME…]`: build the release binary and run the benchmarks (all, or the named ones),
//!   printing a Markdown table for `docs/performance.md`.
//! - `cargo xtask eval [TASK…] [--label NAME] [--model M] [--real]`: the behaviour eval suite (docs/evals.md);
//!   `cargo xtask eval --compare A B` compares two kept runs.
//! - `cargo xtask prompt-size [--binary PATH]`: the size of the system prompt and tools Claurst sends, next to
//!   Claude Code's for the same project (docs/performance.md).
//! - `cargo xtask setup-litellm`: install the LiteLLM proxy the tests run (pinned, into a cached virtualenv;
//!   see `claurst_test_support::litellm`). The tests install it themselves when it is missing; CI runs this
//!   first so that a failed install fails loudly, on its own line, before any test.
//! - `cargo xtask setup-mcp-servers`: install the real MCP servers the MCP client's tests run (pinned, with
//!   npm, into a cache directory; see `claurst_test_support::mcp_servers`), likewise.
//! - `cargo xtask setup-lsp`: install the real language server (pyright, pinned, with npm, into a cache
//!   directory; see `claurst_test_support::lsp_servers`) the `lsp` tool's tests run, likewise.
//! - `cargo xtask setup-agent-sdks`: install the official Agent SDKs for Python and TypeScript the SDK tests
//!   drive Claurst with (pinned, without the Claude Code executable they can carry; see
//!   `claurst_test_support::agent_sdks`), likewise.

mod bench;
mod eval;
mod measure;
mod prompt_size;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..]),
        Some("eval") => eval::run(&args[1..]),
        Some("prompt-size") => prompt_size::run(&args[1..]),
        Some("setup-litellm") => setup_litellm(),
        Some("setup-mcp-servers") => setup_mcp_servers(),
        Some("setup-agent-sdks") => setup_agent_sdks(),
        Some("setup-lsp") => setup_lsp(),
        Some(other) => {
            bail!(
                "unknown task `{other}`; tasks: bench, eval, prompt-size, setup-litellm, setup-mcp-servers, setup-agent-sdks, setup-lsp"
            )
        }
        None => bail!(
            "usage: cargo xtask bench [{}] | cargo xtask eval [TASK…] | cargo xtask prompt-size | cargo xtask setup-litellm | cargo xtask setup-mcp-servers | cargo xtask setup-agent-sdks | cargo xtask setup-lsp",
            bench::names().join("|")
        ),
    }
}

/// Installs (or finds) the LiteLLM proxy through the one install definition the tests use.
fn setup_litellm() -> Result<()> {
    use claurst_test_support::litellm;
    let started = std::time::Instant::now();
    let venv = litellm::install()
        .map_err(|e| anyhow::anyhow!("installing the LiteLLM proxy for the tests failed: {e}"))?;
    println!(
        "LiteLLM {} ready in {} ({:.1} s)",
        litellm::LITELLM_VERSION,
        venv.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Installs (or finds) the MCP servers through the one install definition the tests use.
fn setup_mcp_servers() -> Result<()> {
    use claurst_test_support::mcp_servers;
    let started = std::time::Instant::now();
    mcp_servers::install()
        .map_err(|e| anyhow::anyhow!("installing the MCP servers for the tests failed: {e}"))?;
    println!(
        "MCP servers (everything {}, filesystem {}) ready in {} ({:.1} s)",
        mcp_servers::EVERYTHING_VERSION,
        mcp_servers::FILESYSTEM_VERSION,
        mcp_servers::install_dir().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Installs (or finds) the language server through the one install definition the tests use.
fn setup_lsp() -> Result<()> {
    use claurst_test_support::lsp_servers;
    let started = std::time::Instant::now();
    lsp_servers::install().map_err(|e| anyhow::anyhow!("installing pyright for the tests failed: {e}"))?;
    println!(
        "pyright {} ready in {} ({:.1} s)",
        lsp_servers::PYRIGHT_VERSION,
        lsp_servers::install_dir().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Installs (or finds) the Agent SDKs through the one install definition the tests use.
fn setup_agent_sdks() -> Result<()> {
    use claurst_test_support::agent_sdks;
    let started = std::time::Instant::now();
    agent_sdks::install_python()
        .map_err(|e| anyhow::anyhow!("installing the Python Agent SDK for the tests failed: {e}"))?;
    agent_sdks::install_typescript()
        .map_err(|e| anyhow::anyhow!("installing the TypeScript Agent SDK for the tests failed: {e}"))?;
    let [python, typescript] = agent_sdks::install_dirs();
    println!(
        "Agent SDKs (Python {} in {}, TypeScript {} in {}) ready ({:.1} s)",
        agent_sdks::PYTHON_SDK_VERSION,
        python.display(),
        agent_sdks::TYPESCRIPT_SDK_VERSION,
        typescript.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
