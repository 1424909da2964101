//! The configuration values and their built-in defaults.

use crate::paths::ClaurstPaths;
use claurst_protocol::{PermissionMode, SandboxMode};
use std::path::PathBuf;

/// The default model when nothing else is configured.
pub const DEFAULT_MODEL: &str = "claude-sonnet-4-5";
/// The public Messages API.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";

/// The provider used when nothing else names one.
pub const DEFAULT_PROVIDER: &str = "anthropic";

/// `[api] effort`, `--effort`: how much reasoning to ask of models that take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Low,
    Medium,
    High,
}

impl Effort {
    pub fn as_str(self) -> &'static str {
        match self {
            Effort::Low => "low",
            Effort::Medium => "medium",
            Effort::High => "high",
        }
    }
}

impl std::str::FromStr for Effort {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Effort::Low),
            "medium" => Ok(Effort::Medium),
            "high" => Ok(Effort::High),
            _ => Err(format!("unknown effort {text:?}: expected low, medium or high")),
        }
    }
}

/// Every setting Claurst reads, after all layers are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub api: ApiConfig,
    pub memory: MemoryConfig,
    pub tools: ToolsConfig,
    pub sandbox: SandboxConfig,
    pub session: SessionConfig,
    pub kairos: KairosConfig,
    pub ultraplan: UltraplanConfig,
    pub buddy: BuddyConfig,
    pub ui: UiConfig,
    pub agents: AgentsConfig,
    /// `[lsp]`: language servers for the `lsp` tool.
    pub lsp: crate::lsp::LspConfig,
    /// `[providers.NAME]` entries as written, in file order (a later file's entry merged into an earlier one).
    pub providers: Vec<crate::providers::ProviderEntry>,
    /// `[prices]`: model-id fragment → price, before the built-in list prices.
    pub prices: Vec<(String, claurst_protocol::ModelPrice)>,
    /// `[mcp_servers.NAME]` entries as written (user file first, then the project's), environment references
    /// not yet replaced; `mcp_servers()` gives the servers in force.
    pub mcp_servers: Vec<crate::mcp::McpServerConfig>,
    /// `[hooks]` definitions as written (user file first, then the project's); `hook_definitions()` adds
    /// Claude Code's settings files.
    pub hooks: Vec<crate::hooks::HookDefinition>,
    /// `trace`, `debug`, `info`, `warn` or `error`.
    pub log_level: String,
}

/// `[api]`
#[derive(Debug, Clone, PartialEq)]
pub struct ApiConfig {
    /// From `ANTHROPIC_API_KEY` or `[api] api_key`.
    pub api_key: Option<String>,
    /// From `ANTHROPIC_BASE_URL` or `[api] base_url`, without a trailing slash.
    pub base_url: String,
    pub model: String,
    /// The provider used when the model does not name one (`[api] provider`, `--provider`).
    pub provider: String,
    /// Extended-thinking budget in tokens; 0 is off.
    pub thinking_budget: u32,
    /// How hard the model should try, for providers that take it.
    pub effort: Option<Effort>,
    pub max_tokens: u32,
    /// Size of the model's context window in tokens, for the status line and compaction; `None` takes the
    /// model's metadata (200,000 when unknown).
    pub context_window: Option<u64>,
    /// Attempts per request before giving up on retryable failures.
    pub max_retries: u32,
    /// Seconds without a byte from a stream before it is treated as dropped.
    pub stream_idle_timeout_secs: u64,
}

/// `[memory]`
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryConfig {
    pub memory_dir: PathBuf,
    pub auto_dream: bool,
    pub dream_interval_hours: u64,
    pub dream_session_threshold: u32,
}

