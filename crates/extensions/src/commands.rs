//! Custom slash commands: Markdown files in `commands/` directories. `frontend/test.md` is `/frontend:test`;
//! the file's body, with its arguments substituted, becomes the prompt.

mod expand;

pub use expand::{Piece, pieces, substitute_arguments};

use crate::frontmatter;
use crate::{Loaded, Origin, Roots};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The frontmatter keys a command file may use.
const KEYS: &[&str] = &["description", "argument-hint", "allowed-tools", "model"];
/// Sub-folders deeper than this are not read (a symlink loop, a vendored tree).
const MAX_DEPTH: usize = 4;

/// One custom command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomCommand {
    /// `frontend:test` for `frontend/test.md`.
    pub name: String,
    pub description: String,
    /// Shown after the name in the menu (`[file] [focus]`).
    pub argument_hint: String,
    /// Tools (permission rules) this command's run may use without asking.
    pub allowed_tools: Vec<String>,
    /// The model for this command's run, when not the session's.
    pub model: Option<String>,
    pub body: String,
    pub path: PathBuf,
    pub origin: Origin,
}

/// Every custom command under `roots`; a name defined twice keeps the one of higher precedence.
pub fn load_commands(roots: &Roots) -> Loaded<CustomCommand> {
    let mut loaded = Loaded::default();
    let mut seen = HashSet::new();
    for (origin, dir) in roots.dirs("commands") {
        let mut files = Vec::new();
        markdown_files(&dir, &dir, 0, &mut files);
        files.sort();
        for (name, path) in files {
            if !seen.insert(name.clone()) {
                loaded.notices.push(format!(
                    "{}: /{name} is already defined with higher precedence; this file is ignored",
                    path.display()
                ));
                continue;
            }
            match read_command(name, &path, origin) {
                Ok((command, problems)) => {
                    loaded.items.push(command);
                    loaded.notices.extend(problems);
                }
                Err(notice) => loaded.notices.push(notice),
            }
        }
    }
    loaded
}

/// Read one command file named `name`.
pub fn read_command(
    name: String,
    path: &Path,
    origin: Origin,
) -> Result<(CustomCommand, Vec<String>), String> {
    let text = crate::read_text(path)?;
    let mut document = frontmatter::parse(&text, path);
    document.check_keys(path, KEYS);
    let description = document
        .get("description")
        .map(str::to_string)
        .unwrap_or_else(|| first_line(&document.body).unwrap_or_else(|| format!("Custom command ({name})")));
    let command = CustomCommand {
        description,
        argument_hint: document.get("argument-hint").unwrap_or_default().to_string(),
        allowed_tools: document.list("allowed-tools"),
        model: document.get("model").map(str::to_string),
        body: document.body.trim().to_string(),
        path: path.to_path_buf(),
        origin,
        name,
    };
    Ok((command, document.problems))
}

/// The body's first non-empty line, shortened, as a description when the file gives none.
fn first_line(body: &str) -> Option<String> {
    let line = body.lines().map(str::trim).find(|line| !line.is_empty())?;
    let mut short: String = line.chars().take(80).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    Some(short)
}

/// Collect `(name, path)` of the `.md` files under `dir`; folders become `folder:` prefixes.
fn markdown_files(base: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() || (kind.is_symlink() && path.is_dir()) {
            if depth < MAX_DEPTH {
                markdown_files(base, &path, depth + 1, out);
            }
        } else if path.extension().is_some_and(|extension| extension == "md")
            && let Some(name) = command_name(base, &path)
        {
            out.push((name, path));
        }
    }
}

/// `base/frontend/test.md` → `frontend:test`; names with spaces are skipped (they could not be typed).
pub fn command_name(base: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?.with_extension("");
    let parts: Vec<&str> = relative.iter().map(|part| part.to_str()).collect::<Option<_>>()?;
    let name = parts.join(":");
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn folders_are_namespaces_and_the_project_wins() {
        let project = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        write(
            &project.path().join(".claurst/commands/frontend/test.md"),
            "---\ndescription: FE\n---\nTest $1",
        );
        write(&project.path().join(".claude/commands/review.md"), "Review the diff\nthoroughly");
        write(&home.path().join(".claurst/commands/review.md"), "---\ndescription: mine\n---\nx");
        write(
            &home.path().join(".claude/commands/deploy.md"),
            "---\nmodel: claude-haiku\nallowed-tools: [bash]\n---\nGo",
        );
        let loaded = load_commands(&Roots::new(project.path(), Some(home.path().to_path_buf())));
        let names: Vec<(&str, Origin)> =
            loaded.items.iter().map(|command| (command.name.as_str(), command.origin)).collect();
        assert_eq!(
            names,
            [
                ("frontend:test", Origin::Project),
                ("review", Origin::ProjectClaude),
                ("deploy", Origin::UserClaude)
            ]
        );
        assert_eq!(loaded.items[1].description, "Review the diff");
        assert_eq!(loaded.items[2].model.as_deref(), Some("claude-haiku"));
        assert_eq!(loaded.items[2].allowed_tools, ["bash"]);
        assert_eq!(loaded.notices.len(), 1);
        assert!(loaded.notices[0].contains("/review is already defined"), "{:?}", loaded.notices);
    }

    #[test]
    fn a_bad_key_is_named_and_the_command_still_loads() {
        let project = tempfile::tempdir().unwrap();
        write(&project.path().join(".claurst/commands/fix.md"), "---\ndescripton: typo\n---\nFix $ARGUMENTS");
        let loaded = load_commands(&Roots::new(project.path(), None));
        assert_eq!(loaded.items.len(), 1);
        assert_eq!(substitute_arguments(&loaded.items[0].body, "the bug"), "Fix the bug");
        assert!(loaded.notices[0].contains("fix.md") && loaded.notices[0].contains("`descripton`"));
    }
}
