//! Definitions written as Markdown files in `agents/` folders: a frontmatter header (`name`,
//! `description`, `tools`, `model`) and the system prompt as the body, Claude Code's format.

use super::{AgentDefinition, AgentSource, built_in, claurst_tools, model_problem, name_problem};
use crate::{Loaded, Roots, frontmatter};
use std::path::{Path, PathBuf};

/// The frontmatter keys a definition may use. `color` is how Claude Code paints an agent; Claurst does not,
/// but files written for Claude Code carry it, so it is accepted without a notice.
const KEYS: &[&str] = &["name", "description", "tools", "model", "color"];

/// Every definition in effect: the files under `roots` in order of precedence (project `.claurst`, project
/// `.claude`, user `.claurst`, user `.claude`), then the built-in ones. A name defined twice keeps the
/// stronger; a file may replace a built-in. Files that cannot be used are left out with a notice naming them.
pub fn load_agents(roots: &Roots) -> Loaded<AgentDefinition> {
    let mut loaded = Loaded::default();
    for (origin, dir) in roots.dirs("agents") {
        for path in markdown_files(&dir) {
            let text = match crate::read_text(&path) {
                Ok(text) => text,
                Err(notice) => {
                    loaded.notices.push(notice);
                    continue;
                }
            };
            match read_definition(&text, &path, AgentSource::File(origin)) {
                Ok((definition, problems)) => {
                    loaded.notices.extend(problems);
                    add_unless_defined(&mut loaded, definition, &path);
                }
                Err(problem) => loaded.notices.push(format!("{problem}; this file is ignored")),
            }
        }
    }
    for definition in built_in() {
        if !loaded.items.iter().any(|known| known.name == definition.name) {
            loaded.items.push(definition);
        }
    }
    loaded
}

/// Keep `definition` unless a stronger one took its name already.
fn add_unless_defined(loaded: &mut Loaded<AgentDefinition>, definition: AgentDefinition, path: &Path) {
    match loaded.items.iter().find(|known| known.name == definition.name) {
        Some(known) => {
            let place = known
                .path
                .as_ref()
                .map_or_else(|| known.source.label().to_string(), |p| p.display().to_string());
            loaded.notices.push(format!(
                "{}: agent `{}` is already defined in {place}, which takes precedence; this file is ignored",
                path.display(),
                definition.name
            ));
        }
        None => loaded.items.push(definition),
    }
}

/// The `.md` files directly in `dir`, sorted so the same name always resolves the same way.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md") && path.is_file())
        .collect();
    files.sort();
    files
}

/// Read a definition from `text` (the file at `path`, named in messages), strictly: any problem, an unknown
/// key or a line that is not `key: value` included, is an error. Used to check a drafted definition before
/// it is saved, so that what is saved loads without notices.
pub fn parse_definition(text: &str, path: &Path, source: AgentSource) -> Result<AgentDefinition, String> {
    let (definition, problems) = read_definition(text, path, source)?;
    if problems.is_empty() { Ok(definition) } else { Err(problems.join("\n")) }
}

