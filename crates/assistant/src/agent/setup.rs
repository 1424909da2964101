//! Building an agent from its configuration: the model client, the tools, MCP servers, hooks, skills and
//! the system prompt, or an agent that reports why it could not be built.

use super::{Agent, Current, SetupError};
use crate::config::AgentConfig;
use crate::error::AgentError;
use crate::system_prompt::SystemPrompt;
use claurst_api::ApiError;
use claurst_permissions::PermissionEngine;
use claurst_protocol::PermissionMode;
use claurst_tools::ToolRegistry;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What building an agent does when the provider's key is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MissingKey {
    Fails,
    ReportedByRuns,
}

impl Agent {
    /// An agent set up from `config`. Problems (no API key, a bad rule) are reported by the first `run`;
    /// use [`Agent::try_new`] to learn of them at once.
    pub fn new(config: AgentConfig) -> Self {
        match Self::try_new(config.clone()) {
            Ok(agent) => agent,
            Err(error) => {
                tracing::warn!(%error, "agent set-up failed; runs will report it");
                let reason = match error {
                    AgentError::Api(ApiError::MissingProviderKey { provider, env }) => {
                        SetupError::MissingKey { provider, env }
                    }
                    other => SetupError::Other(other.to_string()),
                };
                Self::unready(config, reason)
            }
        }
    }

    /// An agent set up from `config`, or why it cannot be.
    pub fn try_new(config: AgentConfig) -> Result<Self, AgentError> {
        Self::build(config, MissingKey::Fails)
    }

    /// Like [`Agent::try_new`], except that a missing API key is no error here: the agent is whole (tools,
    /// session facts) and each run reports the missing key as its outcome. For front-ends that print every
    /// failure as a result a program reads (headless JSON output).
    pub fn try_new_reporting_missing_key(config: AgentConfig) -> Result<Self, AgentError> {
        Self::build(config, MissingKey::ReportedByRuns)
    }

    fn build(config: AgentConfig, missing_key: MissingKey) -> Result<Self, AgentError> {
        let first = crate::provider::initial_provider(&config);
        let selection =
            crate::provider::select(&config.model, &first, &crate::provider::known_providers(&config));
        let (client, setup_error) = match crate::provider::connect(&config, &selection.provider) {
            Ok(client) => (Some(client), None),
            Err(ApiError::MissingProviderKey { provider, env })
                if missing_key == MissingKey::ReportedByRuns =>
            {
                (None, Some(SetupError::MissingKey { provider, env }))
            }
            Err(error) => return Err(error.into()),
        };
        let crate::served_tools::ToolSetup {
            mut tools,
            permissions,
            project_root,
            tool_output,
            sandbox,
            scratch,
            lsp,
            context,
            // The tick engine polls this watch; `subscribe_pr` already holds it.
            #[cfg(feature = "proactive")]
            pull_requests,
        } = crate::served_tools::tool_setup(&config)?;
        let sandbox_notice = sandbox.unavailable_notice();
        let namespace_check = sandbox.namespace_check();
        let shell_sandbox = sandbox.clone();
        // MCP servers come with the full tool set only: an agent given a fixed tool list (a planner, a
        // sub-agent) gets exactly that list.
        let mcp = if config.tools.is_empty() {
            crate::mcp::SessionMcp::new(config.mcp.clone(), &project_root, &tool_output)
        } else {
            None
        };
        if let Some(mcp) = &mcp {
            tools.add_source(mcp.manager.clone());
        }
        // Delegation too comes with the full tool set only, and not at all when `[agents] max_depth` is 0.
        let agent_types = Arc::new(crate::subagents::AgentTypes::new(config.extensions.agents.clone()));
        if config.tools.is_empty() && config.agents.max_depth > 0 {
            tools.add_source(agent_types.clone());
        }
        let mut hook_warnings = Vec::new();
        let hooks =
            crate::hooks::SessionHooks::new(config.hooks.clone(), &project_root, sandbox, &mut hook_warnings);
        let mut sections = config.system_sections.clone();
        // Skills come with the full tool set only, as MCP servers do.
        if config.tools.is_empty() && !config.extensions.skills.is_empty() {
            tools.register(Box::new(claurst_extensions::skills::SkillTool::new(
                config.extensions.skills.clone(),
            )));
            sections.extend(claurst_extensions::skills::system_section(&config.extensions.skills));
        }
        let system = SystemPrompt::new(config.system_prompt.as_deref(), &sections);
        let (style, style_notice) = crate::output_style::initial_style(&config);
        let mut startup_notices = config.extensions.notices.clone();
        startup_notices.extend(style_notice);
        Ok(Self {
            session_id: Mutex::new(
                config.session_id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            ),
            current: Mutex::new(Current { selection, client }),
            thinking: Mutex::new(config.thinking_budget.filter(|budget| *budget > 0)),
            project_root,
            system,
            environment: Arc::default(),
            tools,
            permissions,
            run_permissions: Mutex::new(None),
            agent_types,
            style: Mutex::new(style),
            startup_notices,
            setup_error,
            sandbox_notice,
            namespace_check,
            shell_sandbox: Some(shell_sandbox),
            outside_sandbox_questions: tokio::sync::Mutex::new(()),
            mcp,
            lsp: Some(lsp),
            hooks,
            program_hooks: crate::hook_callbacks::ProgramHooks::new(config.hooks.callbacks.clone()),
            session_context: Mutex::new(Vec::new()),
            transcript_path: Mutex::new(None),
            hook_warnings,
            checkpoints: Default::default(),
            tool_context: Some(context),
            entered_worktree: Mutex::new(None),
            #[cfg(feature = "proactive")]
            tick_budget: Mutex::new(None),
            #[cfg(feature = "proactive")]
            pull_requests,
            config,
            _scratch: scratch,
        })
    }

