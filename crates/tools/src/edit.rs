//! What `write_file`, `edit_file` and `multi_edit` share: loading a file the model must have read, applying
//! exact-match replacements, diffs, and writing while recording the new state.

use crate::context::{FileSnapshot, ToolContext};
use crate::files::{looks_binary, truncate_chars};
use crate::tool::ToolResult;
use claurst_protocol::ApprovalDetail;
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

/// Diffs longer than this are cut in what the model sees.
const MAX_DIFF_CHARS: usize = 30_000;
/// A diff of two huge, very different files is approximated after this long rather than stalling the call.
const DIFF_TIMEOUT: Duration = Duration::from_secs(1);

/// One replacement: `old_string` must occur exactly once, or `replace_all` replaces every occurrence.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Replacement {
    pub old_string: String,
    pub new_string: String,
    #[serde(default)]
    pub replace_all: bool,
}

/// Why a replacement cannot be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplaceError {
    Identical,
    EmptyOld,
    NotFound,
    Ambiguous(usize),
}

impl ReplaceError {
    /// What went wrong and what to do, for `path`.
    pub fn explain(self, path: &str) -> String {
        match self {
            ReplaceError::Identical => {
                "old_string and new_string are identical, so there is nothing to change. Pass the text to \
                 replace in old_string and its replacement in new_string."
                    .to_string()
            }
            ReplaceError::EmptyOld => "old_string is empty. To insert text, include a neighbouring line in \
                 old_string; to create a file or replace all of it, use write_file."
                .to_string(),
            ReplaceError::NotFound => format!(
                "old_string was not found in {path}. It must match the file exactly, including whitespace and \
                 indentation (without read_file's line-number prefixes). Read the file again with read_file and \
                 copy the text exactly."
            ),
            ReplaceError::Ambiguous(count) => format!(
                "old_string matches {count} places in {path}. Include more surrounding lines in old_string so \
                 that it matches exactly one, or set replace_all to true to replace every occurrence."
            ),
        }
    }
}

/// The line-ending style of a file, so that replacements written with `\n` fit a `\r\n` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    /// CRLF when at least half of the file's line breaks are `\r\n`.
    pub fn of(content: &str) -> LineEnding {
        let crlf = content.matches("\r\n").count();
        let lf = content.matches('\n').count();
        if crlf > 0 && crlf * 2 >= lf { LineEnding::CrLf } else { LineEnding::Lf }
    }

    fn adapt(self, text: &str) -> Cow<'_, str> {
        match self {
            LineEnding::Lf if text.contains("\r\n") => Cow::Owned(text.replace("\r\n", "\n")),
            LineEnding::CrLf if text.contains('\n') => {
                Cow::Owned(text.replace("\r\n", "\n").replace('\n', "\r\n"))
            }
            _ => Cow::Borrowed(text),
        }
    }
}

/// Apply one replacement to `content`, returning the new content and how many places changed.
pub(crate) fn replace(content: &str, edit: &Replacement) -> Result<(String, usize), ReplaceError> {
    if edit.old_string.is_empty() {
        return Err(ReplaceError::EmptyOld);
    }
    if edit.old_string == edit.new_string {
        return Err(ReplaceError::Identical);
    }
    let ending = LineEnding::of(content);
    let (old, new) = (ending.adapt(&edit.old_string), ending.adapt(&edit.new_string));
    // The text as the model wrote it is tried too, for files whose line endings are mixed.
    let candidates = [(old.as_ref(), new.as_ref()), (&edit.old_string, &edit.new_string)];
    for (old, new) in candidates {
        match content.matches(old).count() {
            0 => continue,
            1 => return Ok((content.replacen(old, new, 1), 1)),
            count if edit.replace_all => return Ok((content.replace(old, new), count)),
            count => return Err(ReplaceError::Ambiguous(count)),
        }
    }
    Err(ReplaceError::NotFound)
}

/// A unified diff (three lines of context) between two versions of `path`; `None` as `old` means the file
/// is new. Line endings are shown as `\n`.
pub(crate) fn unified_diff(path: &str, old: Option<&str>, new: &str) -> String {
    let old_text = old.map(|text| text.replace("\r\n", "\n")).unwrap_or_default();
    let new_text = new.replace("\r\n", "\n");
    let diff = similar::TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(&old_text, &new_text);
    let old_name = if old.is_some() { path } else { "/dev/null" };
    diff.unified_diff().context_radius(3).header(old_name, path).to_string()
}

/// A diff as the model sees it: cut when very long.
pub(crate) fn shown_diff(diff: &str) -> String {
    let total = diff.chars().count();
    if total <= MAX_DIFF_CHARS {
        return diff.to_string();
    }
    format!(
        "{}\n[the diff is {total} characters; only the first {MAX_DIFF_CHARS} are shown]",
        truncate_chars(diff, MAX_DIFF_CHARS)
    )
}

