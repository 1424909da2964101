//! Reading the patch format OpenAI models are trained to emit: `*** Begin Patch`, then file sections
//! (`*** Add File:`, `*** Delete File:`, `*** Update File:` with an optional `*** Move to:`), then
//! `*** End Patch`. An update holds hunks introduced by `@@` (optionally followed by a line that locates the
//! hunk), whose lines start with ` ` (context), `-` (removed) or `+` (added).

use super::PatchError;

/// One file section of a patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileOp {
    Add { path: String, content: String },
    Delete { path: String },
    Update { path: String, move_to: Option<String>, hunks: Vec<Hunk> },
}

impl FileOp {
    pub fn path(&self) -> &str {
        match self {
            FileOp::Add { path, .. } | FileOp::Delete { path } | FileOp::Update { path, .. } => path,
        }
    }
}

/// One `@@` hunk of an update: the lines it expects (context and removed) and what replaces them (context
/// and added).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Hunk {
    /// The text after `@@`: a line the hunk comes after (a function's signature), searched for first.
    pub anchor: Option<String>,
    pub old: Vec<String>,
    pub new: Vec<String>,
    /// `*** End of File` closed the hunk: its lines are the file's last.
    pub end_of_file: bool,
}

const BEGIN: &str = "*** Begin Patch";
const END: &str = "*** End Patch";
const ADD: &str = "*** Add File: ";
const DELETE: &str = "*** Delete File: ";
const UPDATE: &str = "*** Update File: ";
const MOVE: &str = "*** Move to: ";
const END_OF_FILE: &str = "*** End of File";

/// Parse a whole patch. Tolerated: blank lines around it, a shell here-document wrapper
/// (`apply_patch <<'EOF'` … `EOF`) that models sometimes copy from their training, and CRLF line breaks.
pub(crate) fn parse(patch: &str) -> Result<Vec<FileOp>, PatchError> {
    let text = patch.replace("\r\n", "\n");
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    let start = lines.iter().position(|line| !line.trim().is_empty()).unwrap_or(lines.len());
    lines.drain(..start);
    if lines.first().is_some_and(|line| line.contains("<<") && !line.starts_with("***")) {
        lines.remove(0);
        if lines.last().is_some_and(|line| !line.starts_with("***")) {
            lines.pop();
        }
    }
    if lines.first().map(|line| line.trim()) != Some(BEGIN) {
        return Err(PatchError::Syntax { line: 1, reason: format!("the patch must start with `{BEGIN}`") });
    }
    if lines.last().map(|line| line.trim()) != Some(END) || lines.len() < 2 {
        return Err(PatchError::Syntax {
            line: lines.len(),
            reason: format!("the patch must end with `{END}`"),
        });
    }
    let body = &lines[1..lines.len() - 1];
    let mut parser = Parser { lines: body, at: 0 };
    let mut ops = Vec::new();
    while parser.at < body.len() {
        ops.push(parser.file_op()?);
    }
    if ops.is_empty() {
        return Err(PatchError::Empty);
    }
    Ok(ops)
}

struct Parser<'a> {
    lines: &'a [&'a str],
    at: usize,
}

impl<'a> Parser<'a> {
    /// The line number in the whole patch (line 1 is `*** Begin Patch`).
    fn line_number(&self) -> usize {
        self.at + 2
    }

    fn error(&self, reason: impl Into<String>) -> PatchError {
        PatchError::Syntax { line: self.line_number(), reason: reason.into() }
    }

