//! The project-local file of rules approved with "allow and remember":
//! `<project>/.claurst/permissions.local.toml`, holding top-level lists `allow`, `ask` and `deny`.

use crate::error::{PermissionError, RuleList};
use crate::rule::Rule;
use crate::rule_set::RuleSet;
use serde::Deserialize;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where the file lives, relative to the project root.
pub const REMEMBERED_RULES_FILE: &str = ".claurst/permissions.local.toml";

const HEADER: &str = "# Rules you approved with \"allow and remember\". \
                      Edit or delete freely; add this file to .gitignore if you like.\n";

/// The remembered-rules file of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RememberedRules {
    path: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileContents {
    #[serde(default)]
    allow: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    ask: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    deny: Option<Spanned<Vec<Spanned<String>>>>,
}

impl FileContents {
    fn list(&self, list: RuleList) -> Option<&Spanned<Vec<Spanned<String>>>> {
        match list {
            RuleList::Allow => self.allow.as_ref(),
            RuleList::Ask => self.ask.as_ref(),
            RuleList::Deny => self.deny.as_ref(),
        }
    }
}

impl RememberedRules {
    /// The file of the project at `project_root`.
    pub fn for_project(project_root: &Path) -> RememberedRules {
        RememberedRules { path: project_root.join(REMEMBERED_RULES_FILE) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rules in the file; a missing file holds none.
    pub fn load(&self) -> Result<RuleSet, PermissionError> {
        match self.read()? {
            None => Ok(RuleSet::default()),
            Some(text) => self.parse(&text).map(|(rules, _)| rules),
        }
    }

    /// Adds `rule` to `list`, keeping everything else in the file (comments included) as it is. Creates
    /// the file, with a header comment, if needed; does nothing if the list already holds the rule. A
    /// malformed file is reported, never overwritten.
    pub fn append(&self, list: RuleList, rule: &Rule) -> Result<(), PermissionError> {
        let entry = toml::Value::String(rule.to_string()).to_string();
        let updated = match self.read()? {
            None => format!("{HEADER}{} = [{entry}]\n", list.key()),
            Some(text) => {
                let (rules, contents) = self.parse(&text)?;
                if rules.list(list).contains(rule) {
                    return Ok(());
                }
                insert_entry(&text, list, contents.list(list), &entry)
            }
        };
        self.write(&updated)
    }

    fn read(&self) -> Result<Option<String>, PermissionError> {
        match fs::read_to_string(&self.path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(self.io_error("read", source)),
        }
    }

    fn parse(&self, text: &str) -> Result<(RuleSet, FileContents), PermissionError> {
        let contents: FileContents =
            toml::from_str(text).map_err(|e| PermissionError::RememberedFileSyntax {
                path: self.path.clone(),
                line: line_of(text, e.span().map_or(0, |span| span.start)),
                message: e.message().trim().to_string(),
            })?;
        let mut rules = RuleSet::default();
        for list in [RuleList::Allow, RuleList::Ask, RuleList::Deny] {
            for entry in contents.list(list).map(|l| l.get_ref().as_slice()).unwrap_or_default() {
                let rule = entry.get_ref().parse().map_err(|source| PermissionError::RememberedRule {
                    path: self.path.clone(),
                    line: line_of(text, entry.span().start),
                    source,
                })?;
                rules.insert(list, rule);
            }
        }
        Ok((rules, contents))
    }

    /// Writes through a temporary file and a rename, so an interrupted write never leaves half a file.
    fn write(&self, text: &str) -> Result<(), PermissionError> {
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(|source| self.io_error("create the directory of", source))?;
        }
        let temporary = self.path.with_extension("toml.tmp");
        fs::write(&temporary, text).map_err(|source| self.io_error("write", source))?;
        fs::rename(&temporary, &self.path).map_err(|source| self.io_error("replace", source))
    }

    fn io_error(&self, action: &'static str, source: io::Error) -> PermissionError {
        PermissionError::Io { action, path: self.path.clone(), source }
    }
}

/// The text with `entry` added to the array of `list`, or a new `list = [entry]` line at the end.
fn insert_entry(
    text: &str,
    list: RuleList,
    array: Option<&Spanned<Vec<Spanned<String>>>>,
    entry: &str,
) -> String {
    let Some(array) = array else {
        let separator = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        return format!("{text}{separator}{} = [{entry}]\n", list.key());
    };
    let span: Range<usize> = array.span();
    let (at, insertion) = match array.get_ref().last() {
        None => (span.start + 1, entry.to_string()),
        Some(last) => {
            let end = last.span().end;
            if text[span.clone()].contains('\n') {
                let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
                let indent: String =
                    text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
                (end, format!(",\n{indent}{entry}"))
            } else {
                (end, format!(", {entry}"))
            }
        }
    };
    format!("{}{insertion}{}", &text[..at], &text[at..])
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Rule {
        text.parse().unwrap()
    }

    fn file_with(text: &str) -> (tempfile::TempDir, RememberedRules) {
        let dir = tempfile::tempdir().unwrap();
        let file = RememberedRules::for_project(dir.path());
        fs::create_dir_all(file.path().parent().unwrap()).unwrap();
        fs::write(file.path(), text).unwrap();
        (dir, file)
    }

    #[test]
    fn missing_file_is_empty_and_append_creates_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = RememberedRules::for_project(dir.path());
        assert_eq!(file.load().unwrap(), RuleSet::default());
        file.append(RuleList::Allow, &rule("bash(cargo test:*)")).unwrap();
        let text = fs::read_to_string(file.path()).unwrap();
        assert_eq!(text, format!("{HEADER}allow = [\"bash(cargo test:*)\"]\n"));
        file.append(RuleList::Allow, &rule("Bash(cargo test:*)")).unwrap();
        assert_eq!(fs::read_to_string(file.path()).unwrap(), text, "no duplicate");
    }

