//! A server's prompt, fetched and turned into the text sent as the user's prompt.

use super::McpError;
use super::calls;
use super::state::Shared;
use rmcp::model::{ContentBlock, GetPromptRequestParams, ResourceContents, Role};
use serde_json::Value;
use std::sync::Arc;

/// `prompts/get` for `prompt` of server `index`, its messages' text joined; images and other binary parts
/// are described in words (the composer sends text).
pub(crate) async fn prompt_text(
    shared: &Arc<Shared>,
    index: usize,
    prompt: &str,
    arguments: Vec<(String, String)>,
) -> Result<String, McpError> {
    let slot = &shared.servers[index];
    let server = slot.config.name.clone();
    let peer = calls::ready_peer(shared, index)
        .await
        .map_err(|status| McpError::NotReady { server: server.clone(), status })?;
    let known = slot.lock().offer.prompts.iter().any(|offered| offered.name == prompt);
    if !known {
        return Err(McpError::UnknownPrompt { server, prompt: prompt.to_string() });
    }
    let arguments = arguments.into_iter().map(|(name, value)| (name, Value::String(value))).collect();
    let params = GetPromptRequestParams::new(prompt).with_arguments(arguments);
    let limit = slot.config.tool_timeout;
    let fetched = tokio::time::timeout(limit, peer.get_prompt(params))
        .await
        .map_err(|_| McpError::Timeout { server: server.clone(), seconds: limit.as_secs() })?;
    let result = match fetched {
        Ok(result) => result,
        Err(error) => {
            let message = calls::request_failure(shared, index, &peer, error).await;
            return Err(McpError::Request { server, message });
        }
    };
    let parts: Vec<String> = result
        .messages
        .into_iter()
        .map(|message| {
            let text = block_text(message.content);
            match message.role {
                Role::Assistant => format!("(assistant) {text}"),
                _ => text,
            }
        })
        .collect();
    Ok(parts.join("\n\n"))
}

fn block_text(block: ContentBlock) -> String {
    match block {
        ContentBlock::Text(text) => text.text,
        ContentBlock::Image(image) => format!("[an image ({}) the prompt included]", image.mime_type),
        ContentBlock::Audio(audio) => format!("[audio ({}) the prompt included]", audio.mime_type),
        ContentBlock::Resource(embedded) => match embedded.resource {
            ResourceContents::TextResourceContents { uri, text, .. } => format!("[resource {uri}]\n{text}"),
            ResourceContents::BlobResourceContents { uri, mime_type, .. } => {
                format!("[resource {uri} ({})]", mime_type.unwrap_or_else(|| "binary".to_string()))
            }
            _ => "[a resource of a kind Claurst does not know]".to_string(),
        },
        ContentBlock::ResourceLink(link) => format!("[resource link: {}]", link.uri),
        #[allow(unreachable_patterns)]
        _ => "[content of a kind Claurst does not know]".to_string(),
    }
}
