//! What a server returns, as the model sees it: text, images and resource references mapped onto
//! tool-result content, and text beyond the cap saved to a file.

use claurst_protocol::{ImageSource, ToolResultContent};
use claurst_tools::{ToolOutcome, ToolResult};
use rmcp::model::{CallToolResult, ContentBlock, ResourceContents};
use std::path::Path;

/// Image types the Messages API accepts inline.
const IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// A finished call, with its text capped at `max_chars` (the whole saved in `tool_output`).
pub(crate) async fn call_outcome(
    result: CallToolResult,
    tool_output: &Path,
    max_chars: usize,
) -> ToolOutcome {
    let is_error = result.is_error.unwrap_or(false);
    let mut content = Content::default();
    for block in result.content {
        content.add_block(block);
    }
    if content.is_empty()
        && let Some(structured) = result.structured_content
    {
        content.lines.push(structured.to_string());
    }
    content.into_outcome(is_error, tool_output, max_chars).await
}

/// Text lines and images gathered from a result's blocks.
#[derive(Default)]
pub(crate) struct Content {
    lines: Vec<String>,
    images: Vec<ToolResultContent>,
}

impl Content {
    pub(crate) fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.images.is_empty()
    }

    fn add_block(&mut self, block: ContentBlock) {
        match block {
            ContentBlock::Text(text) => self.lines.push(text.text),
            ContentBlock::Image(image) => self.add_image(image.data, image.mime_type, None),
            ContentBlock::Audio(audio) => {
                self.lines.push(format!("[audio ({}) omitted: the model cannot hear it]", audio.mime_type))
            }
            ContentBlock::Resource(embedded) => self.add_resource(embedded.resource),
            ContentBlock::ResourceLink(link) => {
                let kind = link.mime_type.map(|mime| format!(", {mime}")).unwrap_or_default();
                self.lines.push(format!("[resource link: {} ({}{kind})]", link.uri, link.name));
            }
            // `ContentBlock` is non-exhaustive: a block kind newer than this build is named, not dropped.
            #[allow(unreachable_patterns)]
            _ => self.lines.push("[content of a kind Claurst does not know omitted]".to_string()),
        }
    }

    /// A resource's contents: text as text (headed by its URI), images as images, other blobs described.
    pub(crate) fn add_resource(&mut self, resource: ResourceContents) {
        match resource {
            ResourceContents::TextResourceContents { uri, text, .. } => {
                self.lines.push(format!("[resource {uri}]\n{text}"));
            }
            ResourceContents::BlobResourceContents { uri, mime_type, blob, .. } => {
                let mime = mime_type.unwrap_or_else(|| "application/octet-stream".to_string());
                self.add_image(blob, mime, Some(uri));
            }
            _ => self.lines.push("[a resource of a kind Claurst does not know omitted]".to_string()),
        }
    }

    /// An image the API accepts is attached; anything else is described in words.
    fn add_image(&mut self, data: String, mime_type: String, uri: Option<String>) {
        let from = uri.map(|uri| format!(" {uri}")).unwrap_or_default();
        if IMAGE_TYPES.contains(&mime_type.as_str()) {
            self.lines.push(format!("[image{from} ({mime_type}) attached]"));
            let source = ImageSource { kind: "base64".to_string(), media_type: mime_type, data };
            self.images.push(ToolResultContent::Image { source });
        } else {
            // Base64 grows data by a third; the size in bytes is what a user recognises.
            let bytes = data.len() / 4 * 3;
            self.lines.push(format!("[binary content{from} ({mime_type}, about {bytes} bytes) omitted]"));
        }
    }

    pub(crate) async fn into_outcome(
        self,
        is_error: bool,
        tool_output: &Path,
        max_chars: usize,
    ) -> ToolOutcome {
        let text = if self.lines.is_empty() { "(no output)".to_string() } else { self.lines.join("\n") };
        let shown = claurst_tools::present_long_text(&text, tool_output, max_chars, "mcp", "result").await;
        let result = ToolResult { output: shown, is_error };
        ToolOutcome { extra_content: self.images, ..ToolOutcome::from(result) }
    }
}