/// `[tools]`
#[derive(Debug, Clone, PartialEq)]
pub struct ToolsConfig {
    /// The seed's list of tools allowed without asking; read as allow rules.
    pub allowed: Vec<String>,
    pub allow: Vec<String>,
    pub ask: Vec<String>,
    pub deny: Vec<String>,
    pub bash_timeout_secs: u64,
    pub permission_mode: PermissionMode,
    /// Directories outside the project that tools may read and write like the project itself.
    pub additional_directories: Vec<PathBuf>,
    /// Environment variables the model's commands keep although their names look like credentials
    /// (containing KEY, SECRET, TOKEN or PASSWORD).
    pub env_passthrough: Vec<String>,
    /// `[tools.web_search]`
    pub web_search: crate::web_search::WebSearchConfig,
    /// When the model is offered the `apply_patch` tool.
    pub apply_patch: ApplyPatchOffer,
}

/// `[tools] apply_patch`: `"auto"` (the default) offers the tool to OpenAI models, `true` to every model,
/// `false` to none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApplyPatchOffer {
    #[default]
    Auto,
    Always,
    Never,
}

impl ApplyPatchOffer {
    /// Whether a session whose model is `model` offers `apply_patch`. `Auto` offers it to the models trained
    /// on its format: OpenAI's GPT, o-series and Codex models, whichever provider serves them (a
    /// `vendor/` prefix, as OpenRouter writes, is ignored).
    pub fn offers(self, model: &str) -> bool {
        match self {
            ApplyPatchOffer::Always => true,
            ApplyPatchOffer::Never => false,
            ApplyPatchOffer::Auto => is_openai_model(model),
        }
    }
}

fn is_openai_model(model: &str) -> bool {
    let name = model.rsplit('/').next().unwrap_or(model).to_ascii_lowercase();
    let o_series = name.strip_prefix('o').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    name.starts_with("gpt-") || name.starts_with("chatgpt-") || name.contains("codex") || o_series
}

/// `[sandbox]`
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxConfig {
    pub mode: SandboxMode,
    /// Whether approved commands may use the network (commands nobody approved never can).
    pub network: bool,
    /// What read-only commands may read besides the system, the project and `additional_directories`;
    /// `~` stands for the home directory. `None`: the built-in list of toolchain folders.
    pub read_paths: Option<Vec<String>>,
}

/// `[session]`
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    /// Share of the context window (0–1) past which the conversation is compacted automatically.
    pub auto_compact_threshold: f64,
}

/// `[ui]`
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UiConfig {
    /// The output style's name (`default`, `explanatory`, `learning` or a style file's); empty is `default`.
    pub output_style: String,
    /// The interface's palette (`dark`, `light` or `colorblind`); empty is `dark`. `CLAURST_THEME` overrides.
    pub theme: String,
    /// How the interface gets the user's attention: `auto`, `osc9`, `bell` or `off`; empty is `auto`.
    pub notifications: String,
    /// A run at least this long notifies when it ends; `None` is the interface's default.
    pub notify_after_secs: Option<u64>,
    /// How the composer edits: `vim` for Vim-style NORMAL/INSERT editing, else the usual keys.
    pub editor_mode: EditorMode,
    /// A command whose first line of output replaces the left part of the status line (`/statusline`).
    pub statusline: Option<String>,
}

/// `[ui] editor_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditorMode {
    #[default]
    Normal,
    Vim,
}

/// `[agents]`: how the model's sub-agents run.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentsConfig {
    /// How many sub-agents run at once ([`MAX_PARALLEL_AGENTS`] at most); further calls wait their turn.
    pub max_parallel: usize,
    /// How deep sub-agents may nest: 0 offers no `agent` tool, 1 lets only the main agent delegate,
    /// [`MAX_AGENT_DEPTH`] at most.
    pub max_depth: u32,
    /// The model of `explore` and of definitions with `model: fast`; `None`: the provider's fast model.
    pub fast_model: Option<String>,
}

/// The most sub-agents `[agents] max_parallel` may run at once: each holds a connection and its context.
pub const MAX_PARALLEL_AGENTS: usize = 16;
/// The deepest `[agents] max_depth`: past it, costs multiply faster than results improve.
pub const MAX_AGENT_DEPTH: u32 = 4;

impl Default for AgentsConfig {
    fn default() -> Self {
        Self { max_parallel: 6, max_depth: 1, fast_model: None }
    }
}