    /// An agent whose runs fail with the set-up error, for `new`'s infallible contract. It offers no tools
    /// and allows nothing.
    fn unready(config: AgentConfig, reason: SetupError) -> Self {
        let scratch = tempfile::tempdir().ok();
        let root = scratch.as_ref().map(|dir| dir.path().to_path_buf()).unwrap_or_else(std::env::temp_dir);
        let policy = claurst_permissions::PermissionPolicy {
            mode: PermissionMode::DontAsk,
            project_root: root.clone(),
            ..Default::default()
        };
        Self {
            session_id: Mutex::new(uuid::Uuid::new_v4().to_string()),
            current: Mutex::new(Current {
                selection: crate::provider::select(
                    &config.model,
                    &crate::provider::initial_provider(&config),
                    &crate::provider::known_providers(&config),
                ),
                client: None,
            }),
            thinking: Mutex::new(None),
            system: SystemPrompt::default(),
            environment: Arc::default(),
            tools: ToolRegistry::new(),
            permissions: Arc::new(Mutex::new(
                PermissionEngine::new(policy)
                    .expect("a policy without rules over an empty directory always compiles"),
            )),
            run_permissions: Mutex::new(None),
            agent_types: Arc::new(crate::subagents::AgentTypes::new(Vec::new())),
            style: Mutex::new(Default::default()),
            startup_notices: Vec::new(),
            project_root: root,
            setup_error: Some(reason),
            sandbox_notice: None,
            namespace_check: Default::default(),
            shell_sandbox: None,
            outside_sandbox_questions: tokio::sync::Mutex::new(()),
            mcp: None,
            lsp: None,
            hooks: None,
            program_hooks: crate::hook_callbacks::ProgramHooks::new(None),
            session_context: Mutex::new(Vec::new()),
            transcript_path: Mutex::new(None),
            hook_warnings: Vec::new(),
            checkpoints: Default::default(),
            tool_context: None,
            entered_worktree: Mutex::new(None),
            #[cfg(feature = "proactive")]
            tick_budget: Mutex::new(None),
            #[cfg(feature = "proactive")]
            pull_requests: None,
            config,
            _scratch: scratch,
        }
    }
}

/// The project root: `config.cwd`, else the current directory.
pub(crate) fn project_root(config: &AgentConfig) -> Result<PathBuf, AgentError> {
    match &config.cwd {
        Some(dir) => Ok(dir.clone()),
        None => std::env::current_dir().map_err(|source| AgentError::SessionDir { path: ".".into(), source }),
    }
}

pub(crate) fn session_dir(config: &AgentConfig) -> Result<(PathBuf, Option<tempfile::TempDir>), AgentError> {
    match &config.session_dir {
        Some(dir) => Ok((dir.clone(), None)),
        None => {
            let scratch =
                tempfile::Builder::new().prefix("claurst-session-").tempdir().map_err(|source| {
                    AgentError::SessionDir { path: std::env::temp_dir().display().to_string(), source }
                })?;
            Ok((scratch.path().to_path_buf(), Some(scratch)))
        }
    }
}

pub(crate) fn select_tools(
    mut registry: ToolRegistry,
    names: &[&'static str],
) -> Result<ToolRegistry, AgentError> {
    if names.is_empty() {
        return Ok(registry);
    }
    let available = registry.names().join(", ");
    match registry.retain_named(names).into_iter().next() {
        Some(unknown) => Err(AgentError::UnknownTool(unknown, available)),
        None => Ok(registry),
    }
}
