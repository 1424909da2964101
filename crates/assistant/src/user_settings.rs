//! Saving a setting the user changed in the interface to `~/.claurst/config.toml`, comments kept.

use crate::agent::Agent;
use crate::events::EventSink;
use claurst_config::{ClaurstPaths, SettingValue, set_value_in_toml, write_config_file};
use claurst_protocol::{AgentEvent, PermissionMode, UserSetting};
use std::path::PathBuf;

/// The user's own configuration file (`~/.claurst/config.toml`), wherever the interface edits or reports it;
/// `None` when there is no home directory.
pub(crate) fn user_config_file() -> Option<PathBuf> {
    let env = claurst_config::Environment::from_process();
    ClaurstPaths::from_env(&env).ok().map(|paths| paths.global_config())
}

/// The file and the `[section] key = value` a setting is written as (`None`: the key is removed).
fn entry(setting: &UserSetting) -> (&'static str, &'static str, Option<SettingValue>) {
    let text = |value: &str| Some(SettingValue::Text(value.to_string()));
    match setting {
        UserSetting::VimMode(on) => ("ui", "editor_mode", text(if *on { "vim" } else { "normal" })),
        UserSetting::StatusLine(command) => ("ui", "statusline", command.as_deref().and_then(text)),
        UserSetting::Model(model) => ("api", "model", text(model)),
        UserSetting::PermissionMode(mode) => ("tools", "permission_mode", text(mode.as_str())),
        UserSetting::OutputStyle(name) => ("ui", "output_style", text(name)),
        UserSetting::AutoDream(on) => ("memory", "auto_dream", Some(SettingValue::Flag(*on))),
        UserSetting::Theme(name) => ("ui", "theme", text(name)),
    }
}

impl Agent {
    pub(crate) async fn save_user_setting(&self, setting: UserSetting, sink: &EventSink) {
        let text = match save(&setting) {
            Ok(file) => format!("Saved {} to {}", setting.key(), file.display()),
            Err(error) => format!("Could not save {}: {error}", setting.key()),
        };
        sink.emit(AgentEvent::Notice { text }).await;
    }
}

fn save(setting: &UserSetting) -> Result<PathBuf, String> {
    // Modes that skip approvals apply to the session only: saved, they would silently start every later
    // session, in every project, without asking.
    if let UserSetting::PermissionMode(mode @ (PermissionMode::BypassPermissions | PermissionMode::DontAsk)) =
        setting
    {
        return Err(format!(
            "{} applies to this session only and is never saved as the default",
            mode.as_str()
        ));
    }
    let file = user_config_file().ok_or("HOME is not set")?;
    let current = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(format!("cannot read {}: {error}", file.display())),
    };
    let (section, key, value) = entry(setting);
    let edited = set_value_in_toml(&current, &file, section, key, value.as_ref())
        .map_err(|error| error.to_string())?;
    write_config_file(&file, &edited).map_err(|error| error.to_string())?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_that_skip_approvals_are_never_saved() {
        for mode in [PermissionMode::BypassPermissions, PermissionMode::DontAsk] {
            let refused = save(&UserSetting::PermissionMode(mode));
            assert!(refused.is_err_and(|why| why.contains("never saved")), "{mode:?}");
        }
    }
}
