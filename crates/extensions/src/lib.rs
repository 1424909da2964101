//! Extending Claurst with files users keep in their project or home: custom slash commands (Markdown in
//! `commands/`), skills (folders with a `SKILL.md`) and output styles (Markdown in `output-styles/`), read from
//! `.claurst/` and, for compatibility, `.claude/`.
//!
//! This crate loads and interprets those files; it does not run models or ask the user anything. The agent
//! (`claurst-assistant`) expands a command's `@file` and `` !`cmd` `` pieces through its permission engine, and
//! front-ends only ever see the views in `claurst-protocol`.

pub mod commands;
pub mod frontmatter;
pub mod skills;
pub mod styles;

use std::path::{Path, PathBuf};

/// Where an extension file was found. The order of the variants is the order of precedence: when two files
/// define the same name, the earlier place wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// `<project>/.claurst/…`
    Project,
    /// `<project>/.claude/…`
    ProjectClaude,
    /// `~/.claurst/…`
    User,
    /// `~/.claude/…`
    UserClaude,
}

impl Origin {
    /// How the menu and `/help` name the place.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Project => "project",
            Origin::ProjectClaude => "project (.claude)",
            Origin::User => "user",
            Origin::UserClaude => "user (.claude)",
        }
    }
}

/// The two directories extensions are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    pub project: PathBuf,
    /// The user's home; `None` reads project files only.
    pub home: Option<PathBuf>,
}

impl Roots {
    pub fn new(project: impl Into<PathBuf>, home: Option<PathBuf>) -> Self {
        Self { project: project.into(), home }
    }

    /// The existing `<kind>` directories (`commands`, `skills`, `output-styles`), in order of precedence.
    pub fn dirs(&self, kind: &str) -> Vec<(Origin, PathBuf)> {
        let mut dirs = vec![
            (Origin::Project, self.project.join(".claurst").join(kind)),
            (Origin::ProjectClaude, self.project.join(".claude").join(kind)),
        ];
        if let Some(home) = &self.home {
            // A home that is the project (claurst run in ~) would list the same files twice.
            if home != &self.project {
                dirs.push((Origin::User, home.join(".claurst").join(kind)));
                dirs.push((Origin::UserClaude, home.join(".claude").join(kind)));
            }
        }
        dirs.retain(|(_, dir)| dir.is_dir());
        dirs
    }
}

/// What loading found: the items, and problems to tell the user (each naming its file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded<T> {
    pub items: Vec<T>,
    pub notices: Vec<String>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Self { items: Vec::new(), notices: Vec::new() }
    }
}

/// Read `path` as text, or a notice naming it.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("Cannot read {}: {error}", path.display()))
}
