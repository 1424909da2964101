//! Applying an update's hunks to a file's text in memory: each hunk's expected lines are found after the
//! previous hunk, first exactly, then ignoring trailing whitespace, then ignoring leading and trailing
//! whitespace, then also reading typographic punctuation (curly quotes, dashes, non-breaking spaces) as
//! ASCII. The first strictness that finds the lines decides; finding them in two places is an error unless
//! an `@@` line locates the hunk.

use super::PatchError;
use super::parse::Hunk;
use crate::edit::LineEnding;

/// How strictly a file line is compared with a patch line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    Exact,
    TrailingSpace,
    Whitespace,
    Punctuation,
}

const LEVELS: [Strictness; 4] =
    [Strictness::Exact, Strictness::TrailingSpace, Strictness::Whitespace, Strictness::Punctuation];

impl Strictness {
    fn same(self, file: &str, patch: &str) -> bool {
        match self {
            Strictness::Exact => file == patch,
            Strictness::TrailingSpace => file.trim_end() == patch.trim_end(),
            Strictness::Whitespace => file.trim() == patch.trim(),
            Strictness::Punctuation => file.trim().chars().map(plain).eq(patch.trim().chars().map(plain)),
        }
    }
}

/// Typographic punctuation as the ASCII a model is likely to type instead.
fn plain(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => '"',
        '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => ' ',
        other => other,
    }
}

/// The file's text with every hunk applied, keeping its line endings and whether it ends with a newline.
pub(crate) fn apply_hunks(path: &str, content: &str, hunks: &[Hunk]) -> Result<String, PatchError> {
    let ending = LineEnding::of(content);
    let normalized = content.replace("\r\n", "\n");
    let ends_with_newline = normalized.ends_with('\n') || normalized.is_empty();
    let mut lines: Vec<String> = normalized.lines().map(str::to_string).collect();
    let mut replacements = Vec::new();
    let mut cursor = 0;
    for (index, hunk) in hunks.iter().enumerate() {
        let failed = |reason: String| PatchError::Hunk { path: path.to_string(), hunk: index + 1, reason };
        if let Some(anchor) = &hunk.anchor {
            let found = find(&lines, std::slice::from_ref(anchor), cursor, false)
                .map_err(|_| failed(format!("its `@@ {anchor}` line was not found")))?;
            cursor = found.start + 1;
        }
        let (start, old_len, new) = locate(&lines, hunk, cursor).map_err(failed)?;
        replacements.push((start, old_len, new));
        cursor = start + old_len;
    }
    for (start, old_len, new) in replacements.into_iter().rev() {
        lines.splice(start..start + old_len, new);
    }
    let separator = match ending {
        LineEnding::Lf => "\n",
        LineEnding::CrLf => "\r\n",
    };
    let mut text = lines.join(separator);
    if ends_with_newline && !lines.is_empty() {
        text.push_str(separator);
    }
    Ok(text)
}

/// Where a hunk applies: start line, how many lines it replaces, and their replacement.
fn locate(lines: &[String], hunk: &Hunk, cursor: usize) -> Result<(usize, usize, Vec<String>), String> {
    if hunk.old.is_empty() {
        // Only additions: after the `@@` line when there is one, else at the end of the file.
        let at = if hunk.anchor.is_some() && !hunk.end_of_file { cursor } else { lines.len() };
        return Ok((at, 0, hunk.new.clone()));
    }
    let unique = hunk.anchor.is_none();
    match find(lines, &hunk.old, cursor, hunk.end_of_file) {
        Ok(found) => Ok(found.check(unique, hunk.old.len(), hunk.new.clone())?),
        Err(Missing) => {
            // A blank line the model added at the end of its context is often not in the file.
            let (mut old, mut new) = (hunk.old.clone(), hunk.new.clone());
            if old.last().is_some_and(|line| line.trim().is_empty()) && old.len() > 1 {
                old.pop();
                if new.last().is_some_and(|line| line.trim().is_empty()) {
                    new.pop();
                }
                if let Ok(found) = find(lines, &old, cursor, hunk.end_of_file) {
                    return found.check(unique, old.len(), new);
                }
            }
            Err(format!(
                "its expected lines were not found{}:\n{}\nRead the file again and copy its lines exactly into \
                 the hunk's context (` `) and removed (`-`) lines.",
                if cursor > 0 { " after the previous hunk" } else { "" },
                quoted(&hunk.old)
            ))
        }
    }
}

struct Missing;

/// Where lines were found, and how many places matched at that strictness.
struct Found {
    start: usize,
    places: usize,
}

impl Found {
    fn check(
        self,
        unique: bool,
        old_len: usize,
        new: Vec<String>,
    ) -> Result<(usize, usize, Vec<String>), String> {
        if unique && self.places > 1 {
            return Err(format!(
                "its expected lines match {} places in the file. Add more context lines, or an `@@` line \
                 naming the function or section the hunk is in, so that it matches exactly one.",
                self.places
            ));
        }
        Ok((self.start, old_len, new))
    }
}

