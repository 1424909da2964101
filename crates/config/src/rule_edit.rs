//! Permission rules in the files users keep: `[tools] allow / ask / deny` of `config.toml` and
//! `.claurst.toml`, and the top-level lists of the project's `.claurst/permissions.local.toml`. Each edit is
//! a pure function of the file's text that keeps comments and layout (toml_edit); `write_config_file` puts
//! the result in place. Rules are handled as text here: the permission engine validates them.

use crate::error::ConfigError;
use std::path::Path;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// The lists a rule may be in, as their keys are spelt. `[tools] allowed` is an older spelling of `allow`:
/// read as allow, never written.
pub const RULE_LISTS: [&str; 3] = ["allow", "ask", "deny"];

/// Every rule in `text`, as `(list, rule)`; `table` is `Some("tools")` for a config file, `None` for the
/// remembered-rules file whose lists are top-level.
pub fn rules_in_toml(
    text: &str,
    file: &Path,
    table: Option<&str>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let document = crate::mcp_edit::parse_toml(text, file)?;
    let Some(section) = section(&document, table) else {
        return Ok(Vec::new());
    };
    let mut rules = Vec::new();
    for (key, list) in [("allowed", "allow"), ("allow", "allow"), ("ask", "ask"), ("deny", "deny")] {
        if let Some(array) = section.get(key).and_then(Item::as_array) {
            rules.extend(
                array.iter().filter_map(Value::as_str).map(|rule| (list.to_string(), rule.to_string())),
            );
        }
    }
    Ok(rules)
}

/// `text` with `rule` appended to `list`, or `None` when the list already holds it.
pub fn add_rule_to_toml(
    text: &str,
    file: &Path,
    table: Option<&str>,
    list: &str,
    rule: &str,
) -> Result<Option<String>, ConfigError> {
    let mut document = crate::mcp_edit::parse_toml(text, file)?;
    let section = section_mut(&mut document, table, file)?;
    if !section.contains_key(list) {
        section.insert(list, Item::Value(Value::Array(Array::new())));
    }
    let array = section.get_mut(list).and_then(Item::as_array_mut).ok_or_else(|| not_a_list(file, list))?;
    if array.iter().any(|entry| entry.as_str() == Some(rule)) {
        return Ok(None);
    }
    array.push(rule);
    Ok(Some(document.to_string()))
}

/// `text` without `rule` in `list` (for `allow`, in the older `allowed` too), or `None` when it is not there.
pub fn remove_rule_from_toml(
    text: &str,
    file: &Path,
    table: Option<&str>,
    list: &str,
    rule: &str,
) -> Result<Option<String>, ConfigError> {
    let mut document = crate::mcp_edit::parse_toml(text, file)?;
    if section(&document, table).is_none() {
        return Ok(None);
    }
    let section = section_mut(&mut document, table, file)?;
    let keys: &[&str] = if list == "allow" { &["allow", "allowed"] } else { &[list] };
    let mut removed = false;
    for key in keys {
        if let Some(array) = section.get_mut(key).and_then(Item::as_array_mut) {
            let before = array.len();
            // The first entry's leading space (or newline and indent) belongs to the list's layout.
            let lead = array.get(0).and_then(|first| first.decor().prefix().cloned());
            array.retain(|entry| entry.as_str() != Some(rule));
            if let (Some(lead), Some(first)) = (lead, array.get_mut(0)) {
                first.decor_mut().set_prefix(lead);
            }
            removed |= array.len() != before;
        }
    }
    Ok(removed.then(|| document.to_string()))
}

fn section<'a>(document: &'a DocumentMut, table: Option<&str>) -> Option<&'a dyn toml_edit::TableLike> {
    match table {
        None => Some(document.as_table() as &dyn toml_edit::TableLike),
        Some(name) => document.get(name).and_then(Item::as_table_like),
    }
}

fn section_mut<'a>(
    document: &'a mut DocumentMut,
    table: Option<&str>,
    file: &Path,
) -> Result<&'a mut dyn toml_edit::TableLike, ConfigError> {
    let Some(name) = table else {
        return Ok(document.as_table_mut() as &mut dyn toml_edit::TableLike);
    };
    if !document.contains_key(name) {
        document.insert(name, Item::Table(Table::new()));
    }
    document.get_mut(name).and_then(Item::as_table_like_mut).ok_or_else(|| ConfigError::InvalidValue {
        file: file.to_path_buf(),
        line: 1,
        key: name.into(),
        expected: "a table".into(),
        found: "another value".into(),
    })
}

fn not_a_list(file: &Path, key: &str) -> ConfigError {
    ConfigError::InvalidValue {
        file: file.to_path_buf(),
        line: 1,
        key: key.into(),
        expected: "a list of rules".into(),
        found: "another value".into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const FILE: &str =
        "# my settings\n[api]\nmodel = \"x\" # pinned\n\n[tools]\n# safe ones\nallow = [\"read_file\"]\n";

    #[test]
    fn adding_keeps_comments_and_skips_a_rule_already_there() {
        let path = Path::new(".claurst.toml");
        let edited = add_rule_to_toml(FILE, path, Some("tools"), "deny", "bash(rm:*)").unwrap().unwrap();
        assert!(edited.starts_with("# my settings\n[api]\nmodel = \"x\" # pinned\n"), "{edited}");
        assert!(edited.contains("# safe ones\nallow = [\"read_file\"]\ndeny = [\"bash(rm:*)\"]"), "{edited}");
        assert_eq!(add_rule_to_toml(&edited, path, Some("tools"), "deny", "bash(rm:*)").unwrap(), None);
        let rules = rules_in_toml(&edited, path, Some("tools")).unwrap();
        assert_eq!(rules, [("allow".into(), "read_file".into()), ("deny".into(), "bash(rm:*)".into())]);
    }

    #[test]
    fn a_missing_section_is_created_and_removal_finds_the_older_spelling() {
        let path = Path::new("config.toml");
        let edited = add_rule_to_toml("", path, Some("tools"), "ask", "web_fetch").unwrap().unwrap();
        assert_eq!(edited, "[tools]\nask = [\"web_fetch\"]\n");
        let old = "[tools]\nallowed = [\"grep\", \"glob\"]\n";
        assert_eq!(
            remove_rule_from_toml(old, path, Some("tools"), "allow", "grep").unwrap().unwrap(),
            "[tools]\nallowed = [\"glob\"]\n"
        );
        assert_eq!(remove_rule_from_toml(old, path, Some("tools"), "deny", "grep").unwrap(), None);
        assert_eq!(remove_rule_from_toml("", path, Some("tools"), "deny", "grep").unwrap(), None);
    }

    #[test]
    fn the_remembered_file_keeps_its_lists_at_the_top() {
        let path = Path::new(".claurst/permissions.local.toml");
        let edited = add_rule_to_toml("# header\nallow = [\"bash(ls)\"]\n", path, None, "allow", "grep")
            .unwrap()
            .unwrap();
        assert_eq!(edited, "# header\nallow = [\"bash(ls)\", \"grep\"]\n");
        assert!(add_rule_to_toml("[tools]\nallow = 1\n", path, Some("tools"), "allow", "grep").is_err());
    }
}
