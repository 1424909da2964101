//! Saving a new definition (the one `/agents` drafts and the user approves) as `<name>.md` in the
//! project's or the user's `.claurst/agents/`.

use super::{AgentSource, parse_definition};
use crate::{Origin, Roots};
use claurst_protocol::AgentScope;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Check `markdown` as [`parse_definition`] does, then write it to `<project>/.claurst/agents/<name>.md`
/// ([`AgentScope::Project`]) or `~/.claurst/agents/<name>.md` ([`AgentScope::User`]), creating the folder.
/// An existing file of that name is never replaced. Returns the file written, or a message for the user.
pub fn save_definition(roots: &Roots, scope: AgentScope, markdown: &str) -> Result<PathBuf, String> {
    let (base, origin) = match scope {
        AgentScope::Project => (roots.project.as_path(), Origin::Project),
        AgentScope::User => (
            roots
                .home
                .as_deref()
                .ok_or("there is no home directory to save a user agent in; save it in the project")?,
            Origin::User,
        ),
    };
    let definition =
        parse_definition(markdown, Path::new("the drafted definition"), AgentSource::File(origin))?;
    let dir = base.join(".claurst").join("agents");
    std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    // The name was checked (letters, digits, hyphens), so the file stays inside `dir`.
    let path = dir.join(format!("{}.md", definition.name));
    reserve(&path)?;
    let mut text = markdown.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if let Err(error) = claurst_config::write_atomically(&path, text.as_bytes()) {
        // Only the empty file reserved above is removed: nothing else was there.
        let _ = std::fs::remove_file(&path);
        return Err(format!("cannot write {}: {error}", path.display()));
    }
    Ok(path)
}

/// Create `path` empty, failing if it exists. Creating with `O_EXCL` first, rather than checking and then
/// renaming over, means a file that appears in between is refused too, never replaced.
fn reserve(path: &Path) -> Result<(), String> {
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == ErrorKind::AlreadyExists => Err(format!(
            "{} already exists; choose another name, or edit or remove that file",
            path.display()
        )),
        Err(error) => Err(format!("cannot create {}: {error}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const DRAFT: &str =
        "---\nname: test-writer\ndescription: Writes tests\ntools: Read, Write\n---\nWrite tests.";

    #[test]
    fn saves_in_the_chosen_place_and_loads_back() {
        let project = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let roots = Roots::new(project.path(), Some(home.path().to_path_buf()));
        let saved = save_definition(&roots, AgentScope::Project, DRAFT).unwrap();
        assert_eq!(saved, project.path().join(".claurst/agents/test-writer.md"));
        assert_eq!(std::fs::read_to_string(&saved).unwrap(), format!("{DRAFT}\n"));
        let saved = save_definition(&roots, AgentScope::User, DRAFT).unwrap();
        assert_eq!(saved, home.path().join(".claurst/agents/test-writer.md"));
        let loaded = super::super::load_agents(&roots);
        assert!(
            loaded.notices.iter().any(|notice| notice.contains("already defined")),
            "{:?}",
            loaded.notices
        );
        assert_eq!(loaded.items[0].source, AgentSource::File(Origin::Project));
        assert_eq!(loaded.items[0].tools.as_deref().unwrap(), ["read_file", "write_file"]);
    }

    #[test]
    fn refuses_to_overwrite_and_to_save_what_would_not_load() {
        let project = tempfile::tempdir().unwrap();
        let roots = Roots::new(project.path(), None);
        let path = project.path().join(".claurst/agents/test-writer.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "mine").unwrap();
        let error = save_definition(&roots, AgentScope::Project, DRAFT).unwrap_err();
        assert!(error.contains("test-writer.md already exists"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");

        let error = save_definition(&roots, AgentScope::Project, "---\nname: x\n---\nbody").unwrap_err();
        assert!(error.contains("the drafted definition: `description` is missing"), "{error}");
        assert!(!project.path().join(".claurst/agents/x.md").exists());
        let error = save_definition(&roots, AgentScope::User, DRAFT).unwrap_err();
        assert!(error.contains("no home directory"), "{error}");
    }
}
