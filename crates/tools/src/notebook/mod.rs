//! Jupyter notebooks (`.ipynb`, nbformat 4): reading their cells with outputs for `read_file`, and the
//! `notebook_edit` tool that replaces, inserts and deletes cells. Edits splice the changed cell's text into
//! the file as it was, in the file's own indentation, so every other byte stays identical.

mod edit;
mod render;
mod span;

pub use edit::NotebookEditTool;
pub(crate) use render::render;

use serde_json::Value;
use span::CellSpans;

/// A notebook file: its text, what it holds, and where each cell sits in the text.
pub(crate) struct Notebook {
    text: String,
    json: Value,
    spans: CellSpans,
    /// One level of the file's indentation (`""`: written on one line).
    unit: String,
    /// What goes before a cell's `{` on its line.
    cell_indent: String,
}

impl Notebook {
    /// Read a notebook, or say why `text` is not one.
    pub fn parse(text: String) -> Result<Notebook, String> {
        let json: Value =
            serde_json::from_str(&text).map_err(|error| format!("it is not valid JSON ({error})"))?;
        let Some(cells) = json.get("cells").and_then(Value::as_array) else {
            return Err("it has no `cells` list, so it is not a Jupyter notebook".into());
        };
        if cells.iter().any(|cell| !cell.is_object()) {
            return Err("a member of its `cells` list is not a cell object".into());
        }
        let spans = span::cell_spans(&text).ok_or("its `cells` list could not be located in the text")?;
        // The scan takes the first `cells` key as written; the parser keeps the last one, escapes decoded. A
        // file where they differ (a duplicate key) would have an edit land on the wrong bytes, or past them.
        let same_cells = spans.cells.len() == cells.len()
            && spans.cells.iter().zip(cells).all(|(span, cell)| {
                serde_json::from_str::<Value>(&text[span.clone()]).is_ok_and(|spanned| spanned == *cell)
            });
        if !same_cells {
            return Err("its `cells` list is written more than once".into());
        }
        let unit = indent_unit(&text);
        let cell_indent = match spans.cells.first() {
            Some(first) => {
                let line_start = text[..first.start].rfind('\n').map_or(first.start, |at| at + 1);
                text[line_start..first.start].to_string()
            }
            None => unit.repeat(2),
        };
        Ok(Notebook { text, json, spans, unit, cell_indent })
    }

    pub fn cells(&self) -> &[Value] {
        self.json.get("cells").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
    }

    /// `nbformat` and `nbformat_minor`.
    pub fn version(&self) -> (u64, u64) {
        let number = |key: &str| self.json.get(key).and_then(Value::as_u64).unwrap_or(0);
        (number("nbformat"), number("nbformat_minor"))
    }

    /// Cells carry ids from nbformat 4.5 on.
    pub fn has_ids(&self) -> bool {
        self.version() >= (4, 5)
    }

    pub fn kernel(&self) -> Option<&str> {
        let metadata = self.json.get("metadata")?;
        let spec = metadata.get("kernelspec").and_then(|spec| spec.get("name"));
        spec.or_else(|| metadata.get("language_info").and_then(|info| info.get("name")))?.as_str()
    }

    /// The file's text with cell `index` replaced by `cell`.
    pub fn replace(&self, index: usize, cell: &Value) -> String {
        let span = &self.spans.cells[index];
        self.splice(span.start..span.end, &self.cell_text(cell))
    }

    /// The file's text with `cell` inserted so that it becomes cell `index`.
    pub fn insert(&self, index: usize, cell: &Value) -> String {
        let text = self.cell_text(cell);
        let cells = &self.spans.cells;
        if cells.is_empty() {
            let closing = if self.unit.is_empty() { String::new() } else { format!("\n{}", self.unit) };
            let inner = format!("{}{}{text}{closing}", self.newline(), self.cell_indent);
            return self.splice(self.spans.open + 1..self.spans.close, &inner);
        }
        let separator = self.separator();
        match cells.get(index) {
            Some(next) => self.splice(next.start..next.start, &format!("{text}{separator}")),
            None => {
                let end = cells[cells.len() - 1].end;
                self.splice(end..end, &format!("{separator}{text}"))
            }
        }
    }

    /// The file's text without cell `index`.
    pub fn delete(&self, index: usize) -> String {
        let cells = &self.spans.cells;
        let range = match (index.checked_sub(1), cells.get(index + 1)) {
            (_, Some(next)) => cells[index].start..next.start,
            (Some(previous), None) => cells[previous].end..cells[index].end,
            (None, None) => self.spans.open + 1..self.spans.close,
        };
        self.splice(range, "")
    }

    fn splice(&self, range: std::ops::Range<usize>, with: &str) -> String {
        let mut text = String::with_capacity(self.text.len() + with.len());
        text.push_str(&self.text[..range.start]);
        text.push_str(with);
        text.push_str(&self.text[range.end..]);
        text
    }

    fn newline(&self) -> &'static str {
        if self.unit.is_empty() { "" } else { "\n" }
    }

    /// What separates two cells in this file.
    fn separator(&self) -> String {
        match self.spans.cells.get(..2) {
            Some([first, second]) => self.text[first.end..second.start].to_string(),
            _ => format!(",{}{}", self.newline(), self.cell_indent),
        }
    }

    /// A cell serialised as the file writes cells: its indentation, at its depth.
    fn cell_text(&self, cell: &Value) -> String {
        if self.unit.is_empty() {
            return serde_json::to_string(cell).unwrap_or_default();
        }
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.unit.as_bytes());
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        if serde::Serialize::serialize(cell, &mut serializer).is_err() {
            return String::new();
        }
        String::from_utf8_lossy(&bytes).replace('\n', &format!("\n{}", self.cell_indent))
    }
}

/// The indentation of the first indented line: one level of the file's style (Jupyter writes one space).
fn indent_unit(text: &str) -> String {
    let Some(newline) = text.find('\n') else { return String::new() };
    text[newline + 1..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// A cell's source as one string (nbformat allows a string or a list of lines).
pub(crate) fn source_of(cell: &Value) -> String {
    match cell.get("source") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// Text as nbformat stores a source: lines, each but the last ending with `\n`.
pub(crate) fn source_lines(text: &str) -> Value {
    Value::Array(text.split_inclusive('\n').map(|line| Value::String(line.to_string())).collect())
}

#[cfg(test)]
mod tests;
