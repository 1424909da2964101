//! MCP servers in the interface: the trust dialog, `/mcp`, prompts as commands, resources as mentions.

use crate::{app, assert_screen, notices, screen};
use crate::{key_ops as key, type_keys as type_text};
use claurst_protocol::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, McpPromptView, McpRequest,
    McpServerStatus, McpServerView, Op,
};
use claurst_tui::App;
use crossterm::event::{Event, KeyCode};
use serde_json::json;

fn server(name: &str, status: McpServerStatus) -> McpServerView {
    McpServerView {
        name: name.into(),
        scope: "user (~/.claurst/config.toml)".into(),
        target: format!("npx -y @acme/{name}-server"),
        status,
        tools: Vec::new(),
        prompts: Vec::new(),
        resources: Vec::new(),
    }
}

fn project_server() -> McpServerView {
    McpServerView {
        scope: "project (.mcp.json)".into(),
        target: "python3 tools/mcp_server.py --db ./data/app.sqlite --allow-writes --log-level debug".into(),
        ..server("repo-tools", McpServerStatus::NeedsApproval)
    }
}

fn github() -> McpServerView {
    McpServerView {
        tools: vec!["mcp__github__create_issue".into(), "mcp__github__search_code".into()],
        prompts: vec![McpPromptView {
            name: "review".into(),
            description: "Review a pull request".into(),
            arguments: vec![("pr".into(), true), ("focus".into(), false)],
        }],
        resources: vec![("repo://acme/app/README.md".into(), "Project readme".into())],
        ..server("github", McpServerStatus::Ready)
    }
}

fn every_status() -> Vec<McpServerView> {
    vec![
        github(),
        server("db", McpServerStatus::Starting),
        server(
            "browser",
            McpServerStatus::Failed { reason: "exited with status 1 before initialize".into() },
        ),
        McpServerView { status: McpServerStatus::Denied, ..project_server() },
        server("search", McpServerStatus::Disabled),
        McpServerView { name: "linter".into(), ..project_server() },
    ]
}

fn report(app: &mut App, servers: Vec<McpServerView>) {
    app.handle_agent_event(AgentEvent::McpServers(servers));
}

#[test]
fn a_project_server_awaiting_approval_asks_with_its_command_line() {
    let mut app = app();
    report(&mut app, vec![github(), project_server()]);
    assert_screen!("mcp_trust_dialog", screen(&mut app, 80, 24));
}

#[test]
fn trust_answers_are_sent_once_and_deciding_later_sends_nothing() {
    let mut app = app();
    let second = McpServerView { name: "second".into(), ..project_server() };
    let third = McpServerView { name: "third".into(), ..project_server() };
    report(&mut app, vec![project_server(), second.clone(), third.clone()]);
    assert_eq!(
        key(&mut app, KeyCode::Char('y')),
        [Op::Mcp(McpRequest::Trust {
            server: "repo-tools".into(),
            choice: claurst_protocol::TrustChoice::Approve
        })]
    );
    // The same report again (the agent has not caught up yet) asks nothing new.
    report(&mut app, vec![project_server(), second.clone(), third.clone()]);
    assert_eq!(
        key(&mut app, KeyCode::Esc),
        [Op::Mcp(McpRequest::Trust { server: "second".into(), choice: claurst_protocol::TrustChoice::Deny })]
    );
    assert!(key(&mut app, KeyCode::Char('d')).is_empty(), "decide later is not remembered");
    report(&mut app, vec![project_server(), second, third]);
    type_text(&mut app, "hi");
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::Prompt { text: "hi".into() }], "no dialog left");
}

#[test]
fn enter_takes_the_highlighted_choice_and_a_settled_server_is_not_asked() {
    let mut app = app();
    let other = McpServerView { name: "other".into(), ..project_server() };
    report(&mut app, vec![project_server(), other.clone()]);
    key(&mut app, KeyCode::Down);
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Op::Mcp(McpRequest::Trust {
            server: "repo-tools".into(),
            choice: claurst_protocol::TrustChoice::Deny
        })]
    );
    // Approved meanwhile (another front-end, or `/mcp`): its queued question goes away.
    report(&mut app, vec![McpServerView { status: McpServerStatus::Starting, ..other }]);
    type_text(&mut app, "hi");
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::Prompt { text: "hi".into() }]);
}

#[test]
fn a_tool_approval_keeps_the_keys_before_a_trust_question() {
    let mut app = app();
    let (responder, mut answer) = ApprovalResponder::channel();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "go".into() });
    app.handle_agent_event(AgentEvent::ApprovalRequested(ApprovalRequest {
        call: crate::call("t1", "bash", json!({"command": "ls"})),
        title: "Run ls".into(),
        detail: ApprovalDetail::Command { command: "ls".into() },
        suggested_rule: "bash(ls)".into(),
        responder,
    }));
    report(&mut app, vec![project_server()]);
    assert!(key(&mut app, KeyCode::Char('y')).is_empty(), "the y answers the tool approval");
    assert_eq!(answer.try_recv().ok(), Some(claurst_protocol::Decision::AllowOnce));
    assert_eq!(
        key(&mut app, KeyCode::Char('n')),
        [Op::Mcp(McpRequest::Trust {
            server: "repo-tools".into(),
            choice: claurst_protocol::TrustChoice::Deny
        })]
    );
}

#[test]
fn the_mcp_panel_lists_every_status_and_expands_a_server() {
    let mut app = app();
    report(&mut app, every_status());
    // Answer the two trust questions later, so the panel shows.
    key(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "/mcp");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_screen!("mcp_panel", screen(&mut app, 90, 30));
}