/// The text of a file the model may change.
struct TrackedFile {
    content: String,
}

/// Whether the model's view of a file must be checked before it is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freshness {
    /// The model must have read the current version (a real change).
    MustBeCurrent,
    /// Only the content matters (computing a diff to show the user).
    Ignore,
}

/// Read an existing text file to edit it, refusing directories, binary files and files the model has not
/// read (or that changed since it read them).
async fn load_existing(
    context: &ToolContext,
    tool: &str,
    path: &Path,
    freshness: Freshness,
) -> Result<TrackedFile, ToolResult> {
    let shown = context.display(path);
    if freshness == Freshness::MustBeCurrent {
        refuse_unread(context, tool, path)?;
    }
    let bytes = match tokio::fs::read(path).await {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(ToolResult::error(format!(
                "{tool}: {shown} does not exist. Check the path (search_files can find it); to create a new \
                 file use write_file."
            )));
        }
        Err(_) if path.is_dir() => {
            return Err(ToolResult::error(format!(
                "{tool}: {shown} is a directory, not a file. Use list_dir to see what it holds."
            )));
        }
        Err(error) => return Err(ToolResult::error(format!("{tool}: cannot read {shown}: {error}"))),
    };
    if looks_binary(&bytes) {
        return Err(ToolResult::error(format!(
            "{tool}: {shown} looks like a binary file; only text files can be edited."
        )));
    }
    if freshness == Freshness::MustBeCurrent {
        check_current(context, tool, path, &bytes)?;
    }
    match String::from_utf8(bytes) {
        Ok(content) => Ok(TrackedFile { content }),
        Err(_) => Err(ToolResult::error(format!(
            "{tool}: {shown} is not valid UTF-8 text, so it cannot be edited safely. Use bash to change it."
        ))),
    }
}

/// Refuse to change a file the model has not read, or that changed on disk since it read it.
pub(crate) fn check_current(
    context: &ToolContext,
    tool: &str,
    path: &Path,
    bytes_on_disk: &[u8],
) -> Result<(), ToolResult> {
    let shown = context.display(path);
    match context.files().is_current(path, bytes_on_disk) {
        Some(true) => Ok(()),
        None => Err(ToolResult::error(format!(
            "{tool}: {shown} exists and has not been read in this session. Read it with read_file first, so \
             you do not overwrite content you have not seen, then try again."
        ))),
        Some(false) => Err(ToolResult::error(format!(
            "{tool}: {shown} has changed on disk since you last read it (the user, a formatter or another \
             command changed it). Read it again with read_file, then redo the change against its current \
             content."
        ))),
    }
}

/// Refuse an existing file the model never read before loading it: it may be far too large to load (read_file
/// reads such files only in part and does not record them).
pub(crate) fn refuse_unread(context: &ToolContext, tool: &str, path: &Path) -> Result<(), ToolResult> {
    if context.files().get(path).is_none() && path.is_file() {
        // With nothing recorded, the check answers "not read in this session" whatever the bytes.
        return check_current(context, tool, path, &[]);
    }
    Ok(())
}

/// Write `content` to `path` and remember it as the version the model knows.
pub(crate) async fn write_and_record(
    context: &ToolContext,
    path: &Path,
    content: &str,
) -> std::io::Result<()> {
    let (target, bytes) = (path.to_path_buf(), content.as_bytes().to_vec());
    tokio::task::spawn_blocking(move || crate::write_atomically(&target, &bytes))
        .await
        .map_err(std::io::Error::other)??;
    let modified = tokio::fs::metadata(path).await.ok().and_then(|meta| meta.modified().ok());
    context.files().record(path, FileSnapshot::of(content.as_bytes(), modified));
    Ok(())
}

/// Apply `edits` in order to `content`; all of them or none. On failure, the index of the edit that failed.
pub(crate) fn replace_all(
    content: &str,
    edits: &[Replacement],
) -> Result<(String, usize), (usize, ReplaceError)> {
    let mut current = content.to_string();
    let mut places = 0;
    for (index, edit) in edits.iter().enumerate() {
        let (next, count) = replace(&current, edit).map_err(|error| (index, error))?;
        current = next;
        places += count;
    }
    Ok((current, places))
}

