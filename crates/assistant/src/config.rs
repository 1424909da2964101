//! How an agent is set up.

use claurst_api::{ModelClient, RetryPolicy};
use claurst_protocol::{PermissionMode, ProviderInfo, SandboxMode};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// What happens when a tool call needs the user's approval.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ApprovalMode {
    /// Ask through an `ApprovalRequested` event and wait for the front-end's decision.
    Interactive,
    /// Nobody can answer (headless runs, sub-agents): what no rule allows is denied and recorded.
    #[default]
    DenyUnlisted,
    /// This tool answers, usually an MCP server's (`--permission-prompt-tool mcp__auth__approve`): it is
    /// called with `{tool_name, input, tool_use_id}` and its text result is the answer, as JSON
    /// (`{"behavior": "allow", "updatedInput": …}` or `{"behavior": "deny", "message": …}`).
    Tool(String),
}

/// Everything an agent needs. `Default` gives a working agent for the current directory, reading the key
/// and base URL from `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL` when they are not given here.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// `MODEL`, or `PROVIDER/MODEL` to name one of `providers`.
    pub model: String,
    /// The provider a bare model name refers to; Anthropic (with `base_url` or `ANTHROPIC_BASE_URL`) when `None`.
    pub provider: Option<ProviderInfo>,
    /// Every provider the session may switch to (`/model PROVIDER/MODEL`); the built-in ones when empty.
    pub providers: Vec<ProviderInfo>,
    /// A ready client (library users, tests): used instead of building one for its provider.
    pub client: Option<Arc<dyn ModelClient>>,
    /// Extended-thinking budget in tokens; `None` does not ask the model to think.
    pub thinking_budget: Option<u32>,
    /// Reasoning effort (`low`, `medium`, `high`) for providers that take it.
    pub effort: Option<String>,
    /// Replaces Claurst's built-in instructions; `Some("")` is an empty system prompt (only
    /// `system_sections` are sent), `None` keeps Claurst's.
    pub system_prompt: Option<String>,
    /// Extra system prompt sections after the built-in ones (project instructions, memory, `--append-system-prompt`).
    pub system_sections: Vec<String>,
    /// The tools offered to the model, by name; empty offers every built-in tool.
    pub tools: Vec<&'static str>,
    /// `--tools`: the only tools of Claurst's own (built-in, memory, `agent`, `skill`) the model is offered,
    /// by Claurst's names; `None` offers all of them. MCP servers' tools are not affected.
    pub builtin_tools: Option<Vec<String>>,
    pub max_tokens: u32,
    /// Stop after this many model requests in one run.
    pub max_turns: Option<u32>,
    /// Stop a run before its next request once the session's cost passes this many US dollars.
    pub max_budget_usd: Option<f64>,
    /// The model (`MODEL` or `PROVIDER/MODEL`) to switch to, once per run, when the model in use is still
    /// overloaded after the retries; the failed request is then sent again.
    pub fallback_model: Option<String>,
    /// Send the model's streaming events as `AgentEvent::ModelStreamEvent` (for `--include-partial-messages`).
    pub forward_stream_events: bool,
    /// The key for the session's first provider; its `api_key_env` variable when `None`.
    pub api_key: Option<String>,
    /// Replaces the first provider's base URL.
    pub base_url: Option<String>,
    /// The project root; the current directory when `None`.
    pub cwd: Option<PathBuf>,
    /// Where the session keeps files (oversized tool output); a temporary directory when `None`.
    pub session_dir: Option<PathBuf>,
    pub bash_timeout: Duration,
    pub permission_mode: PermissionMode,
    /// Permission rules in config syntax.
    pub allow: Vec<String>,
    pub ask: Vec<String>,
    pub deny: Vec<String>,
    /// The rules of `allow`/`ask`/`deny` given for this session alone (`--allowedTools`, `--disallowedTools`,
    /// `--settings`): they stay in force when `/permissions` removes the same rule from a file.
    pub flag_rules: FlagRules,
    pub additional_directories: Vec<PathBuf>,
    pub approval: ApprovalMode,
    /// The context window in tokens, over the model's metadata; `None` takes the metadata, else 200,000.
    pub context_window: Option<u64>,
    pub retry: RetryPolicy,
    pub stream_idle_timeout: Duration,
    pub session_id: Option<String>,
    /// Prices that take precedence over the built-in list prices (`[prices]`).
    pub prices: Vec<(String, claurst_protocol::ModelPrice)>,
    /// Share of the context window past which the conversation is compacted before the next request;
    /// `None` never compacts automatically.
    pub auto_compact_threshold: Option<f64>,
    /// How shell commands are confined (`[sandbox]`, `--sandbox`).
    pub sandbox: SandboxSettings,
    /// Web search (`[tools.web_search]`): the API's own on Anthropic models, a configured backend elsewhere.
    pub web_search: claurst_config::WebSearchConfig,
    /// Credential-like environment variables the model's commands may still inherit (`[tools] env_passthrough`).
    pub env_passthrough: Vec<String>,
    /// When the model is offered `apply_patch` (`[tools] apply_patch`): OpenAI models by default.
    pub apply_patch: claurst_config::ApplyPatchOffer,
    /// Variables set for the model's commands and hooks (`env` of `--settings`).
    pub env: Vec<(String, String)>,
    /// MCP servers whose tools are offered to the model.
    pub mcp: crate::mcp::McpSettings,
    /// Hooks run at the agent's events (`[hooks]`, Claude Code's settings files).
    pub hooks: crate::hooks::HookSettings,
    /// Custom commands, skills, output styles and sub-agent definitions found at start (`Catalog::load`); none by default.
    pub extensions: Arc<claurst_extensions::Catalog>,
    /// The output style's name (`[ui] output_style`); empty is `default`.
    pub output_style: String,
    /// How the model may delegate to sub-agents (`[agents]`).
    pub agents: AgentSettings,
    /// Language servers for the `lsp` tool and diagnostics after edits (`[lsp]`).
    pub lsp: claurst_config::LspConfig,
    /// The proactive mode, when this session runs it (`--kairos` or `[kairos] enabled`, in a build with the
    /// `proactive` feature); `None` otherwise, and then none of its tools are offered.
    pub kairos: Option<KairosSettings>,
}

