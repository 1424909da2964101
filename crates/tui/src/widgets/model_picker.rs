//! `/model`: every known model in one list, filtered as the user types; Enter switches to the selected one.
//! Models the endpoint reports after the picker opened are merged in where they belong, without moving
//! the selection off the model the user had reached.

use crate::ProviderModels;
use crate::theme::Theme;
use crate::transcript::truncate_to;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Models listed at once; the selection scrolls through the rest.
const ROWS: usize = 10;

/// One model as offered: the name the user types and the provider serving it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Choice {
    provider: String,
    model: String,
}

#[derive(Debug, Clone)]
pub struct ModelPicker {
    choices: Vec<Choice>,
    current: String,
    query: String,
    selected: usize,
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelPickerOutcome {
    Pending,
    Cancelled,
    Chosen(String),
}

impl ModelPicker {
    /// The picker over `providers`, its selection on `current` when listed.
    pub fn new(providers: &[ProviderModels], current: &str) -> Self {
        let mut picker =
            Self { choices: Vec::new(), current: current.to_string(), query: String::new(), selected: 0 };
        for provider in providers {
            picker.merge(&provider.provider, &provider.models);
        }
        picker.selected = picker.visible().iter().position(|choice| choice.model == current).unwrap_or(0);
        picker
    }

    /// Add the models of `provider` not listed yet, after that provider's others; the selected model
    /// stays selected.
    pub fn merge(&mut self, provider: &str, models: &[String]) {
        let kept = self.visible().get(self.selected).map(|choice| choice.model.clone());
        for model in models {
            if self.choices.iter().any(|choice| choice.model == *model) {
                continue;
            }
            let at = self
                .choices
                .iter()
                .rposition(|choice| choice.provider == provider)
                .map_or(self.choices.len(), |index| index + 1);
            self.choices.insert(at, Choice { provider: provider.to_string(), model: model.clone() });
        }
        if let Some(kept) = kept {
            self.selected = self.visible().iter().position(|choice| choice.model == kept).unwrap_or(0);
        }
    }

    /// Choices whose model or provider contains every typed word, ignoring case.
    fn visible(&self) -> Vec<&Choice> {
        self.choices
            .iter()
            .filter(|choice| {
                super::matches_every_word(&self.query, &format!("{} {}", choice.provider, choice.model))
            })
            .collect()
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> ModelPickerOutcome {
        let count = self.visible().len();
        match key.code {
            KeyCode::Esc => return ModelPickerOutcome::Cancelled,
            KeyCode::Enter => {
                if let Some(choice) = self.visible().get(self.selected) {
                    return ModelPickerOutcome::Chosen(choice.model.clone());
                }
                // Nothing listed matches: a typed name is still a model the user may mean.
                let typed = self.query.trim();
                if !typed.is_empty() && !typed.contains(char::is_whitespace) {
                    return ModelPickerOutcome::Chosen(typed.to_string());
                }
            }
            _ => super::filtered_list_key(key, &mut self.query, &mut self.selected, count, ROWS),
        }
        ModelPickerOutcome::Pending
    }

    pub fn height(&self) -> u16 {
        (self.visible().len().clamp(1, ROWS) + 4) as u16
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
        let width = area.width.saturating_sub(2) as usize;
        let visible = self.visible();
        let mut lines = vec![Line::from(vec![
            Span::styled("Filter: ", theme.dim()),
            Span::styled(self.query.clone(), theme.plain()),
        ])];
        lines.push(Line::default());
        if visible.is_empty() {
            let text = if self.query.trim().is_empty() {
                "  No models are known; type a name and press enter.".to_string()
            } else {
                format!("  No listed model matches; enter switches to {:?}.", self.query.trim())
            };
            lines.push(Line::styled(text, theme.dim()));
        }
        let first = self.selected.saturating_sub(ROWS - 1);
        for (index, choice) in visible.iter().enumerate().skip(first).take(ROWS) {
            let (pointer, style) =
                if index == self.selected { ("❯", theme.selected()) } else { (" ", theme.plain()) };
            let marker =
                if choice.model == self.current { format!("{pointer}● ") } else { format!("{pointer}  ") };
            let detail = if choice.model == self.current {
                format!("{} · current", choice.provider)
            } else {
                choice.provider.clone()
            };
            let room = width.saturating_sub(detail.chars().count() + 7);
            lines.push(Line::from(vec![
                Span::styled(format!("{marker}{:<room$} ", truncate_to(&choice.model, room)), style),
                Span::styled(format!(" {detail}"), style.patch(theme.dim())),
            ]));
        }
        let block = theme.modal_block(" Model (type to filter, ↑/↓ choose, enter switch, esc cancel) ");
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn providers() -> Vec<ProviderModels> {
        vec![
            ProviderModels {
                provider: "anthropic".into(),
                models: vec!["claude-sonnet-4-5".into(), "claude-opus-4-1".into()],
            },
            ProviderModels { provider: "ollama".into(), models: vec!["ollama/qwen3".into()] },
        ]
    }

    fn press(picker: &mut ModelPicker, code: KeyCode) -> ModelPickerOutcome {
        picker.handle_key(KeyEvent::new(code, crossterm::event::KeyModifiers::NONE))
    }

    #[test]
    fn opens_on_the_current_model_and_enter_takes_the_selection() {
        let mut picker = ModelPicker::new(&providers(), "claude-opus-4-1");
        assert_eq!(press(&mut picker, KeyCode::Down), ModelPickerOutcome::Pending);
        assert_eq!(press(&mut picker, KeyCode::Enter), ModelPickerOutcome::Chosen("ollama/qwen3".into()));
    }

    #[test]
    fn typing_filters_and_an_unlisted_name_can_still_be_chosen() {
        let mut picker = ModelPicker::new(&providers(), "claude-sonnet-4-5");
        for character in "opus".chars() {
            press(&mut picker, KeyCode::Char(character));
        }
        assert_eq!(press(&mut picker, KeyCode::Enter), ModelPickerOutcome::Chosen("claude-opus-4-1".into()));
        let mut picker = ModelPicker::new(&providers(), "claude-sonnet-4-5");
        for character in "my-model".chars() {
            press(&mut picker, KeyCode::Char(character));
        }
        assert_eq!(press(&mut picker, KeyCode::Enter), ModelPickerOutcome::Chosen("my-model".into()));
    }

    #[test]
    fn merged_models_join_their_provider_and_keep_the_selection() {
        let mut picker = ModelPicker::new(&providers(), "ollama/qwen3");
        picker.merge("anthropic", &["claude-haiku-4-5".into(), "claude-opus-4-1".into()]);
        picker.merge("ollama", &["ollama/llama3".into()]);
        let models: Vec<&str> = picker.choices.iter().map(|choice| choice.model.as_str()).collect();
        assert_eq!(
            models,
            ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5", "ollama/qwen3", "ollama/llama3"]
        );
        assert_eq!(press(&mut picker, KeyCode::Enter), ModelPickerOutcome::Chosen("ollama/qwen3".into()));
    }
}
