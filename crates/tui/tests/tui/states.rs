//! Snapshots of each visible state.

use crate::{app, assert_screen, screen};
use claurst_protocol::{
    AgentEvent, ApprovalDetail, ApprovalRequest, ApprovalResponder, Message, PermissionMode, RunOutcome,
    RunSummary, TodoItem, TodoStatus, ToolFinished, Usage,
};
use claurst_tui::App;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

fn key(app: &mut App, code: KeyCode) {
    app.handle_terminal_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, character: char) {
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char(character), KeyModifiers::CONTROL)));
}

fn type_text(app: &mut App, text: &str) {
    for character in text.chars() {
        key(app, KeyCode::Char(character));
    }
}

fn run_started(app: &mut App, prompt: &str) {
    app.handle_agent_event(AgentEvent::RunStarted { prompt: prompt.into() });
}

fn text(app: &mut App, text: &str) {
    app.handle_agent_event(AgentEvent::TextDelta { text: text.into() });
}

fn tool(app: &mut App, id: &str, name: &str, input: serde_json::Value) {
    app.handle_agent_event(AgentEvent::ToolCallRequested(crate::call(id, name, input)));
}

fn finish_tool(app: &mut App, id: &str, name: &str, output: &str, is_error: bool) {
    app.handle_agent_event(AgentEvent::ToolCallStarted { id: id.into() });
    app.handle_agent_event(AgentEvent::ToolCallFinished(ToolFinished {
        id: id.into(),
        name: name.into(),
        output: output.into(),
        is_error,
        duration_ms: 120,
        summary: String::new(),
        change: None,
    }));
}

fn finished(app: &mut App, outcome: RunOutcome) {
    app.handle_agent_event(AgentEvent::RunFinished(RunSummary {
        outcome,
        final_text: String::new(),
        num_turns: 1,
        duration_ms: 10,
        duration_api_ms: 5,
        total_cost_usd: 0.0,
        usage: Usage::default(),
        session_id: "0f6c2a".into(),
        permission_denials: vec![],
        model_usage: vec![],
    }));
}

fn ask(app: &mut App, name: &str, input: serde_json::Value, detail: ApprovalDetail, rule: &str) {
    let call = crate::call("t9", name, input);
    app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
    let (responder, _) = ApprovalResponder::channel();
    let title = format!("{name}({})", call.key_argument);
    app.handle_agent_event(AgentEvent::ApprovalRequested(ApprovalRequest {
        call,
        title,
        detail,
        suggested_rule: rule.into(),
        responder,
    }));
}

#[test]
fn empty_session() {
    assert_screen!("empty_session", screen(&mut app(), 80, 12));
}

#[test]
fn streaming_reply_with_markdown_and_code() {
    let mut app = app();
    run_started(&mut app, "How do I print in Rust?");
    text(
        &mut app,
        "## Printing\n\nUse the **`println!`** macro, as in:\n\n```rust\nfn main() {\n    println!(\"hello\");\n}\n```\n\n1. Build with `cargo build`\n2. Run it",
    );
    assert_screen!("streaming_reply", screen(&mut app, 80, 22));
}

#[test]
fn running_and_finished_tool_cells() {
    let mut app = app();
    run_started(&mut app, "run the tests");
    text(&mut app, "I'll run the tests.");
    tool(&mut app, "t1", "bash", json!({"command": "cargo test"}));
    finish_tool(
        &mut app,
        "t1",
        "bash",
        "running 3 tests\ntest a ... ok\ntest b ... ok\ntest c ... ok\n\ntest result: ok. 3 passed",
        false,
    );
    tool(&mut app, "t2", "bash", json!({"command": "cargo clippy"}));
    app.handle_agent_event(AgentEvent::ToolCallStarted { id: "t2".into() });
    tool(&mut app, "t3", "read_file", json!({"path": "src/missing.rs"}));
    finish_tool(&mut app, "t3", "read_file", "File not found: /work/app/src/missing.rs", true);
    assert_screen!("tool_cells", screen(&mut app, 80, 20));
}

#[test]
fn detailed_view_expands_output_and_thinking() {
    let mut app = app();
    run_started(&mut app, "list");
    app.handle_agent_event(AgentEvent::ThinkingDelta {
        text: "The user wants a listing; ls will do.".into(),
    });
    tool(&mut app, "t1", "bash", json!({"command": "ls"}));
    finish_tool(&mut app, "t1", "bash", "a\nb\nc\nd\ne\nf\ng", false);
    finished(&mut app, RunOutcome::Success);
    assert_screen!("collapsed_view", screen(&mut app, 60, 16));
    ctrl(&mut app, 'o');
    assert_screen!("detailed_view", screen(&mut app, 60, 20));
}

