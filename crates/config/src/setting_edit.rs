//! Setting one value in a config file the user keeps (`/vim`, `/statusline`, `/config`), keeping its
//! comments and layout (toml_edit); `write_config_file` puts the result in place.

use crate::error::ConfigError;
use std::path::Path;
use toml_edit::{Item, Table, Value};

/// A value `/config` and friends write.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    Text(String),
    Flag(bool),
    Number(i64),
}

/// `text` with `[section] key = value` set (a `None` value removes the key; a section left empty by that
/// goes too).
pub fn set_value_in_toml(
    text: &str,
    file: &Path,
    section: &str,
    key: &str,
    value: Option<&SettingValue>,
) -> Result<String, ConfigError> {
    let mut document = crate::mcp_edit::parse_toml(text, file)?;
    if value.is_none() && !document.contains_key(section) {
        return Ok(document.to_string());
    }
    if !document.contains_key(section) {
        document.insert(section, Item::Table(Table::new()));
    }
    let table = document.get_mut(section).and_then(Item::as_table_like_mut).ok_or_else(|| {
        ConfigError::InvalidValue {
            file: file.to_path_buf(),
            line: 1,
            key: section.into(),
            expected: "a table".into(),
            found: "another value".into(),
        }
    })?;
    match value {
        Some(value) => {
            let mut new = match value {
                SettingValue::Text(text) => Value::from(text.as_str()),
                SettingValue::Flag(flag) => Value::from(*flag),
                SettingValue::Number(number) => Value::from(*number),
            };
            // The comment after the old value (`auto_dream = true # for now`) stays with the new one.
            if let Some(old) = table.get(key).and_then(Item::as_value) {
                *new.decor_mut() = old.decor().clone();
            }
            table.insert(key, Item::Value(new));
        }
        None => {
            table.remove(key);
        }
    }
    if value.is_none() && table.is_empty() {
        document.remove(section);
    }
    Ok(document.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn setting_keeps_comments_and_replaces_an_old_value() {
        let file = Path::new("config.toml");
        let text = "# mine\n[ui]\noutput_style = \"learning\" # for now\n";
        let edited =
            set_value_in_toml(text, file, "ui", "editor_mode", Some(&SettingValue::Text("vim".into())))
                .unwrap();
        assert_eq!(edited, "# mine\n[ui]\noutput_style = \"learning\" # for now\neditor_mode = \"vim\"\n");
        let edited =
            set_value_in_toml(&edited, file, "ui", "editor_mode", Some(&SettingValue::Text("normal".into())))
                .unwrap();
        assert!(edited.contains("editor_mode = \"normal\"") && !edited.contains("\"vim\""), "{edited}");
        let kept = set_value_in_toml(
            "[memory]\nauto_dream = true # for now\n",
            file,
            "memory",
            "auto_dream",
            Some(&SettingValue::Flag(false)),
        )
        .unwrap();
        assert_eq!(kept, "[memory]\nauto_dream = false # for now\n");
        let flag =
            set_value_in_toml("", file, "memory", "auto_dream", Some(&SettingValue::Flag(false))).unwrap();
        assert_eq!(flag, "[memory]\nauto_dream = false\n");
    }

    #[test]
    fn removing_the_last_key_removes_its_section() {
        let file = Path::new("config.toml");
        let text = "[api]\nmodel = \"x\"\n\n[ui]\nstatusline = \"echo hi\"\n";
        assert_eq!(
            set_value_in_toml(text, file, "ui", "statusline", None).unwrap(),
            "[api]\nmodel = \"x\"\n"
        );
        assert_eq!(set_value_in_toml("", file, "ui", "statusline", None).unwrap(), "");
    }
}
