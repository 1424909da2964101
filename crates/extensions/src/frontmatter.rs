//! The YAML-like header of an extension file: `---`, `key: value` lines, `---`, then the body.
//!
//! Only the small subset these files use is read: scalar values (optionally quoted) and lists written
//! `[a, b]`, `a, b` or as `- item` lines. A line that is none of these is reported and skipped, so one
//! mistake does not lose the whole file.

use std::path::Path;

/// A parsed header and the text after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Keys in file order, with their raw values (a `- item` list is joined with commas).
    pub fields: Vec<(String, String)>,
    pub body: String,
    /// Problems found, each naming the file and the line or key.
    pub problems: Vec<String>,
}

impl Document {
    /// The value of `key`, when present and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// The value of `key` read as a list.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.get(key).map(split_list).unwrap_or_default()
    }

    /// Note keys not in `known` (misspellings are the usual mistake).
    pub fn check_keys(&mut self, path: &Path, known: &[&str]) {
        for (key, _) in &self.fields {
            if !known.contains(&key.as_str()) {
                self.problems.push(format!(
                    "{}: unknown frontmatter key `{key}` (known: {}); it is ignored",
                    path.display(),
                    known.join(", ")
                ));
            }
        }
    }
}

/// Split `text` (from `path`, for messages) into its header and body.
pub fn parse(text: &str, path: &Path) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let starts_with_header = text.lines().next().is_some_and(|line| line.trim_end() == "---");
    if !starts_with_header {
        return Document { body: text.to_string(), ..Document::default() };
    }
    lines.next();
    let mut document = Document::default();
    let mut consumed = text.lines().next().map_or(0, |line| line.len() + 1);
    let mut closed = false;
    for (index, line) in lines.by_ref().enumerate() {
        consumed += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" {
            closed = true;
            break;
        }
        read_line(trimmed, index + 2, path, &mut document);
    }
    if !closed {
        // Its lines were body text, not keys: only the missing `---` is worth reporting.
        let problem = format!(
            "{}: the frontmatter opened with `---` is never closed; the whole file is read as the body",
            path.display()
        );
        return Document { body: text.to_string(), problems: vec![problem], fields: Vec::new() };
    }
    document.body = text.get(consumed.min(text.len())..).unwrap_or_default().to_string();
    document
}

fn read_line(line: &str, number: usize, path: &Path, document: &mut Document) {
    if line.trim().is_empty() || line.trim_start().starts_with('#') {
        return;
    }
    if let Some(item) = line.trim_start().strip_prefix("- ") {
        // An item of a block list under the previous key.
        match document.fields.last_mut() {
            Some((_, value)) => {
                if !value.is_empty() {
                    value.push_str(", ");
                }
                value.push_str(unquote(item.trim()));
            }
            None => document.problems.push(format!(
                "{}: line {number}: a list item before any key; it is ignored",
                path.display()
            )),
        }
        return;
    }
    match line.split_once(':') {
        Some((key, value)) if !key.trim().is_empty() && !key.contains(char::is_whitespace) => {
            document.fields.push((key.trim().to_string(), unquote(value.trim()).to_string()));
        }
        _ => document
            .problems
            .push(format!("{}: line {number}: `{line}` is not `key: value`; it is ignored", path.display())),
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|rest| rest.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

/// `[a, b]`, `a, b` or `a b` as a list. Commas win over spaces, so `Bash(git status:*)` stays whole.
pub fn split_list(value: &str) -> Vec<String> {
    let value = value.trim();
    let inner = value.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')).unwrap_or(value);
    let items: Vec<&str> = if inner.contains(',') {
        inner.split(',').collect()
    } else if inner.contains('(') {
        vec![inner]
    } else {
        inner.split_whitespace().collect()
    };
    items.into_iter().map(|item| unquote(item.trim()).to_string()).filter(|item| !item.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn doc(text: &str) -> Document {
        parse(text, Path::new("x.md"))
    }

    #[test]
    fn reads_keys_values_and_the_body() {
        let document = doc("---\ndescription: \"Run the tests\"\nargument-hint: [file]\n---\nBody $1\n");
        assert_eq!(document.get("description"), Some("Run the tests"));
        assert_eq!(document.get("argument-hint"), Some("[file]"));
        assert_eq!(document.body, "Body $1\n");
        assert!(document.problems.is_empty());
    }

    #[test]
    fn lists_come_in_three_shapes() {
        assert_eq!(split_list("[read_file, grep]"), ["read_file", "grep"]);
        assert_eq!(split_list("Bash(git status:*), read_file"), ["Bash(git status:*)", "read_file"]);
        assert_eq!(split_list("read_file grep"), ["read_file", "grep"]);
        let document = doc("---\nallowed-tools:\n  - read_file\n  - 'grep'\n---\n");
        assert_eq!(document.list("allowed-tools"), ["read_file", "grep"]);
    }

    #[test]
    fn a_file_without_a_header_is_all_body() {
        let document = doc("Just text\n---\n");
        assert!(document.fields.is_empty());
        assert_eq!(document.body, "Just text\n---\n");
    }

    #[test]
    fn mistakes_are_named_and_the_rest_still_loads() {
        let mut document = doc("---\ndescription: ok\nthis line is wrong\nmodle: x\n---\nbody");
        document.check_keys(Path::new("x.md"), &["description", "model"]);
        assert_eq!(document.get("description"), Some("ok"));
        assert_eq!(document.body, "body");
        assert_eq!(document.problems.len(), 2, "{:?}", document.problems);
        assert!(document.problems[0].contains("x.md: line 3"));
        assert!(document.problems[1].contains("unknown frontmatter key `modle`"));
        let unclosed = doc("---\ndescription: ok\nbody");
        assert!(unclosed.problems[0].contains("never closed"));
        assert_eq!(unclosed.body, "---\ndescription: ok\nbody");
    }
}
