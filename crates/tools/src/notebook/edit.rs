//! `notebook_edit`: replace, insert or delete one cell of a Jupyter notebook the model has read.

use super::{Notebook, source_lines, source_of};
use crate::context::ToolContext;
use crate::edit::{check_current, refuse_unread, shown_diff, unified_diff, write_and_record};
use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ApprovalDetail;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::sync::Arc;

pub struct NotebookEditTool {
    context: Arc<ToolContext>,
}

impl NotebookEditTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum CellType {
    Code,
    Markdown,
}

impl CellType {
    fn name(self) -> &'static str {
        match self {
            CellType::Code => "code",
            CellType::Markdown => "markdown",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum EditMode {
    #[default]
    Replace,
    Insert,
    Delete,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotebookEditInput {
    notebook_path: String,
    cell_id: Option<String>,
    cell_index: Option<usize>,
    new_source: Option<String>,
    cell_type: Option<CellType>,
    #[serde(default)]
    edit_mode: EditMode,
}

/// A planned edit: the new file text, and the cell's source before and after for the diff.
struct Edited {
    text: String,
    done: String,
    before: String,
    after: String,
}

#[async_trait]
impl Tool for NotebookEditTool {
    fn name(&self) -> &str {
        "notebook_edit"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Edit
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "notebook_path")
    }

    fn summary(&self, _input: &Value, result: &ToolResult) -> Option<String> {
        crate::summary::first_line(result)
    }

    fn description(&self) -> &str {
        "Change one cell of a Jupyter notebook (.ipynb). Read the notebook with read_file first: it shows each \
         cell's id and index. Name the cell by cell_id (or by cell_index, counting from 0). edit_mode \
         `replace` (the default) replaces the cell's source with new_source (and its type when cell_type is \
         given); replacing a code cell clears its outputs and execution count, as running it again would. \
         `insert` adds a new cell of cell_type with new_source after the cell named by cell_id, or at \
         cell_index (at the start when neither is given). `delete` removes the cell. Every other byte of the \
         file is kept as it was."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "notebook_path": {"type": "string", "description": "Absolute path, or a path relative to the project root, of the .ipynb file"},
                "cell_id": {"type": "string", "description": "The id of the cell to edit (insert: the cell to insert after)"},
                "cell_index": {"type": "integer", "minimum": 0, "description": "The cell's position from 0, instead of cell_id (insert: the new cell's position)"},
                "new_source": {"type": "string", "description": "The cell's new source (replace and insert)"},
                "cell_type": {"type": "string", "enum": ["code", "markdown"], "description": "The cell's type; required for insert"},
                "edit_mode": {"type": "string", "enum": ["replace", "insert", "delete"], "default": "replace"}
            },
            "required": ["notebook_path"],
            "additionalProperties": false
        })
    }

    fn access(&self, input: &Value) -> Access {
        let path = input.get("notebook_path").and_then(Value::as_str).unwrap_or_default();
        Access::Edit { path: self.context.resolve(path) }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        let raw = || ApprovalDetail::Input { input: input.clone() };
        let Ok(request) = serde_json::from_value::<NotebookEditInput>(input.clone()) else { return raw() };
        let path = self.context.resolve(&request.notebook_path);
        let Ok(text) = tokio::fs::read_to_string(&path).await else { return raw() };
        match plan(text, &request) {
            Ok(edited) => {
                let shown = self.context.display(&path);
                ApprovalDetail::Diff {
                    diff: unified_diff(&shown, Some(&edited.before), &edited.after),
                    path: shown,
                }
            }
            Err(_) => raw(),
        }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: NotebookEditInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let path = self.context.resolve(&request.notebook_path);
        match self.edit(&path, &request).await {
            Ok(result) | Err(result) => result,
        }
    }
}

impl NotebookEditTool {
    async fn edit(&self, path: &Path, request: &NotebookEditInput) -> Result<ToolResult, ToolResult> {
        let shown = self.context.display(path);
        let fail =
            |reason: String| ToolResult::error(format!("notebook_edit: {reason} {shown} is unchanged."));
        if path.extension().and_then(|ext| ext.to_str()) != Some("ipynb") {
            return Err(ToolResult::error(format!(
                "notebook_edit: {shown} is not a Jupyter notebook (.ipynb). Use edit_file for other files."
            )));
        }
        refuse_unread(&self.context, self.name(), path)?;
        let bytes = tokio::fs::read(path).await.map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ToolResult::error(format!(
                "notebook_edit: {shown} does not exist. Check the path; to create a notebook use write_file."
            )),
            _ => ToolResult::error(format!("notebook_edit: cannot read {shown}: {error}")),
        })?;
        check_current(&self.context, self.name(), path, &bytes)?;
        let text = String::from_utf8(bytes).map_err(|_| fail(format!("{shown} is not UTF-8 text.")))?;
        let edited = plan(text, request).map_err(fail)?;
        write_and_record(&self.context, path, &edited.text)
            .await
            .map_err(|error| ToolResult::error(format!("notebook_edit: cannot write {shown}: {error}")))?;
        let diff = unified_diff(&shown, Some(&edited.before), &edited.after);
        Ok(ToolResult::ok(format!("{} {shown}.\n\n{}", edited.done, shown_diff(&diff))))
    }
}

