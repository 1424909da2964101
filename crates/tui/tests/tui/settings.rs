//! The panels that change settings (`/model`'s picker, the `/permissions` editor), drawn and driven by keys.

use crate::{assert_screen, key_ops, screen, type_keys};
use claurst_protocol::{
    AgentEvent, Op, PermissionMode, PermissionRuleView, PermissionRulesView, RuleEdit, RuleListKind,
    RuleScope, UserSetting,
};
use claurst_tui::{App, FileIndex, ProviderModels, Theme, TuiOptions};
use crossterm::event::KeyCode;

fn model_options() -> TuiOptions {
    TuiOptions {
        models: vec![
            ProviderModels {
                provider: "anthropic".into(),
                models: vec!["claude-sonnet-4-5".into(), "claude-opus-4-1".into(), "claude-haiku-4-5".into()],
            },
            ProviderModels { provider: "ollama".into(), models: vec!["ollama/qwen3".into()] },
        ],
        ..crate::options()
    }
}

/// `/model` typed and sent (Esc first closes the command menu).
fn open_model_picker(app: &mut App) -> Vec<Op> {
    type_keys(app, "/model");
    key_ops(app, KeyCode::Esc);
    key_ops(app, KeyCode::Enter)
}

#[test]
fn the_model_picker_filters_as_the_user_types() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = App::new(&model_options(), Theme::monochrome(), FileIndex::from_files(Vec::new()));
        assert_eq!(open_model_picker(&mut app), [Op::ListModels]);
        type_keys(&mut app, "claude 4-");
        assert_screen!(format!("model_picker_filtered_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn the_model_picker_switches_to_the_chosen_model_and_closes() {
    let mut app = App::new(&model_options(), Theme::monochrome(), FileIndex::from_files(Vec::new()));
    open_model_picker(&mut app);
    key_ops(&mut app, KeyCode::Down);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SetModel("claude-opus-4-1".into())]);
    assert!(!screen(&mut app, 80, 24).contains("type to filter"), "the picker closed");
}

#[test]
fn models_listed_later_join_the_open_picker_and_esc_cancels() {
    let mut app = App::new(&model_options(), Theme::monochrome(), FileIndex::from_files(Vec::new()));
    open_model_picker(&mut app);
    app.handle_agent_event(AgentEvent::ModelsListed {
        provider: "ollama".into(),
        models: vec!["ollama/qwen3".into(), "ollama/llama3.2:3b".into()],
    });
    type_keys(&mut app, "llama");
    assert!(screen(&mut app, 80, 24).contains("ollama/llama3.2:3b"));
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty());
    assert!(!screen(&mut app, 80, 24).contains("type to filter"), "esc closed the picker");
}

fn rules() -> PermissionRulesView {
    let rule = |list, scope, rule: &str| PermissionRuleView { list, scope, rule: rule.into() };
    PermissionRulesView {
        rules: vec![
            rule(RuleListKind::Allow, RuleScope::User, "read_file"),
            rule(RuleListKind::Allow, RuleScope::Project, "bash(npm test:*)"),
            rule(RuleListKind::Allow, RuleScope::Local, "bash(cargo build:*)"),
            rule(RuleListKind::Deny, RuleScope::Project, "bash(rm:*)"),
            rule(RuleListKind::Deny, RuleScope::Session, "web_fetch"),
        ],
        files: vec![
            (RuleScope::User, "/home/ada/.claurst/config.toml".into()),
            (RuleScope::Project, "/work/app/.claurst.toml".into()),
            (RuleScope::Local, "/work/app/.claurst/permissions.local.toml".into()),
        ],
    }
}

/// `/permissions` open with the rules listed.
fn permissions_editor() -> App {
    let mut app = crate::app();
    type_keys(&mut app, "/permissions");
    key_ops(&mut app, KeyCode::Esc);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::ListPermissionRules]);
    app.handle_agent_event(AgentEvent::PermissionRules(rules()));
    app
}

