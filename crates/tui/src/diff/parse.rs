//! A unified diff read back into rows with line numbers, and the words that changed inside each pair of
//! removed and added lines.

use std::ops::Range;

/// One row of a diff as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Context {
        old: usize,
        new: usize,
        text: String,
    },
    Removed {
        old: usize,
        text: String,
        changed: Vec<Range<usize>>,
    },
    Added {
        new: usize,
        text: String,
        changed: Vec<Range<usize>>,
    },
    /// Unchanged lines left out between two hunks.
    Gap,
    /// The start of one file's changes, in a diff of several files (a patch).
    File {
        path: String,
    },
}

impl Row {
    /// The length of the row's text in bytes (0 for a gap).
    pub fn text_len(&self) -> usize {
        match self {
            Row::Context { text, .. } | Row::Removed { text, .. } | Row::Added { text, .. } => text.len(),
            Row::Gap | Row::File { .. } => 0,
        }
    }
}

/// A diff's rows and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub added: usize,
    pub removed: usize,
    /// The old side is `/dev/null`: the file is new.
    pub new_file: bool,
    /// How many files the diff changes (headers seen; 0 when it has none).
    pub files: usize,
}

impl Parsed {
    /// The largest line number shown, which sets the gutter's width.
    pub fn max_line_number(&self) -> usize {
        self.rows
            .iter()
            .map(|row| match row {
                Row::Context { old, new, .. } => *old.max(new),
                Row::Removed { old, .. } => *old,
                Row::Added { new, .. } => *new,
                Row::Gap | Row::File { .. } => 0,
            })
            .max()
            .unwrap_or(0)
    }
}

/// Read a unified diff (`---`/`+++` headers, `@@ -a,b +c,d @@` hunks). Lines outside any hunk are ignored.
/// A diff of several files (each with its headers, as a patch shows them) gets a `File` row before each
/// file's hunks; a hunk ends at its header's line counts when file headers follow.
pub fn parse(unified: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let (mut old, mut new) = (0usize, 0usize);
    let (mut old_left, mut new_left) = (0usize, 0usize);
    let mut in_hunk = false;
    let mut old_path = String::new();
    for line in unified.lines() {
        if let Some(range) = line.strip_prefix("@@") {
            if !parsed.rows.is_empty() && !matches!(parsed.rows.last(), Some(Row::File { .. })) {
                parsed.rows.push(Row::Gap);
            }
            (old, new) = hunk_starts(range);
            (old_left, new_left) = hunk_counts(range);
            in_hunk = true;
            continue;
        }
        let header = line.starts_with("--- ") || line.starts_with("+++ ");
        if in_hunk && old_left == 0 && new_left == 0 && header {
            in_hunk = false;
        }
        if !in_hunk {
            parsed.new_file |= line.starts_with("--- /dev/null");
            if let Some(path) = line.strip_prefix("--- ") {
                old_path = path.trim().to_string();
            }
            if let Some(path) = line.strip_prefix("+++ ") {
                parsed.files += 1;
                let path = match path.trim() {
                    "/dev/null" => format!("{old_path} (deleted)"),
                    path if old_path == "/dev/null" => format!("{path} (new)"),
                    path => path.to_string(),
                };
                parsed.rows.push(Row::File { path });
            }
            continue;
        }
        match line.as_bytes().first() {
            Some(b'+') => new_left = new_left.saturating_sub(1),
            Some(b'-') => old_left = old_left.saturating_sub(1),
            Some(b'\\') => {}
            _ => {
                old_left = old_left.saturating_sub(1);
                new_left = new_left.saturating_sub(1);
            }
        }
        match line.split_at_checked(1) {
            Some(("+", text)) => {
                parsed.rows.push(Row::Added { new, text: text.to_string(), changed: Vec::new() });
                parsed.added += 1;
                new += 1;
            }
            Some(("-", text)) => {
                parsed.rows.push(Row::Removed { old, text: text.to_string(), changed: Vec::new() });
                parsed.removed += 1;
                old += 1;
            }
            Some(("\\", _)) => {}
            _ => {
                let text = line.get(1..).unwrap_or_default().to_string();
                parsed.rows.push(Row::Context { old, new, text });
                old += 1;
                new += 1;
            }
        }
    }
    // One file's diff names its file elsewhere (the summary, the approval's title).
    if parsed.files <= 1 {
        parsed.rows.retain(|row| !matches!(row, Row::File { .. }));
    } else {
        parsed.new_file = false;
    }
    // The first hunk needs no gap above it.
    if parsed.rows.first() == Some(&Row::Gap) {
        parsed.rows.remove(0);
    }
    mark_changed_words(&mut parsed.rows);
    parsed
}

