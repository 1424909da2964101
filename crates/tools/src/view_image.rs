//! `view_image`: an image file for the model to look at.

use crate::context::ToolContext;
use crate::input;
use crate::tool::{Tool, ToolOutcome, ToolResult};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::{ImageRefusal, ImageSource, MAX_IMAGE_BYTES, ToolResultContent};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

pub struct ViewImageTool {
    context: Arc<ToolContext>,
}

impl ViewImageTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct ViewInput {
    path: String,
}

#[async_trait]
impl Tool for ViewImageTool {
    fn name(&self) -> &str {
        "view_image"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Read
    }

    fn title(&self) -> String {
        "View image".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "path")
    }

    fn description(&self) -> &str {
        "Look at an image file (PNG, JPEG, GIF or WebP, at most 5 MiB): a screenshot, a diagram, a rendered \
         page. The path may be absolute or relative to the project root. The image is returned for you to see."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "Absolute path, or a path relative to the project root"}
            },
            "required": ["path"],
            "additionalProperties": false
        })
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, input: &Value) -> Access {
        self.context.read_access(input)
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let request: ViewInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error.into(),
        };
        let path = self.context.resolve(&request.path);
        match read_image(&path).await {
            Ok((source, len)) => image_outcome(&path, source, len),
            Err(message) => ToolResult::error(message).into(),
        }
    }
}

/// The image at `path` and its size, or what to tell the model.
async fn read_image(path: &Path) -> Result<(ImageSource, usize), String> {
    let shown = path.display();
    let meta = tokio::fs::metadata(path).await.map_err(|_| format!("File not found: {shown}."))?;
    if !meta.is_file() {
        return Err(format!("{shown} is not a regular file; view_image reads image files."));
    }
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(format!("{shown} is {}.", ImageRefusal::TooLarge { bytes: meta.len() }));
    }
    let bytes = tokio::fs::read(path).await.map_err(|error| format!("Cannot read {shown}: {error}"))?;
    let source = ImageSource::from_image_bytes(&bytes).map_err(|refusal| match refusal {
        ImageRefusal::NotAnImage => {
            format!("{shown} is not a PNG, JPEG, GIF or WebP image; use read_file for text files.")
        }
        other => format!("{shown} is {other}."),
    })?;
    Ok((source, bytes.len()))
}

/// The outcome that shows the model an image: a line of text naming it, then the image itself.
pub(crate) fn image_outcome(path: &Path, source: ImageSource, len: usize) -> ToolOutcome {
    let text = format!("Image {} ({}, {len} bytes).", path.display(), source.media_type);
    ToolOutcome {
        result: ToolResult::ok(text),
        extra_content: vec![ToolResultContent::Image { source }],
        update: None,
        sandbox_refusal: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    fn tool(dir: &Path) -> ViewImageTool {
        ViewImageTool::new(Arc::new(ToolContext::new(dir, dir.join("s"), Duration::from_secs(5))))
    }

    #[tokio::test]
    async fn an_image_comes_back_as_image_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("shot.png"), PNG).unwrap();
        let outcome = tool(dir.path()).run(json!({"path": "shot.png"})).await;
        assert!(!outcome.result.is_error, "{}", outcome.result.output);
        assert!(outcome.result.output.contains("image/png, 16 bytes"), "{}", outcome.result.output);
        let [ToolResultContent::Image { source }] = outcome.extra_content.as_slice() else {
            panic!("{:?}", outcome.extra_content)
        };
        assert_eq!(source.data, ImageSource::base64("image/png", PNG).data);
    }

    #[tokio::test]
    async fn text_missing_and_directories_are_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.png"), "not really").unwrap();
        let tool = tool(dir.path());
        for (path, expected) in [
            ("notes.png", "is not a PNG, JPEG, GIF or WebP image"),
            ("gone.png", "File not found"),
            (".", "is not a regular file"),
        ] {
            let outcome = tool.run(json!({"path": path})).await;
            assert!(
                outcome.result.is_error && outcome.result.output.contains(expected),
                "{path}: {outcome:?}"
            );
            assert!(outcome.extra_content.is_empty());
        }
        assert!(tool.is_read_only(&json!({})));
    }
}
