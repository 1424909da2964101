//! `web_search`: search the web through a configured backend (SearXNG or Brave), for models whose API runs no
//! search of its own. Anthropic models get the API's server-side search instead (see the agent's request);
//! both go by the same name, so permission rules and `--disallowedTools web_search` cover either.

mod backend;

use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use claurst_config::SearchBackend;
use claurst_permissions::Access;
use reqwest::Client;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::Duration;

pub use backend::SearchHit;

/// Results given to the model at most, after the domain lists.
pub const MAX_RESULTS: usize = 10;
const TIMEOUT: Duration = Duration::from_secs(20);
const USER_AGENT: &str = concat!("claurst/", env!("CARGO_PKG_VERSION"), " (web_search tool)");

/// Which result domains the model may see: a domain names itself and its subdomains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomainFilter {
    /// When not empty, only these.
    pub allowed: Vec<String>,
    /// Never these.
    pub blocked: Vec<String>,
}

impl DomainFilter {
    /// Whether a result at `url` may be shown. A URL without a readable host is never shown.
    pub fn admits(&self, url: &str) -> bool {
        let Some(host) =
            reqwest::Url::parse(url).ok().and_then(|url| url.host_str().map(str::to_ascii_lowercase))
        else {
            return false;
        };
        let covers = |domain: &String| host == *domain || host.ends_with(&format!(".{domain}"));
        (self.allowed.is_empty() || self.allowed.iter().any(covers)) && !self.blocked.iter().any(covers)
    }
}

pub struct WebSearchTool {
    backend: SearchBackend,
    domains: DomainFilter,
    client: OnceLock<Client>,
}

impl WebSearchTool {
    pub fn new(backend: SearchBackend, domains: DomainFilter) -> Self {
        Self { backend, domains, client: OnceLock::new() }
    }

    fn client(&self) -> Result<&Client, String> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = claurst_http::client_builder()
            .timeout(TIMEOUT)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| error.to_string())?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Search, keeping the results both the configured lists and the call's own (`call`) admit.
    async fn search(&self, query: &str, call: &DomainFilter) -> Result<ToolResult, String> {
        let client = self.client().map_err(|error| format!("cannot set up HTTP: {error}"))?;
        let hits = backend::query(client, &self.backend, query).await?;
        let found = hits.len();
        let hits: Vec<SearchHit> = hits
            .into_iter()
            .filter(|hit| self.domains.admits(&hit.url) && call.admits(&hit.url))
            .take(MAX_RESULTS)
            .collect();
        Ok(ToolResult::ok(format_hits(query, &hits, found.saturating_sub(hits.len()))))
    }
}

/// The results as the model reads them: numbered, each with its title, address and snippet.
fn format_hits(query: &str, hits: &[SearchHit], left_out: usize) -> String {
    if hits.is_empty() {
        return format!("No results for \"{query}\".");
    }
    let mut out = format!("Results for \"{query}\":\n");
    for (number, hit) in hits.iter().enumerate() {
        out.push_str(&format!("\n{}. {}\n   {}\n", number + 1, hit.title.trim(), hit.url));
        let snippet = hit.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        if !snippet.is_empty() {
            out.push_str(&format!("   {snippet}\n"));
        }
    }
    if left_out > 0 {
        out.push_str(&format!(
            "\n({left_out} more results were left out by the domain lists or the limit.)\n"
        ));
    }
    out
}

#[derive(Deserialize)]
struct SearchInput {
    query: String,
    #[serde(default)]
    allowed_domains: Vec<String>,
    #[serde(default)]
    blocked_domains: Vec<String>,
}

impl SearchInput {
    /// The call's own domain lists, narrowing the configured ones (never widening them): lower-cased, with
    /// a scheme, a `*.` or a leading dot dropped (`*.rust-lang.org` covers subdomains anyway).
    fn domains(&self) -> Result<DomainFilter, String> {
        if !self.allowed_domains.is_empty() && !self.blocked_domains.is_empty() {
            return Err("give allowed_domains or blocked_domains, not both.".into());
        }
        let clean = |domains: &[String]| -> Result<Vec<String>, String> {
            domains
                .iter()
                .map(|domain| {
                    let domain = domain.trim().to_ascii_lowercase();
                    let domain = domain.split_once("://").map_or(domain.as_str(), |(_, rest)| rest);
                    let domain =
                        domain.trim_start_matches("*.").trim_start_matches('.').trim_end_matches('/');
                    if domain.is_empty() || domain.contains(['/', ' ']) {
                        Err(format!("`{domain}` is not a domain (write it like `docs.rs`)."))
                    } else {
                        Ok(domain.to_string())
                    }
                })
                .collect()
        };
        Ok(DomainFilter { allowed: clean(&self.allowed_domains)?, blocked: clean(&self.blocked_domains)? })
    }
}

