//! One-line outcomes of the built-in tools for people (`Read 120 lines`, `Found 7 matches in 3 files`),
//! read back from the text each tool gave the model. Each tool's `summary` calls its function here, so the
//! wording lives next to the formats it reads and no front-end needs to know tool names.

use crate::tool::ToolResult;
use serde_json::Value;

/// `1 line`, `3 lines`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// Lines of output that are the tool's own notes (`[showing 10 of 50 files; …]`), not results.
fn is_note(line: &str) -> bool {
    line.starts_with('[') && line.ends_with(']')
}

/// `Ran `cargo test` (exit 0, 54 lines)`.
pub(crate) fn ran(input: &Value, result: &ToolResult) -> Option<String> {
    let command = input.get("command")?.as_str()?;
    let first = command.lines().next().unwrap_or_default();
    let shown = if first.chars().count() > 48 || command.lines().nth(1).is_some() {
        format!("{}…", first.chars().take(47).collect::<String>())
    } else {
        first.to_string()
    };
    let mut lines: Vec<&str> = result.output.lines().collect();
    let exit = match lines.last().and_then(|last| last.strip_prefix("[exit code ")) {
        Some(code) => {
            let code = code.trim_end_matches(']').to_string();
            lines.pop();
            code
        }
        None if !result.is_error => "0".to_string(),
        None => return None,
    };
    let produced = if result.output.starts_with("(the command succeeded with no output)") {
        0
    } else {
        lines.iter().filter(|line| !line.is_empty() || lines.len() > 1).count()
    };
    Some(format!("Ran `{shown}` (exit {exit}, {})", count(produced, "line", "lines")))
}

/// `Read 120 lines`, from the `[Showing lines a-b …]` note.
pub(crate) fn read(result: &ToolResult) -> Option<String> {
    if result.is_error {
        return None;
    }
    let numbered =
        |line: &&str| line.trim_start().split_once('\t').is_some_and(|(n, _)| n.parse::<usize>().is_ok());
    let Some(note) = result.output.lines().rev().find(|line| line.starts_with("[Showing lines ")) else {
        // A whole file is printed without a note: count its numbered lines.
        let lines = result.output.lines().filter(numbered).count();
        return (lines > 0).then(|| format!("Read {}", count(lines, "line", "lines")));
    };
    let range = note.trim_start_matches("[Showing lines ").split_whitespace().next()?;
    let (first, last) = range.split_once('-')?;
    let first: usize = first.parse().ok()?;
    let last: usize = last.parse().ok()?;
    Some(format!("Read {}", count(last + 1 - first.min(last + 1), "line", "lines")))
}

/// `Listed 12 entries`: every line under the root's, notes aside.
pub(crate) fn listed(result: &ToolResult) -> Option<String> {
    if result.is_error {
        return None;
    }
    let entries = result
        .output
        .lines()
        .skip(1)
        .filter(|line| !is_note(line.trim()) && !line.contains("(empty"))
        .count();
    Some(format!("Listed {}", count(entries, "entry", "entries")))
}

/// `Found 7 files`, for a tool that prints one path a line.
pub(crate) fn found_files(result: &ToolResult) -> Option<String> {
    if result.is_error {
        return None;
    }
    let output = result.output.trim();
    if output.starts_with("No files match") || output.starts_with("No matches found") {
        return Some("Found no files".to_string());
    }
    let files = output.lines().filter(|line| !is_note(line)).count();
    Some(format!("Found {}", count(files, "file", "files")))
}

/// `grep`'s outcome by its output mode: `Found 7 matches in 3 files`, `Found 3 files`.
pub(crate) fn grep(input: &Value, result: &ToolResult) -> Option<String> {
    if result.is_error {
        return None;
    }
    if result.output.trim() == "No matches found." {
        return Some("Found no matches".to_string());
    }
    let lines: Vec<&str> = result.output.lines().filter(|line| !is_note(line) && *line != "--").collect();
    match input.get("output_mode").and_then(Value::as_str) {
        Some("content") => {
            // `path:line:text` is a match, `path-line-text` a context line.
            let matches: Vec<&str> = lines.iter().filter_map(|line| match_path(line)).collect();
            let mut files = matches.clone();
            files.dedup();
            Some(format!(
                "Found {} in {}",
                count(matches.len(), "match", "matches"),
                count(files.len(), "file", "files")
            ))
        }
        Some("count") => {
            let total: usize =
                lines.iter().filter_map(|line| line.rsplit_once(':')?.1.parse::<usize>().ok()).sum();
            Some(format!(
                "Found {} in {}",
                count(total, "match", "matches"),
                count(lines.len(), "file", "files")
            ))
        }
        _ => Some(format!("Found {}", count(lines.len(), "file", "files"))),
    }
}

/// The path of a `path:N:text` match line.
fn match_path(line: &str) -> Option<&str> {
    let (path, rest) = line.split_once(':')?;
    let (number, _) = rest.split_once(':')?;
    number.parse::<usize>().ok().map(|_| path)
}

/// The first line of the output, without its final full stop (`Created src/new.rs (12 lines)`).
pub(crate) fn first_line(result: &ToolResult) -> Option<String> {
    if result.is_error {
        return None;
    }
    let line = result.output.lines().next()?.trim();
    Some(line.trim_end_matches('.').to_string()).filter(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn commands_report_exit_code_and_lines() {
        let ok = ToolResult::ok("a\nb\nc");
        assert_eq!(
            ran(&json!({"command": "cargo test"}), &ok).unwrap(),
            "Ran `cargo test` (exit 0, 3 lines)"
        );
        let failed = ToolResult::error("oops\n[exit code 2]");
        assert_eq!(ran(&json!({"command": "false"}), &failed).unwrap(), "Ran `false` (exit 2, 1 line)");
        let quiet = ToolResult::ok("(the command succeeded with no output)");
        assert_eq!(ran(&json!({"command": "true"}), &quiet).unwrap(), "Ran `true` (exit 0, 0 lines)");
    }

    #[test]
    fn reads_listings_and_searches_are_counted() {
        let read_result = ToolResult::ok("1\ta\n2\tb\n\n[Showing lines 1-120 of 300.]");
        assert_eq!(read(&read_result).unwrap(), "Read 120 lines");
        assert_eq!(read(&ToolResult::ok("     1\tfn a() {\n     2\t}")).unwrap(), "Read 2 lines");
        assert_eq!(listed(&ToolResult::ok("/p/\n  src/\n    a.rs\n  b.rs")).unwrap(), "Listed 3 entries");
        assert_eq!(found_files(&ToolResult::ok("a.rs\nb.rs")).unwrap(), "Found 2 files");
        let content = ToolResult::ok("a.rs:1:x\na.rs:4:y\nb.rs:2:z\nb.rs-3-ctx");
        assert_eq!(grep(&json!({"output_mode": "content"}), &content).unwrap(), "Found 3 matches in 2 files");
        let counts = ToolResult::ok("a.rs:4\nb.rs:3");
        assert_eq!(grep(&json!({"output_mode": "count"}), &counts).unwrap(), "Found 7 matches in 2 files");
        assert_eq!(grep(&json!({}), &ToolResult::ok("a.rs")).unwrap(), "Found 1 file");
    }
}
