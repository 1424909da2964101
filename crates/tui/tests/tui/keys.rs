//! What keys do: the ops they send and the decisions they give.

use crate::app;
use claurst_protocol::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, Decision, Op, PermissionMode,
};
use claurst_tui::{App, Effect};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    app.handle_terminal_event(Event::Key(KeyEvent::new(code, modifiers))).0
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    press(app, code, KeyModifiers::NONE)
}

fn type_text(app: &mut App, text: &str) {
    for character in text.chars() {
        key(app, KeyCode::Char(character));
    }
}

fn sent(effects: &[Effect]) -> Vec<Op> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Send(op) => Some(op.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn enter_sends_and_shift_enter_ctrl_j_and_backslash_make_new_lines() {
    let mut app = app();
    type_text(&mut app, "one");
    press(&mut app, KeyCode::Enter, KeyModifiers::SHIFT);
    type_text(&mut app, "two");
    press(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    type_text(&mut app, "three\\");
    assert!(sent(&key(&mut app, KeyCode::Enter)).is_empty(), "backslash+enter continues the line");
    type_text(&mut app, "four");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::Prompt { text: "one\ntwo\nthree\nfour".into() }]);
    assert!(sent(&key(&mut app, KeyCode::Enter)).is_empty(), "an empty composer sends nothing");
}

#[test]
fn pasted_text_is_folded_and_sent_whole() {
    let mut app = app();
    let pasted: String = (0..50).map(|n| format!("log line {n}\n")).collect();
    app.handle_terminal_event(Event::Paste(pasted.clone()));
    type_text(&mut app, " why?");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::Prompt { text: format!("{pasted} why?") }]);
}

#[test]
fn ctrl_c_clears_then_quits_on_the_second_press() {
    let mut app = app();
    type_text(&mut app, "draft");
    assert!(press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL).is_empty());
    assert!(!app.should_quit());
    assert!(press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL).is_empty());
    assert!(!app.should_quit(), "the first press on an empty composer only warns");
    assert_eq!(press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL), [Effect::Quit]);
    assert!(app.should_quit());
}

#[test]
fn ctrl_d_quits() {
    let mut app = app();
    assert_eq!(press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL), [Effect::Quit]);
}

#[test]
fn escape_interrupts_only_a_running_turn() {
    let mut app = app();
    assert!(sent(&key(&mut app, KeyCode::Esc)).is_empty());
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "go".into() });
    assert_eq!(sent(&key(&mut app, KeyCode::Esc)), [Op::Interrupt]);
}

#[test]
fn shift_tab_cycles_the_permission_mode() {
    let mut app = app();
    assert_eq!(sent(&key(&mut app, KeyCode::BackTab)), [Op::SetPermissionMode(PermissionMode::AcceptEdits)]);
    assert_eq!(sent(&key(&mut app, KeyCode::BackTab)), [Op::SetPermissionMode(PermissionMode::Plan)]);
    assert_eq!(sent(&key(&mut app, KeyCode::BackTab)), [Op::SetPermissionMode(PermissionMode::Default)]);
}

fn approval(app: &mut App) -> tokio::sync::oneshot::Receiver<Decision> {
    let call = crate::call("t1", "bash", json!({"command": "make"}));
    app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
    let (responder, answer) = ApprovalResponder::channel();
    app.handle_agent_event(AgentEvent::ApprovalRequested(ApprovalRequest {
        call,
        title: "bash(make)".into(),
        detail: ApprovalDetail::Command { command: "make".into() },
        suggested_rule: "bash(make:*)".into(),
        responder,
    }));
    answer
}

fn decided(mut answer: tokio::sync::oneshot::Receiver<Decision>) -> Decision {
    answer.try_recv().expect("the modal answered")
}

#[test]
fn approval_keys_give_each_decision() {
    for (keys, expected) in [
        (vec![KeyCode::Char('1')], Decision::AllowOnce),
        (vec![KeyCode::Char('y')], Decision::AllowOnce),
        (vec![KeyCode::Char('2')], Decision::AllowAlways),
        (vec![KeyCode::Char('a')], Decision::AllowAlways),
        (vec![KeyCode::Char('3')], Decision::DenyAndStop),
        (vec![KeyCode::Char('n')], Decision::DenyAndStop),
        (vec![KeyCode::Esc], Decision::DenyAndStop),
        (vec![KeyCode::Up, KeyCode::Enter], Decision::DenyAndStop),
        (vec![KeyCode::Down, KeyCode::Enter], Decision::AllowAlways),
    ] {
        let mut app = app();
        let answer = approval(&mut app);
        for code in keys.clone() {
            key(&mut app, code);
        }
        assert_eq!(decided(answer), expected, "keys {keys:?}");
    }
}

#[test]
fn tab_denies_with_a_note() {
    let mut app = app();
    let answer = approval(&mut app);
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "run make check instead");
    key(&mut app, KeyCode::Enter);
    assert_eq!(decided(answer), Decision::DenyWithFeedback("run make check instead".into()));
}

