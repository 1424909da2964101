//! From flags and configuration to a configured agent.

use crate::args::Args;
use crate::claude_flags::ClaudeSettings;
use anyhow::{Context, Result, bail};
use claurst_assistant::{AgentConfig, AgentSettings, ApprovalMode, SandboxSettings};
use claurst_config::{Environment, LoadedConfig, Overrides};
use claurst_protocol::ProviderInfo;
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

/// Load every configuration layer, then `--settings`, then the flags.
pub fn load_config(
    args: &Args,
    cwd: &std::path::Path,
    settings: Option<&ClaudeSettings>,
) -> Result<LoadedConfig> {
    let overrides = Overrides {
        model: args.model.clone().or_else(|| settings.and_then(|settings| settings.model.clone())),
        provider: args.provider.clone(),
        thinking_budget: args.max_thinking_tokens,
        effort: args.effort,
        max_tokens: None,
        bash_timeout_secs: args.bash_timeout,
        permission_mode: args.permission_mode.or(settings.and_then(|settings| settings.default_mode)),
        sandbox_mode: args.sandbox,
        sources: args.setting_sources.unwrap_or_default(),
    };
    Ok(claurst_config::load(cwd, &Environment::from_process(), &overrides)?)
}

/// What the session adds to the configuration files from Claude Code's flags, read before it starts.
#[derive(Debug, Clone, Default)]
pub struct SessionFlags {
    /// `--allowedTools`, `--disallowedTools` and `--settings` rules, together.
    pub rules: crate::claude_flags::FlagRules,
    pub builtin_tools: Option<Vec<String>>,
    pub added_directories: Vec<PathBuf>,
    pub env: Vec<(String, String)>,
}

impl SessionFlags {
    pub fn read(args: &Args, cwd: &std::path::Path, settings: Option<&ClaudeSettings>) -> Result<Self> {
        let mut rules = crate::claude_flags::flag_rules(args)?;
        if let Some(settings) = settings {
            rules.allow.extend(settings.rules.allow.iter().cloned());
            rules.ask.extend(settings.rules.ask.iter().cloned());
            rules.deny.extend(settings.rules.deny.iter().cloned());
        }
        Ok(Self {
            rules,
            builtin_tools: crate::claude_flags::builtin_tools(args),
            added_directories: crate::claude_flags::added_directories(args, cwd)?,
            env: settings.map(|settings| settings.env.clone()).unwrap_or_default(),
        })
    }
}

/// The agent's set-up for this session, with the provider chosen by `--model`/`--provider`/configuration.
pub fn agent_config(
    args: &Args,
    loaded: &LoadedConfig,
    flags: &SessionFlags,
    providers: &ChosenProvider,
    approval: ApprovalMode,
) -> AgentConfig {
    let config = &loaded.config;
    let mut allow = config.tools.allowed.clone();
    allow.extend(config.tools.allow.iter().cloned());
    let mut ask = config.tools.ask.clone();
    let mut deny = config.tools.deny.clone();
    allow.extend(flags.rules.allow.iter().cloned());
    ask.extend(flags.rules.ask.iter().cloned());
    deny.extend(flags.rules.deny.iter().cloned());
    let mut additional_directories = config.tools.additional_directories.clone();
    additional_directories.extend(flags.added_directories.iter().cloned());
    AgentConfig {
        model: providers.model_spec(),
        provider: Some(providers.provider.clone()),
        providers: providers.all.clone(),
        client: None,
        thinking_budget: Some(config.api.thinking_budget).filter(|budget| *budget > 0),
        effort: config.api.effort.map(|effort| effort.as_str().to_string()),
        // `Some("")` is an empty system prompt, not Claurst's.
        system_prompt: args.system.clone(),
        system_sections: Vec::new(),
        tools: Vec::new(),
        builtin_tools: flags.builtin_tools.clone(),
        max_tokens: config.api.max_tokens,
        max_turns: args.max_turns,
        max_budget_usd: args.max_budget_usd,
        fallback_model: args.fallback_model.clone(),
        forward_stream_events: args.include_partial_messages,
        api_key: providers.api_key.clone(),
        // `[api] base_url` and `ANTHROPIC_BASE_URL` are already in the anthropic provider.
        base_url: None,
        cwd: Some(loaded.project_root.clone()),
        session_dir: None,
        bash_timeout: Duration::from_secs(config.tools.bash_timeout_secs),
        permission_mode: config.tools.permission_mode,
        allow,
        ask,
        deny,
        flag_rules: claurst_assistant::FlagRules {
            allow: flags.rules.allow.clone(),
            ask: flags.rules.ask.clone(),
            deny: flags.rules.deny.clone(),
        },
        additional_directories,
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
        apply_patch: config.tools.apply_patch,
        web_search: config.tools.web_search.clone(),
        env: flags.env.clone(),
        // Read separately (`mcp_settings`): reading them can fail, and only sessions start servers.
        mcp: Default::default(),
        // Read separately (`hook_settings`), for the same reasons.
        hooks: Default::default(),
        extensions: std::sync::Arc::new(extensions(args, loaded)),
        output_style: config.ui.output_style.clone(),
        agents: AgentSettings {
            max_parallel: config.agents.max_parallel,
            max_depth: config.agents.max_depth,
            fast_model: config.agents.fast_model.clone(),
        },
        lsp: config.lsp.clone(),
        // Set by the session set-up when KAIROS runs (`--kairos`, `[kairos] enabled`).
        kairos: None,
    }
}

