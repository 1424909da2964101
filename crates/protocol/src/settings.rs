//! Settings the interface saves to the user's config file (`/vim`, `/statusline`, `/theme`, `/config`).

use crate::permission::PermissionMode;
use serde::{Deserialize, Serialize};

/// One setting and its new value, saved to `~/.claurst/config.toml` (comments kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserSetting {
    /// `[ui] editor_mode`: Vim-style editing in the composer, or not.
    VimMode(bool),
    /// `[ui] statusline`: a command whose output is the status line, or none.
    StatusLine(Option<String>),
    /// `[api] model`: the model new sessions start with.
    Model(String),
    /// `[tools] permission_mode`: the mode new sessions start in.
    PermissionMode(PermissionMode),
    /// `[ui] output_style`.
    OutputStyle(String),
    /// `[memory] auto_dream`: consolidate memory in the background.
    AutoDream(bool),
    /// `[ui] theme`: the interface's palette (`dark`, `light`, `colorblind`).
    Theme(String),
}

impl UserSetting {
    /// `section.key` as written in the file.
    pub fn key(&self) -> &'static str {
        match self {
            UserSetting::VimMode(_) => "ui.editor_mode",
            UserSetting::StatusLine(_) => "ui.statusline",
            UserSetting::Model(_) => "api.model",
            UserSetting::PermissionMode(_) => "tools.permission_mode",
            UserSetting::OutputStyle(_) => "ui.output_style",
            UserSetting::AutoDream(_) => "memory.auto_dream",
            UserSetting::Theme(_) => "ui.theme",
        }
    }
}