/// The first old and new line numbers of a hunk header's ` -a,b +c,d @@`.
fn hunk_starts(header: &str) -> (usize, usize) {
    let mut old = 1;
    let mut new = 1;
    for word in header.split_whitespace() {
        let number = |text: &str| text.split(',').next().and_then(|n| n.parse::<usize>().ok());
        if let Some(start) = word.strip_prefix('-').and_then(number) {
            old = start.max(1);
        } else if let Some(start) = word.strip_prefix('+').and_then(number) {
            new = start.max(1);
        }
    }
    (old, new)
}

/// The old and new line counts of a hunk header's ` -a,b +c,d @@` (a missing count is 1).
fn hunk_counts(header: &str) -> (usize, usize) {
    let mut counts = (0, 0);
    for word in header.split_whitespace() {
        let count = |text: &str| text.split_once(',').map_or(Some(1), |(_, n)| n.parse::<usize>().ok());
        if let Some(n) = word.strip_prefix('-').and_then(count) {
            counts.0 = n;
        } else if let Some(n) = word.strip_prefix('+').and_then(count) {
            counts.1 = n;
        }
    }
    counts
}

/// Pair each run of removed lines with the added lines that follow it, line by line, and mark the words
/// that differ. Lines that share too little are left unmarked: emphasis on everything says nothing.
fn mark_changed_words(rows: &mut [Row]) {
    let mut index = 0;
    while index < rows.len() {
        let removed_start = index;
        while matches!(rows.get(index), Some(Row::Removed { .. })) {
            index += 1;
        }
        let added_start = index;
        while matches!(rows.get(index), Some(Row::Added { .. })) {
            index += 1;
        }
        let pairs = (added_start - removed_start).min(index - added_start);
        for offset in 0..pairs {
            let (head, tail) = rows.split_at_mut(added_start);
            if let (
                Row::Removed { text: old, changed: old_changed, .. },
                Row::Added { text: new, changed: new_changed, .. },
            ) = (&mut head[removed_start + offset], &mut tail[offset])
            {
                (*old_changed, *new_changed) = changed_words(old, new);
            }
        }
        if index == removed_start {
            index += 1;
        }
    }
}

/// Lines longer than this get no word-level emphasis.
const MAX_WORD_DIFF_BYTES: usize = 500;

/// Byte ranges of the words of `old` and `new` that differ, or none when the lines are mostly different.
fn changed_words(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    // A word diff costs the product of the lines' lengths: a minified line would stall the interface for
    // seconds, and its emphasis would not help anyone read it.
    if old.len() > MAX_WORD_DIFF_BYTES || new.len() > MAX_WORD_DIFF_BYTES {
        return (Vec::new(), Vec::new());
    }
    let diff = similar::TextDiff::from_words(old, new);
    if diff.ratio() < 0.4 {
        return (Vec::new(), Vec::new());
    }
    let (mut old_ranges, mut new_ranges) = (Vec::new(), Vec::new());
    let (mut old_at, mut new_at) = (0, 0);
    for change in diff.iter_all_changes() {
        let length = change.value().len();
        match change.tag() {
            similar::ChangeTag::Equal => {
                old_at += length;
                new_at += length;
            }
            similar::ChangeTag::Delete => {
                push_merged(&mut old_ranges, old_at..old_at + length);
                old_at += length;
            }
            similar::ChangeTag::Insert => {
                push_merged(&mut new_ranges, new_at..new_at + length);
                new_at += length;
            }
        }
    }
    (old_ranges, new_ranges)
}

