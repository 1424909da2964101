//! The instructions the model starts from.

use std::path::Path;

/// Claurst's own instructions: who the model is working for and how to use the tools well.
const BASE_PROMPT: &str =
    "You are Claurst, a coding agent working in the user's terminal, inside their project. \
You read, search, edit and run code with the tools you are given, and you finish the task the user asked for.

How to work:
- Understand before you change: read the relevant files and search the code before editing.
- Make the smallest change that fully solves the task, in the style of the surrounding code.
- Prefer the dedicated tools (read_file, grep, search_files, list_dir, edit_file) to shell equivalents.
- After changing code, run the project's tests or build when that is how the change can be checked.
- When a tool call is denied, do not retry it unchanged: adapt, or ask the user.
- Never invent file contents, command output or results you have not seen.";

/// The system prompt as ordered sections. The most stable sections come first so the prompt cache holds.
/// How to answer (the output style) is a section of its own, put after the base by the agent, so switching
/// styles changes only that section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemPrompt {
    pub sections: Vec<String>,
}

impl SystemPrompt {
    /// The base instructions (or `replacement` when it is not empty), the environment, then `extra` sections.
    pub fn build(replacement: &str, project_root: &Path, extra: &[String]) -> Self {
        let base =
            if replacement.trim().is_empty() { BASE_PROMPT.to_string() } else { replacement.to_string() };
        let mut sections = vec![base, environment_section(project_root)];
        sections.extend(extra.iter().filter(|section| !section.trim().is_empty()).cloned());
        Self { sections }
    }
}

/// Facts about where the agent runs. The date is included (not the time) so the section stays cacheable all day.
pub fn environment_section(project_root: &Path) -> String {
    let today = time::OffsetDateTime::now_utc().date();
    let is_git = project_root.ancestors().any(|dir| dir.join(".git").exists());
    format!(
        "Environment:\n- Working directory (project root): {}\n- Git repository: {}\n- Platform: {} ({})\n- Today's date: {today}",
        project_root.display(),
        if is_git { "yes" } else { "no" },
        std::env::consts::OS,
        std::env::consts::ARCH,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_swaps_the_base_and_keeps_the_environment() {
        let custom =
            SystemPrompt::build("You are an embedded Rust expert.", Path::new("/p"), &["extra".into()]);
        assert_eq!(custom.sections[0], "You are an embedded Rust expert.");
        assert!(custom.sections[1].contains("Working directory (project root): /p"));
        assert_eq!(custom.sections[2], "extra");
        let default = SystemPrompt::build("", Path::new("/p"), &[]);
        assert!(default.sections[0].starts_with("You are Claurst"));
        assert_eq!(default.sections.len(), 2);
    }
}
