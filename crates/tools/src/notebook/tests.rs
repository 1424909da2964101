use super::*;
use crate::tool::Tool;
use crate::{ReadFileTool, ToolContext};
use claurst_test_support::NOTEBOOK_FIXTURE;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn context(root: &Path) -> Arc<ToolContext> {
    Arc::new(ToolContext::new(root, root.join(".session"), Duration::from_secs(5)))
}

/// The fixture's text with cell `index`'s bytes cut out, to compare everything outside it.
fn outside_cell(text: &str, index: usize) -> (String, String) {
    let spans = span::cell_spans(text).unwrap();
    let range = spans.cells[index].clone();
    (text[..range.start].to_string(), text[range.end..].to_string())
}

#[test]
fn replacing_a_cell_keeps_every_other_byte() {
    let notebook = Notebook::parse(NOTEBOOK_FIXTURE.to_string()).unwrap();
    let cell = notebook.cells()[2].clone();
    let edited = notebook.replace(2, &cell);
    assert_eq!(
        edited, NOTEBOOK_FIXTURE,
        "a cell written back unchanged is byte-identical, in Jupyter's style"
    );
    let mut changed = cell.as_object().unwrap().clone();
    changed.insert("source".into(), source_lines("print('new')\n"));
    let edited = notebook.replace(2, &Value::Object(changed));
    assert_eq!(outside_cell(&edited, 2), outside_cell(NOTEBOOK_FIXTURE, 2));
    assert!(edited.contains("    \"print('new')\\n\"\n"), "one-space indentation at the cell's depth");
}

#[test]
fn inserting_and_deleting_keep_the_other_cells_and_the_json_valid() {
    let notebook = Notebook::parse(NOTEBOOK_FIXTURE.to_string()).unwrap();
    let cell = json!({"cell_type": "markdown", "id": "abcd1234", "metadata": {}, "source": ["hi"]});
    for index in [0, 2, 5] {
        let inserted = notebook.insert(index, &cell);
        let reread = Notebook::parse(inserted.clone()).unwrap();
        assert_eq!(reread.cells().len(), 6);
        assert_eq!(reread.cells()[index]["id"], "abcd1234");
        let back = reread.delete(index);
        assert_eq!(back, NOTEBOOK_FIXTURE, "insert then delete at {index} restores every byte");
    }
    let deleted = notebook.delete(4);
    let spans = span::cell_spans(NOTEBOOK_FIXTURE).unwrap();
    let expected =
        format!("{}{}", &NOTEBOOK_FIXTURE[..spans.cells[3].end], &NOTEBOOK_FIXTURE[spans.cells[4].end..]);
    assert_eq!(deleted, expected, "the last cell goes with the comma before it");
    assert_eq!(Notebook::parse(deleted).unwrap().cells().len(), 4);
    let empty = "{\n \"cells\": [],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";
    let one = Notebook::parse(empty.to_string()).unwrap().insert(0, &cell);
    assert!(one.starts_with("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n"), "{one}");
    assert_eq!(Notebook::parse(one).unwrap().delete(0), empty);
}

#[tokio::test]
async fn the_tool_edits_by_id_or_index_and_refuses_bad_input_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = root.join("analysis.ipynb");
    std::fs::write(&path, NOTEBOOK_FIXTURE).unwrap();
    let context = context(root);
    let tool = NotebookEditTool::new(Arc::clone(&context));
    let unread =
        tool.execute(json!({"notebook_path": "analysis.ipynb", "cell_index": 0, "new_source": "x"})).await;
    assert!(unread.is_error && unread.output.contains("has not been read"), "{}", unread.output);
    ReadFileTool::new(Arc::clone(&context)).execute(json!({"path": "analysis.ipynb"})).await;
    let bad = [
        (
            json!({"notebook_path": "analysis.ipynb", "cell_id": "nope", "new_source": "x"}),
            "no cell has the id `nope`",
        ),
        (json!({"notebook_path": "analysis.ipynb", "cell_index": 9, "new_source": "x"}), "past the end"),
        (json!({"notebook_path": "analysis.ipynb", "cell_index": 1}), "new_source is required"),
        (json!({"notebook_path": "analysis.ipynb", "edit_mode": "insert", "new_source": "x"}), "cell_type"),
        (json!({"notebook_path": "analysis.ipynb", "edit_mode": "move", "cell_index": 1}), "invalid input"),
        (json!({"notebook_path": "notes.txt", "cell_index": 1, "new_source": "x"}), "not a Jupyter notebook"),
    ];
    for (input, expected) in bad {
        let result = tool.execute(input.clone()).await;
        assert!(result.is_error && result.output.contains(expected), "{input}: {}", result.output);
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), NOTEBOOK_FIXTURE);

    let replaced = tool
        .execute(json!({"notebook_path": "analysis.ipynb", "cell_id": "c0ffee12", "new_source": "totals.describe()"}))
        .await;
    assert!(!replaced.is_error, "{}", replaced.output);
    assert!(replaced.output.starts_with("Replaced the source of cell 2 (id c0ffee12) in analysis.ipynb."));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(outside_cell(&text, 2), outside_cell(NOTEBOOK_FIXTURE, 2));
    let cell = &Notebook::parse(text.clone()).unwrap().cells()[2].clone();
    assert_eq!((cell["execution_count"].clone(), cell["outputs"].clone()), (Value::Null, json!([])));

    // The file changed, but this tool wrote it: the model knows its content.
    let inserted = tool
        .execute(json!({"notebook_path": "analysis.ipynb", "edit_mode": "insert", "cell_id": "deadbeef", "cell_type": "code", "new_source": "x = 1"}))
        .await;
    assert!(inserted.output.starts_with("Inserted code cell 4 (id "), "{}", inserted.output);
    let notebook = Notebook::parse(std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(notebook.cells()[4]["id"].as_str().map(str::len), Some(8), "nbformat 4.5 cells get an id");
    let deleted = tool
        .execute(json!({"notebook_path": "analysis.ipynb", "edit_mode": "delete", "cell_index": 4}))
        .await;
    assert!(!deleted.is_error, "{}", deleted.output);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "insert then delete leaves the replaced notebook"
    );
}

