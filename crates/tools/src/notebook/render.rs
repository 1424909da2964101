//! A notebook as `read_file` shows it: every cell in order with its id, type and source, then its outputs
//! (text as text, images attached for the model to see, huge outputs cut).

use super::{Notebook, source_of};
use crate::files::truncate_chars;
use base64::Engine;
use claurst_protocol::{ImageSource, ToolResultContent};
use serde_json::Value;
use std::fmt::Write;

/// Characters kept of one output's text.
const MAX_OUTPUT_CHARS: usize = 4_000;
/// Characters kept of the whole rendering.
const MAX_TOTAL_CHARS: usize = 200_000;
/// Images attached from one notebook; more are named but not sent.
const MAX_IMAGES: usize = 10;
/// Larger images (base64 characters) are named but not sent.
const MAX_IMAGE_CHARS: usize = 7 * 1024 * 1024;

/// The text and images of notebook `text`, or why it cannot be read as a notebook.
pub(crate) fn render(shown: &str, text: String) -> Result<(String, Vec<ToolResultContent>), String> {
    let notebook = Notebook::parse(text)?;
    let (major, minor) = notebook.version();
    let cells = notebook.cells();
    let mut out = format!("Notebook {shown}: nbformat {major}.{minor}");
    if let Some(kernel) = notebook.kernel() {
        let _ = write!(out, ", kernel {kernel}");
    }
    let plural = if cells.len() == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        ", {} cell{plural}. Change cells with notebook_edit (by cell_id, or by cell_index).\n",
        cells.len()
    );
    let mut images = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        write_cell(&mut out, &mut images, index, cell);
        if out.len() > MAX_TOTAL_CHARS {
            let rest = cells.len() - index - 1;
            out = truncate_chars(&out, MAX_TOTAL_CHARS).to_string();
            let _ =
                write!(out, "\n[the notebook is too long to show whole; {rest} more cells are not shown]");
            break;
        }
    }
    Ok((out, images))
}

fn write_cell(out: &mut String, images: &mut Vec<ToolResultContent>, index: usize, cell: &Value) {
    let kind = cell.get("cell_type").and_then(Value::as_str).unwrap_or("unknown");
    let _ = write!(out, "<cell index=\"{index}\"");
    if let Some(id) = cell.get("id").and_then(Value::as_str) {
        let _ = write!(out, " id=\"{id}\"");
    }
    let _ = write!(out, " type=\"{kind}\"");
    if let Some(count) = cell.get("execution_count").and_then(Value::as_u64) {
        let _ = write!(out, " execution_count=\"{count}\"");
    }
    out.push_str(">\n");
    let source = source_of(cell);
    out.push_str(&source);
    if !source.is_empty() && !source.ends_with('\n') {
        out.push('\n');
    }
    for output in cell.get("outputs").and_then(Value::as_array).into_iter().flatten() {
        write_output(out, images, output);
    }
    out.push_str("</cell>\n\n");
}

fn write_output(out: &mut String, images: &mut Vec<ToolResultContent>, output: &Value) {
    let kind = output.get("output_type").and_then(Value::as_str).unwrap_or("unknown");
    match kind {
        "stream" => {
            let name = output.get("name").and_then(Value::as_str).unwrap_or("stdout");
            push_output(out, &format!("stream {name}"), &multiline(output.get("text")));
        }
        "error" => {
            let name = output.get("ename").and_then(Value::as_str).unwrap_or("Error");
            let value = output.get("evalue").and_then(Value::as_str).unwrap_or_default();
            let traceback: Vec<String> = output
                .get("traceback")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(strip_ansi)
                .collect();
            push_output(out, &format!("error {name}: {value}"), &traceback.join("\n"));
        }
        _ => write_data(out, images, output.get("data")),
    }
}

/// An `execute_result` or `display_data`: its images attached, then its best text form.
fn write_data(out: &mut String, images: &mut Vec<ToolResultContent>, data: Option<&Value>) {
    let Some(data) = data.and_then(Value::as_object) else { return };
    for media_type in ["image/png", "image/jpeg", "image/gif", "image/webp"] {
        let Some(encoded) = data.get(media_type) else { continue };
        let encoded: String = multiline(Some(encoded)).chars().filter(|c| !c.is_whitespace()).collect();
        if images.len() >= MAX_IMAGES || encoded.len() > MAX_IMAGE_CHARS {
            let _ = writeln!(
                out,
                "<output type=\"{media_type}\">[image not attached: too many or too large]</output>"
            );
            continue;
        }
        // Sent only when it is the image it claims to be: the API refuses a request with a broken image, and
        // the result would stay in the conversation, refusing every later request too.
        let bytes = base64::engine::general_purpose::STANDARD.decode(encoded.as_bytes()).unwrap_or_default();
        let Ok(source) = ImageSource::from_image_bytes(&bytes) else {
            let _ = writeln!(
                out,
                "<output type=\"{media_type}\">[image not attached: not a PNG, JPEG, GIF or WebP image of \
                 at most 5 MiB]</output>"
            );
            continue;
        };
        images.push(ToolResultContent::Image { source });
        let _ = writeln!(out, "<output type=\"{media_type}\">[image {} attached]</output>", images.len());
    }
    for media_type in ["text/plain", "text/markdown", "text/html", "application/json"] {
        if let Some(value) = data.get(media_type) {
            let text = match value {
                Value::Object(_) => value.to_string(),
                other => multiline(Some(other)),
            };
            push_output(out, media_type, &text);
            return;
        }
    }
}

fn push_output(out: &mut String, kind: &str, text: &str) {
    let _ = writeln!(out, "<output type=\"{kind}\">");
    let total = text.chars().count();
    out.push_str(truncate_chars(text, MAX_OUTPUT_CHARS));
    if total > MAX_OUTPUT_CHARS {
        let _ = write!(out, "\n[output cut: {total} characters, the first {MAX_OUTPUT_CHARS} shown]");
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("</output>\n");
}

/// A string or a list of strings, joined.
fn multiline(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// Tracebacks carry terminal colour codes; the model reads them as noise.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}
