//! Output styles: how the model writes its answers. A style replaces the style section of the system prompt
//! (the rest of Claurst's instructions stay). Three are built in; Markdown files in `output-styles/` add more.

use crate::frontmatter;
use crate::{Loaded, Origin, Roots};
use std::path::Path;

const KEYS: &[&str] = &["name", "description"];

/// The style used when none is chosen.
pub const DEFAULT_STYLE: &str = "default";

/// One output style.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputStyle {
    pub name: String,
    pub description: String,
    /// The system prompt section this style puts in place of the default one.
    pub instructions: String,
    /// Where the file was found; `None` for a built-in style.
    pub origin: Option<Origin>,
}

const DEFAULT_INSTRUCTIONS: &str = "How to answer:
- Be brief. Report what you did and what is left, without restating the code you wrote.
- Lead with the result; add detail only where the user needs it to act.
- Use Markdown sparingly: short lists and code blocks where they help reading in a terminal.";

const EXPLANATORY_INSTRUCTIONS: &str = "How to answer (explanatory style):
- Do the task fully, as you would otherwise; the explanations come on top of the work, never instead of it.
- As you go, add short notes marked \"Insight:\" that explain why you chose an approach, what the surrounding \
code is doing, and which trade-offs or conventions of this codebase shaped the change.
- Prefer insights specific to this project over general programming advice; two or three per task is plenty.
- Keep the final summary brief: what changed, and what the user should look at.";

const LEARNING_INSTRUCTIONS: &str = "How to answer (learning style):
- The user wants to learn by doing. Do the surrounding work yourself, but for small, meaningful pieces \
(a function body, a condition, a test case) leave a clearly marked `TODO(human)` in the code and ask the user \
to write it, explaining what it must do and what to consider.
- Ask for at most one such piece at a time, and wait for the user before going on.
- Add short \"Insight:\" notes explaining the reasoning behind the design, so the user learns the why.
- Never leave the code broken: the piece marked `TODO(human)` must be the only thing left for the user to write.";

/// The built-in styles: `default`, `explanatory`, `learning`.
pub fn built_in() -> Vec<OutputStyle> {
    let style = |name: &str, description: &str, instructions: &str| OutputStyle {
        name: name.to_string(),
        description: description.to_string(),
        instructions: instructions.to_string(),
        origin: None,
    };
    vec![
        style(DEFAULT_STYLE, "Brief answers focused on getting the work done", DEFAULT_INSTRUCTIONS),
        style("explanatory", "Does the work and explains its choices as it goes", EXPLANATORY_INSTRUCTIONS),
        style("learning", "Leaves small pieces for you to write, to learn by doing", LEARNING_INSTRUCTIONS),
    ]
}

/// The built-in styles, then those under `roots`. A file may not take a built-in's name; a name defined
/// twice keeps the one of higher precedence.
pub fn load_styles(roots: &Roots) -> Loaded<OutputStyle> {
    let mut loaded = Loaded { items: built_in(), notices: Vec::new() };
    for (origin, dir) in roots.dirs("output-styles") {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
            .collect();
        files.sort();
        for path in files {
            match read_style(&path, origin) {
                Ok((style, problems)) => {
                    loaded.notices.extend(problems);
                    if loaded.items.iter().any(|known| known.name.eq_ignore_ascii_case(&style.name)) {
                        loaded.notices.push(format!(
                            "{}: output style `{}` is already defined; this file is ignored",
                            path.display(),
                            style.name
                        ));
                    } else {
                        loaded.items.push(style);
                    }
                }
                Err(notice) => loaded.notices.push(notice),
            }
        }
    }
    loaded
}

/// Read one style file; the name defaults to the file's stem.
pub fn read_style(path: &Path, origin: Origin) -> Result<(OutputStyle, Vec<String>), String> {
    let text = crate::read_text(path)?;
    let mut document = frontmatter::parse(&text, path);
    document.check_keys(path, KEYS);
    let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or("style").to_string();
    let style = OutputStyle {
        name: document.get("name").map(str::to_string).unwrap_or(stem),
        description: document.get("description").unwrap_or_default().to_string(),
        instructions: document.body.trim().to_string(),
        origin: Some(origin),
    };
    Ok((style, document.problems))
}

/// The style called `name` (case does not matter).
pub fn find<'a>(styles: &'a [OutputStyle], name: &str) -> Option<&'a OutputStyle> {
    styles.iter().find(|style| style.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn files_add_styles_but_cannot_replace_a_built_in() {
        let project = tempfile::tempdir().unwrap();
        let dir = project.path().join(".claurst/output-styles");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("pirate.md"), "---\ndescription: Arr\n---\nTalk like a pirate.").unwrap();
        std::fs::write(dir.join("mine.md"), "---\nname: Learning\n---\nx").unwrap();
        let loaded = load_styles(&Roots::new(project.path(), None));
        let names: Vec<&str> = loaded.items.iter().map(|style| style.name.as_str()).collect();
        assert_eq!(names, ["default", "explanatory", "learning", "pirate"]);
        assert_eq!(find(&loaded.items, "PIRATE").unwrap().instructions, "Talk like a pirate.");
        assert!(loaded.notices[0].contains("mine.md"), "{:?}", loaded.notices);
    }
}