    fn peek(&self) -> Option<&'a str> {
        self.lines.get(self.at).copied()
    }

    fn file_op(&mut self) -> Result<FileOp, PatchError> {
        let Some(line) = self.peek() else { return Err(self.error("a file section was expected")) };
        if line.trim().is_empty() {
            self.at += 1;
            return self.file_op();
        }
        let header = line.trim_end();
        if let Some(path) = header.strip_prefix(ADD) {
            self.at += 1;
            return self.add(path.trim());
        }
        if let Some(path) = header.strip_prefix(DELETE) {
            self.at += 1;
            return Ok(FileOp::Delete { path: self.path(path)? });
        }
        if let Some(path) = header.strip_prefix(UPDATE) {
            self.at += 1;
            return self.update(path.trim());
        }
        Err(self.error(format!(
            "expected `{ADD}PATH`, `{DELETE}PATH` or `{UPDATE}PATH`, found `{}`",
            line.trim_end()
        )))
    }

    fn path(&self, raw: &str) -> Result<String, PatchError> {
        let path = raw.trim();
        if path.is_empty() {
            // The header was the line before.
            return Err(PatchError::Syntax {
                line: self.line_number() - 1,
                reason: "the path is empty".into(),
            });
        }
        Ok(path.to_string())
    }

    fn at_section_start(&self) -> bool {
        self.peek().is_some_and(|line| {
            let line = line.trim_end();
            line.starts_with(ADD) || line.starts_with(DELETE) || line.starts_with(UPDATE)
        })
    }

    fn add(&mut self, raw_path: &str) -> Result<FileOp, PatchError> {
        let path = self.path(raw_path)?;
        let mut content = String::new();
        while let Some(line) = self.peek() {
            if self.at_section_start() {
                break;
            }
            match line.strip_prefix('+') {
                Some(text) => {
                    content.push_str(text);
                    content.push('\n');
                }
                None => {
                    return Err(self
                        .error(format!("every line of an added file must start with `+`; found `{line}`")));
                }
            }
            self.at += 1;
        }
        Ok(FileOp::Add { path, content })
    }

    fn update(&mut self, raw_path: &str) -> Result<FileOp, PatchError> {
        let path = self.path(raw_path)?;
        let mut move_to = None;
        if let Some(target) = self.peek().and_then(|line| line.trim_end().strip_prefix(MOVE)) {
            self.at += 1;
            move_to = Some(self.path(target)?);
        }
        let mut hunks: Vec<Hunk> = Vec::new();
        while self.peek().is_some() && !self.at_section_start() {
            hunks.push(self.hunk(hunks.is_empty())?);
        }
        if hunks.is_empty() && move_to.is_none() {
            return Err(
                self.error(format!("`{UPDATE}{path}` has no hunk; add `@@` hunks or leave the file out"))
            );
        }
        Ok(FileOp::Update { path, move_to, hunks })
    }

    /// One hunk; the first of a file may leave out its `@@` line.
    fn hunk(&mut self, first: bool) -> Result<Hunk, PatchError> {
        let mut hunk = Hunk::default();
        match self.peek().map(str::trim_end) {
            Some("@@") => self.at += 1,
            Some(line) if line.starts_with("@@ ") => {
                let anchor = line[3..].trim();
                // A unified diff's `@@ -1,3 +1,4 @@` says where, in numbers the model cannot be trusted with.
                let numbered = anchor.starts_with('-') && anchor.ends_with("@@");
                hunk.anchor = (!anchor.is_empty() && !numbered).then(|| anchor.to_string());
                self.at += 1;
            }
            Some(_) if first => {}
            Some(line) => {
                return Err(self.error(format!("expected a hunk starting with `@@`, found `{line}`")));
            }
            None => return Err(self.error("a hunk was expected")),
        }
        let mut changes = 0;
        while let Some(line) = self.peek() {
            if line.trim_end() == END_OF_FILE {
                hunk.end_of_file = true;
                self.at += 1;
                break;
            }
            if line.starts_with("@@") || self.at_section_start() {
                break;
            }
            match line.split_at_checked(1) {
                Some((" ", text)) => {
                    hunk.old.push(text.to_string());
                    hunk.new.push(text.to_string());
                }
                Some(("-", text)) => {
                    hunk.old.push(text.to_string());
                    changes += 1;
                }
                Some(("+", text)) => {
                    hunk.new.push(text.to_string());
                    changes += 1;
                }
                // Models often drop the space of an empty context line.
                None => {
                    hunk.old.push(String::new());
                    hunk.new.push(String::new());
                }
                Some(_) => {
                    return Err(
                        self.error(format!("a hunk line must start with ` `, `-` or `+`; found `{line}`"))
                    );
                }
            }
            self.at += 1;
        }
        if changes == 0 && hunk.old.is_empty() {
            return Err(self.error("the hunk is empty"));
        }
        Ok(hunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|line| line.to_string()).collect()
    }

    #[test]
    fn reads_every_kind_of_section() {
        let patch = "*** Begin Patch\n*** Add File: new.txt\n+hello\n+world\n*** Delete File: old.txt\n\
                     *** Update File: src/a.py\n*** Move to: src/b.py\n@@ def f():\n     x = 1\n-    y = 2\n+    y = 3\n\
                     @@\n-last\n+final\n*** End of File\n*** End Patch\n";
        let ops = parse(patch).unwrap();
        assert_eq!(ops.len(), 3);
        assert_eq!(ops[0], FileOp::Add { path: "new.txt".into(), content: "hello\nworld\n".into() });
        assert_eq!(ops[1], FileOp::Delete { path: "old.txt".into() });
        let FileOp::Update { path, move_to, hunks } = &ops[2] else { panic!("{ops:?}") };
        assert_eq!((path.as_str(), move_to.as_deref()), ("src/a.py", Some("src/b.py")));
        assert_eq!(hunks[0].anchor.as_deref(), Some("def f():"));
        assert_eq!(hunks[0].old, lines(&["    x = 1", "    y = 2"]));
        assert_eq!(hunks[0].new, lines(&["    x = 1", "    y = 3"]));
        assert!(!hunks[0].end_of_file);
        assert_eq!((hunks[1].old.clone(), hunks[1].new.clone()), (lines(&["last"]), lines(&["final"])));
        assert!(hunks[1].end_of_file);
    }

    #[test]
    fn tolerates_a_heredoc_wrapper_and_a_first_hunk_without_header() {
        let patch = "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: a.txt\n-a\n+b\n\n c\n*** End Patch\nEOF\n";
        let ops = parse(patch).unwrap();
        let FileOp::Update { hunks, .. } = &ops[0] else { panic!() };
        assert_eq!(hunks[0].old, lines(&["a", "", "c"]));
        assert_eq!(hunks[0].new, lines(&["b", "", "c"]));
    }

    #[test]
    fn explains_what_is_wrong() {
        let error = |patch: &str| parse(patch).unwrap_err().to_string();
        assert!(error("*** Update File: a\n-a\n+b\n*** End Patch").contains("must start with"));
        assert!(error("*** Begin Patch\n*** Update File: a\n-a\n+b\n").contains("must end with"));
        assert!(error("*** Begin Patch\n*** End Patch").contains("no file"));
        assert!(error("*** Begin Patch\n*** Frobnicate File: a\n*** End Patch").contains("line 2"));
        assert!(
            error("*** Begin Patch\n*** Add File: a\nno plus\n*** End Patch").contains("must start with `+`")
        );
        assert!(error("*** Begin Patch\n*** Update File: a\n*** End Patch").contains("no hunk"));
        assert!(error("*** Begin Patch\n*** Update File: a\n@@\n*x\n*** End Patch").contains("line 4"));
    }
}
