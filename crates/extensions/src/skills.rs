//! Skills: folders holding a `SKILL.md` (frontmatter `name`, `description`, optional `allowed-tools`) and any
//! files it refers to. Only names and descriptions reach the system prompt; the `skill` tool hands the model
//! a skill's instructions when it decides the skill is relevant.

mod tool;

pub use tool::SkillTool;

use crate::frontmatter;
use crate::{Loaded, Origin, Roots};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The frontmatter keys a `SKILL.md` may use.
const KEYS: &[&str] = &["name", "description", "allowed-tools", "license", "metadata", "version"];
/// The bundled files listed to the model, at most (a skill folder may hold a whole tree).
const MAX_LISTED_FILES: usize = 100;
const MAX_DEPTH: usize = 4;

/// One skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    pub description: String,
    /// Tools the skill expects to use; see `spec/extensions.md` for what this does and does not grant.
    pub allowed_tools: Vec<String>,
    /// The instructions: `SKILL.md` after its frontmatter.
    pub body: String,
    /// The skill's folder, readable by the model without asking.
    pub dir: PathBuf,
    pub origin: Origin,
}

/// Whether a skill's `allowed-tools` list names `tool`: by Claurst's name or Claude Code's (`Read`), as a
/// bare name or a rule (`Bash(git status:*)` names `bash`), or by a prefix ending in `*` (`mcp__github__*`).
pub fn lists_tool(allowed_tools: &[String], tool: &str) -> bool {
    allowed_tools.iter().any(|entry| {
        let name = entry.split('(').next().unwrap_or_default().trim();
        match name.strip_suffix('*') {
            Some(prefix) => !prefix.is_empty() && tool.starts_with(prefix),
            None => claurst_protocol::tool_names::to_claurst(name).eq_ignore_ascii_case(tool),
        }
    })
}

impl Skill {
    /// What the `skill` tool tells the model: the instructions, the folder and its bundled files.
    pub fn instructions(&self) -> String {
        let mut files = Vec::new();
        list_files(&self.dir, &self.dir, 0, &mut files);
        files.sort();
        let mut text = format!(
            "Skill `{}` loaded. Follow these instructions for the current task.\n\nSkill folder: {}\n",
            self.name,
            self.dir.display()
        );
        if files.is_empty() {
            text.push_str("The folder holds no other files.\n");
        } else {
            text.push_str("Bundled files (read them with read_file when the instructions call for them):\n");
            for file in files.iter().take(MAX_LISTED_FILES) {
                text.push_str(&format!("- {}\n", self.dir.join(file).display()));
            }
            if files.len() > MAX_LISTED_FILES {
                text.push_str(&format!("- … and {} more\n", files.len() - MAX_LISTED_FILES));
            }
        }
        text.push_str("\n<skill-instructions>\n");
        text.push_str(self.body.trim());
        text.push_str("\n</skill-instructions>");
        text
    }
}

/// Every skill under `roots`; a name defined twice keeps the one of higher precedence.
pub fn load_skills(roots: &Roots) -> Loaded<Skill> {
    let mut loaded = Loaded::default();
    let mut seen = HashSet::new();
    for (origin, dir) in roots.dirs("skills") {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut folders: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.join("SKILL.md").is_file())
            .collect();
        folders.sort();
        for folder in folders {
            match read_skill(&folder, origin) {
                Ok((skill, problems)) => {
                    loaded.notices.extend(problems);
                    if seen.insert(skill.name.clone()) {
                        loaded.items.push(skill);
                    } else {
                        loaded.notices.push(format!(
                            "{}: skill `{}` is already defined with higher precedence; this one is ignored",
                            folder.display(),
                            skill.name
                        ));
                    }
                }
                Err(notice) => loaded.notices.push(notice),
            }
        }
    }
    loaded
}

