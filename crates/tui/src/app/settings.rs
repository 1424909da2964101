//! The panels that change settings (`/model` for now): which one is open, its keys and what they send.

use super::{App, Effect};
use crate::widgets::model_picker::{ModelPicker, ModelPickerOutcome};
use claurst_protocol::Op;
use crossterm::event::KeyEvent;

/// The settings panel on screen, at most one at a time.
#[derive(Debug, Clone)]
pub(crate) enum SettingsPanel {
    Model(ModelPicker),
}

impl App {
    /// `/model` without a name: the picker over every known model; the endpoint's own list is asked for and
    /// merged in when it arrives, so the picker never waits for it.
    pub(crate) fn open_model_picker(&mut self) -> Vec<Effect> {
        self.settings_panel = Some(SettingsPanel::Model(ModelPicker::new(&self.models, &self.status.model)));
        vec![Effect::Send(Op::ListModels)]
    }

    pub(crate) fn settings_panel_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(panel) = &mut self.settings_panel else {
            return Vec::new();
        };
        match panel {
            SettingsPanel::Model(picker) => match picker.handle_key(key) {
                ModelPickerOutcome::Pending => Vec::new(),
                ModelPickerOutcome::Cancelled => {
                    self.settings_panel = None;
                    Vec::new()
                }
                ModelPickerOutcome::Chosen(model) => {
                    self.settings_panel = None;
                    vec![Effect::Send(Op::SetModel(model))]
                }
            },
        }
    }

    /// Models the endpoint reported: into the open picker, if there is one. Returns whether it took them.
    pub(crate) fn merge_into_model_picker(&mut self, provider: &str, models: &[String]) -> bool {
        match &mut self.settings_panel {
            Some(SettingsPanel::Model(picker)) => {
                picker.merge(provider, models);
                true
            }
            _ => false,
        }
    }

    pub(crate) fn settings_panel_height(&self) -> Option<u16> {
        self.settings_panel.as_ref().map(|panel| match panel {
            SettingsPanel::Model(picker) => picker.height(),
        })
    }

    pub(crate) fn render_settings_panel(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect) {
        match &self.settings_panel {
            Some(SettingsPanel::Model(picker)) => picker.render(frame, area, self.theme),
            None => {}
        }
    }
}