fn push_merged(ranges: &mut Vec<Range<usize>>, range: Range<usize>) {
    match ranges.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => ranges.push(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_of_several_files_names_each_and_keeps_their_line_numbers_apart() {
        let patch = "--- a.rs\n+++ a.rs\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n--- /dev/null\n+++ b.rs\n@@ -0,0 +1 @@\n+new\n\
                     --- c.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n--- old\n";
        let parsed = parse(patch);
        let files: Vec<&str> = parsed
            .rows
            .iter()
            .filter_map(|row| match row {
                Row::File { path } => Some(path.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(files, ["a.rs", "b.rs (new)", "c.rs (deleted)"]);
        assert_eq!((parsed.files, parsed.added, parsed.removed, parsed.new_file), (3, 2, 2, false));
        // A removed line that reads like a header (`--- old`) stays a removed line inside its hunk.
        assert!(parsed.rows.contains(&Row::Removed { old: 1, text: "-- old".into(), changed: Vec::new() }));
        assert!(parsed.rows.contains(&Row::Added { new: 1, text: "new".into(), changed: Vec::new() }));
        let single = parse("--- a.rs\n+++ a.rs\n@@ -1 +1 @@\n-a\n+b\n");
        assert!(!single.rows.iter().any(|row| matches!(row, Row::File { .. })), "one file: no file rows");
    }

    const EDIT: &str =
        "--- a.rs\n+++ a.rs\n@@ -3,3 +3,3 @@\n fn main() {\n-    let x = 1;\n+    let x = 2;\n }\n";

    #[test]
    fn rows_carry_old_and_new_line_numbers() {
        let parsed = parse(EDIT);
        assert_eq!((parsed.added, parsed.removed, parsed.new_file), (1, 1, false));
        assert!(matches!(&parsed.rows[0], Row::Context { old: 3, new: 3, .. }));
        assert!(matches!(&parsed.rows[1], Row::Removed { old: 4, .. }));
        assert!(matches!(&parsed.rows[2], Row::Added { new: 4, .. }));
        assert!(matches!(&parsed.rows[3], Row::Context { old: 5, new: 5, .. }));
        assert_eq!(parsed.max_line_number(), 5);
    }

    #[test]
    fn only_the_changed_word_is_marked() {
        let parsed = parse(EDIT);
        let Row::Added { text, changed, .. } = &parsed.rows[2] else { panic!("{:?}", parsed.rows) };
        let marked: Vec<&str> = changed.iter().map(|range| &text[range.clone()]).collect();
        // Words are split at whitespace, so the punctuation glued to a word goes with it.
        assert_eq!(marked, ["2;"]);
    }

    #[test]
    fn unrelated_lines_are_not_marked_word_by_word() {
        let parsed = parse("@@ -1 +1 @@\n-alpha beta gamma\n+completely other words here\n");
        assert!(parsed.rows.iter().all(|row| match row {
            Row::Added { changed, .. } | Row::Removed { changed, .. } => changed.is_empty(),
            _ => true,
        }));
    }

    #[test]
    fn hunks_are_separated_and_new_files_recognised() {
        let two = parse("@@ -1,1 +1,1 @@\n-a\n+b\n@@ -20,1 +20,1 @@\n-c\n+d\n");
        assert_eq!(two.rows.iter().filter(|row| **row == Row::Gap).count(), 1);
        assert!(matches!(two.rows.last(), Some(Row::Added { new: 20, .. })));
        let created = parse("--- /dev/null\n+++ new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n");
        assert!(created.new_file);
        assert_eq!(created.added, 2);
    }
}