/// How KAIROS runs in a session (`[kairos]`, resolved for this project).
#[derive(Debug, Clone, PartialEq)]
pub struct KairosSettings {
    /// How often a tick comes due.
    pub tick_interval: Duration,
    /// A tool call a tick starts that runs longer than this moves to the background.
    pub blocking_budget: Duration,
    /// Ticks that may call the model in any hour.
    pub max_ticks_per_hour: u32,
    /// What ticks may spend in a day (UTC), in US dollars.
    pub daily_budget_usd: f64,
    /// This project's KAIROS folder: `~/.claurst/kairos/<project dir name>/`, holding the daily logs
    /// (`YYYY-MM-DD.log`), the files sent to the user (`files/YYYY-MM-DD/`) and the watched pull requests
    /// (`subscriptions.json`).
    pub dir: PathBuf,
    /// The GitHub REST API `subscribe_pr` talks to (`[kairos] github_api_url`): `https://api.github.com`, or
    /// `https://HOST/api/v3` for GitHub Enterprise.
    pub github_api_url: String,
}

/// `[agents]`: limits on sub-agents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSettings {
    /// Sub-agents of one turn that run at once; more wait for a free slot.
    pub max_parallel: usize,
    /// How deep delegation may go: 1 lets the main conversation start sub-agents that cannot start their own;
    /// 0 offers no `agent` tool at all.
    pub max_depth: u32,
    /// The model of agents that ask for the fast one (`explore`); `None`: the provider's Haiku model, else the
    /// session's.
    pub fast_model: Option<String>,
}

impl Default for AgentSettings {
    fn default() -> Self {
        Self { max_parallel: 6, max_depth: 1, fast_model: None }
    }
}

/// `[sandbox]` plus where the launcher is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SandboxSettings {
    /// `Off` by default for library users; the `claurst` binary passes the configured mode (`auto`).
    pub mode: SandboxMode,
    /// The claurst binary, which confines itself and then runs the command; `None`: no sandbox possible.
    pub launcher: Option<PathBuf>,
    /// Whether approved commands may use the network.
    pub network: bool,
    /// What read-only commands may read besides the system and the project (`~` is the home directory);
    /// `None`: the built-in toolchain folders.
    pub read_paths: Option<Vec<String>>,
}

impl SandboxSettings {
    /// No sandbox: commands run as the user.
    pub fn off() -> Self {
        Self { mode: SandboxMode::Off, launcher: None, network: true, read_paths: None }
    }
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self {
            model: "claude-sonnet-4-5".into(),
            provider: None,
            providers: Vec::new(),
            client: None,
            thinking_budget: None,
            effort: None,
            system_prompt: None,
            system_sections: Vec::new(),
            tools: Vec::new(),
            builtin_tools: None,
            max_tokens: 8192,
            max_turns: None,
            max_budget_usd: None,
            fallback_model: None,
            forward_stream_events: false,
            api_key: None,
            base_url: None,
            cwd: None,
            session_dir: None,
            bash_timeout: Duration::from_secs(30),
            permission_mode: PermissionMode::Default,
            allow: Vec::new(),
            ask: Vec::new(),
            deny: Vec::new(),
            flag_rules: FlagRules::default(),
            additional_directories: Vec::new(),
            approval: ApprovalMode::DenyUnlisted,
            context_window: None,
            retry: RetryPolicy::default(),
            stream_idle_timeout: Duration::from_secs(90),
            session_id: None,
            prices: Vec::new(),
            auto_compact_threshold: Some(0.85),
            sandbox: SandboxSettings::off(),
            web_search: Default::default(),
            env_passthrough: Vec::new(),
            apply_patch: claurst_config::ApplyPatchOffer::Auto,
            env: Vec::new(),
            mcp: Default::default(),
            hooks: Default::default(),
            extensions: Arc::default(),
            output_style: String::new(),
            agents: AgentSettings::default(),
            lsp: claurst_config::LspConfig::default(),
            kairos: None,
        }
    }
}

/// Permission rules in config syntax that came from the command line rather than a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagRules {
    pub allow: Vec<String>,
    pub ask: Vec<String>,
    pub deny: Vec<String>,
}
