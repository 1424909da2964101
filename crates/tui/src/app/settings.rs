//! The panels that change settings (`/model`, `/permissions`, `/config`): which one is open, its keys and
//! what they send.

use super::{App, Effect};
use crate::transcript::NoticeKind;
use crate::widgets::config_panel::{ConfigOutcome, ConfigPanel, ConfigRow, ConfigValues};
use crate::widgets::cycle;
use crate::widgets::model_picker::{ModelPicker, ModelPickerOutcome};
use crate::widgets::permissions_panel::{PermissionsOutcome, PermissionsPanel};
use claurst_protocol::{Op, PermissionMode, PermissionRulesView, UserSetting};
use crossterm::event::KeyEvent;

/// The settings panel on screen, at most one at a time.
#[derive(Debug, Clone)]
pub(crate) enum SettingsPanel {
    Model(ModelPicker),
    Permissions(PermissionsPanel),
    Config(ConfigPanel),
}

impl App {
    /// `/model` without a name: the picker over every known model; the endpoint's own list is asked for and
    /// merged in when it arrives, so the picker never waits for it.
    pub(crate) fn open_model_picker(&mut self) -> Vec<Effect> {
        self.settings_panel = Some(SettingsPanel::Model(ModelPicker::new(&self.models, &self.status.model)));
        vec![Effect::Send(Op::ListModels)]
    }

    /// `/permissions`: the editor, filled when the session lists the rules.
    pub(crate) fn open_permissions_panel(&mut self) -> Vec<Effect> {
        self.settings_panel = Some(SettingsPanel::Permissions(PermissionsPanel::new()));
        vec![Effect::Send(Op::ListPermissionRules)]
    }

    /// `/config`: the settings panel, with the configuration in force (files, main values) in the
    /// transcript above it.
    pub(crate) fn open_config_panel(&mut self) -> Vec<Effect> {
        let text = if self.config_lines.is_empty() {
            "Built-in defaults only.".to_string()
        } else {
            self.config_lines.join("\n")
        };
        self.notice(NoticeKind::Info, text);
        self.settings_panel = Some(SettingsPanel::Config(ConfigPanel::default()));
        Vec::new()
    }

    /// What `/config` shows, as the session last reported it.
    fn config_values(&self) -> ConfigValues {
        ConfigValues {
            model: self.status.model.clone(),
            permission_mode: self.status.mode.to_string(),
            output_style: self.output_style.clone(),
            thinking: self.status.thinking.is_some(),
            auto_dream: self.auto_dream,
            vim: self.vim.is_some(),
            statusline: self.statusline.command().map(str::to_string),
        }
    }

    /// Change one `/config` row: applied to the session where it applies, and saved.
    fn change_config(&mut self, row: ConfigRow, forward: bool) -> Vec<Effect> {
        match row {
            ConfigRow::Model => {
                let models: Vec<String> =
                    self.models.iter().flat_map(|provider| provider.models.iter().cloned()).collect();
                let Some(model) = cycle(&models, &self.status.model, forward) else {
                    self.flash("No models are listed: name one with /model <name>");
                    return Vec::new();
                };
                vec![
                    Effect::Send(Op::SetModel(model.clone())),
                    Effect::Send(Op::SaveUserSetting(UserSetting::Model(model))),
                ]
            }
            ConfigRow::PermissionMode => {
                let Some(mode) = cycle(&PermissionMode::ALL, &self.status.mode, forward) else {
                    return Vec::new();
                };
                self.status.mode = mode;
                vec![
                    Effect::Send(Op::SetPermissionMode(mode)),
                    Effect::Send(Op::SaveUserSetting(UserSetting::PermissionMode(mode))),
                ]
            }
            ConfigRow::OutputStyle => {
                let names: Vec<String> = self.output_styles.iter().map(|style| style.name.clone()).collect();
                let Some(name) = cycle(&names, &self.output_style, forward) else {
                    self.flash("No output styles are known to this session");
                    return Vec::new();
                };
                vec![
                    Effect::Send(Op::SetOutputStyle(name.clone())),
                    Effect::Send(Op::SaveUserSetting(UserSetting::OutputStyle(name))),
                ]
            }
            ConfigRow::Thinking => self.toggle_thinking(),
            ConfigRow::AutoDream => {
                self.auto_dream = !self.auto_dream;
                vec![Effect::Send(Op::SaveUserSetting(UserSetting::AutoDream(self.auto_dream)))]
            }
            ConfigRow::Vim => self.toggle_vim(),
            ConfigRow::StatusLine | ConfigRow::Theme => Vec::new(),
        }
    }

    pub(crate) fn settings_panel_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let mode = self.status.mode;
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
            SettingsPanel::Permissions(editor) => match editor.handle_key(key, mode) {
                PermissionsOutcome::Pending => Vec::new(),
                PermissionsOutcome::Closed => {
                    self.settings_panel = None;
                    Vec::new()
                }
                PermissionsOutcome::Send(op) => vec![Effect::Send(op)],
            },
            SettingsPanel::Config(panel) => match panel.handle_key(key) {
                ConfigOutcome::Pending => Vec::new(),
                ConfigOutcome::Closed => {
                    self.settings_panel = None;
                    Vec::new()
                }
                ConfigOutcome::Change { row, forward } => self.change_config(row, forward),
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

    /// The session's rules, for the open `/permissions` editor.
    pub(crate) fn permission_rules_listed(&mut self, rules: PermissionRulesView) {
        if let Some(SettingsPanel::Permissions(editor)) = &mut self.settings_panel {
            editor.set_rules(rules);
        }
    }

    /// A rule the session refused: in the editor when it is open, else as a notice.
    pub(crate) fn permission_rule_refused(&mut self, rule: String, reason: String) {
        match &mut self.settings_panel {
            Some(SettingsPanel::Permissions(editor)) => editor.refused(reason),
            _ => self.notice(NoticeKind::Error, format!("The rule `{rule}` was not saved: {reason}")),
        }
    }

    pub(crate) fn settings_panel_height(&self, width: u16) -> Option<u16> {
        self.settings_panel.as_ref().map(|panel| match panel {
            SettingsPanel::Model(picker) => picker.height(),
            SettingsPanel::Permissions(editor) => editor.height(self.status.mode, width, self.theme),
            SettingsPanel::Config(panel) => panel.height(),
        })
    }

    pub(crate) fn render_settings_panel(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect) {
        match &self.settings_panel {
            Some(SettingsPanel::Model(picker)) => picker.render(frame, area, self.theme),
            Some(SettingsPanel::Permissions(editor)) => {
                frame.render_widget(editor.widget(self.status.mode, self.theme), area)
            }
            Some(SettingsPanel::Config(panel)) => {
                frame.render_widget(panel.widget(&self.config_values(), self.theme), area)
            }
            None => {}
        }
    }
}