/// What the user added: files under the project and home, and the `--agents` definitions over them.
fn extensions(args: &Args, loaded: &LoadedConfig) -> claurst_extensions::Catalog {
    let roots = claurst_extensions::Roots::new(&loaded.project_root, Some(loaded.paths.home().to_path_buf()));
    let command_line = args.agents.clone().unwrap_or_default().0;
    claurst_extensions::Catalog::load(&roots).with_command_line_agents(command_line)
}

/// The MCP servers of this session: the configuration files, `.mcp.json` and `--mcp-config`.
pub fn mcp_settings(
    args: &Args,
    loaded: &LoadedConfig,
    cwd: &std::path::Path,
    warnings: &mut Vec<String>,
) -> Result<claurst_assistant::McpSettings> {
    let flags = claurst_config::McpFlags {
        configs: args.mcp_config.clone(),
        strict: args.strict_mcp_config,
        cwd: cwd.to_path_buf(),
    };
    let set = claurst_config::mcp_servers(loaded, &flags, &Environment::from_process())?;
    warnings.extend(set.warnings);
    // Disabled servers stay listed (`/mcp` shows them, and can turn them on).
    Ok(claurst_assistant::McpSettings {
        servers: set.servers,
        trust_paths: Some(loaded.paths.clone()),
        sdk_bridge: None,
    })
}

/// The hooks of this session: `[hooks]` in the configuration files and Claude Code's settings files.
pub fn hook_settings(
    loaded: &LoadedConfig,
    warnings: &mut Vec<String>,
) -> Result<claurst_assistant::HookSettings> {
    let set = claurst_config::hook_definitions(loaded)?;
    warnings.extend(set.warnings);
    Ok(claurst_assistant::HookSettings {
        hooks: set.hooks,
        trust_paths: Some(loaded.paths.clone()),
        callbacks: None,
    })
}

/// What a headless run tells the user about project servers it did not start.
pub fn unapproved_mcp_warnings(agent: &claurst_assistant::Agent) -> Vec<String> {
    agent
        .unapproved_mcp_servers()
        .into_iter()
        .map(|server| {
            format!(
                "MCP server {} ({}) was not started: it is not approved for this project; run \
                 `claurst mcp approve {}` or start an interactive session to approve it",
                server.name, server.scope, server.name
            )
        })
        .collect()
}

/// The provider and model this session starts with, and every provider it may switch to.
#[derive(Debug, Clone)]
pub struct ChosenProvider {
    pub provider: ProviderInfo,
    pub model: String,
    /// The key found for `provider`: `[api] api_key`/`ANTHROPIC_API_KEY` for Anthropic, else its variable.
    pub api_key: Option<String>,
    pub all: Vec<ProviderInfo>,
}

impl ChosenProvider {
    /// `PROVIDER/MODEL`, so the agent never takes a bare model for another provider's.
    pub fn model_spec(&self) -> String {
        format!("{}/{}", self.provider.name, self.model)
    }

    /// Where the key came from, as `system/init` reports it (`apiKeySource`): the provider's key variable
    /// (`ANTHROPIC_API_KEY`), or `none` when there is no key.
    pub fn api_key_source(&self) -> String {
        match (&self.api_key, &self.provider.api_key_env) {
            (Some(_), Some(env)) => env.clone(),
            (Some(_), None) => "config".into(),
            (None, _) => "none".into(),
        }
    }

    /// A provider that needs a key and has none stops the start with the error naming both.
    pub fn check_key(&self) -> Result<()> {
        match (&self.api_key, &self.provider.api_key_env) {
            (None, Some(env)) => {
                let error = claurst_api::ApiError::MissingProviderKey {
                    provider: self.provider.name.clone(),
                    env: env.clone(),
                };
                // Anthropic's key may also sit in the configuration file, as before providers existed.
                let hint = if self.provider.name == claurst_assistant::DEFAULT_PROVIDER {
                    format!(
                        "\n  export {env}=\"sk-ant-...\"\n  or add `api_key = \"sk-ant-...\"` under [api] in ~/.claurst/config.toml"
                    )
                } else {
                    format!("\n  export {env}=\"...\"")
                };
                bail!("{error}{hint}")
            }
            _ => Ok(()),
        }
    }
}

/// Resolve `--model PROVIDER/MODEL`, `--provider`, `[api] provider` and the `[providers.NAME]` entries.
pub fn choose_provider(loaded: &LoadedConfig, warnings: &mut Vec<String>) -> Result<ChosenProvider> {
    let env = Environment::from_process();
    let all = loaded.providers(claurst_api::builtin_providers(), &env, warnings);
    let api = &loaded.config.api;
    let (named, model) = claurst_assistant::split_model_spec(&api.model, &all);
    let provider = match named {
        Some(provider) => provider.clone(),
        None => match all.iter().find(|provider| provider.name == api.provider) {
            Some(provider) => provider.clone(),
            None => bail!(
                "unknown provider `{}` (from --provider, CLAURST_PROVIDER or [api] provider)\n  known providers: {}\n  \
                 or describe it: [providers.{}] kind = \"openai-chat\", base_url = \"http://localhost:8000/v1\"",
                api.provider,
                all.iter().map(|provider| provider.name.as_str()).collect::<Vec<_>>().join(", "),
                api.provider
            ),
        },
    };
    // Anthropic's key may come from the configuration file as well as from its variable.
    let configured = api.api_key.as_deref().filter(|_| provider.name == claurst_assistant::DEFAULT_PROVIDER);
    let api_key = claurst_assistant::provider_key(&provider, configured);
    Ok(ChosenProvider { model: model.to_string(), provider, api_key, all })
}