/// The whole of an edit call: check the file, apply every edit in memory, write once, answer with the diff.
/// Nothing is written unless every edit applies.
pub(crate) async fn edit_file(
    context: &ToolContext,
    tool: &str,
    raw_path: &str,
    edits: &[Replacement],
) -> ToolResult {
    if raw_path.trim().is_empty() {
        return ToolResult::error(format!("{tool}: the path is empty. Pass the file to edit in `path`."));
    }
    if edits.is_empty() {
        return ToolResult::error(format!("{tool}: `edits` is empty. Pass at least one edit."));
    }
    let path = context.resolve(raw_path);
    let shown = context.display(&path);
    // Checked before the file, so the model learns about a no-op edit even for a file it has not read.
    if let Some(index) = edits.iter().position(|edit| edit.old_string == edit.new_string) {
        return failure(tool, &shown, edits.len(), index, ReplaceError::Identical);
    }
    let file = match load_existing(context, tool, &path, Freshness::MustBeCurrent).await {
        Ok(file) => file,
        Err(error) => return error,
    };
    let (changed, places) = match replace_all(&file.content, edits) {
        Ok(changed) => changed,
        Err((index, error)) => return failure(tool, &shown, edits.len(), index, error),
    };
    if let Err(error) = write_and_record(context, &path, &changed).await {
        return ToolResult::error(format!("{tool}: cannot write {shown}: {error}"));
    }
    let diff = unified_diff(&shown, Some(&file.content), &changed);
    let edits_done = match edits.len() {
        1 => String::new(),
        count => format!("{count} edits, "),
    };
    let plural = if places == 1 { "" } else { "s" };
    let result = ToolResult::ok(format!(
        "Edited {shown} ({edits_done}{places} place{plural} changed).\n\n{}",
        shown_diff(&diff)
    ));
    observed(context, &path, result).await
}

/// A successful change's result, followed by what the context's edit observer has to say about the file.
pub(crate) async fn observed(context: &ToolContext, path: &Path, result: ToolResult) -> ToolResult {
    match context.edit_observer() {
        Some(observer) => match observer.after_edit(path).await {
            Some(note) => ToolResult::ok(format!("{}\n\n{note}", result.output)),
            None => result,
        },
        None => result,
    }
}

fn failure(tool: &str, shown: &str, count: usize, index: usize, error: ReplaceError) -> ToolResult {
    let reason = error.explain(shown);
    if count == 1 {
        ToolResult::error(format!("{tool}: {reason}"))
    } else {
        ToolResult::error(format!(
            "{tool}: edit {} of {count} (index {index}) failed: {reason} No edit was applied; {shown} is unchanged.",
            index + 1
        ))
    }
}

/// The change an edit call would make, as a diff for the approval prompt; the raw input when it would fail.
pub(crate) async fn preview(context: &ToolContext, input: &Value, edits: &[Replacement]) -> ApprovalDetail {
    let raw = || ApprovalDetail::Input { input: input.clone() };
    let Some(raw_path) = input.get("path").and_then(Value::as_str) else {
        return raw();
    };
    let path = context.resolve(raw_path);
    let Ok(file) = load_existing(context, "", &path, Freshness::Ignore).await else {
        return raw();
    };
    let Ok((changed, _)) = replace_all(&file.content, edits) else {
        return raw();
    };
    let shown = context.display(&path);
    ApprovalDetail::Diff { diff: unified_diff(&shown, Some(&file.content), &changed), path: shown }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(old: &str, new: &str, replace_all: bool) -> Replacement {
        Replacement { old_string: old.into(), new_string: new.into(), replace_all }
    }

    #[test]
    fn replaces_exactly_one_match_or_all_when_asked() {
        assert_eq!(replace("a b a", &edit("b", "c", false)), Ok(("a c a".into(), 1)));
        assert_eq!(replace("a b a", &edit("a", "c", false)), Err(ReplaceError::Ambiguous(2)));
        assert_eq!(replace("a b a", &edit("a", "c", true)), Ok(("c b c".into(), 2)));
        assert_eq!(replace("a b a", &edit("z", "c", false)), Err(ReplaceError::NotFound));
        assert_eq!(replace("a", &edit("a", "a", false)), Err(ReplaceError::Identical));
        assert_eq!(replace("a", &edit("", "a", false)), Err(ReplaceError::EmptyOld));
    }

    #[test]
    fn keeps_crlf_line_endings() {
        let content = "one\r\ntwo\r\nthree\r\n";
        let (changed, _) = replace(content, &edit("one\ntwo\n", "uno\ndos\n", false)).unwrap();
        assert_eq!(changed, "uno\r\ndos\r\nthree\r\n");
        let (lf, _) = replace("a\nb\n", &edit("a\r\nb", "x\r\ny", false)).unwrap();
        assert_eq!(lf, "x\ny\n");
    }

    #[test]
    fn diffs_are_unified_with_headers() {
        let diff = unified_diff("src/a.rs", Some("1\n2\n3\n"), "1\ntwo\n3\n");
        assert_eq!(diff, "--- src/a.rs\n+++ src/a.rs\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n");
        let created = unified_diff("new.txt", None, "hi\n");
        assert!(created.starts_with("--- /dev/null\n+++ new.txt\n"), "{created}");
    }
}