/// `[kairos]`
#[derive(Debug, Clone, PartialEq)]
pub struct KairosConfig {
    pub enabled: bool,
    pub tick_interval_secs: u64,
    pub blocking_budget_secs: u64,
    /// The GitHub REST API `subscribe_pr` reads (GitHub Enterprise: `https://HOST/api/v3`); user file only.
    pub github_api_url: String,
    /// Ticks that may call the model in any hour (12: at most one every five minutes on average, so a busy
    /// afternoon of edits cannot turn into a model call a minute).
    pub max_ticks_per_hour: u32,
    /// What ticks may spend in a UTC day, in US dollars (2.00: a day of small ticks on a mid-size model,
    /// while a runaway loop stops early).
    pub daily_budget_usd: f64,
}

/// `[ultraplan]`
#[derive(Debug, Clone, PartialEq)]
pub struct UltraplanConfig {
    pub enabled: bool,
    pub poll_interval_secs: u64,
    pub max_duration_secs: u64,
    pub model: String,
}

/// `[buddy]`
#[derive(Debug, Clone, PartialEq)]
pub struct BuddyConfig {
    pub enabled: bool,
    /// Overrides the generated per-user id that seeds the companion.
    pub user_id: Option<String>,
}

impl Config {
    /// The built-in defaults, the lowest layer.
    pub fn defaults(paths: &ClaurstPaths) -> Self {
        Self {
            api: ApiConfig {
                api_key: None,
                base_url: DEFAULT_BASE_URL.into(),
                model: DEFAULT_MODEL.into(),
                provider: DEFAULT_PROVIDER.into(),
                thinking_budget: 0,
                effort: None,
                max_tokens: 8192,
                context_window: None,
                max_retries: 5,
                stream_idle_timeout_secs: 90,
            },
            memory: MemoryConfig {
                memory_dir: paths.claurst_dir().join("memory"),
                auto_dream: true,
                dream_interval_hours: 24,
                dream_session_threshold: 5,
            },
            tools: ToolsConfig {
                allowed: Vec::new(),
                allow: Vec::new(),
                ask: Vec::new(),
                deny: Vec::new(),
                bash_timeout_secs: 30,
                permission_mode: PermissionMode::Default,
                additional_directories: Vec::new(),
                env_passthrough: Vec::new(),
                apply_patch: ApplyPatchOffer::Auto,
                web_search: Default::default(),
            },
            sandbox: SandboxConfig { mode: SandboxMode::Auto, network: true, read_paths: None },
            session: SessionConfig { auto_compact_threshold: 0.85 },
            kairos: KairosConfig {
                enabled: false,
                tick_interval_secs: 60,
                blocking_budget_secs: 15,
                github_api_url: "https://api.github.com".into(),
                max_ticks_per_hour: 12,
                daily_budget_usd: 2.0,
            },
            ultraplan: UltraplanConfig {
                enabled: true,
                poll_interval_secs: 3,
                max_duration_secs: 1800,
                model: "claude-opus-4-6".into(),
            },
            buddy: BuddyConfig { enabled: true, user_id: None },
            ui: UiConfig::default(),
            agents: AgentsConfig::default(),
            lsp: crate::lsp::LspConfig::default(),
            providers: Vec::new(),
            prices: Vec::new(),
            mcp_servers: Vec::new(),
            hooks: Vec::new(),
            log_level: "info".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApplyPatchOffer;

    #[test]
    fn auto_offers_apply_patch_to_openai_models_only() {
        for model in
            ["gpt-5", "gpt-4.1-mini", "o3", "o4-mini", "gpt-5-codex", "openai/gpt-5", "codex-mini-latest"]
        {
            assert!(ApplyPatchOffer::Auto.offers(model), "{model}");
        }
        for model in ["claude-sonnet-4-5", "llama3.1", "qwen2.5-coder", "ollama", "anthropic/claude-opus-4-6"]
        {
            assert!(!ApplyPatchOffer::Auto.offers(model), "{model}");
        }
        assert!(ApplyPatchOffer::Always.offers("claude-sonnet-4-5"));
        assert!(!ApplyPatchOffer::Never.offers("gpt-5"));
    }
}