/// The notebook's new text for `request`, or why the edit cannot be made.
fn plan(text: String, request: &NotebookEditInput) -> Result<Edited, String> {
    let notebook = Notebook::parse(text)
        .map_err(|reason| format!("the file cannot be edited as a notebook: {reason}."))?;
    let cells = notebook.cells();
    let source = || {
        request
            .new_source
            .clone()
            .ok_or_else(|| "new_source is required to replace or insert a cell.".to_string())
    };
    match request.edit_mode {
        EditMode::Replace => {
            let index = find_cell(&notebook, request)?;
            let before = source_of(&cells[index]);
            let after = source()?;
            let cell = replaced(&cells[index], &after, request.cell_type);
            let done = format!("Replaced the source of cell {index}{} in", id_note(&cells[index]));
            Ok(Edited { text: notebook.replace(index, &cell), done, before, after })
        }
        EditMode::Insert => {
            let kind =
                request.cell_type.ok_or("cell_type (code or markdown) is required to insert a cell.")?;
            let index = match (&request.cell_id, request.cell_index) {
                (Some(_), _) => find_cell(&notebook, request)? + 1,
                (None, Some(index)) if index <= cells.len() => index,
                (None, Some(index)) => {
                    return Err(format!(
                        "cell_index {index} is past the end: the notebook has {} cells.",
                        cells.len()
                    ));
                }
                (None, None) => 0,
            };
            let after = source()?;
            let cell = new_cell(kind, &after, notebook.has_ids().then(|| fresh_id(cells)));
            let done = format!("Inserted {} cell {index}{} in", kind.name(), id_note(&cell));
            Ok(Edited { text: notebook.insert(index, &cell), done, before: String::new(), after })
        }
        EditMode::Delete => {
            let index = find_cell(&notebook, request)?;
            let done = format!("Deleted cell {index}{} from", id_note(&cells[index]));
            Ok(Edited {
                text: notebook.delete(index),
                done,
                before: source_of(&cells[index]),
                after: String::new(),
            })
        }
    }
}

/// The cell `request` names: by id (or `cell-N` for notebooks without ids), else by index.
fn find_cell(notebook: &Notebook, request: &NotebookEditInput) -> Result<usize, String> {
    let cells = notebook.cells();
    if let Some(id) = &request.cell_id {
        if let Some(index) = cells.iter().position(|cell| cell.get("id").and_then(Value::as_str) == Some(id))
        {
            return Ok(index);
        }
        if let Some(index) = id.strip_prefix("cell-").and_then(|n| n.parse::<usize>().ok())
            && index < cells.len()
        {
            return Ok(index);
        }
        return Err(format!(
            "no cell has the id `{id}`. Read the notebook again with read_file to see the cell ids."
        ));
    }
    match request.cell_index {
        Some(index) if index < cells.len() => Ok(index),
        Some(index) => Err(format!(
            "cell_index {index} is past the end: the notebook has {} cells (indexes 0 to {}).",
            cells.len(),
            cells.len().saturating_sub(1)
        )),
        None => Err("name the cell with cell_id or cell_index.".into()),
    }
}

/// A cell with its source replaced. A code cell's outputs describe its old source, so they are cleared, as
/// Jupyter clears them; a change of type adds or drops the fields only code cells have.
fn replaced(cell: &Value, source: &str, kind: Option<CellType>) -> Value {
    let mut cell = cell.as_object().cloned().unwrap_or_default();
    cell.insert("source".into(), source_lines(source));
    if let Some(kind) = kind {
        cell.insert("cell_type".into(), Value::String(kind.name().into()));
    }
    if cell.get("cell_type").and_then(Value::as_str) == Some("code") {
        cell.insert("execution_count".into(), Value::Null);
        cell.insert("outputs".into(), Value::Array(Vec::new()));
    } else {
        cell.remove("execution_count");
        cell.remove("outputs");
    }
    Value::Object(cell)
}

fn new_cell(kind: CellType, source: &str, id: Option<String>) -> Value {
    let mut cell = Map::new();
    cell.insert("cell_type".into(), Value::String(kind.name().into()));
    if let Some(id) = id {
        cell.insert("id".into(), Value::String(id));
    }
    cell.insert("metadata".into(), json!({}));
    cell.insert("source".into(), source_lines(source));
    if kind == CellType::Code {
        cell.insert("execution_count".into(), Value::Null);
        cell.insert("outputs".into(), Value::Array(Vec::new()));
    }
    Value::Object(cell)
}

/// An id no cell has: eight hexadecimal digits, as Jupyter makes them.
fn fresh_id(cells: &[Value]) -> String {
    loop {
        let id = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
        if !cells.iter().any(|cell| cell.get("id").and_then(Value::as_str) == Some(id.as_str())) {
            return id;
        }
    }
}

fn id_note(cell: &Value) -> String {
    cell.get("id").and_then(Value::as_str).map(|id| format!(" (id {id})")).unwrap_or_default()
}
