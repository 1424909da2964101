//! Where each cell of a notebook sits in the file's text, so an edit can replace one cell's bytes and leave
//! every other byte as it was (re-serialising the whole notebook would reflow other cells and their outputs).

use std::ops::Range;

/// Byte positions in a notebook's text: the `cells` array's brackets and each cell object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellSpans {
    /// The position of the array's `[`.
    pub open: usize,
    /// The position of the array's `]`.
    pub close: usize,
    pub cells: Vec<Range<usize>>,
}

/// The spans of `text`, a JSON object with a top-level `cells` array; `None` when it has none or is not
/// well-formed JSON at the places the scan passes.
pub(crate) fn cell_spans(text: &str) -> Option<CellSpans> {
    let mut scan = Scanner { bytes: text.as_bytes(), at: 0 };
    scan.skip_whitespace();
    scan.expect(b'{')?;
    loop {
        scan.skip_whitespace();
        if scan.peek()? == b'}' {
            return None;
        }
        let key = scan.string()?;
        scan.skip_whitespace();
        scan.expect(b':')?;
        scan.skip_whitespace();
        if &text[key.start + 1..key.end - 1] == "cells" {
            return scan.cells();
        }
        scan.value()?;
        scan.skip_whitespace();
        if scan.peek()? == b',' {
            scan.at += 1;
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// A string's range, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(start..self.at);
                }
                _ => self.at += 1,
            }
        }
    }

    /// Any value's range.
    fn value(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        match self.peek()? {
            b'"' => self.string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(start..self.at);
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|byte| !matches!(byte, b',' | b']' | b'}') && !byte.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                (self.at > start).then_some(start..self.at)
            }
        }
    }

    fn cells(&mut self) -> Option<CellSpans> {
        let open = self.at;
        self.expect(b'[')?;
        let mut cells = Vec::new();
        loop {
            self.skip_whitespace();
            if self.peek()? == b']' {
                return Some(CellSpans { open, close: self.at, cells });
            }
            if self.peek()? != b'{' {
                return None;
            }
            cells.push(self.value()?);
            self.skip_whitespace();
            if self.peek()? == b',' {
                self.at += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_cell_after_other_keys() {
        let text =
            r#"{ "a": {"cells": [1]}, "s": "x\"]}", "cells": [ {"k": "}"} , {"n": [1, {}]} ], "z": 1 }"#;
        let spans = cell_spans(text).unwrap();
        let cells: Vec<&str> = spans.cells.iter().map(|range| &text[range.clone()]).collect();
        assert_eq!(cells, [r#"{"k": "}"}"#, r#"{"n": [1, {}]}"#]);
        assert_eq!((&text[spans.open..=spans.open], &text[spans.close..=spans.close]), ("[", "]"));
        assert_eq!(cell_spans(r#"{"cells": []}"#).unwrap().cells, Vec::<Range<usize>>::new());
        assert_eq!(cell_spans(r#"{"metadata": {}}"#), None);
        assert_eq!(cell_spans(r#"{"cells": [1]}"#), None);
    }
}