/// The first place at or after `from` where `wanted` occurs, at the strictest level that finds it. With
/// `at_end`, the lines must be the file's last.
fn find(lines: &[String], wanted: &[String], from: usize, at_end: bool) -> Result<Found, Missing> {
    if wanted.len() > lines.len() {
        return Err(Missing);
    }
    let last_start = lines.len() - wanted.len();
    for level in LEVELS {
        let matches_at = |start: usize| {
            lines[start..start + wanted.len()].iter().zip(wanted).all(|(l, w)| level.same(l, w))
        };
        if at_end {
            if last_start >= from && matches_at(last_start) {
                return Ok(Found { start: last_start, places: 1 });
            }
            continue;
        }
        let mut starts = (from..=last_start).filter(|start| matches_at(*start));
        if let Some(start) = starts.next() {
            return Ok(Found { start, places: 1 + starts.count() });
        }
    }
    Err(Missing)
}

fn quoted(lines: &[String]) -> String {
    lines.iter().take(8).map(|line| format!("    {line}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunk(old: &[&str], new: &[&str]) -> Hunk {
        Hunk {
            anchor: None,
            old: old.iter().map(|s| s.to_string()).collect(),
            new: new.iter().map(|s| s.to_string()).collect(),
            end_of_file: false,
        }
    }

    #[test]
    fn applies_exact_hunks_in_order() {
        let file = "a\nb\nc\nd\n";
        let result = apply_hunks("f", file, &[hunk(&["a", "b"], &["a", "B"]), hunk(&["d"], &["D", "e"])]);
        assert_eq!(result.unwrap(), "a\nB\nc\nD\ne\n");
    }

    #[test]
    fn tolerates_whitespace_drift_and_typographic_punctuation() {
        let file = "fn main() {   \n    let s = \u{201C}hi\u{201D}; // \u{2014} note\n}\n";
        let trailing = hunk(
            &["fn main() {", "    let s = \u{201C}hi\u{201D}; // \u{2014} note"],
            &["fn main() {", "    let s = 1;"],
        );
        assert_eq!(apply_hunks("f", file, &[trailing]).unwrap(), "fn main() {\n    let s = 1;\n}\n");
        let indented = hunk(&["  fn main() {"], &["fn start() {"]);
        assert!(apply_hunks("f", file, &[indented]).unwrap().starts_with("fn start() {\n"));
        let ascii = hunk(&["let s = \"hi\"; // - note"], &["let s = 2;"]);
        assert!(apply_hunks("f", file, &[ascii]).unwrap().contains("\nlet s = 2;\n"));
    }

    #[test]
    fn ambiguous_context_is_refused_unless_an_anchor_locates_it() {
        let file = "def a():\n    return 1\ndef b():\n    return 1\n";
        let ambiguous = hunk(&["    return 1"], &["    return 2"]);
        let error = apply_hunks("f.py", file, std::slice::from_ref(&ambiguous)).unwrap_err().to_string();
        assert!(error.contains("match 2 places"), "{error}");
        let anchored = Hunk { anchor: Some("def b():".into()), ..ambiguous };
        assert_eq!(
            apply_hunks("f.py", file, &[anchored]).unwrap(),
            "def a():\n    return 1\ndef b():\n    return 2\n"
        );
    }

    #[test]
    fn missing_lines_and_anchors_fail_with_the_hunk_number() {
        let file = "a\nb\n";
        let error =
            apply_hunks("f", file, &[hunk(&["a"], &["A"]), hunk(&["zzz"], &["y"])]).unwrap_err().to_string();
        assert!(error.contains("hunk 2") && error.contains("zzz"), "{error}");
        let anchored = Hunk { anchor: Some("nowhere".into()), ..hunk(&["a"], &["A"]) };
        assert!(apply_hunks("f", file, &[anchored]).unwrap_err().to_string().contains("`@@ nowhere`"));
    }

    #[test]
    fn keeps_crlf_and_a_missing_final_newline_and_honours_end_of_file() {
        assert_eq!(apply_hunks("f", "a\r\nb\r\n", &[hunk(&["b"], &["c"])]).unwrap(), "a\r\nc\r\n");
        assert_eq!(apply_hunks("f", "a\nb", &[hunk(&["b"], &["c"])]).unwrap(), "a\nc");
        let eof = Hunk { end_of_file: true, ..hunk(&["x"], &["y"]) };
        assert_eq!(apply_hunks("f", "x\nm\nx\n", &[eof]).unwrap(), "x\nm\ny\n");
        let append = hunk(&[], &["z"]);
        assert_eq!(apply_hunks("f", "a\n", &[append]).unwrap(), "a\nz\n");
    }

    #[test]
    fn a_trailing_blank_context_line_missing_from_the_file_is_forgiven() {
        assert_eq!(apply_hunks("f", "a\nb\n", &[hunk(&["b", ""], &["c", ""])]).unwrap(), "a\nc\n");
    }
}