#[async_trait]
impl Tool for WebSearchTool {
    fn name(&self) -> &str {
        claurst_protocol::WEB_SEARCH_TOOL
    }

    fn title(&self) -> String {
        "Web search".into()
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Network
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "query")
    }

    fn summary(&self, _input: &Value, result: &ToolResult) -> Option<String> {
        let count = result
            .output
            .lines()
            .filter(|line| line.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok()))
            .count();
        (!result.is_error).then(|| match count {
            1 => "1 result".to_string(),
            n => format!("{n} results"),
        })
    }

    fn description(&self) -> &str {
        "Search the web and return the top results (title, URL and a snippet each, at most 10). Use it for \
         current events and facts newer than your training; then read a page with web_fetch. Cite the URLs \
         you rely on."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "query": {"type": "string", "minLength": 2, "description": "What to search for"},
                "allowed_domains": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Only show results from these domains (and their subdomains)"
                },
                "blocked_domains": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Never show results from these domains (not together with allowed_domains)"
                }
            },
            "required": ["query"],
            "additionalProperties": false
        })
    }

    /// Nothing local changes; that the query leaves the machine is the permission engine's question.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    /// A request to the search service: asked like `web_fetch` unless a rule allows `web_search`.
    fn access(&self, _input: &Value) -> Access {
        Access::Fetch { url: backend::endpoint(&self.backend).to_string() }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: SearchInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        if request.query.trim().chars().count() < 2 {
            return ToolResult::error("web_search: the query must be at least 2 characters long.");
        }
        let call_domains = match request.domains() {
            Ok(domains) => domains,
            Err(error) => return ToolResult::error(format!("web_search: {error}")),
        };
        match self.search(request.query.trim(), &call_domains).await {
            Ok(result) => result,
            Err(error) => ToolResult::error(format!("web_search: {error}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_lists_cover_subdomains_and_block_wins() {
        let filter = DomainFilter {
            allowed: vec!["rust-lang.org".into()],
            blocked: vec!["blog.rust-lang.org".into()],
        };
        assert!(filter.admits("https://doc.rust-lang.org/std/"));
        assert!(filter.admits("https://RUST-LANG.org/"));
        assert!(!filter.admits("https://blog.rust-lang.org/2025/"));
        assert!(!filter.admits("https://notrust-lang.org/"));
        assert!(!filter.admits("not a url"));
        let open = DomainFilter { allowed: vec![], blocked: vec!["spam.example".into()] };
        assert!(open.admits("http://docs.rs/serde"));
        assert!(!open.admits("http://www.spam.example/x"));
    }

    #[test]
    fn a_call_names_its_domains_one_way_and_cleanly() {
        let input = |value: Value| serde_json::from_value::<SearchInput>(value).unwrap().domains();
        let both = input(json!({"query": "q", "allowed_domains": ["a.org"], "blocked_domains": ["b.org"]}));
        assert!(both.unwrap_err().contains("not both"));
        let cleaned =
            input(json!({"query": "q", "allowed_domains": ["https://Docs.RS/", "*.rust-lang.org"]}));
        assert_eq!(cleaned.unwrap().allowed, ["docs.rs", "rust-lang.org"]);
        assert!(input(json!({"query": "q", "blocked_domains": ["a.org/path"]})).is_err());
        assert!(input(json!({"query": "q", "blocked_domains": [""]})).is_err());
    }

    #[test]
    fn results_are_numbered_with_what_was_left_out() {
        let hit = |n: u32| SearchHit {
            title: format!("Page {n}"),
            url: format!("https://e{n}.example/"),
            snippet: "some\n text".into(),
        };
        let text = format_hits("q", &[hit(1), hit(2)], 3);
        assert!(text.contains("1. Page 1\n   https://e1.example/\n   some text"), "{text}");
        assert!(text.contains("(3 more results"), "{text}");
        assert_eq!(format_hits("q", &[], 0), "No results for \"q\".");
    }
}
