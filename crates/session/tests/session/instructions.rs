//! Finding CLAURST.md, CLAUDE.md and AGENTS.md files, and inlining their imports.

use claurst_config::ClaurstPaths;
use claurst_session::instructions::{
    InstructionScope, LoadedInstructions, MAX_FILE_BYTES, init_prompt, instruction_dirs, load_instructions,
};
use std::path::{Path, PathBuf};

/// A home directory and a tree `outer/repo(.git)/app` in a temporary directory.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        let tree = Self { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(tree.path("home/.claurst")).unwrap();
        std::fs::create_dir_all(tree.path("outer/repo/.git")).unwrap();
        std::fs::create_dir_all(tree.path("outer/repo/app")).unwrap();
        tree
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn load(&self, project: &str) -> LoadedInstructions {
        load_instructions(&ClaurstPaths::with_home(self.path("home")), &self.path(project))
    }

    /// The loaded files' paths, relative to the tree.
    fn files(&self, loaded: &LoadedInstructions) -> Vec<String> {
        loaded.files.iter().map(|file| relative(&file.path, self.dir.path())).collect()
    }
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base).unwrap().display().to_string()
}

#[test]
fn files_are_found_from_the_user_down_to_the_project_root_stopping_at_git() {
    let tree = Tree::new();
    tree.write("home/.claurst/CLAURST.md", "Use British spelling.");
    tree.write("outer/CLAURST.md", "Above the git root: never read.");
    tree.write("outer/repo/CLAUDE.md", "Run cargo test.");
    tree.write("outer/repo/app/AGENTS.md", "App agents.");
    tree.write("outer/repo/app/CLAURST.md", "App rules.");
    tree.write("outer/repo/app/README.md", "Not an instruction file.");
    let loaded = tree.load("outer/repo/app");
    assert_eq!(loaded.warnings, Vec::<String>::new());
    assert_eq!(
        tree.files(&loaded),
        [
            "home/.claurst/CLAURST.md",
            "outer/repo/CLAUDE.md",
            "outer/repo/app/CLAURST.md",
            "outer/repo/app/AGENTS.md"
        ]
    );
    assert_eq!(loaded.files[0].scope, InstructionScope::User);
    assert!(loaded.files[1..].iter().all(|f| f.scope == InstructionScope::Project));
    assert_eq!(instruction_dirs(&tree.path("outer/repo/app")).len(), 2);
}

#[test]
fn without_git_only_the_project_root_is_read() {
    let tree = Tree::new();
    tree.write("loose/CLAUDE.md", "parent");
    tree.write("loose/project/AGENTS.md", "agents");
    let loaded = tree.load("loose/project");
    assert_eq!(tree.files(&loaded), ["loose/project/AGENTS.md"]);
}

#[cfg(unix)]
#[test]
fn a_file_linked_under_two_names_is_read_once() {
    let tree = Tree::new();
    tree.write("outer/repo/CLAUDE.md", "shared");
    std::os::unix::fs::symlink("CLAUDE.md", tree.path("outer/repo/AGENTS.md")).unwrap();
    assert_eq!(tree.files(&tree.load("outer/repo")), ["outer/repo/CLAUDE.md"]);
}

#[test]
fn empty_files_are_left_out_and_the_section_names_each_file() {
    let tree = Tree::new();
    assert_eq!(tree.load("outer/repo").system_prompt_section(), None);
    tree.write("home/.claurst/CLAURST.md", "Be terse.\n\n");
    tree.write("outer/repo/CLAURST.md", "  \n");
    tree.write("outer/repo/AGENTS.md", "Use jj, not git.");
    let loaded = tree.load("outer/repo");
    assert_eq!(loaded.files.len(), 2);
    let section = loaded.system_prompt_section().unwrap();
    let user = format!(
        "## {} (the user's instructions for all projects)\n\nBe terse.",
        tree.path("home/.claurst/CLAURST.md").display()
    );
    let project = format!(
        "## {} (project instructions)\n\nUse jj, not git.",
        tree.path("outer/repo/AGENTS.md").display()
    );
    assert!(section.contains(&user), "{section}");
    assert!(section.find(&user) < section.find(&project), "{section}");
    assert!(section.ends_with("Use jj, not git."));
}

