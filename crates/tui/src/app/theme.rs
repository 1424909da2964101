//! `/theme`: choosing the palette. `/theme NAME` applies and saves it; `/theme` alone opens a menu of the
//! palettes in which the highlighted one is previewed on the whole screen until Enter or Esc.

use super::{App, Effect};
use crate::theme::{Theme, ThemeName};
use crate::transcript::NoticeKind;
use crate::widgets::popup::{PopupItem, PopupKind};
use claurst_protocol::{Op, UserSetting};

impl App {
    pub(crate) fn theme_command(&mut self, name: Option<String>) -> Vec<Effect> {
        let Some(name) = name.filter(|name| !name.trim().is_empty()) else {
            // The menu of palettes, with the one in use first highlighted by the composer's text.
            self.composer.set_text("/theme ");
            self.refresh_popup();
            return Vec::new();
        };
        match ThemeName::parse(&name) {
            Some(theme) => {
                self.theme = self.theme.with_name(theme);
                self.flash(format!("Theme: {}", theme.as_str()));
                vec![Effect::Send(Op::SaveUserSetting(UserSetting::Theme(theme.as_str().to_string())))]
            }
            None => {
                self.notice(
                    NoticeKind::Error,
                    format!("Unknown theme `{}`: choose dark, light or colorblind.", name.trim()),
                );
                Vec::new()
            }
        }
    }

    pub(crate) fn theme_choices(&self, query: &str) -> Vec<PopupItem> {
        let query = query.to_lowercase();
        ThemeName::ALL
            .into_iter()
            .filter(|theme| theme.as_str().contains(&query))
            .map(|theme| {
                let current = if theme == self.theme.name() { " · current" } else { "" };
                PopupItem {
                    label: theme.as_str().to_string(),
                    detail: format!("{}{current}", theme.description()),
                }
            })
            .collect()
    }

    /// The theme to draw with: the palette highlighted in the `/theme` menu, else the one in use.
    pub fn shown_theme(&self) -> Theme {
        match &self.popup {
            Some(popup) if popup.kind == PopupKind::Themes => popup
                .selected_item()
                .and_then(|item| ThemeName::parse(&item.label))
                .map_or(self.theme, |name| self.theme.with_name(name)),
            _ => self.theme,
        }
    }

    /// The palette in use.
    pub fn theme(&self) -> Theme {
        self.theme
    }
}
