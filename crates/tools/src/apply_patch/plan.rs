//! Turning parsed file sections into the exact bytes every touched path will hold, reading the files but
//! writing nothing: a patch either plans completely or fails before any file changes.

use super::PatchError;
use super::matching::apply_hunks;
use super::parse::FileOp;
use crate::context::ToolContext;
use crate::edit::unified_diff;
use crate::files::looks_binary;
use std::path::{Path, PathBuf};

/// What one path will become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileWrite {
    pub path: PathBuf,
    /// The bytes it holds now (`None`: it does not exist), to put back if a later write fails.
    pub before: Option<Vec<u8>>,
    /// What it will hold (`None`: it is deleted).
    pub after: Option<String>,
    /// The mode it gets once written (a moved file keeps its source's), or gets back when a deleted file
    /// is restored; `None`: whatever writing gives it.
    pub permissions: Option<std::fs::Permissions>,
    /// A deleted path that was a symbolic link, and where it pointed: put back as that link, not as a copy.
    pub link: Option<PathBuf>,
}

impl FileWrite {
    pub(crate) fn new(path: PathBuf, before: Option<Vec<u8>>, after: Option<String>) -> FileWrite {
        FileWrite { path, before, after, permissions: None, link: None }
    }

    /// The same write, remembering `source`'s mode (and, when it is a symbolic link, its target).
    pub(crate) fn keeping_mode_of(mut self, source: &Path) -> FileWrite {
        self.permissions = std::fs::metadata(source).ok().map(|meta| meta.permissions());
        let is_link = std::fs::symlink_metadata(source).is_ok_and(|meta| meta.file_type().is_symlink());
        if is_link && self.after.is_none() {
            self.link = std::fs::read_link(source).ok();
        }
        self
    }
}

/// Every write of a patch, in order, with the diff and a line per file for people and the model.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub writes: Vec<FileWrite>,
    pub diffs: Vec<(String, String)>,
    pub report: Vec<String>,
}

impl Plan {
    /// The paths shown to the user, in patch order.
    pub fn shown_paths(&self) -> Vec<String> {
        self.diffs.iter().map(|(path, _)| path.clone()).collect()
    }

    /// One unified diff of every file.
    pub fn combined_diff(&self) -> String {
        self.diffs.iter().map(|(_, diff)| diff.as_str()).collect()
    }
}

/// The absolute paths a parsed patch touches (move targets included), for the permission engine.
pub(crate) fn touched_paths(context: &ToolContext, ops: &[FileOp]) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for op in ops {
        paths.push(context.resolve(op.path()));
        if let FileOp::Update { move_to: Some(target), .. } = op {
            paths.push(context.resolve(target));
        }
    }
    paths
}

/// Read every file the patch names and compute its new content.
pub(crate) fn plan(context: &ToolContext, ops: &[FileOp]) -> Result<Plan, PatchError> {
    let mut plan = Plan::default();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut claim = |path: &Path, shown: &str| {
        if seen.iter().any(|earlier| earlier == path) {
            return Err(PatchError::Twice { path: shown.to_string() });
        }
        seen.push(path.to_path_buf());
        Ok(())
    };
    for op in ops {
        let path = context.resolve(op.path());
        let shown = context.display(&path);
        claim(&path, &shown)?;
        match op {
            FileOp::Add { content, .. } => {
                if std::fs::symlink_metadata(&path).is_ok() {
                    return Err(PatchError::Exists { path: shown });
                }
                plan.diffs.push((shown.clone(), unified_diff(&shown, None, content)));
                plan.report.push(format!("A {shown}"));
                plan.writes.push(FileWrite::new(path, None, Some(content.clone())));
            }
            FileOp::Delete { .. } => {
                let (bytes, text) = read_text(context, &path, &shown)?;
                plan.diffs.push((shown.clone(), deletion_diff(&shown, &text)));
                plan.report.push(format!("D {shown}"));
                plan.writes.push(FileWrite::new(path.clone(), Some(bytes), None).keeping_mode_of(&path));
            }
            FileOp::Update { move_to, hunks, .. } => {
                let (bytes, text) = read_text(context, &path, &shown)?;
                let changed = apply_hunks(&shown, &text, hunks)?;
                let Some(target) = move_to else {
                    plan.diffs.push((shown.clone(), unified_diff(&shown, Some(&text), &changed)));
                    plan.report.push(format!("M {shown}"));
                    plan.writes.push(FileWrite::new(path, Some(bytes), Some(changed)));
                    continue;
                };
                let target_path = context.resolve(target);
                let target_shown = context.display(&target_path);
                claim(&target_path, &target_shown)?;
                if std::fs::symlink_metadata(&target_path).is_ok() {
                    return Err(PatchError::Exists { path: target_shown });
                }
                let diff = unified_diff(&target_shown, Some(&text), &changed).replacen(
                    &format!("--- {target_shown}\n"),
                    &format!("--- {shown}\n"),
                    1,
                );
                plan.diffs.push((target_shown.clone(), diff));
                plan.report.push(format!("R {shown} -> {target_shown}"));
                plan.writes.push(FileWrite::new(target_path, None, Some(changed)).keeping_mode_of(&path));
                plan.writes.push(FileWrite::new(path.clone(), Some(bytes), None).keeping_mode_of(&path));
            }
        }
    }
    Ok(plan)
}

/// A file the patch updates or deletes: its bytes and its text. A file the permission rules forbid to read
/// is refused: the diff in the result (the whole file, for a deletion) would show the model its content.
fn read_text(context: &ToolContext, path: &Path, shown: &str) -> Result<(Vec<u8>, String), PatchError> {
    if context.read_filter().is_some_and(|filter| filter.denies(path)) {
        return Err(PatchError::Unreadable {
            path: shown.to_string(),
            reason: "a permission rule forbids reading it".into(),
        });
    }
    if path.is_dir() {
        return Err(PatchError::Unreadable { path: shown.to_string(), reason: "it is a directory".into() });
    }
    let bytes = std::fs::read(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => PatchError::Missing { path: shown.to_string() },
        _ => PatchError::Unreadable { path: shown.to_string(), reason: error.to_string() },
    })?;
    if looks_binary(&bytes) {
        return Err(PatchError::Unreadable { path: shown.to_string(), reason: "it is a binary file".into() });
    }
    match String::from_utf8(bytes.clone()) {
        Ok(text) => Ok((bytes, text)),
        Err(_) => {
            Err(PatchError::Unreadable { path: shown.to_string(), reason: "it is not UTF-8 text".into() })
        }
    }
}

fn deletion_diff(shown: &str, text: &str) -> String {
    unified_diff(shown, Some(text), "").replacen(&format!("+++ {shown}\n"), "+++ /dev/null\n", 1)
}
