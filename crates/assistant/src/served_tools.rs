//! Claurst's tools for callers other than the agent loop (`claurst mcp serve`): the registry, permission
//! engine and shell sandbox an agent session would build from the same configuration, and nothing else (no
//! model, no conversation).

use crate::config::AgentConfig;
use crate::error::AgentError;
use claurst_lsp::{DiagnosticsAfterEdit, LspManager, LspTool};
use claurst_permissions::PermissionEngine;
use claurst_tools::{ApplyPatchTool, ReadFilter, ShellSandbox, ToolContext, ToolRegistry};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The tools and the engine that judges every call to them, set up as an agent session sets up its own.
pub struct ServedTools {
    pub tools: ToolRegistry,
    pub permissions: PermissionEngine,
    /// Why shell commands cannot be sandboxed as configured, when they cannot.
    pub sandbox_notice: Option<String>,
    /// The temporary session folder (large tool output is saved there) when `config.session_dir` named
    /// none. Dropping it deletes the folder: keep it as long as the tools are served.
    pub scratch: Option<tempfile::TempDir>,
}

/// The tools an agent built from `config` would offer, with its permission engine and shell sandbox.
/// `config.tools`, when not empty, selects tools by name as it does for an agent.
pub fn served_tools(config: &AgentConfig) -> Result<ServedTools, AgentError> {
    let setup = tool_setup(config)?;
    // Nothing moves the served tools' workspace, so the engine's state now is the one the filter sees.
    let permissions = setup
        .permissions
        .lock()
        .map(|engine| engine.clone())
        .map_err(|_| AgentError::Setup("the permission engine is poisoned".into()))?;
    Ok(ServedTools {
        tools: setup.tools,
        permissions,
        sandbox_notice: setup.sandbox.unavailable_notice(),
        scratch: setup.scratch,
    })
}

/// What an agent and `served_tools` both build from a configuration: one set-up, so the tools served over MCP
/// are judged and confined exactly as a session's.
pub(crate) struct ToolSetup {
    pub(crate) tools: ToolRegistry,
    /// The session's engine, shared with the walking tools' read filter so that it judges with the rules
    /// and the workspace of the moment (a `/permissions` edit, a worktree the session moved to).
    pub(crate) permissions: Arc<Mutex<PermissionEngine>>,
    pub(crate) project_root: PathBuf,
    /// Where large tool output is saved.
    pub(crate) tool_output: PathBuf,
    pub(crate) sandbox: ShellSandbox,
    pub(crate) scratch: Option<tempfile::TempDir>,
    /// The language servers behind the `lsp` tool (and diagnostics after edits); none run until used.
    pub(crate) lsp: Arc<LspManager>,
    /// What the tools share; the agent moves it into a worktree.
    pub(crate) context: Arc<ToolContext>,
    /// The watched pull requests when KAIROS runs: the same instance `subscribe_pr`/`unsubscribe_pr` change,
    /// for the tick engine to poll.
    #[cfg(feature = "proactive")]
    pub(crate) pull_requests: Option<Arc<crate::kairos::pull_requests::PullRequestWatch>>,
}

pub(crate) fn tool_setup(config: &AgentConfig) -> Result<ToolSetup, AgentError> {
    let project_root = crate::agent::setup::project_root(config)?;
    let (session_dir, scratch) = crate::agent::setup::session_dir(config)?;
    let tool_output = session_dir.join("tool-output");
    let sandbox = crate::sandbox::shell_sandbox(config, &project_root, &session_dir);
    let permissions = crate::tool_calls::permission_engine(
        config,
        &project_root,
        &tool_output,
        sandbox.auto_approves_read_only(),
    )?;
    // The walking tools skip what a deny rule forbids to read, asking the live engine: rules and the
    // workspace root can change mid-session. A poisoned engine denies everything.
    let permissions = Arc::new(Mutex::new(permissions));
    let live = Arc::clone(&permissions);
    let read_filter =
        ReadFilter::new(move |path| live.lock().map(|engine| engine.denies_read(path)).unwrap_or(true));
    let lsp = Arc::new(LspManager::new(&project_root, config.lsp.clone()));
    let mut context = ToolContext::new(&project_root, session_dir, config.bash_timeout)
        .with_read_filter(read_filter)
        .with_shell_sandbox(sandbox.clone());
    if config.lsp.diagnostics_after_edit {
        context = context.with_edit_observer(Arc::new(DiagnosticsAfterEdit::new(Arc::clone(&lsp))));
    }
    let context = Arc::new(context);
    let mut registry = ToolRegistry::standard(Arc::clone(&context));
    let shared_context = Arc::clone(&context);
    // `[tools] apply_patch` decides which models are offered the patch tool.
    registry.register(Box::new(ApplyPatchTool::new(Arc::clone(&context)).offered_as(config.apply_patch)));
    // KAIROS's own tools, offered only to a session that runs it.
    #[cfg(feature = "proactive")]
    if let Some(kairos) = &config.kairos {
        let tool = crate::kairos::SendUserFileTool::new(Arc::clone(&context), kairos.dir.clone());
        registry.register(Box::new(tool));
    }
    registry.register(Box::new(LspTool::new(context, Arc::clone(&lsp))));
    if let Some(search) = crate::web_search::client_tool(&config.web_search) {
        registry.register(search);
    }
    #[cfg(feature = "proactive")]
    let pull_requests = pull_request_tools(config, &mut registry);
    let tools = crate::agent::setup::select_tools(registry, &config.tools)?;
    Ok(ToolSetup {
        tools,
        permissions,
        project_root,
        tool_output,
        sandbox,
        scratch,
        lsp,
        context: shared_context,
        #[cfg(feature = "proactive")]
        pull_requests,
    })
}

/// When KAIROS runs, `subscribe_pr` and `unsubscribe_pr` over one watch of the project's pull requests,
/// which is returned for the tick engine.
#[cfg(feature = "proactive")]
fn pull_request_tools(
    config: &AgentConfig,
    registry: &mut ToolRegistry,
) -> Option<Arc<crate::kairos::pull_requests::PullRequestWatch>> {
    use crate::kairos::pull_requests::{PullRequestWatch, SubscribePrTool, TokenSource, UnsubscribePrTool};
    let kairos = config.kairos.as_ref()?;
    let watch = PullRequestWatch::open(&kairos.dir, &kairos.github_api_url, TokenSource::standard());
    registry.register(Box::new(SubscribePrTool::new(Arc::clone(&watch), &kairos.github_api_url)));
    registry.register(Box::new(UnsubscribePrTool::new(Arc::clone(&watch))));
    Some(watch)
}