/// Read the skill in `folder`. The name defaults to the folder's name; a skill without a description is
/// still loaded (the model sees its name only), with a notice.
pub fn read_skill(folder: &Path, origin: Origin) -> Result<(Skill, Vec<String>), String> {
    let path = folder.join("SKILL.md");
    let text = crate::read_text(&path)?;
    let mut document = frontmatter::parse(&text, &path);
    document.check_keys(&path, KEYS);
    let folder_name = folder.file_name().and_then(|name| name.to_str()).unwrap_or("skill").to_string();
    let name = document.get("name").map(str::to_string).unwrap_or(folder_name);
    if name.contains(char::is_whitespace) {
        return Err(format!("{}: the skill name `{name}` has spaces; it is not loaded", path.display()));
    }
    let description = match document.get("description") {
        Some(description) => description.to_string(),
        None => {
            document.problems.push(format!(
                "{}: no `description`; the model cannot tell when skill `{name}` applies",
                path.display()
            ));
            String::new()
        }
    };
    let skill = Skill {
        name,
        description,
        allowed_tools: document.list("allowed-tools"),
        body: document.body,
        dir: folder.to_path_buf(),
        origin,
    };
    Ok((skill, document.problems))
}

/// The system prompt section naming the skills, or `None` when there are none.
pub fn system_section(skills: &[Skill]) -> Option<String> {
    if skills.is_empty() {
        return None;
    }
    let mut text = String::from(
        "# Skills\nSkills are packaged instructions for particular tasks. When a task matches a skill's \
description, call the `skill` tool with its name before starting and follow what it returns. Available skills:",
    );
    for skill in skills {
        text.push_str(&format!("\n- {}: {}", skill.name, skill.description));
    }
    Some(text)
}

fn list_files(base: &Path, dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if depth < MAX_DEPTH {
                list_files(base, &path, depth + 1, out);
            }
        } else if let Ok(relative) = path.strip_prefix(base)
            && relative != Path::new("SKILL.md")
        {
            out.push(relative.to_path_buf());
        }
        if out.len() > MAX_LISTED_FILES * 2 {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn skills_load_with_their_files_and_the_prompt_lists_names_only() {
        let project = tempfile::tempdir().unwrap();
        let dir = project.path().join(".claude/skills/pdf");
        std::fs::create_dir_all(dir.join("scripts")).unwrap();
        std::fs::write(
            dir.join("SKILL.md"),
            "---\nname: pdf-tools\ndescription: Fill PDF forms\nallowed-tools: read_file, bash\n---\nSECRET STEPS",
        )
        .unwrap();
        std::fs::write(dir.join("scripts/fill.py"), "").unwrap();
        let loaded = load_skills(&Roots::new(project.path(), None));
        assert!(loaded.notices.is_empty(), "{:?}", loaded.notices);
        let skill = &loaded.items[0];
        assert_eq!((skill.name.as_str(), skill.origin), ("pdf-tools", Origin::ProjectClaude));
        assert_eq!(skill.allowed_tools, ["read_file", "bash"]);
        assert!(lists_tool(&skill.allowed_tools, "bash") && !lists_tool(&skill.allowed_tools, "write_file"));
        let claude_style = vec!["Read".to_string(), "Bash(git status:*)".into(), "mcp__docs__*".into()];
        for tool in ["read_file", "bash", "mcp__docs__search"] {
            assert!(lists_tool(&claude_style, tool), "{tool}");
        }
        assert!(!lists_tool(&claude_style, "edit_file") && !lists_tool(&claude_style, "mcp__db__drop"));
        let section = system_section(&loaded.items).unwrap();
        assert!(section.contains("- pdf-tools: Fill PDF forms"));
        assert!(!section.contains("SECRET STEPS"));
        let instructions = skill.instructions();
        assert!(instructions.contains("SECRET STEPS"));
        assert!(instructions.contains(&dir.join("scripts/fill.py").display().to_string()));
        assert_eq!(system_section(&[]), None);
    }
}