#[test]
fn approval_for_a_command() {
    let mut app = app();
    run_started(&mut app, "make it");
    ask(
        &mut app,
        "bash",
        json!({"command": "npm run build && npm test"}),
        ApprovalDetail::Command { command: "npm run build && npm test".into() },
        "bash(npm run build:*)",
    );
    assert_screen!("approval_command", screen(&mut app, 80, 18));
}

#[test]
fn approval_for_an_edit_shows_the_diff() {
    let mut app = app();
    run_started(&mut app, "fix the greeting");
    let diff = "--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1,3 +1,3 @@\n fn main() {\n-    println!(\"helo\");\n+    println!(\"hello\");\n }";
    ask(
        &mut app,
        "edit_file",
        json!({"path": "src/main.rs", "old_string": "helo", "new_string": "hello"}),
        ApprovalDetail::Diff { path: "src/main.rs".into(), diff: diff.into() },
        "edit_file(src/**)",
    );
    assert_screen!("approval_diff", screen(&mut app, 80, 22));
}

#[test]
fn approval_for_a_fetch_and_for_other_input() {
    let mut app = app();
    run_started(&mut app, "read the docs");
    ask(
        &mut app,
        "web_fetch",
        json!({"url": "https://docs.rs/ratatui"}),
        ApprovalDetail::Fetch { url: "https://docs.rs/ratatui".into() },
        "web_fetch(domain:docs.rs)",
    );
    assert_screen!("approval_fetch", screen(&mut app, 80, 16));

    let mut app = crate::app();
    run_started(&mut app, "stop it");
    ask(
        &mut app,
        "kill_shell",
        json!({"shell_id": "bash_1"}),
        ApprovalDetail::Input { input: json!({"shell_id": "bash_1"}) },
        "kill_shell",
    );
    assert_screen!("approval_input", screen(&mut app, 80, 18));
}

#[test]
fn approval_with_a_note_for_the_model() {
    let mut app = app();
    run_started(&mut app, "clean");
    ask(
        &mut app,
        "bash",
        json!({"command": "rm -rf dist"}),
        ApprovalDetail::Command { command: "rm -rf dist".into() },
        "bash(rm:*)",
    );
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "use make clean");
    assert_screen!("approval_note", screen(&mut app, 80, 18));
    // The caret follows the note by columns: two wide characters move it four.
    let caret = |app: &mut App| {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 18)).unwrap();
        terminal.draw(|frame| claurst_tui::draw(frame, app)).unwrap();
        terminal.get_cursor_position().unwrap().x
    };
    let before = caret(&mut app);
    type_text(&mut app, "日本");
    assert_eq!(caret(&mut app), before + 4);
}

#[test]
fn an_edit_result_shows_a_coloured_diff() {
    let mut app = app();
    run_started(&mut app, "fix");
    tool(&mut app, "t1", "edit_file", json!({"path": "src/main.rs"}));
    finish_tool(
        &mut app,
        "t1",
        "edit_file",
        "--- a/src/main.rs\n+++ b/src/main.rs\n@@ -1 +1 @@\n-helo\n+hello",
        false,
    );
    let mut colored = crate::app();
    run_started(&mut colored, "fix");
    assert_screen!("diff_result", screen(&mut app, 60, 12));
}

#[test]
fn an_error_is_clearly_marked() {
    let mut app = app();
    run_started(&mut app, "hi");
    finished(
        &mut app,
        RunOutcome::Error("the API answered 401 (authentication_error): invalid x-api-key".into()),
    );
    assert_screen!("error", screen(&mut app, 80, 10));
}

#[test]
fn command_menu() {
    let mut app = app();
    type_text(&mut app, "/c");
    assert_screen!("command_menu", screen(&mut app, 80, 14));
}

#[test]
fn file_completion_popup() {
    let mut app = app();
    type_text(&mut app, "explain @src");
    assert_screen!("file_completion", screen(&mut app, 80, 12));
    key(&mut app, KeyCode::Tab);
    assert_screen!("file_completed", screen(&mut app, 80, 8));
}

