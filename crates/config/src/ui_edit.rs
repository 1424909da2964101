//! Saving the interface's choices (`[ui] theme`) in the user's `config.toml`, edited in place so comments
//! and layout survive.

use crate::error::ConfigError;
use crate::mcp_edit::{parse_toml, write_config_file};
use std::path::Path;
use toml_edit::{Item, Table, value};

/// `text` (a TOML config file, possibly empty) with `[ui] KEY = "VALUE"` set, the rest unchanged.
pub fn set_ui_value(text: &str, file: &Path, key: &str, new_value: &str) -> Result<String, ConfigError> {
    let mut document = parse_toml(text, file)?;
    let root = document.as_table_mut();
    if !root.contains_key("ui") {
        root.insert("ui", Item::Table(Table::new()));
    }
    let Some(ui) = root.get_mut("ui").and_then(Item::as_table_like_mut) else {
        return Err(ConfigError::InvalidValue {
            file: file.to_path_buf(),
            line: 1,
            key: "ui".into(),
            expected: "a table ([ui])".into(),
            found: "another value".into(),
        });
    };
    ui.insert(key, value(new_value));
    Ok(document.to_string())
}

/// Set `[ui] theme` in `file` (created when missing).
pub fn save_ui_theme(file: &Path, theme: &str) -> Result<(), ConfigError> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => return Err(ConfigError::Read { file: file.to_path_buf(), source }),
    };
    write_config_file(file, &set_ui_value(&text, file, "theme", theme)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_theme_is_set_keeping_comments_and_other_keys() {
        let text =
            "# my settings\n[api]\nmodel = \"x\" # pinned\n\n[ui]\n# style\noutput_style = \"learning\"\n";
        let edited = set_ui_value(text, Path::new("c.toml"), "theme", "light").unwrap();
        assert!(edited.starts_with("# my settings\n[api]\nmodel = \"x\" # pinned\n"), "{edited}");
        assert!(edited.contains("# style\noutput_style = \"learning\"\ntheme = \"light\"\n"), "{edited}");
        let again = set_ui_value(&edited, Path::new("c.toml"), "theme", "dark").unwrap();
        assert!(again.contains("theme = \"dark\"") && !again.contains("light"), "{again}");
    }

    #[test]
    fn an_empty_file_gets_a_ui_section() {
        assert_eq!(
            set_ui_value("", Path::new("c.toml"), "theme", "colorblind").unwrap(),
            "[ui]\ntheme = \"colorblind\"\n"
        );
    }
}