    #[test]
    fn append_keeps_comments_and_layout() {
        let (_dir, file) =
            file_with("# mine\nallow = [\"read_file\"] # trailing\ndeny = [\n    \"bash(rm:*)\",\n]\n");
        file.append(RuleList::Allow, &rule("grep")).unwrap();
        file.append(RuleList::Deny, &rule("bash(git push:*)")).unwrap();
        file.append(RuleList::Ask, &rule("web_fetch")).unwrap();
        let text = fs::read_to_string(file.path()).unwrap();
        assert_eq!(
            text,
            "# mine\nallow = [\"read_file\", \"grep\"] # trailing\ndeny = [\n    \"bash(rm:*)\",\n    \
             \"bash(git push:*)\",\n]\nask = [\"web_fetch\"]\n"
        );
        let rules = file.load().unwrap();
        assert_eq!(rules.allow, [rule("read_file"), rule("grep")]);
        assert_eq!(rules.deny, [rule("bash(rm:*)"), rule("bash(git push:*)")]);
        assert_eq!(rules.ask, [rule("web_fetch")]);
    }

    #[test]
    fn append_into_empty_array_and_file_without_newline() {
        let (_dir, file) = file_with("allow = []");
        file.append(RuleList::Allow, &rule("grep")).unwrap();
        file.append(RuleList::Deny, &rule("bash(rm:*)")).unwrap();
        assert_eq!(fs::read_to_string(file.path()).unwrap(), "allow = [\"grep\"]\ndeny = [\"bash(rm:*)\"]\n");
    }

    #[test]
    fn rules_with_quotes_are_escaped() {
        let (_dir, file) = file_with("");
        let quoted = rule(r#"bash(git commit -m "wip")"#);
        file.append(RuleList::Allow, &quoted).unwrap();
        assert_eq!(file.load().unwrap().allow, [quoted]);
    }

    #[test]
    fn malformed_files_name_file_and_line() {
        let (_dir, file) = file_with("allow = [\"grep\"]\n\nallow = 3\n");
        let error = file.load().unwrap_err();
        assert!(matches!(error, PermissionError::RememberedFileSyntax { line: 3, .. }), "{error}");
        assert!(error.to_string().contains("permissions.local.toml:3"), "{error}");

        let (_dir, file) = file_with("allow = [\n  \"grep\",\n  \"bash()\",\n]\n");
        let error = file.load().unwrap_err();
        assert!(matches!(error, PermissionError::RememberedRule { line: 3, .. }), "{error}");
        assert!(file.append(RuleList::Allow, &rule("grep")).is_err(), "a broken file is not overwritten");

        let (_dir, file) = file_with("alow = []\n");
        let error = file.load().unwrap_err();
        assert!(error.to_string().contains("alow"), "{error}");
    }
}
