//! Claurst's tools for callers other than the agent loop (`claurst mcp serve`): the registry, permission
//! engine and shell sandbox an agent session would build from the same configuration, and nothing else (no
//! model, no conversation).

use crate::config::AgentConfig;
use crate::error::AgentError;
use claurst_lsp::{DiagnosticsAfterEdit, LspManager, LspTool};
use claurst_permissions::PermissionEngine;
use claurst_tools::{ApplyPatchTool, ReadFilter, ShellSandbox, ToolContext, ToolRegistry};
use std::path::PathBuf;
use std::sync::Arc;

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
    Ok(ServedTools {
        tools: setup.tools,
        permissions: setup.permissions,
        sandbox_notice: setup.sandbox.unavailable_notice(),
        scratch: setup.scratch,
    })
}

/// What an agent and `served_tools` both build from a configuration: one set-up, so the tools served over MCP
/// are judged and confined exactly as a session's.
pub(crate) struct ToolSetup {
    pub(crate) tools: ToolRegistry,
    pub(crate) permissions: PermissionEngine,
    pub(crate) project_root: PathBuf,
    /// Where large tool output is saved.
    pub(crate) tool_output: PathBuf,
    pub(crate) sandbox: ShellSandbox,
    pub(crate) scratch: Option<tempfile::TempDir>,
    /// The language servers behind the `lsp` tool (and diagnostics after edits); none run until used.
    pub(crate) lsp: Arc<LspManager>,
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
    // The walking tools skip what a deny rule forbids to read; deny rules never change mid-session.
    let deny_rules = permissions.clone();
    let read_filter = ReadFilter::new(move |path| deny_rules.denies_read(path));
    let lsp = Arc::new(LspManager::new(&project_root, config.lsp.clone()));
    let mut context = ToolContext::new(&project_root, session_dir, config.bash_timeout)
        .with_read_filter(read_filter)
        .with_shell_sandbox(sandbox.clone());
    if config.lsp.diagnostics_after_edit {
        context = context.with_edit_observer(Arc::new(DiagnosticsAfterEdit::new(Arc::clone(&lsp))));
    }
    let context = Arc::new(context);
    let mut registry = ToolRegistry::standard(Arc::clone(&context));
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
    let tools = crate::agent::setup::select_tools(registry, &config.tools)?;
    Ok(ToolSetup { tools, permissions, project_root, tool_output, sandbox, scratch, lsp })
}
