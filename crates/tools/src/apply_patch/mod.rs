//! `apply_patch`: add, update, delete and move files in one call, in the patch format OpenAI models are
//! trained to emit. All or nothing: every file's new content is computed before any is written, and a write
//! that fails puts back the files already written.

mod commit;
mod matching;
mod parse;
mod plan;

use crate::context::{FileSnapshot, ToolContext};
use crate::edit::shown_diff;
use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ApprovalDetail;
use parse::FileOp;
use plan::Plan;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Why a patch cannot be applied. Every message says what to change in the patch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PatchError {
    #[error("line {line} of the patch: {reason}")]
    Syntax { line: usize, reason: String },
    #[error(
        "the patch changes no file: add `*** Add File:`, `*** Update File:` or `*** Delete File:` sections"
    )]
    Empty,
    #[error("{path}: hunk {hunk} does not apply: {reason}")]
    Hunk { path: String, hunk: usize, reason: String },
    #[error("{path} does not exist; use `*** Add File:` to create it")]
    Missing { path: String },
    #[error("{path} already exists; use `*** Update File:` to change it")]
    Exists { path: String },
    #[error("{path} cannot be patched: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the patch touches {path} twice; put all of its changes in one section")]
    Twice { path: String },
}

pub struct ApplyPatchTool {
    context: Arc<ToolContext>,
    offer: claurst_config::ApplyPatchOffer,
}

impl ApplyPatchTool {
    /// The tool as `[tools] apply_patch = "auto"` offers it: to OpenAI's models.
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context, offer: claurst_config::ApplyPatchOffer::Auto }
    }

    /// The tool offered as `[tools] apply_patch` says.
    pub fn offered_as(mut self, offer: claurst_config::ApplyPatchOffer) -> Self {
        self.offer = offer;
        self
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchInput {
    #[serde(alias = "patch")]
    input: String,
}

fn patch_text(input: &Value) -> Option<&str> {
    input.get("input").or_else(|| input.get("patch")).and_then(Value::as_str)
}

#[async_trait]
impl Tool for ApplyPatchTool {
    fn name(&self) -> &str {
        "apply_patch"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Edit
    }

    /// The models trained on its format (OpenAI's, by default), beside the other edit tools.
    fn offered_to(&self, model: &str) -> bool {
        self.offer.offers(model)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        let ops = parse::parse(patch_text(input)?).ok()?;
        let first = ops.first()?.path().to_string();
        Some(match ops.len() {
            1 => first,
            count => format!("{first} (+{} more)", count - 1),
        })
    }

    fn summary(&self, _input: &Value, result: &ToolResult) -> Option<String> {
        crate::summary::first_line(result)
    }

    fn description(&self) -> &str {
        "Add, update, delete and move files in one atomic call. Pass the whole patch in `input`:\n\
         *** Begin Patch\n\
         *** Add File: path/new.txt\n\
         +every line of the new file, prefixed with +\n\
         *** Delete File: path/old.txt\n\
         *** Update File: path/file.py\n\
         *** Move to: path/renamed.py   (optional)\n\
         @@ def some_function():   (optional line the hunk comes after)\n \
          context line (prefixed with a space)\n\
         -removed line\n\
         +added line\n\
         *** End of File   (optional: the hunk ends the file)\n\
         *** End Patch\n\
         Paths are relative to the project root (or absolute). Give about three lines of context around each \
         change; context is matched exactly first, then ignoring whitespace differences. If any hunk of any \
         file does not apply, no file is changed and the error says which hunk failed."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "input": {"type": "string", "description": "The entire patch, from `*** Begin Patch` to `*** End Patch`"}
            },
            "required": ["input"],
            "additionalProperties": false
        })
    }

    fn access(&self, input: &Value) -> Access {
        // A patch that does not parse names no path: it is refused before touching anything.
        let ops = patch_text(input).and_then(|patch| parse::parse(patch).ok()).unwrap_or_default();
        Access::Edits { paths: plan::touched_paths(&self.context, &ops) }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        match self.planned(input).await {
            Some(Ok(plan)) => {
                ApprovalDetail::Diff { path: plan.shown_paths().join(", "), diff: plan.combined_diff() }
            }
            _ => ApprovalDetail::Input { input: input.clone() },
        }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: PatchInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let ops = match parse::parse(&request.input) {
            Ok(ops) => ops,
            Err(error) => return failed(error),
        };
        let context = Arc::clone(&self.context);
        let applied = tokio::task::spawn_blocking(move || apply(&context, &ops)).await;
        match applied {
            Ok(Ok(plan)) => self.report(&plan),
            Ok(Err(result)) => result,
            Err(error) => ToolResult::error(format!("apply_patch: the patch could not be applied: {error}")),
        }
    }
}

impl ApplyPatchTool {
    /// The plan for a call's patch, computed off the async runtime; `None` when the input has no patch.
    async fn planned(&self, input: &Value) -> Option<Result<Plan, PatchError>> {
        let ops = match parse::parse(patch_text(input)?) {
            Ok(ops) => ops,
            Err(error) => return Some(Err(error)),
        };
        let context = Arc::clone(&self.context);
        tokio::task::spawn_blocking(move || plan::plan(&context, &ops)).await.ok()
    }

    /// What the model is told of a patch that applied, and what the file tracker learns: the model now knows
    /// the files it wrote.
    fn report(&self, plan: &Plan) -> ToolResult {
        for write in &plan.writes {
            if let Some(content) = &write.after {
                let modified = std::fs::metadata(&write.path).ok().and_then(|meta| meta.modified().ok());
                self.context.files().record(&write.path, FileSnapshot::of(content.as_bytes(), modified));
            }
        }
        let files = plan.report.len();
        let plural = if files == 1 { "" } else { "s" };
        ToolResult::ok(format!(
            "Applied the patch to {files} file{plural}:\n{}\n\n{}",
            plan.report.join("\n"),
            shown_diff(&plan.combined_diff())
        ))
    }
}

/// Plan the whole patch, then write it; any failure leaves every file as it was.
fn apply(context: &ToolContext, ops: &[FileOp]) -> Result<Plan, ToolResult> {
    let plan = plan::plan(context, ops).map_err(failed)?;
    commit::commit(&plan.writes).map_err(|failure| {
        let shown = context.display(&failure.path);
        if failure.unrestored.is_empty() {
            ToolResult::error(format!(
                "apply_patch: writing {shown} failed ({}); every file the patch had already written was put \
                 back, so no file changed.",
                failure.error
            ))
        } else {
            let unrestored: Vec<String> = failure.unrestored.iter().map(|path| context.display(path)).collect();
            ToolResult::error(format!(
                "apply_patch: writing {shown} failed ({}), and these files could not be put back as they were: \
                 {}. Read them and tell the user.",
                failure.error,
                unrestored.join(", ")
            ))
        }
    })?;
    Ok(plan)
}

fn failed(error: PatchError) -> ToolResult {
    ToolResult::error(format!("apply_patch: {error}. No file was changed."))
}

#[cfg(test)]
mod tests;
