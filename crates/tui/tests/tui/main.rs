//! Every distinct state of the interface, drawn through ratatui's TestBackend and kept as snapshots.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod agents;
#[cfg(feature = "buddy")]
mod companion;
mod diffs;
mod extensions;
mod hooks;
mod images;
mod info;
mod interact;
#[cfg(feature = "proactive")]
mod kairos;
mod keys;
mod mcp;
mod patch_tools;
mod rewind;
mod run_control;
mod settings;
mod states;
mod web_search;

use claurst_protocol::{AgentEvent, PermissionMode, SessionInfo};
use claurst_tui::{App, FileIndex, Theme, TuiOptions, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A tool call described by the built-in tool of that name, as the agent describes the calls it reports.
pub fn call(id: &str, name: &str, input: serde_json::Value) -> claurst_protocol::ToolCallView {
    let context = std::sync::Arc::new(claurst_tools::ToolContext::new(
        "/work/app",
        "/tmp/claurst-tui-tests",
        std::time::Duration::from_secs(1),
    ));
    claurst_tools::ToolRegistry::standard(context).snapshot().describe(id, name, &input)
}

/// What a plain session reports at start; tests change what they need with `..session_info()`.
pub fn session_info() -> SessionInfo {
    SessionInfo {
        session_id: "0f6c2a".into(),
        model: "claude-sonnet-4-5".into(),
        cwd: "/work/app".into(),
        tools: vec!["bash".into()],
        permission_mode: PermissionMode::Default,
        mcp_servers: Vec::new(),
        hooks_awaiting_approval: Vec::new(),
        commands: Vec::new(),
        output_styles: Vec::new(),
        output_style: "default".into(),
        agents: Vec::new(),
    }
}

/// Press a key; the ops it sends to the agent.
pub fn key_ops(app: &mut App, code: crossterm::event::KeyCode) -> Vec<claurst_protocol::Op> {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    app.handle_terminal_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
        .0
        .into_iter()
        .filter_map(|effect| match effect {
            claurst_tui::Effect::Send(op) => Some(op),
            _ => None,
        })
        .collect()
}

/// The text of every notice the app shows, joined.
pub fn notices(app: &App) -> String {
    app.transcript()
        .cells()
        .filter_map(|cell| match cell {
            claurst_tui::transcript::Cell::Notice { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Type `text` key by key.
pub fn type_keys(app: &mut App, text: &str) {
    for character in text.chars() {
        key_ops(app, crossterm::event::KeyCode::Char(character));
    }
}

pub fn options() -> TuiOptions {
    TuiOptions {
        project_root: "/work/app".into(),
        display_cwd: "~/app".into(),
        git_branch: Some("main".into()),
        model: "claude-sonnet-4-5".into(),
        permission_mode: PermissionMode::Default,
        context_window: 200_000,
        ..TuiOptions::default()
    }
}

pub fn app() -> App {
    claurst_tui::markdown::highlight::load_now();
    let files = FileIndex::from_files(vec![
        "Cargo.toml".into(),
        "src/main.rs".into(),
        "src/lib.rs".into(),
        "README.md".into(),
    ]);
    let mut app = App::new(&options(), Theme::monochrome(), files);
    app.handle_agent_event(AgentEvent::SessionStarted(session_info()));
    app
}

/// The screen as text, with clock-dependent parts (spinners, elapsed seconds) made stable.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(frame, app)).unwrap();
    terminal.backend().to_string()
}

#[macro_export]
macro_rules! assert_screen {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({filters => vec![
            (r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]", "*"),
            (r"\d+\.\ds", "N.Ns"),
            (r"Working… \d+s", "Working… Ns"),
        ]}, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

/// A run that ended well.
pub fn states_finish(app: &mut App) {
    run_finished(app, claurst_protocol::RunOutcome::Success);
}

/// A run that ended with `outcome`.
pub fn run_finished(app: &mut App, outcome: claurst_protocol::RunOutcome) {
    app.handle_agent_event(AgentEvent::RunFinished(claurst_protocol::RunSummary {
        outcome,
        final_text: String::new(),
        num_turns: 1,
        duration_ms: 10,
        duration_api_ms: 5,
        total_cost_usd: 0.0,
        usage: claurst_protocol::Usage::default(),
        session_id: "0f6c2a".into(),
        permission_denials: vec![],
        model_usage: vec![],
    }));
}
