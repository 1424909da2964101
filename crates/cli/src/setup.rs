//! From flags and configuration to a configured agent.

use crate::args::Args;
use anyhow::{Context, Result, bail};
use claurst_assistant::{AgentConfig, ApprovalMode, SandboxSettings};
use claurst_config::{Environment, LoadedConfig, Overrides};
use std::path::PathBuf;
use std::time::Duration;

/// Where the session runs: `--cwd` or the current directory, made absolute.
pub fn working_directory(args: &Args) -> Result<PathBuf> {
    let dir = match &args.cwd {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    if !dir.is_dir() {
        bail!("--cwd {}: no such directory\n  pass an existing directory", dir.display());
    }
    dir.canonicalize().with_context(|| format!("cannot resolve {}", dir.display()))
}

/// Load every configuration layer, flags last.
pub fn load_config(args: &Args, cwd: &std::path::Path) -> Result<LoadedConfig> {
    let overrides = Overrides {
        model: args.model.clone(),
        max_tokens: None,
        bash_timeout_secs: args.bash_timeout,
        permission_mode: args.permission_mode,
        sandbox_mode: args.sandbox,
    };
    Ok(claurst_config::load(cwd, &Environment::from_process(), &overrides)?)
}

/// The agent's set-up for this session.
pub fn agent_config(args: &Args, loaded: &LoadedConfig, approval: ApprovalMode) -> AgentConfig {
    let config = &loaded.config;
    let mut allow = config.tools.allowed.clone();
    allow.extend(config.tools.allow.iter().cloned());
    AgentConfig {
        model: config.api.model.clone(),
        system_prompt: args.system.clone().unwrap_or_default(),
        system_sections: Vec::new(),
        tools: Vec::new(),
        max_tokens: config.api.max_tokens,
        max_turns: args.max_turns,
        api_key: config.api.api_key.clone(),
        base_url: Some(config.api.base_url.clone()),
        cwd: Some(loaded.project_root.clone()),
        session_dir: None,
        bash_timeout: Duration::from_secs(config.tools.bash_timeout_secs),
        permission_mode: config.tools.permission_mode,
        allow,
        ask: config.tools.ask.clone(),
        deny: config.tools.deny.clone(),
        additional_directories: config.tools.additional_directories.clone(),
        approval,
        context_window: config.api.context_window,
        retry: claurst_api::RetryPolicy { max_attempts: config.api.max_retries.max(1), ..Default::default() },
        stream_idle_timeout: Duration::from_secs(config.api.stream_idle_timeout_secs),
        session_id: None,
        prices: config.prices.clone(),
        auto_compact_threshold: Some(config.session.auto_compact_threshold),
        sandbox: SandboxSettings {
            mode: config.sandbox.mode,
            // The binary is its own sandbox launcher (`claurst __sandbox-exec`).
            launcher: std::env::current_exe().ok(),
            network: config.sandbox.network,
            read_paths: config.sandbox.read_paths.clone(),
        },
        env_passthrough: config.tools.env_passthrough.clone(),
    }
}