#[test]
fn the_permissions_editor_lists_rules_by_list_with_their_scope() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = permissions_editor();
        key_ops(&mut app, KeyCode::Down);
        key_ops(&mut app, KeyCode::Down);
        assert_screen!(format!("permissions_list_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn adding_a_rule_sends_it_with_the_chosen_list_and_scope() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = permissions_editor();
        key_ops(&mut app, KeyCode::Char('a'));
        type_keys(&mut app, "bash(npm run lint:*)");
        key_ops(&mut app, KeyCode::Tab);
        key_ops(&mut app, KeyCode::BackTab);
        assert_screen!(format!("permissions_add_{width}x{height}"), screen(&mut app, width, height));
        let sent = key_ops(&mut app, KeyCode::Enter);
        let rule = PermissionRuleView {
            list: RuleListKind::Ask,
            scope: RuleScope::Local,
            rule: "bash(npm run lint:*)".into(),
        };
        assert_eq!(sent, [Op::EditPermissionRule(RuleEdit::Add(rule))]);
    }
}

#[test]
fn an_invalid_rule_is_shown_refused_with_the_reason() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = permissions_editor();
        key_ops(&mut app, KeyCode::Char('a'));
        type_keys(&mut app, "bash(");
        assert_eq!(key_ops(&mut app, KeyCode::Enter).len(), 1);
        app.handle_agent_event(AgentEvent::PermissionRuleRefused {
            rule: "bash(".into(),
            reason: "rule `bash(` has no closing parenthesis".into(),
        });
        assert_screen!(format!("permissions_refused_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn removing_a_rule_asks_first_and_the_mode_cycles() {
    let mut app = permissions_editor();
    key_ops(&mut app, KeyCode::Down);
    key_ops(&mut app, KeyCode::Char('d'));
    assert!(
        screen(&mut app, 100, 30)
            .contains("Remove allow rule `read_file` from /home/ada/.claurst/config.toml? (y/n)")
    );
    assert!(key_ops(&mut app, KeyCode::Char('n')).is_empty(), "n keeps the rule");
    key_ops(&mut app, KeyCode::Char('d'));
    let removed =
        PermissionRuleView { list: RuleListKind::Allow, scope: RuleScope::User, rule: "read_file".into() };
    assert_eq!(key_ops(&mut app, KeyCode::Char('y')), [Op::EditPermissionRule(RuleEdit::Remove(removed))]);
    assert_eq!(key_ops(&mut app, KeyCode::Char('m')), [Op::SetPermissionMode(PermissionMode::AcceptEdits)]);
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty());
    assert!(!screen(&mut app, 80, 24).contains("Permissions"), "esc closed the editor");
}

#[test]
fn vim_normal_mode_is_shown_in_the_status_line() {
    for (width, height) in [(80, 24), (200, 60)] {
        let options = TuiOptions { vim: true, ..crate::options() };
        let mut app = App::new(&options, Theme::monochrome(), FileIndex::from_files(Vec::new()));
        type_keys(&mut app, "fix the failing test");
        key_ops(&mut app, KeyCode::Esc);
        type_keys(&mut app, "bdw");
        assert_screen!(format!("vim_normal_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn in_vim_mode_escape_on_an_empty_prompt_still_interrupts_a_run() {
    let options = TuiOptions { vim: true, ..crate::options() };
    let mut app = App::new(&options, Theme::monochrome(), FileIndex::from_files(Vec::new()));
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "go".into() });
    assert_eq!(key_ops(&mut app, KeyCode::Esc), [Op::Interrupt]);
    // With text typed, Esc is Vim's: INSERT to NORMAL, the run goes on.
    let mut app = App::new(&options, Theme::monochrome(), FileIndex::from_files(Vec::new()));
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "go".into() });
    type_keys(&mut app, "next");
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty());
    assert!(screen(&mut app, 80, 24).contains("-- NORMAL --"));
}

#[test]
fn vim_toggles_with_its_command_and_is_saved() {
    let mut app = crate::app();
    type_keys(&mut app, "/vim");
    key_ops(&mut app, KeyCode::Esc);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SaveUserSetting(UserSetting::VimMode(true))]);
    assert!(screen(&mut app, 80, 24).contains("-- INSERT --"));
    type_keys(&mut app, "/vim");
    key_ops(&mut app, KeyCode::Esc);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SaveUserSetting(UserSetting::VimMode(false))]);
    assert!(!screen(&mut app, 80, 24).contains("-- INSERT --"));
}

