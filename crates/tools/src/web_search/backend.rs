//! The search services `web_search` can query, and how each one's answer reads.

use claurst_config::SearchBackend;
use reqwest::Client;
use serde_json::Value;

/// Brave's Web Search API.
const BRAVE_ENDPOINT: &str = "https://api.search.brave.com/res/v1/web/search";

/// One result, whatever service found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub title: String,
    pub url: String,
    pub snippet: String,
}

/// The address a search is sent to (without the query).
pub(super) fn endpoint(backend: &SearchBackend) -> String {
    match backend {
        SearchBackend::Searxng { url } => format!("{url}/search"),
        SearchBackend::Brave { .. } => BRAVE_ENDPOINT.to_string(),
    }
}

/// Ask `backend` for `query`; the error says what to fix.
pub(super) async fn query(
    client: &Client,
    backend: &SearchBackend,
    query: &str,
) -> Result<Vec<SearchHit>, String> {
    let address = endpoint(backend);
    let with_query = |params: &[(&str, &str)]| {
        reqwest::Url::parse_with_params(&address, params)
            .map_err(|error| format!("the search address {address} is not a valid URL: {error}"))
    };
    let request = match backend {
        SearchBackend::Searxng { .. } => client.get(with_query(&[("q", query), ("format", "json")])?),
        SearchBackend::Brave { api_key_env } => {
            let key = std::env::var(api_key_env)
                .ok()
                .filter(|key| !key.trim().is_empty())
                .ok_or_else(|| format!("the Brave backend needs an API key in ${api_key_env}"))?;
            client.get(with_query(&[("q", query)])?).header("X-Subscription-Token", key)
        }
    };
    let response = request
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|error| format!("{address} could not be reached: {error}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{address} answered HTTP {status}"));
    }
    let bytes = response.bytes().await.map_err(|error| format!("{address} broke off its answer: {error}"))?;
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|error| format!("{address} did not answer with JSON: {error}"))?;
    Ok(match backend {
        SearchBackend::Searxng { .. } => hits(body.get("results"), "content"),
        SearchBackend::Brave { .. } => hits(body.pointer("/web/results"), "description"),
    })
}

/// Results from a JSON list whose items have `url`, `title` and a snippet under `snippet_key`.
fn hits(list: Option<&Value>, snippet_key: &str) -> Vec<SearchHit> {
    let text =
        |item: &Value, key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|item| item.get("url").and_then(Value::as_str).is_some())
        .map(|item| SearchHit {
            title: text(item, "title"),
            url: text(item, "url"),
            snippet: text(item, snippet_key),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn searxng_and_brave_answers_read_alike() {
        let searxng = json!({"results":[{"url":"https://a.example/","title":"A","content":"about a"},{"title":"no url"}]});
        assert_eq!(
            hits(searxng.get("results"), "content"),
            [SearchHit { title: "A".into(), url: "https://a.example/".into(), snippet: "about a".into() }]
        );
        let brave =
            json!({"web":{"results":[{"url":"https://b.example/","title":"B","description":"about b"}]}});
        assert_eq!(hits(brave.pointer("/web/results"), "description")[0].snippet, "about b");
        assert!(hits(None, "content").is_empty());
    }
}