#[tokio::test]
async fn read_file_shows_cells_with_outputs_and_attaches_images() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("analysis.ipynb"), NOTEBOOK_FIXTURE).unwrap();
    let outcome = ReadFileTool::new(context(dir.path())).run(json!({"path": "analysis.ipynb"})).await;
    let text = &outcome.result.output;
    assert!(text.starts_with("Notebook analysis.ipynb: nbformat 4.5, kernel python3, 5 cells."), "{text}");
    assert!(text.contains(
        "<cell index=\"1\" id=\"b2d4e6f8\" type=\"code\" execution_count=\"1\">\nimport pandas as pd\n"
    ));
    assert!(text.contains("<output type=\"stream stdout\">\nloaded 4 rows\n</output>"), "{text}");
    assert!(text.contains("<output type=\"text/plain\">\n   total\n0   1200\n</output>"), "{text}");
    assert!(text.contains("<output type=\"image/png\">[image 1 attached]</output>"), "{text}");
    assert!(text.contains("error ZeroDivisionError: division by zero") && !text.contains('\u{1b}'), "{text}");
    assert!(text.contains("Ünïcödé survives."));
    assert_eq!(outcome.extra_content.len(), 1);
    let long = json!({"cells": [{"cell_type": "code", "source": "x", "outputs": [{"output_type": "stream", "name": "stdout", "text": "y".repeat(10_000)}]}], "nbformat": 4, "nbformat_minor": 4});
    let (shown, _) = render("big.ipynb", long.to_string()).unwrap();
    assert!(shown.contains("[output cut: 10000 characters, the first 4000 shown]"), "{shown}");
}

#[test]
fn a_notebook_whose_cells_key_is_written_twice_is_refused() {
    // serde_json keeps the last `cells`, the byte scan finds the first: an edit of cell 1 would index past
    // the first list's one cell.
    let twice = r#"{"cells": [{"cell_type": "markdown", "source": "a"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4, "cell\u0073": [{"cell_type": "markdown", "source": "b"}, {"cell_type": "markdown", "source": "c"}]}"#;
    let Err(error) = Notebook::parse(twice.to_string()) else {
        panic!("a notebook with two cells lists was read")
    };
    assert!(error.contains("more than once"), "{error}");
}

#[test]
fn an_output_that_is_not_the_image_it_claims_is_named_but_not_attached() {
    // The API refuses a request holding a broken image, and the result stays in the conversation.
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    let outputs = json!([
        {"output_type": "display_data", "data": {"image/png": "bm90IGFuIGltYWdl"}},
        {"output_type": "display_data", "data": {"image/jpeg": "%%% not base64 %%%"}},
        {"output_type": "display_data", "data": {"image/png": png}},
    ]);
    let notebook = json!({"cells": [{"cell_type": "code", "source": "x", "outputs": outputs}], "nbformat": 4, "nbformat_minor": 4});
    let (shown, images) = render("plots.ipynb", notebook.to_string()).unwrap();
    assert_eq!(shown.matches("[image not attached: not a PNG").count(), 2, "{shown}");
    assert!(shown.contains("<output type=\"image/png\">[image 1 attached]</output>"), "{shown}");
    assert_eq!(images.len(), 1);
}
