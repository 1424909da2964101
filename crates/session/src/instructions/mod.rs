//! Project instructions: the `CLAURST.md` files (and `CLAUDE.md`, `AGENTS.md`) the model reads at the start of
//! every session, with their `@path` imports inlined.
//!
//! Files are read in this order, each at most once (a file reached twice, for example `AGENTS.md` linked to
//! `CLAUDE.md`, is read the first time only):
//! 1. the user's own, for every project: `~/.claurst/CLAURST.md`, `CLAUDE.md`, `AGENTS.md`;
//! 2. the project's, from the outermost directory to the innermost: the git root (the nearest ancestor of the
//!    project root holding `.git`; the project root itself when there is none), each directory below it, and
//!    finally the project root; within a directory `CLAURST.md`, then `CLAUDE.md`, then `AGENTS.md`.
//!
//! Later files are more specific, and the rendered section says that they win on conflict. Loading never
//! fails: unreadable files, missing imports and refused imports become warnings.

mod imports;
mod init;

pub use init::init_prompt;

use claurst_config::ClaurstPaths;
use imports::Expansion;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Instruction file names, in the order they are read within one directory.
pub const INSTRUCTION_FILE_NAMES: [&str; 3] = ["CLAURST.md", "CLAUDE.md", "AGENTS.md"];
/// How deeply imports may nest below a discovered file (an import of an import … five levels down).
pub const MAX_IMPORT_DEPTH: usize = 5;
/// Largest instruction or imported file read, in bytes; the rest is cut off with a warning.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// Whose instructions a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstructionScope {
    /// The user's own, in `~/.claurst`, applying to every project.
    User,
    /// The project's, checked in alongside its code.
    Project,
}

/// One instruction file, its imports inlined.
#[derive(Debug, Clone, PartialEq)]
pub struct InstructionFile {
    pub path: PathBuf,
    pub scope: InstructionScope,
    /// The text, with every `@path` import replaced by the imported file's (expanded) text.
    pub text: String,
    /// Files imported, directly or not, in the order they were inlined.
    pub imports: Vec<PathBuf>,
}

/// The instruction files in force for a project.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedInstructions {
    /// In reading order (see the module documentation). Files that are empty are left out.
    pub files: Vec<InstructionFile>,
    /// Problems that did not stop loading, each naming the file (and line).
    pub warnings: Vec<String>,
}

impl LoadedInstructions {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The system-prompt section presenting every file under a header naming it, or `None` without files.
    pub fn system_prompt_section(&self) -> Option<String> {
        if self.files.is_empty() {
            return None;
        }
        let mut section = String::from(
            "# Project instructions\n\n\
             The files below hold instructions for working here: first the user's own, which apply to every \
             project, then the project's, from its outermost directory to the innermost. Follow them. They \
             take precedence over your general way of working; where two disagree, the later, more specific \
             file wins, and what the user says in the conversation wins over all of them.",
        );
        for file in &self.files {
            let whose = match file.scope {
                InstructionScope::User => "the user's instructions for all projects",
                InstructionScope::Project => "project instructions",
            };
            section.push_str(&format!("\n\n## {} ({whose})\n\n{}", file.path.display(), file.text));
        }
        Some(section)
    }
}

/// The project's instruction file, which `/init` writes and `/memory` opens: `<project root>/CLAURST.md`.
pub fn project_instructions_path(project_root: &Path) -> PathBuf {
    project_root.join(INSTRUCTION_FILE_NAMES[0])
}

/// The user's instruction file for every project: `~/.claurst/CLAURST.md`.
pub fn user_instructions_path(paths: &ClaurstPaths) -> PathBuf {
    paths.claurst_dir().join(INSTRUCTION_FILE_NAMES[0])
}

/// The project directories searched, outermost first: from the git root down to `project_root`.
pub fn instruction_dirs(project_root: &Path) -> Vec<PathBuf> {
    let git_root = project_root.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(project_root);
    let mut dirs: Vec<PathBuf> =
        project_root.ancestors().take_while(|dir| *dir != git_root).map(Path::to_path_buf).collect();
    dirs.push(git_root.to_path_buf());
    dirs.reverse();
    dirs
}

/// Read every instruction file for a session in `project_root`, user's first (see the module documentation).
pub fn load_instructions(paths: &ClaurstPaths, project_root: &Path) -> LoadedInstructions {
    let mut loader =
        Loader { home: paths.home(), seen: HashSet::new(), loaded: LoadedInstructions::default() };
    loader.directory(paths.claurst_dir(), InstructionScope::User);
    for dir in instruction_dirs(project_root) {
        loader.directory(&dir, InstructionScope::Project);
    }
    loader.loaded
}

struct Loader<'a> {
    home: &'a Path,
    /// Canonical paths already read, so that one file linked under two names is read once.
    seen: HashSet<PathBuf>,
    loaded: LoadedInstructions,
}

impl Loader<'_> {
    fn directory(&mut self, dir: &Path, scope: InstructionScope) {
        for name in INSTRUCTION_FILE_NAMES {
            let path = dir.join(name);
            if path.is_file() {
                self.file(path, scope);
            }
        }
    }

    fn file(&mut self, path: PathBuf, scope: InstructionScope) {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !self.seen.insert(canonical.clone()) {
            return;
        }
        let Some(text) = read_instruction_file(&path, &mut self.loaded.warnings) else {
            return;
        };
        let mut expansion = Expansion::new(self.home, &mut self.loaded.warnings);
        let text = expansion.expand_file(&path, canonical, &text);
        let imports = expansion.into_imports();
        tracing::debug!(path = %path.display(), ?scope, imports = imports.len(), "instruction file loaded");
        let text = text.trim_end().to_string();
        if text.trim().is_empty() {
            return;
        }
        self.loaded.files.push(InstructionFile { path, scope, text, imports });
    }
}

/// Read an instruction or imported file: at most [`MAX_FILE_BYTES`], invalid UTF-8 replaced, with warnings.
pub(crate) fn read_instruction_file(path: &Path, warnings: &mut Vec<String>) -> Option<String> {
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes));
    if let Err(error) = read {
        warnings.push(format!("{}: cannot be read ({error}); skipped", path.display()));
        return None;
    }
    if bytes.len() > MAX_FILE_BYTES {
        bytes.truncate(MAX_FILE_BYTES);
        warnings.push(format!(
            "{}: longer than {} KiB; only the beginning was read. Shorten it or split it into imports.",
            path.display(),
            MAX_FILE_BYTES / 1024
        ));
        // The cut may split a character; drop its first bytes rather than report the file as invalid UTF-8.
        if let Err(error) = std::str::from_utf8(&bytes)
            && error.error_len().is_none()
        {
            bytes.truncate(error.valid_up_to());
        }
    }
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            warnings.push(format!("{}: not valid UTF-8; unreadable bytes were replaced", path.display()));
            String::from_utf8_lossy(error.as_bytes()).into_owned()
        }
    })
}
