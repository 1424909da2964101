//! The interactive session: the agent as a task, the full-screen interface in front of it.

use crate::args::Args;
use crate::memory::RecordWriter;
use crate::session::SessionContext;
use crate::sessions::Start;
use anyhow::Result;
use claurst_assistant::{Agent, spawn_session_with};
use claurst_config::LoadedConfig;
use claurst_tui::TuiOptions;
use std::path::Path;
use std::process::ExitCode;

pub async fn run(
    agent: Agent,
    context: SessionContext,
    mut start: Start,
    options: TuiOptions,
) -> Result<ExitCode> {
    let mut session_options = context.options(&mut start, true);
    // Server processes start once the first frame is on screen, not in competition with it.
    session_options.mcp_start = claurst_assistant::McpStart::WhenFrontEndReady;
    let session = spawn_session_with(agent, start.conversation, session_options);
    let result = claurst_tui::run(options, session.ops, session.events).await;
    // The interface sent Shutdown on its way out and gave the terminal back; now the session's notes are saved.
    if let Ok(conversation) = session.finished.await {
        let session_id = conversation.transcript().map(|t| t.session_id()).unwrap_or_default();
        context.finish(&session_id, &conversation, RecordWriter::Model).await;
        // The terminal is the user's again: say how to come back, when there is something to come back to.
        if !session_id.is_empty() && !conversation.messages().is_empty() {
            println!("Resume this session with: claurst -r {session_id}");
        }
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

/// What the interface needs to know, from flags and configuration.
pub fn options(args: &Args, loaded: &LoadedConfig, agent: &claurst_assistant::Agent) -> TuiOptions {
    let config = &loaded.config;
    TuiOptions {
        project_root: loaded.project_root.clone(),
        display_cwd: display_path(&loaded.project_root, loaded.paths.home()),
        git_branch: git_branch(&loaded.project_root),
        model: agent.model(),
        thinking: agent.thinking_budget(),
        thinking_budget: config.api.thinking_budget,
        models: agent
            .providers()
            .iter()
            .map(|provider| claurst_tui::ProviderModels {
                provider: provider.name.clone(),
                models: provider
                    .models
                    .iter()
                    .map(|model| claurst_assistant::model_label(&provider.name, &model.id))
                    .collect(),
            })
            .collect(),
        permission_mode: config.tools.permission_mode,
        sandbox_mode: config.sandbox.mode,
        context_window: agent.context_window_in_use(),
        history_file: Some(loaded.paths.claurst_dir().join("history.jsonl")),
        initial_prompt: args.prompt.clone().filter(|prompt| !prompt.trim().is_empty()),
        config_lines: config_lines(loaded),
        auto_dream: config.memory.auto_dream,
        vim: config.ui.editor_mode == claurst_config::EditorMode::Vim,
        statusline: config.ui.statusline.clone(),
        warnings: loaded.warnings.clone(),
        pick_session: false,
        notifications: claurst_tui::NotifySettings::from_config(
            &config.ui.notifications,
            config.ui.notify_after_secs,
            std::env::var("TERM_PROGRAM").ok().as_deref(),
        ),
        welcome: true,
        version: env!("CARGO_PKG_VERSION").to_string(),
        #[cfg(feature = "buddy")]
        companion: None,
        theme: claurst_tui::ThemeName::parse(&config.ui.theme).unwrap_or_default(),
    }
}

/// `~/code/app` for a path under the home directory.
fn display_path(path: &Path, home: &Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) if rest.as_os_str().is_empty() => "~".into(),
        Ok(rest) => format!("~/{}", rest.display()),
        Err(_) => path.display().to_string(),
    }
}

/// The checked-out branch, read from `.git/HEAD` (no git process at start-up).
fn git_branch(root: &Path) -> Option<String> {
    let git = root.ancestors().map(|dir| dir.join(".git")).find(|git| git.exists())?;
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    match head.trim().strip_prefix("ref: refs/heads/") {
        Some(branch) => Some(branch.to_string()),
        None => Some(head.trim().chars().take(8).collect()),
    }
}

fn config_lines(loaded: &LoadedConfig) -> Vec<String> {
    let config = &loaded.config;
    let mut lines = Vec::new();
    if loaded.files.is_empty() {
        lines.push("Files: none (built-in defaults)".to_string());
    } else {
        lines.push("Files, later overriding earlier:".to_string());
        lines.extend(loaded.files.iter().map(|file| format!("  {}", file.display())));
    }
    lines.push(format!(
        "[api] model = {} · max_tokens = {} · base_url = {}",
        config.api.model, config.api.max_tokens, config.api.base_url
    ));
    lines.push(format!(
        "[tools] permission_mode = {} · bash_timeout_secs = {}",
        config.tools.permission_mode, config.tools.bash_timeout_secs
    ));
    lines.push(format!(
        "[memory] memory_dir = {} · auto_dream = {}",
        config.memory.memory_dir.display(),
        config.memory.auto_dream
    ));
    lines.push(format!("[session] auto_compact_threshold = {}", config.session.auto_compact_threshold));
    lines.push(format!("[sandbox] mode = {} · network = {}", config.sandbox.mode, config.sandbox.network));
    lines.push(format!("Logs: {}", loaded.paths.logs_dir().join("claurst.log").display()));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_shown_as_tilde() {
        assert_eq!(display_path(Path::new("/home/ada/code/app"), Path::new("/home/ada")), "~/code/app");
        assert_eq!(display_path(Path::new("/srv/app"), Path::new("/home/ada")), "/srv/app");
    }

    #[test]
    fn reads_the_branch_from_head() {
        let dir = std::env::temp_dir().join(format!("claurst-branch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/feature/x\n").unwrap();
        assert_eq!(git_branch(&dir).as_deref(), Some("feature/x"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