#[test]
fn the_statusline_command_gets_the_session_and_its_output_replaces_the_status() {
    let options = TuiOptions { statusline: Some("my-status".into()), ..crate::options() };
    let mut app = App::new(&options, Theme::monochrome(), FileIndex::from_files(Vec::new()));
    app.handle_agent_event(AgentEvent::SessionStarted(crate::session_info()));
    let run = app.start_statusline().unwrap();
    assert_eq!(run.command, "my-status");
    let input: serde_json::Value = serde_json::from_str(&run.input).unwrap();
    assert_eq!(input["model"]["id"], "claude-sonnet-4-5");
    assert_eq!(input["session_id"], "0f6c2a");
    assert_eq!(input["context"]["used_percent"], 0);
    assert!(app.start_statusline().is_none(), "one run at a time");
    app.statusline_finished(run.generation, Ok("⎇ main · sonnet · $0.01".into()));
    assert!(!app.statusline_due(), "nothing changed: no new run");
    let screen = screen(&mut app, 80, 24);
    assert!(screen.lines().last().unwrap().contains("⎇ main · sonnet · $0.01"), "{screen}");
    assert!(!screen.contains("ctx 0%"), "{screen}");
    app.handle_agent_event(AgentEvent::ModelChanged("claude-opus-4-1".into()));
    assert!(app.statusline_due(), "a new model runs it again");
    let run = app.start_statusline().unwrap();
    app.statusline_finished(run.generation, Err("`my-status` exited with exit status: 1".into()));
    assert!(crate::notices(&app).contains("The status line command failed"));
}

#[test]
fn statusline_without_arguments_explains_and_off_removes_it() {
    let mut app = crate::app();
    type_keys(&mut app, "/statusline");
    key_ops(&mut app, KeyCode::Esc);
    assert!(key_ops(&mut app, KeyCode::Enter).is_empty());
    assert!(crate::notices(&app).contains("/statusline <command> sets it"));
    type_keys(&mut app, "/statusline off");
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SaveUserSetting(UserSetting::StatusLine(None))]);
}

/// `/config` open on a session with two output styles.
fn config_panel() -> App {
    let options = TuiOptions { auto_dream: true, ..model_options() };
    let mut app = App::new(&options, Theme::monochrome(), FileIndex::from_files(Vec::new()));
    let style = |name: &str| claurst_protocol::OutputStyleView {
        name: name.into(),
        description: String::new(),
        scope: "built-in".into(),
    };
    app.handle_agent_event(AgentEvent::SessionStarted(claurst_protocol::SessionInfo {
        output_styles: vec![style("default"), style("learning")],
        ..crate::session_info()
    }));
    type_keys(&mut app, "/config");
    key_ops(&mut app, KeyCode::Esc);
    assert!(key_ops(&mut app, KeyCode::Enter).is_empty());
    assert!(
        crate::notices(&app).contains("Built-in defaults only."),
        "the configuration in force is shown too"
    );
    app
}

#[test]
fn the_config_panel_lists_the_common_settings() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = config_panel();
        key_ops(&mut app, KeyCode::Down);
        assert_screen!(format!("config_panel_{width}x{height}"), screen(&mut app, width, height));
    }
}

#[test]
fn config_changes_apply_to_the_session_and_are_saved() {
    let mut app = config_panel();
    assert_eq!(
        key_ops(&mut app, KeyCode::Enter),
        [
            Op::SetModel("claude-opus-4-1".into()),
            Op::SaveUserSetting(UserSetting::Model("claude-opus-4-1".into()))
        ]
    );
    key_ops(&mut app, KeyCode::Down);
    assert_eq!(
        key_ops(&mut app, KeyCode::Char(' ')),
        [
            Op::SetPermissionMode(PermissionMode::AcceptEdits),
            Op::SaveUserSetting(UserSetting::PermissionMode(PermissionMode::AcceptEdits))
        ]
    );
    key_ops(&mut app, KeyCode::Down);
    assert_eq!(
        key_ops(&mut app, KeyCode::Right),
        [
            Op::SetOutputStyle("learning".into()),
            Op::SaveUserSetting(UserSetting::OutputStyle("learning".into()))
        ]
    );
    key_ops(&mut app, KeyCode::Down);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SetThinking(Some(8_000))]);
    key_ops(&mut app, KeyCode::Down);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SaveUserSetting(UserSetting::AutoDream(false))]);
    assert!(screen(&mut app, 90, 30).contains("Memory consolidation (auto dream)   off"));
    key_ops(&mut app, KeyCode::Down);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::SaveUserSetting(UserSetting::VimMode(true))]);
    key_ops(&mut app, KeyCode::Down);
    assert!(key_ops(&mut app, KeyCode::Enter).is_empty(), "the status line row belongs to /statusline");
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty());
    assert!(!screen(&mut app, 90, 30).contains(" Settings "), "esc closed the panel");
}