#[test]
fn imports_are_inlined_relative_nested_and_from_home() {
    let tree = Tree::new();
    tree.write(
        "outer/repo/CLAURST.md",
        "Style: @docs/style.md.\n@~/shared.md\nMail ada@example.com or @alice.\n",
    );
    tree.write("outer/repo/docs/style.md", "snake_case (see @../rules/naming.md)\n");
    tree.write("outer/repo/rules/naming.md", "no abbreviations\n");
    tree.write("home/shared.md", "shared rule");
    let loaded = tree.load("outer/repo");
    assert_eq!(loaded.warnings, Vec::<String>::new());
    assert_eq!(
        loaded.files[0].text,
        "Style: snake_case (see no abbreviations).\nshared rule\nMail ada@example.com or @alice."
    );
    let imports: Vec<String> = loaded.files[0]
        .imports
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(imports, ["style.md", "naming.md", "shared.md"]);
}

#[test]
fn code_is_never_an_import() {
    let tree = Tree::new();
    let text = "Run `cat @docs/x.md` and ``@docs/x.md``.\n```sh\n@docs/x.md\n```\n~~~~\n```\n@docs/x.md\n~~~~\n@docs/x.md";
    tree.write("outer/repo/CLAURST.md", text);
    tree.write("outer/repo/docs/x.md", "X");
    let loaded = tree.load("outer/repo");
    let expected = text.rsplit_once('@').unwrap().0.to_string() + "X";
    assert_eq!(loaded.files[0].text, expected, "only the last line, outside code, imports");
}

#[test]
fn missing_imports_stay_as_written_with_a_warning() {
    let tree = Tree::new();
    tree.write("outer/repo/CLAURST.md", "first\nsee @docs/gone.md\n");
    let loaded = tree.load("outer/repo");
    assert_eq!(loaded.files[0].text, "first\nsee @docs/gone.md");
    assert_eq!(loaded.warnings.len(), 1);
    let warning = &loaded.warnings[0];
    assert!(warning.contains("CLAURST.md:2: @docs/gone.md was not imported"), "{warning}");
}

#[test]
fn imports_nest_five_levels_deep_and_no_deeper() {
    let tree = Tree::new();
    tree.write("outer/repo/CLAURST.md", "0 @l1.md");
    for level in 1..=6 {
        tree.write(&format!("outer/repo/l{level}.md"), &format!("{level} @l{}.md", level + 1));
    }
    tree.write("outer/repo/l7.md", "7");
    let loaded = tree.load("outer/repo");
    assert_eq!(
        loaded.files[0].text,
        "0 1 2 3 4 5 [@l6.md not imported: imports nest more than 5 levels deep]"
    );
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].contains("l5.md:1: @l6.md"), "{}", loaded.warnings[0]);
}

#[test]
fn import_cycles_are_refused() {
    let tree = Tree::new();
    tree.write("outer/repo/CLAURST.md", "top @a.md");
    tree.write("outer/repo/a.md", "a @b.md");
    tree.write("outer/repo/b.md", "b @a.md and @CLAURST.md");
    tree.write("outer/repo/self.md", "@self.md");
    tree.write("outer/repo/AGENTS.md", "@self.md");
    let loaded = tree.load("outer/repo");
    assert_eq!(
        loaded.files[0].text,
        "top a b [@a.md not imported: it would import itself in a loop] and \
         [@CLAURST.md not imported: it would import itself in a loop]"
    );
    assert_eq!(loaded.files[1].text, "[@self.md not imported: it would import itself in a loop]");
    assert_eq!(loaded.warnings.len(), 3);
    assert!(loaded.warnings[0].contains("(a.md → b.md → a.md)"), "{}", loaded.warnings[0]);
    assert!(loaded.warnings[1].contains("(CLAURST.md → a.md → b.md → CLAURST.md)"), "{}", loaded.warnings[1]);
}

#[test]
fn oversized_files_are_cut_with_a_warning() {
    let tree = Tree::new();
    tree.write("outer/repo/CLAURST.md", &"é".repeat(MAX_FILE_BYTES));
    let loaded = tree.load("outer/repo");
    assert_eq!(loaded.files[0].text.len(), MAX_FILE_BYTES);
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].contains("only the beginning was read"));
}

#[test]
fn init_prompt_names_the_target_and_existing_files() {
    let tree = Tree::new();
    let root = tree.path("outer/repo");
    let fresh = init_prompt(&root, &tree.load("outer/repo"));
    assert!(fresh.contains(&format!("Write the file to {}.", root.join("CLAURST.md").display())));
    assert!(!fresh.contains("already exists"));
    tree.write("outer/repo/CLAURST.md", "old");
    tree.write("outer/repo/CLAUDE.md", "legacy");
    let again = init_prompt(&root, &tree.load("outer/repo"));
    assert!(again.contains("It already exists"));
    assert!(again.contains(&root.join("CLAUDE.md").display().to_string()));
}
