//! The panels that change settings: `/model`'s picker (and, below, the others), drawn and driven by keys.

use crate::{assert_screen, key_ops, screen, type_keys};
use claurst_protocol::{AgentEvent, Op};
use claurst_tui::{App, FileIndex, ProviderModels, Theme, TuiOptions};
use crossterm::event::KeyCode;

fn model_options() -> TuiOptions {
    TuiOptions {
        models: vec![
            ProviderModels {
                provider: "anthropic".into(),
                models: vec![
                    "claude-sonnet-4-5".into(),
                    "claude-opus-4-1".into(),
                    "claude-haiku-4-5".into(),
                ],
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
