//! Turning the files found into `rg`-shaped text, sorted by path, within the limits.

use super::args::{GrepRequest, OutputMode};
use super::search::{FileMatches, Found};
use crate::tool::ToolResult;
use crate::walk::showing;

/// Characters of output at most; the rest is summarised in a note.
pub const MAX_OUTPUT_CHARS: usize = 30_000;

pub(crate) fn render(request: &GrepRequest, found: Found) -> ToolResult {
    let Found { mut files, incomplete } = found;
    if files.is_empty() {
        return ToolResult::ok("No matches found.");
    }
    // Sorted by path: the same search always prints the same text, whatever order the threads finished in.
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let lines = output_lines(request, &files);
    let total = lines.len();
    let limit = request.head_limit.unwrap_or(usize::MAX);
    let mut text = String::new();
    let mut shown = 0;
    let mut cut_for_size = false;
    for line in lines.iter().take(limit) {
        if text.len() + line.len() + 1 > MAX_OUTPUT_CHARS {
            cut_for_size = true;
            break;
        }
        text.push_str(line);
        text.push('\n');
        shown += 1;
    }
    let what = match request.mode {
        OutputMode::Content => "lines",
        OutputMode::FilesWithMatches | OutputMode::Count => "files",
    };
    if cut_for_size {
        let hint = format!(
            "the output is limited to {MAX_OUTPUT_CHARS} characters; narrow the search with path, glob or type, \
             set head_limit, or use output_mode files_with_matches"
        );
        text.push_str(&showing(shown, total, what, &hint));
        text.push('\n');
    } else if shown < total {
        text.push_str(&showing(shown, total, what, "raise head_limit to see more"));
        text.push('\n');
    }
    if incomplete {
        text.push_str(
            "[the search stopped early because the results grew too large, so they are incomplete; narrow it \
             with path, glob or type]\n",
        );
    }
    ToolResult::ok(text.trim_end_matches('\n').to_string())
}

/// The output, one entry per line, before limits. Context groups of different files are separated by
/// `--`, as `rg` separates them.
fn output_lines<'a>(request: &GrepRequest, files: &'a [FileMatches]) -> Vec<std::borrow::Cow<'a, str>> {
    match request.mode {
        OutputMode::FilesWithMatches => files.iter().map(|file| file.path.as_str().into()).collect(),
        OutputMode::Count => {
            files.iter().map(|file| format!("{}:{}", file.path, file.count).into()).collect()
        }
        OutputMode::Content => {
            let separated = request.before > 0 || request.after > 0;
            let mut lines = Vec::new();
            for (index, file) in files.iter().enumerate() {
                if separated && index > 0 {
                    lines.push("--".into());
                }
                lines.extend(file.text.lines().map(Into::into));
            }
            lines
        }
    }
}
