//! `/init`: the prompt asking the model to study the project and write its first `CLAURST.md`.

use super::{InstructionScope, LoadedInstructions, project_instructions_path};
use std::path::Path;

const INIT_TASK: &str = "\
Study this project and write a CLAURST.md file at its root. Claurst reads that file at the start of every \
session in this project and gives it to you as instructions, so write what a capable engineer who is new to \
this codebase would need in order to be productive from the first minute, and nothing else.

Investigate before writing: read the README and the build files (Cargo.toml, package.json, pyproject.toml, \
Makefile, CI workflows and the like), look at the directory layout and at a few central source files, and \
read any existing guidance for assistants or contributors (CONTRIBUTING, .cursorrules, \
.github/copilot-instructions.md) so that its useful parts are carried over.

The file should cover:
- How to build, run, lint and test the project, including how to run a single test.
- The architecture at a level that takes several files to understand: the main parts, how they depend on \
each other, and where requests or data flow.
- Conventions the code follows that are not obvious from one file (naming, error handling, layout, testing \
style), and anything surprising or easy to get wrong.

Leave out generic advice (\"write tests\", \"handle errors\"), lists of every file, and anything you cannot \
confirm from the repository: never invent commands or rules. Keep it short; a page or two of Markdown is \
usually right. Start the file with a line saying it gives guidance to Claurst for working in this repository.";

/// The prompt `/init` sends: study the project at `project_root` and write (or improve) its `CLAURST.md`.
/// `existing` are the instructions already loaded, so the model is told what it should build on.
pub fn init_prompt(project_root: &Path, existing: &LoadedInstructions) -> String {
    let target = project_instructions_path(project_root);
    let mut prompt = INIT_TASK.to_string();
    prompt.push_str(&format!("\n\nWrite the file to {}.", target.display()));
    if existing.files.iter().any(|file| file.path == target) {
        prompt.push_str(
            " It already exists: read it first and improve it, keeping what is still right, rather than \
             starting over.",
        );
    }
    let others: Vec<String> = existing
        .files
        .iter()
        .filter(|file| file.scope == InstructionScope::Project && file.path != target)
        .map(|file| file.path.display().to_string())
        .collect();
    if !others.is_empty() {
        prompt.push_str(&format!(
            "\n\nThese instruction files exist already and stay in use: {}. Claurst keeps reading them, so do \
             not copy their content; put in CLAURST.md what they lack.",
            others.join(", ")
        ));
    }
    prompt
}
