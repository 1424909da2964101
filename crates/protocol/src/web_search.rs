//! The Messages API's server-side web search, as wire types: what a search returned, the citations a text
//! block carries, and the count of searches in a reply's usage.
//!
//! The API runs the search itself; the client keeps these blocks in the assistant message and sends them back
//! unchanged (the encrypted fields are opaque to us), so every type here round-trips through serde exactly.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The name the API's search tool goes by, in requests and in `server_tool_use` blocks.
pub const WEB_SEARCH_TOOL: &str = "web_search";

/// What a `web_search_tool_result` block holds: the pages found, or why the search failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WebSearchOutcome {
    Results(Vec<WebSearchResult>),
    Error(WebSearchError),
}

impl WebSearchOutcome {
    /// The pages found (none when the search failed).
    pub fn results(&self) -> &[WebSearchResult] {
        match self {
            WebSearchOutcome::Results(results) => results,
            WebSearchOutcome::Error(_) => &[],
        }
    }
}

/// One page a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebSearchResult {
    /// Always `web_search_result`.
    #[serde(rename = "type", default = "result_kind")]
    pub kind: String,
    pub url: String,
    #[serde(default)]
    pub title: String,
    /// The page's content as the API encrypted it; only the API can read it.
    #[serde(default)]
    pub encrypted_content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_age: Option<String>,
}

fn result_kind() -> String {
    "web_search_result".into()
}

/// A failed search (`max_uses_exceeded`, `too_many_requests`, `invalid_input`, `query_too_long`,
/// `unavailable`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSearchError {
    /// Always `web_search_tool_result_error`.
    #[serde(rename = "type")]
    pub kind: String,
    pub error_code: String,
}

/// A source a text block cites. Search citations (`web_search_result_location`) carry a URL and a title;
/// every other field (the encrypted index, fields of other citation kinds) is kept as it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited_text: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// How many server-side tool calls a reply made (the API bills them apart from tokens).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerToolUsage {
    #[serde(default)]
    pub web_search_requests: u64,
    #[serde(default)]
    pub web_fetch_requests: u64,
}

impl ServerToolUsage {
    pub fn is_zero(&self) -> bool {
        *self == Self::default()
    }

    pub fn accumulate(&mut self, other: &ServerToolUsage) {
        self.web_search_requests += other.web_search_requests;
        self.web_fetch_requests += other.web_fetch_requests;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::ContentBlock;
    use serde_json::json;

    fn round_trips(block: Value) -> ContentBlock {
        let parsed: ContentBlock = serde_json::from_value(block.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), block);
        parsed
    }

    #[test]
    fn server_tool_use_and_results_round_trip_unchanged() {
        let call = round_trips(
            json!({"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"rust 2024"}}),
        );
        assert!(matches!(call, ContentBlock::ServerToolUse { ref name, .. } if name == "web_search"));
        let results = round_trips(json!({
            "type":"web_search_tool_result","tool_use_id":"srvtoolu_1",
            "content":[
                {"type":"web_search_result","url":"https://a.example/x","title":"A","encrypted_content":"EqA","page_age":"2 days ago"},
                {"type":"web_search_result","url":"https://b.example/","title":"B","encrypted_content":"EqB"}
            ]
        }));
        let ContentBlock::WebSearchToolResult { content, .. } = results else { panic!("{results:?}") };
        assert_eq!(content.results().len(), 2);
        assert_eq!(content.results()[1].title, "B");
        let failed = round_trips(json!({
            "type":"web_search_tool_result","tool_use_id":"srvtoolu_2",
            "content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}
        }));
        let ContentBlock::WebSearchToolResult { content, .. } = failed else { panic!("{failed:?}") };
        assert!(matches!(content, WebSearchOutcome::Error(ref e) if e.error_code == "max_uses_exceeded"));
    }

    #[test]
    fn cited_text_round_trips_with_its_encrypted_index() {
        let block = round_trips(json!({
            "type":"text","text":"Rust 2024 shipped in February.",
            "citations":[{"type":"web_search_result_location","url":"https://a.example/x","title":"A",
                          "cited_text":"The 2024 edition…","encrypted_index":"Eo8"}]
        }));
        let ContentBlock::Text { citations: Some(citations), .. } = block else { panic!("{block:?}") };
        assert_eq!(citations[0].url.as_deref(), Some("https://a.example/x"));
        assert_eq!(citations[0].other["encrypted_index"], json!("Eo8"));
        // A plain text block still serialises without the field.
        round_trips(json!({"type":"text","text":"plain"}));
    }
}