/// Read a definition leniently: what makes it unusable is the error; problems it can do without (unknown
/// keys, stray lines) come back beside it, each naming `path`.
fn read_definition(
    text: &str,
    path: &Path,
    source: AgentSource,
) -> Result<(AgentDefinition, Vec<String>), String> {
    let mut document = frontmatter::parse(text, path);
    let at = path.display();
    if document.fields.is_empty() {
        let mut problem = format!(
            "{at}: a sub-agent definition starts with a frontmatter header (`---`, `name: …`, \
             `description: …`, `---`) and has none"
        );
        if let Some(first) = document.problems.first() {
            problem = first.clone();
        }
        return Err(problem);
    }
    document.check_keys(path, KEYS);
    let name = document
        .get("name")
        .ok_or_else(|| format!("{at}: `name` is missing; add a line such as `name: code-reviewer`"))?
        .to_string();
    if let Some(problem) = name_problem(&name) {
        return Err(format!("{at}: {problem}"));
    }
    let description = document
        .get("description")
        .ok_or_else(|| format!("{at}: `description` is missing; say when the model should use `{name}`"))?
        .to_string();
    let model = document.get("model").map(str::to_string);
    if let Some(problem) = model.as_deref().and_then(model_problem) {
        return Err(format!("{at}: `model`: {problem}"));
    }
    let system_prompt = document.body.trim().to_string();
    if system_prompt.is_empty() {
        return Err(format!("{at}: the system prompt (the text after the frontmatter) is empty"));
    }
    let tools = document.get("tools").map(|_| claurst_tools(document.list("tools")));
    let definition = AgentDefinition {
        name,
        description,
        tools,
        model,
        system_prompt,
        read_only: false,
        source,
        path: Some(path.to_path_buf()),
    };
    Ok((definition, document.problems))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Origin;

    const REVIEWER: &str = "---\nname: reviewer\ndescription: Reviews a diff\ntools: Read, Grep, mcp__gh__pr\n\
                            model: haiku\ncolor: blue\n---\nYou review code.\n";

    fn parse(text: &str) -> Result<AgentDefinition, String> {
        parse_definition(text, Path::new("/p/reviewer.md"), AgentSource::File(Origin::Project))
    }

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_claude_code_file_reads_with_our_tool_names() {
        let definition = parse(REVIEWER).unwrap();
        assert_eq!(definition.name, "reviewer");
        assert_eq!(definition.description, "Reviews a diff");
        assert_eq!(definition.tools.unwrap(), ["read_file", "grep", "mcp__gh__pr"]);
        assert_eq!(definition.model.as_deref(), Some("haiku"));
        assert_eq!(definition.system_prompt, "You review code.");
        assert_eq!(definition.path.unwrap(), Path::new("/p/reviewer.md"));
        assert!(!definition.read_only);
    }

    #[test]
    fn absent_tools_and_model_mean_every_tool_and_the_sessions_model() {
        let definition =
            parse("---\nname: helper\ndescription: Helps\ntools:\n  - Bash\n  - Edit\n---\nHelp.").unwrap();
        assert_eq!(definition.tools.unwrap(), ["bash", "edit_file"]);
        let definition = parse("---\nname: helper\ndescription: Helps\n---\nHelp.").unwrap();
        assert_eq!((definition.tools, definition.model), (None, None));
    }

    #[test]
    fn what_makes_a_definition_unusable_is_named() {
        let cases = [
            ("no header at all", "a frontmatter header"),
            ("---\nname: x\n", "never closed"),
            ("---\ndescription: d\n---\nbody", "`name` is missing"),
            ("---\nname: Code Reviewer\ndescription: d\n---\nbody", "lowercase letters, digits and hyphens"),
            ("---\nname: x\n---\nbody", "`description` is missing"),
            ("---\nname: x\ndescription: d\nmodel: big one\n---\nbody", "not a model"),
            ("---\nname: x\ndescription: d\n---\n  \n", "system prompt"),
            ("---\nname: x\ndescription: d\nmodle: haiku\n---\nbody", "unknown frontmatter key `modle`"),
        ];
        for (text, expected) in cases {
            let error = parse(text).unwrap_err();
            assert!(error.contains(expected) && error.contains("/p/reviewer.md"), "{text:?}: {error}");
        }
    }

    #[test]
    fn precedence_runs_from_the_project_to_the_user_and_files_may_replace_built_ins() {
        let project = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let agent = |name: &str, description: &str| {
            format!("---\nname: {name}\ndescription: {description}\n---\nPrompt of {description}.")
        };
        write(project.path(), ".claurst/agents/a.md", &agent("shared", "project claurst"));
        write(project.path(), ".claude/agents/b.md", &agent("shared", "project claude"));
        write(project.path(), ".claude/agents/c.md", &agent("only-claude", "project claude"));
        write(home.path(), ".claurst/agents/d.md", &agent("only-claude", "user claurst"));
        write(home.path(), ".claurst/agents/e.md", &agent("mine", "user claurst"));
        write(home.path(), ".claude/agents/f.md", &agent("mine", "user claude"));
        write(home.path(), ".claude/agents/g.md", &agent("explore", "my explorer"));
        let loaded = load_agents(&Roots::new(project.path(), Some(home.path().to_path_buf())));
        let found: Vec<(&str, &str)> =
            loaded.items.iter().map(|agent| (agent.name.as_str(), agent.description.as_str())).collect();
        assert_eq!(
            found,
            [
                ("shared", "project claurst"),
                ("only-claude", "project claude"),
                ("mine", "user claurst"),
                ("explore", "my explorer"),
                ("general-purpose", built_in()[0].description.as_str()),
                ("plan", built_in()[2].description.as_str()),
            ]
        );
        assert_eq!(loaded.items[3].source, AgentSource::File(Origin::UserClaude));
        assert_eq!(loaded.notices.len(), 3, "{:?}", loaded.notices);
        assert!(
            loaded.notices[0].contains("b.md: agent `shared` is already defined in"),
            "{:?}",
            loaded.notices
        );
        assert!(loaded.notices[0].contains("a.md, which takes precedence"), "{:?}", loaded.notices);
    }

    #[test]
    fn a_bad_file_is_a_notice_and_the_others_still_load() {
        let project = tempfile::tempdir().unwrap();
        write(project.path(), ".claude/agents/broken.md", "---\nname: Broken One\ndescription: d\n---\nx");
        write(project.path(), ".claude/agents/odd.md", "---\nname: odd\ndescription: d\nhue: red\n---\nx");
        write(project.path(), ".claude/agents/notes.txt", "not a definition");
        let loaded = load_agents(&Roots::new(project.path(), None));
        let names: Vec<&str> = loaded.items.iter().map(|agent| agent.name.as_str()).collect();
        assert_eq!(names, ["odd", "general-purpose", "explore", "plan"]);
        assert_eq!(loaded.notices.len(), 2, "{:?}", loaded.notices);
        assert!(loaded.notices[0].contains("broken.md: the name `Broken One`"), "{:?}", loaded.notices);
        assert!(loaded.notices[0].ends_with("this file is ignored"), "{:?}", loaded.notices);
        assert!(loaded.notices[1].contains("odd.md: unknown frontmatter key `hue`"), "{:?}", loaded.notices);
    }
}
