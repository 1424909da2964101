//! What users add to Claurst without writing code, read from files they keep in their project or home: hooks
//! (commands run around the agent's events), custom slash commands (Markdown in `commands/`), skills (folders
//! with a `SKILL.md`), output styles (Markdown in `output-styles/`) and sub-agent definitions (Markdown in
//! `agents/`, or `--agents JSON`), from `.claurst/` and, for compatibility, `.claude/`.
//!
//! This crate reads definitions, runs hooks and interprets files; it decides nothing about the conversation
//! and asks the user nothing. The agent (`claurst-assistant`) applies the typed hook outcomes it returns and
//! expands a command's `@file` and `` !`cmd` `` pieces through its permission engine; front-ends only ever
//! see the views in `claurst-protocol`. It must never depend on the agent, a front-end or a terminal.

pub mod agents;
pub mod commands;
pub mod frontmatter;
pub mod hooks;
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

/// Everything loaded at start: what `/name` can run, what the model may load, and the styles.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub commands: Vec<commands::CustomCommand>,
    pub skills: std::sync::Arc<[skills::Skill]>,
    /// The built-in styles first.
    pub styles: Vec<styles::OutputStyle>,
    /// The kinds of sub-agent, in order of precedence, the built-in ones last.
    pub agents: Vec<agents::AgentDefinition>,
    /// Problems found while loading, each naming its file: shown once when the session starts.
    pub notices: Vec<String>,
    /// Where the files were read from (and where new ones are saved); `None` for a catalog not loaded from
    /// disk.
    pub roots: Option<Roots>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self {
            commands: Vec::new(),
            skills: Vec::new().into(),
            styles: styles::built_in(),
            agents: agents::built_in(),
            notices: Vec::new(),
            roots: None,
        }
    }
}

impl Catalog {
    /// Scan every extension directory under `roots`. A skill whose name a command already takes is reachable
    /// by the model but not as `/name`.
    pub fn load(roots: &Roots) -> Self {
        let commands = commands::load_commands(roots);
        let skills = skills::load_skills(roots);
        let styles = styles::load_styles(roots);
        let agents = agents::load_agents(roots);
        let mut notices = commands.notices;
        notices.extend(skills.notices);
        notices.extend(styles.notices);
        notices.extend(agents.notices);
        for skill in &skills.items {
            if commands.items.iter().any(|command| command.name == skill.name) {
                notices.push(format!(
                    "{}: /{} is a custom command too; typing it runs the command",
                    skill.dir.display(),
                    skill.name
                ));
            }
        }
        Self {
            commands: commands.items,
            skills: skills.items.into(),
            styles: styles.items,
            agents: agents.items,
            notices,
            roots: Some(roots.clone()),
        }
    }

    /// Put the `--agents` definitions first: they replace any file or built-in definition of the same name.
    pub fn with_command_line_agents(mut self, command_line: Vec<agents::AgentDefinition>) -> Self {
        self.agents.retain(|agent| !command_line.iter().any(|given| given.name == agent.name));
        self.agents.splice(0..0, command_line);
        self
    }

    /// The commands and skills as the menu lists them.
    pub fn command_views(&self) -> Vec<claurst_protocol::ExtensionCommandView> {
        use claurst_protocol::{ExtensionCommandView, ExtensionKind};
        let commands = self.commands.iter().map(|command| ExtensionCommandView {
            name: command.name.clone(),
            arguments: command.argument_hint.clone(),
            description: command.description.clone(),
            kind: ExtensionKind::Command,
            scope: command.origin.label().to_string(),
        });
        let skills = self
            .skills
            .iter()
            .filter(|skill| !self.commands.iter().any(|command| command.name == skill.name))
            .map(|skill| ExtensionCommandView {
                name: skill.name.clone(),
                arguments: "[request]".into(),
                description: skill.description.clone(),
                kind: ExtensionKind::Skill,
                scope: skill.origin.label().to_string(),
            });
        commands.chain(skills).collect()
    }

    /// `/skills`: every skill the model can load, where it comes from, and whether typing `/name` runs it
    /// (a custom command of the same name takes the name).
    pub fn skills_report(&self) -> String {
        if self.skills.is_empty() {
            return "No skills. Add a folder with a SKILL.md to .claurst/skills/ or .claude/skills/ (in the \
                    project or your home)."
                .to_string();
        }
        let lines: Vec<String> = self
            .skills
            .iter()
            .map(|skill| {
                let shadowed = self.commands.iter().any(|command| command.name == skill.name);
                let typed = if shadowed { " — /name runs the custom command of that name" } else { "" };
                format!("  /{:<18} {} ({}){typed}", skill.name, skill.description, skill.origin.label())
            })
            .collect();
        format!(
            "Skills (the model loads one when a task matches it; type /name to use one yourself):\n{}",
            lines.join("\n")
        )
    }

    /// The kinds of sub-agent as `/agents` lists them.
    pub fn agent_views(&self) -> Vec<claurst_protocol::AgentTypeView> {
        self.agents.iter().map(agents::AgentDefinition::view).collect()
    }

    /// The styles as `/output-style` lists them.
    pub fn style_views(&self) -> Vec<claurst_protocol::OutputStyleView> {
        self.styles
            .iter()
            .map(|style| claurst_protocol::OutputStyleView {
                name: style.name.clone(),
                description: style.description.clone(),
                scope: style.origin.map_or("built-in", Origin::label).to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_skills_report_lists_every_skill_with_its_place_even_one_a_command_shadows() {
        let project = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = project.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(".claude/skills/pdf-forms/SKILL.md", "---\ndescription: Fill in PDF forms\n---\nFill.");
        write(".claurst/skills/review/SKILL.md", "---\ndescription: Review deeply\n---\nReview.");
        write(".claurst/commands/review.md", "---\ndescription: Quick review\n---\nReview $ARGUMENTS");
        let catalog = Catalog::load(&Roots::new(project.path(), None));
        let report = catalog.skills_report();
        assert!(report.contains("Fill in PDF forms (project (.claude))"), "{report}");
        assert!(report.contains("Review deeply (project) — /name runs the custom command"), "{report}");
        assert!(Catalog::default().skills_report().starts_with("No skills."));
    }

    #[test]
    fn command_line_agents_come_first_and_replace_any_of_the_same_name() {
        let project = tempfile::tempdir().unwrap();
        let dir = project.path().join(".claude/agents");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("r.md"), "---\nname: reviewer\ndescription: file\n---\nReview.").unwrap();
        let given = agents::parse_command_line(
            r#"{"reviewer": {"description": "flag", "prompt": "p"}, "plan": {"description": "my plan", "prompt": "p"}}"#,
        )
        .unwrap();
        let catalog = Catalog::load(&Roots::new(project.path(), None)).with_command_line_agents(given);
        let views = catalog.agent_views();
        let found: Vec<(&str, &str)> =
            views.iter().map(|view| (view.name.as_str(), view.description.as_str())).collect();
        assert_eq!(found[..2], [("plan", "my plan"), ("reviewer", "flag")]);
        assert_eq!(
            found.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
            ["plan", "reviewer", "general-purpose", "explore"]
        );
        assert_eq!(views[0].scope, "command line");
        assert!(catalog.notices.is_empty(), "{:?}", catalog.notices);
    }
}