#[test]
fn the_mcp_panel_follows_reports_while_open() {
    let mut app = app();
    report(&mut app, vec![server("db", McpServerStatus::Starting)]);
    type_text(&mut app, "/mcp");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 16).contains("db · starting…"));
    report(
        &mut app,
        vec![McpServerView { tools: vec!["mcp__db__query".into()], ..server("db", McpServerStatus::Ready) }],
    );
    assert!(screen(&mut app, 80, 16).contains("db · ready · 1 tool"));
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert!(!screen(&mut app, 80, 16).contains("MCP servers"), "esc closes the panel");
}

#[test]
fn the_mcp_panel_keys_send_requests_for_the_selected_server() {
    let mut app = app();
    report(&mut app, every_status());
    key(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "/mcp");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        key(&mut app, KeyCode::Char('r')),
        [Op::Mcp(McpRequest::Reconnect { server: "github".into() })]
    );
    assert_eq!(
        key(&mut app, KeyCode::Char('e')),
        [Op::Mcp(McpRequest::SetEnabled { server: "github".into(), enabled: false })]
    );
    assert!(key(&mut app, KeyCode::Char('a')).is_empty(), "a ready server needs no approval");
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(
        key(&mut app, KeyCode::Char('a')),
        [Op::Mcp(McpRequest::Trust {
            server: "repo-tools".into(),
            choice: claurst_protocol::TrustChoice::Approve
        })]
    );
    key(&mut app, KeyCode::Down);
    assert_eq!(
        key(&mut app, KeyCode::Char(' ')),
        [Op::Mcp(McpRequest::SetEnabled { server: "search".into(), enabled: true })]
    );
}

#[test]
fn without_servers_the_mcp_panel_says_how_to_add_one() {
    let mut app = app();
    type_text(&mut app, "/mcp");
    key(&mut app, KeyCode::Enter);
    assert_screen!("mcp_panel_empty", screen(&mut app, 80, 20));
}

#[test]
fn the_status_line_counts_ready_servers_and_warns_on_trouble() {
    let mut app = app();
    report(&mut app, vec![github(), server("browser", McpServerStatus::Failed { reason: "gone".into() })]);
    let wide = screen(&mut app, 100, 8);
    assert!(wide.contains("⚠ MCP 1/2"), "{wide}");
    report(&mut app, vec![github()]);
    assert!(screen(&mut app, 100, 8).contains("· MCP 1/1 ·"));
    screen(&mut app, 20, 8);
}

#[test]
fn server_prompts_are_commands_in_the_menu() {
    let mut app = app();
    report(&mut app, vec![github()]);
    type_text(&mut app, "/mcp");
    assert_screen!("mcp_prompt_in_menu", screen(&mut app, 80, 14));
}

#[test]
fn help_lists_server_prompts_with_their_arguments() {
    let mut app = app();
    report(&mut app, vec![github()]);
    type_text(&mut app, "/help");
    key(&mut app, KeyCode::Enter);
    let text = notices(&app);
    assert!(text.contains("/mcp__github__review <pr> [focus]"), "{text}");
    assert!(text.contains("Review a pull request (MCP github)"), "{text}");
    assert!(text.contains("/mcp "), "{text}");
}

#[test]
fn a_prompt_command_maps_words_onto_its_arguments() {
    let mut app = app();
    report(&mut app, vec![github()]);
    type_text(&mut app, "/mcp__github__review 42 error handling and tests");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Op::Mcp(McpRequest::RunPrompt {
            server: "github".into(),
            prompt: "review".into(),
            arguments: vec![("pr".into(), "42".into()), ("focus".into(), "error handling and tests".into())],
        })]
    );
    type_text(&mut app, "/mcp__github__review");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    let text = notices(&app);
    assert!(text.contains("/mcp__github__review needs pr"), "{text}");
    // The server went away: so did its command.
    report(&mut app, Vec::new());
    type_text(&mut app, "/mcp__github__review 42");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(notices(&app).contains("Unknown command /mcp__github__review"));
}

#[test]
fn the_mention_menu_offers_server_resources() {
    let mut app = app();
    report(&mut app, vec![github()]);
    type_text(&mut app, "explain @readme");
    assert_screen!("mcp_resource_mention", screen(&mut app, 80, 14));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "please");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Op::Prompt { text: "explain @github:repo://acme/app/README.md please".into() }]
    );
}

#[test]
fn a_paste_never_answers_a_trust_question() {
    let mut app = app();
    report(&mut app, vec![project_server()]);
    app.handle_terminal_event(Event::Paste("y\n".into()));
    assert!(screen(&mut app, 80, 24).contains("asks to start MCP server repo-tools"));
    assert_eq!(
        key(&mut app, KeyCode::Char('n')),
        [Op::Mcp(McpRequest::Trust {
            server: "repo-tools".into(),
            choice: claurst_protocol::TrustChoice::Deny
        })]
    );
    type_text(&mut app, "hi");
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::Prompt { text: "hi".into() }], "the paste was dropped");
}

#[test]
fn on_a_short_terminal_the_trust_choices_stay_in_view() {
    let mut app = app();
    let long = McpServerView {
        target: format!("python3 tools/mcp_server.py {}", "--flag value ".repeat(40)),
        ..project_server()
    };
    report(&mut app, vec![long]);
    assert_screen!("mcp_trust_dialog_short", screen(&mut app, 60, 16));
}