#[test]
fn narrow_terminal() {
    let mut app = app();
    run_started(&mut app, "a prompt long enough to wrap in a narrow terminal");
    text(&mut app, "A reply that also wraps, with `code` and a list:\n\n- first item\n- second item");
    tool(&mut app, "t1", "bash", json!({"command": "cargo build --release --all-features"}));
    finish_tool(&mut app, "t1", "bash", "Finished release in 42.0s", false);
    app.handle_agent_event(AgentEvent::PermissionModeChanged(PermissionMode::AcceptEdits));
    assert_screen!("narrow_40", screen(&mut app, 40, 20));
}

#[test]
fn todos_and_plan_mode() {
    let mut app = app();
    app.handle_agent_event(AgentEvent::PermissionModeChanged(PermissionMode::Plan));
    app.handle_agent_event(AgentEvent::TodosUpdated {
        todos: vec![
            TodoItem { content: "Read the failing test".into(), status: TodoStatus::Completed },
            TodoItem { content: "Fix the parser".into(), status: TodoStatus::InProgress },
            TodoItem { content: "Run the suite".into(), status: TodoStatus::Pending },
        ],
    });
    assert_screen!("todos_plan_mode", screen(&mut app, 80, 10));
}

#[test]
fn multi_line_composer_and_history_search() {
    let mut app = app();
    type_text(&mut app, "first line");
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::SHIFT)));
    type_text(&mut app, "second line");
    assert_screen!("multi_line_composer", screen(&mut app, 60, 8));

    let mut app = crate::app();
    type_text(&mut app, "fix the flaky test");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'r');
    type_text(&mut app, "flaky");
    assert_screen!("history_search", screen(&mut app, 60, 8));
}

#[test]
fn scrolled_up_view_stays_put_while_output_arrives() {
    let mut app = app();
    for n in 0..30 {
        run_started(&mut app, &format!("prompt {n}"));
        finished(&mut app, RunOutcome::Success);
    }
    screen(&mut app, 60, 12);
    key(&mut app, KeyCode::PageUp);
    let before = screen(&mut app, 60, 12);
    run_started(&mut app, "new prompt at the bottom");
    text(&mut app, "more output");
    let after = screen(&mut app, 60, 12);
    // The last transcript row carries the "more below" marker, whose count grows with the new output.
    let transcript_rows = |s: &str| s.lines().take(7).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(transcript_rows(&before), transcript_rows(&after));
    assert!(after.contains("more lines below · End to follow"), "{after}");
    assert_screen!("scrolled_up", after);
}

#[test]
fn assistant_message_marks_the_end_of_streaming() {
    let mut app = app();
    run_started(&mut app, "hi");
    text(&mut app, "Hello!");
    app.handle_agent_event(AgentEvent::AssistantMessage {
        message: Message::assistant("Hello!"),
        reply: Default::default(),
    });
    finished(&mut app, RunOutcome::Success);
    assert_screen!("finished_reply", screen(&mut app, 60, 8));
}

#[test]
fn dream_status_in_the_side_pane_and_in_a_narrow_terminal() {
    use claurst_protocol::DreamView;
    let mut app = app();
    app.handle_agent_event(AgentEvent::DreamStatus(DreamView {
        running: false,
        phase: None,
        summary: "Next dream in 5 h and after 2 more sessions.\nLast dream: consolidated 1 day ago.".into(),
    }));
    run_started(&mut app, "hello");
    finished(&mut app, RunOutcome::Success);
    assert_screen!("dream_pane_idle", screen(&mut app, 110, 12));
    app.handle_agent_event(AgentEvent::DreamStatus(DreamView {
        running: true,
        phase: Some("3/4 consolidate".into()),
        summary: "Dreaming: consolidating memory (3/4 consolidate)".into(),
    }));
    assert_screen!("dream_pane_running", screen(&mut app, 110, 12));
    assert_screen!("dream_running_narrow", screen(&mut app, 60, 8));
}

#[test]
fn a_resumed_session_shows_its_past() {
    use claurst_protocol::{ContentBlock, HistoryItem, Role};
    let mut app = app();
    let call = Message {
        role: Role::Assistant,
        content: vec![
            ContentBlock::text("Checking the tests."),
            ContentBlock::ToolUse {
                id: "t1".into(),
                name: "bash".into(),
                input: json!({"command": "cargo test"}),
            },
        ],
    };
    let result = Message {
        role: Role::User,
        content: vec![ContentBlock::tool_result("t1", "test result: ok. 3 passed", false)],
    };
    app.handle_agent_event(AgentEvent::HistoryLoaded {
        session_id: "0f6c2a".into(),
        calls: vec![crate::call("t1", "bash", json!({"command": "cargo test"}))],
        items: vec![
            HistoryItem::Message(Message::user("are the tests green?")),
            HistoryItem::Message(call),
            HistoryItem::Message(result),
            HistoryItem::Compacted { summary: "## Goals\nKeep the tests green.".into() },
            HistoryItem::Note("Interrupted.".into()),
            HistoryItem::Message(Message::assistant("Yes, all three pass.")),
        ],
    });
    assert_screen!("resumed_history", screen(&mut app, 70, 20));
}