#[test]
fn typing_while_a_modal_is_open_does_not_reach_the_composer() {
    let mut app = app();
    let _answer = approval(&mut app);
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Char('y'));
    type_text(&mut app, "after");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::Prompt { text: "after".into() }]);
}

#[test]
fn history_walks_with_arrows() {
    let mut app = app();
    type_text(&mut app, "first");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "second");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::Prompt { text: "first".into() }]);
}

#[test]
fn slash_commands_send_their_ops() {
    let mut app = app();
    type_text(&mut app, "/model claude-opus-4-6");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::SetModel("claude-opus-4-6".into())]);
    type_text(&mut app, "/clear");
    key(&mut app, KeyCode::Esc);
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::ClearConversation]);
    type_text(&mut app, "/exit");
    key(&mut app, KeyCode::Esc);
    assert!(key(&mut app, KeyCode::Enter).contains(&Effect::Quit));
}

#[test]
fn enter_in_the_command_menu_runs_the_selected_command() {
    let mut app = app();
    type_text(&mut app, "/cle");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::ClearConversation]);
}

#[test]
fn copy_puts_the_last_reply_on_the_clipboard() {
    let mut app = app();
    app.handle_agent_event(AgentEvent::AssistantMessage {
        message: claurst_protocol::Message::assistant("the answer"),
        reply: Default::default(),
    });
    type_text(&mut app, "/copy");
    key(&mut app, KeyCode::Esc);
    assert!(key(&mut app, KeyCode::Enter).contains(&Effect::Clipboard("the answer".into())));
}

#[test]
fn bang_runs_a_shell_command() {
    let mut app = app();
    type_text(&mut app, "!git status");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::RunShell { command: "git status".into() }]);
}

#[test]
fn prompts_typed_while_busy_are_sent_for_queueing() {
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "long job".into() });
    type_text(&mut app, "and then this");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::Prompt { text: "and then this".into() }]);
}

#[test]
fn mouse_motion_costs_no_frame() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = app();
    let moved = MouseEvent { kind: MouseEventKind::Moved, column: 1, row: 1, modifiers: KeyModifiers::NONE };
    assert!(!app.handle_terminal_event(Event::Mouse(moved)).1);
    let wheel =
        MouseEvent { kind: MouseEventKind::ScrollUp, column: 1, row: 1, modifiers: KeyModifiers::NONE };
    assert!(app.handle_terminal_event(Event::Mouse(wheel)).1);
}

/// The text of every notice the app shows, in order.
fn notices(app: &App) -> Vec<String> {
    app.transcript()
        .cells()
        .filter_map(|cell| match cell {
            claurst_tui::transcript::Cell::Notice { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn informational_commands_show_what_they_promise() {
    let mut app = app();
    for (command, expected) in [("/help", "/compact [focus]"), ("/status", "permission mode: default")] {
        type_text(&mut app, command);
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Enter);
        let last = notices(&app).pop().unwrap_or_default();
        assert!(last.contains(expected), "{command} showed {last:?}");
    }
    for (command, op) in [
        ("/cost", Op::Report(claurst_protocol::ReportKind::Cost)),
        ("/memory", Op::Report(claurst_protocol::ReportKind::Memory)),
        ("/dream", Op::Report(claurst_protocol::ReportKind::Dream)),
        ("/resume", Op::ListSessions),
        ("/init", Op::InitProject),
        ("/compact tests first", Op::Compact { instructions: Some("tests first".into()) }),
    ] {
        type_text(&mut app, command);
        key(&mut app, KeyCode::Esc);
        assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [op], "{command}");
    }
}

#[test]
fn tab_on_an_empty_prompt_toggles_thinking_and_elsewhere_does_not() {
    let mut app = app();
    assert_eq!(sent(&key(&mut app, KeyCode::Tab)), [Op::SetThinking(Some(8_000))]);
    assert_eq!(sent(&key(&mut app, KeyCode::Tab)), [Op::SetThinking(None)]);
    type_text(&mut app, "hello");
    assert!(sent(&key(&mut app, KeyCode::Tab)).is_empty(), "Tab with text typed is not the toggle");
}

#[test]
fn model_without_a_name_lists_and_asks_the_endpoint_in_the_background() {
    let mut app = app();
    type_text(&mut app, "/model");
    key(&mut app, KeyCode::Esc);
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::ListModels]);
}

#[test]
fn the_model_menu_completes_names_of_every_provider_and_enter_switches() {
    let options = claurst_tui::TuiOptions {
        models: vec![
            claurst_tui::ProviderModels {
                provider: "anthropic".into(),
                models: vec!["claude-opus-4-6".into()],
            },
            claurst_tui::ProviderModels { provider: "ollama".into(), models: vec!["ollama/qwen3".into()] },
        ],
        ..crate::options()
    };
    let mut app =
        App::new(&options, claurst_tui::Theme::monochrome(), claurst_tui::FileIndex::from_files(Vec::new()));
    type_text(&mut app, "/model qw");
    assert_eq!(sent(&key(&mut app, KeyCode::Enter)), [Op::SetModel("ollama/qwen3".into())]);
}
