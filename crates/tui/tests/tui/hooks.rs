//! Hooks in the interface: the trust question about the project's hooks, and `/hooks`.

use crate::key_ops as key;
use crate::{app, assert_screen, screen};
use claurst_protocol::{
    AgentEvent, HookEvent, HookView, McpServerStatus, McpServerView, Op, ReportKind, SessionInfo,
};
use claurst_tui::App;
use crossterm::event::KeyCode;

fn hooks() -> Vec<HookView> {
    vec![
        HookView {
            event: HookEvent::PreToolUse,
            matcher: "Bash".into(),
            command: "python3 .claude/hooks/check_command.py --deny rm --deny 'git push --force'".into(),
            source: "project (.claude/settings.json)".into(),
            runs: false,
        },
        HookView {
            event: HookEvent::PostToolUse,
            matcher: "Edit|Write".into(),
            command: "cargo fmt".into(),
            source: "project (.claurst.toml)".into(),
            runs: false,
        },
    ]
}

fn started(app: &mut App, hooks: Vec<HookView>, mcp_servers: Vec<McpServerView>) {
    app.handle_agent_event(AgentEvent::SessionStarted(SessionInfo {
        mcp_servers,
        hooks_awaiting_approval: hooks,
        ..crate::session_info()
    }));
}

#[test]
fn project_hooks_awaiting_approval_ask_once_with_every_command() {
    let mut app = app();
    started(&mut app, hooks(), Vec::new());
    assert_screen!("hooks_trust_dialog", screen(&mut app, 80, 24));
    assert_eq!(
        key(&mut app, KeyCode::Char('y')),
        [Op::TrustProjectHooks { choice: claurst_protocol::TrustChoice::Approve }]
    );
    // A new session start (after /clear) does not ask again in this session.
    started(&mut app, hooks(), Vec::new());
    for character in "hi".chars() {
        key(&mut app, KeyCode::Char(character));
    }
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::Prompt { text: "hi".into() }], "no dialog left");
}

#[test]
fn the_hooks_question_comes_before_the_mcp_servers_and_deny_is_sent() {
    let mut app = app();
    let server = McpServerView {
        name: "repo-tools".into(),
        scope: "project (.mcp.json)".into(),
        target: "python3 tools/mcp_server.py".into(),
        status: McpServerStatus::NeedsApproval,
        tools: Vec::new(),
        prompts: Vec::new(),
        resources: Vec::new(),
    };
    started(&mut app, hooks(), vec![server]);
    assert_eq!(
        key(&mut app, KeyCode::Char('n')),
        [Op::TrustProjectHooks { choice: claurst_protocol::TrustChoice::Deny }]
    );
    assert_eq!(
        key(&mut app, KeyCode::Char('n')),
        [Op::Mcp(claurst_protocol::McpRequest::Trust {
            server: "repo-tools".into(),
            choice: claurst_protocol::TrustChoice::Deny
        })]
    );
}

#[test]
fn slash_hooks_asks_for_the_report_and_shows_it() {
    let mut app = app();
    for character in "/hooks".chars() {
        key(&mut app, KeyCode::Char(character));
    }
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::Report(ReportKind::Hooks)]);
    // The text as the session writes it: one line per hook.
    let mut text = String::from("Hooks:");
    for hook in hooks() {
        text.push_str(&format!("\n  {} (not approved: does not run)", hook.describe()));
    }
    app.handle_agent_event(AgentEvent::Report { kind: ReportKind::Hooks, text });
    assert_screen!("hooks_report", screen(&mut app, 100, 20));
}