#[test]
fn the_session_picker() {
    use claurst_protocol::SessionChoice;
    let mut app = app();
    let session = |id: &str, prompt: &str, modified: &str| SessionChoice {
        session_id: id.into(),
        first_prompt: prompt.into(),
        modified: modified.into(),
        size_bytes: 48_213,
        message_count: 37,
    };
    app.handle_agent_event(AgentEvent::SessionList {
        sessions: vec![
            session("b2", "fix the flaky parser test", "2026-11-24 18:02 UTC"),
            session("a1", "add a --json flag to the exporter", "2026-11-23 09:40 UTC"),
        ],
    });
    assert_screen!("session_picker", screen(&mut app, 90, 14));
    type_text(&mut app, "json");
    assert_screen!("session_picker_filtered", screen(&mut app, 90, 14));
}

#[test]
fn approval_to_run_outside_the_sandbox() {
    let mut app = app();
    run_started(&mut app, "install the hook");
    ask(
        &mut app,
        "bash",
        json!({"command": "cp hook.sh ~/.config/app/hook.sh"}),
        ApprovalDetail::OutsideSandbox {
            command: "cp hook.sh ~/.config/app/hook.sh".into(),
            path: "/home/ada/.config/app/hook.sh".into(),
        },
        "",
    );
    assert_screen!("approval_outside_sandbox", screen(&mut app, 80, 20));
}

#[test]
fn sandbox_off_is_shown_in_the_status_line() {
    let options =
        claurst_tui::TuiOptions { sandbox_mode: claurst_protocol::SandboxMode::Off, ..crate::options() };
    let mut app =
        App::new(&options, claurst_tui::Theme::monochrome(), claurst_tui::FileIndex::from_files(Vec::new()));
    assert_screen!("sandbox_off_status", screen(&mut app, 80, 8));
}

fn provider_options() -> claurst_tui::TuiOptions {
    use claurst_tui::ProviderModels;
    claurst_tui::TuiOptions {
        model: "ollama/qwen3".into(),
        context_window: 32_768,
        thinking_budget: 8_000,
        models: vec![
            ProviderModels {
                provider: "anthropic".into(),
                models: vec!["claude-sonnet-4-5".into(), "claude-opus-4-6".into()],
            },
            ProviderModels { provider: "ollama".into(), models: vec!["ollama/qwen3".into()] },
            ProviderModels { provider: "openrouter".into(), models: Vec::new() },
        ],
        ..crate::options()
    }
}

#[test]
fn the_model_picker_with_several_providers_and_the_endpoints_answer() {
    let mut app = App::new(
        &provider_options(),
        claurst_tui::Theme::monochrome(),
        claurst_tui::FileIndex::from_files(Vec::new()),
    );
    type_text(&mut app, "/model");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    app.handle_agent_event(AgentEvent::ModelsListed {
        provider: "ollama".into(),
        models: vec!["ollama/qwen3".into(), "ollama/llama3.2:3b".into()],
    });
    assert_screen!("model_picker_providers", screen(&mut app, 90, 26));
}

#[test]
fn thinking_and_a_non_anthropic_provider_in_the_status_line() {
    let mut app = App::new(
        &provider_options(),
        claurst_tui::Theme::monochrome(),
        claurst_tui::FileIndex::from_files(Vec::new()),
    );
    key(&mut app, KeyCode::Tab);
    app.handle_agent_event(AgentEvent::Usage {
        turn: Usage::default(),
        session_total: Usage { input_tokens: 1200, output_tokens: 30, ..Usage::default() },
        session_cost_usd: 0.0,
        price_unknown: true,
        context_tokens: 1230,
        context_window: 32_768,
    });
    assert_screen!("status_thinking_provider", screen(&mut app, 100, 8));
}

#[test]
fn the_model_menu_while_typing() {
    let mut app = App::new(
        &provider_options(),
        claurst_tui::Theme::monochrome(),
        claurst_tui::FileIndex::from_files(Vec::new()),
    );
    type_text(&mut app, "/model ");
    assert_screen!("model_menu", screen(&mut app, 80, 12));
}
