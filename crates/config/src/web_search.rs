//! `[tools.web_search]`: whether the model may search the web, through which backend, within which domains.
//!
//! On Anthropic models the API runs the search itself; other providers need a search backend configured here
//! (a SearXNG instance or Brave's API), or they are not offered the tool.

use toml::Value;

/// The keys `[tools.web_search]` takes, as users write them.
pub(crate) const WEB_SEARCH_KEYS: &[&str] =
    &["enabled", "max_uses", "allowed_domains", "blocked_domains", "provider", "url", "api_key_env"];

/// The environment variable a Brave backend reads its key from when `api_key_env` names none.
pub const DEFAULT_BRAVE_KEY_ENV: &str = "BRAVE_API_KEY";

/// `[tools.web_search]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSearchConfig {
    /// `false` offers the model no web search at all.
    pub enabled: bool,
    /// The most searches one reply may run (the API's `max_uses`).
    pub max_uses: Option<u32>,
    /// Only results from these domains (and their subdomains).
    pub allowed_domains: Vec<String>,
    /// Never results from these domains (and their subdomains).
    pub blocked_domains: Vec<String>,
    /// Where models of other providers search; `None`: they are not offered the tool.
    pub backend: Option<SearchBackend>,
}

impl Default for WebSearchConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            max_uses: None,
            allowed_domains: Vec::new(),
            blocked_domains: Vec::new(),
            backend: None,
        }
    }
}

/// A search service the client queries itself, for models whose API has no search of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchBackend {
    /// A SearXNG instance's JSON API (`URL/search?q=…&format=json`).
    Searxng { url: String },
    /// Brave's Web Search API, its key read from the named environment variable.
    Brave { api_key_env: String },
}

/// A problem with one key: the key (under `tools.web_search`) and what it should have been.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct KeyProblem {
    pub key: String,
    pub expected: String,
}

/// Apply one file's `[tools.web_search]` table over `config`; keys it does not set keep their value.
/// Unknown keys are returned for the caller's warning.
pub(crate) fn apply(config: &mut WebSearchConfig, value: &Value) -> Result<Vec<String>, KeyProblem> {
    let problem = |key: &str, expected: &str| KeyProblem { key: key.into(), expected: expected.into() };
    let Value::Table(table) = value else {
        return Err(problem("", "a section written as [tools.web_search]"));
    };
    let mut unknown = Vec::new();
    let mut provider = None;
    let (mut url, mut key_env) = (None, None);
    for (key, value) in table {
        let text = || value.as_str().map(str::to_string).ok_or_else(|| problem(key, "a string in quotes"));
        match key.as_str() {
            "enabled" => config.enabled = value.as_bool().ok_or_else(|| problem(key, "true or false"))?,
            "max_uses" => {
                let uses = value.as_integer().filter(|n| *n > 0).and_then(|n| u32::try_from(n).ok());
                config.max_uses = Some(uses.ok_or_else(|| problem(key, "a positive whole number"))?);
            }
            "allowed_domains" => config.allowed_domains = domains(key, value)?,
            "blocked_domains" => config.blocked_domains = domains(key, value)?,
            "provider" => provider = Some(text()?),
            "url" => url = Some(text()?),
            "api_key_env" => key_env = Some(text()?),
            _ => unknown.push(key.clone()),
        }
    }
    if !config.allowed_domains.is_empty() && !config.blocked_domains.is_empty() {
        return Err(problem(
            "blocked_domains",
            "either allowed_domains or blocked_domains, not both (the API takes one list)",
        ));
    }
    match provider.as_deref() {
        None if url.is_some() || key_env.is_some() => {
            return Err(problem("provider", "\"searxng\" or \"brave\" when url or api_key_env is set"));
        }
        None => {}
        Some("searxng") => {
            let url = url.ok_or_else(|| {
                problem("url", "the SearXNG instance's address, e.g. \"http://localhost:8888\"")
            })?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(problem("url", "an http:// or https:// address"));
            }
            config.backend = Some(SearchBackend::Searxng { url: url.trim_end_matches('/').to_string() });
        }
        Some("brave") => {
            let api_key_env = key_env.unwrap_or_else(|| DEFAULT_BRAVE_KEY_ENV.to_string());
            config.backend = Some(SearchBackend::Brave { api_key_env });
        }
        Some(_) => return Err(problem("provider", "\"searxng\" or \"brave\"")),
    }
    Ok(unknown)
}

/// Domains as the API takes them: a host name, lower-cased, without a scheme or path.
fn domains(key: &str, value: &Value) -> Result<Vec<String>, KeyProblem> {
    let expected = || KeyProblem {
        key: key.into(),
        expected: "a list of domain names such as [\"docs.rs\", \"rust-lang.org\"]".into(),
    };
    let items = value.as_array().ok_or_else(expected)?;
    items
        .iter()
        .map(|item| {
            let domain = item.as_str().map(|d| d.trim().to_ascii_lowercase()).filter(|d| {
                !d.is_empty() && !d.contains("://") && !d.contains('/') && !d.contains(char::is_whitespace)
            });
            domain.ok_or_else(expected)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<WebSearchConfig, KeyProblem> {
        let value: Value = text.parse::<toml::Table>().unwrap().remove("w").unwrap();
        let mut config = WebSearchConfig::default();
        apply(&mut config, &value).map(|_| config)
    }

    #[test]
    fn backends_and_domain_lists_are_read() {
        let config =
            read("[w]\nprovider = \"searxng\"\nurl = \"http://127.0.0.1:8888/\"\nblocked_domains = [\"Spam.example\"]")
                .unwrap();
        assert_eq!(config.backend, Some(SearchBackend::Searxng { url: "http://127.0.0.1:8888".into() }));
        assert_eq!(config.blocked_domains, ["spam.example"]);
        let brave = read("[w]\nprovider = \"brave\"\nmax_uses = 2").unwrap();
        assert_eq!(brave.backend, Some(SearchBackend::Brave { api_key_env: "BRAVE_API_KEY".into() }));
        assert_eq!(brave.max_uses, Some(2));
        assert!(read("[w]\nenabled = false").is_ok_and(|c| !c.enabled && c.backend.is_none()));
    }

    #[test]
    fn mistakes_name_the_key() {
        let key = |text: &str| read(text).unwrap_err().key;
        assert_eq!(key("[w]\nprovider = \"google\""), "provider");
        assert_eq!(key("[w]\nprovider = \"searxng\""), "url");
        assert_eq!(key("[w]\nprovider = \"searxng\"\nurl = \"localhost\""), "url");
        assert_eq!(key("[w]\nurl = \"http://x\""), "provider");
        assert_eq!(
            key("[w]\nallowed_domains = [\"a.com\"]\nblocked_domains = [\"b.com\"]"),
            "blocked_domains"
        );
        assert_eq!(key("[w]\nallowed_domains = [\"https://a.com/x\"]"), "allowed_domains");
        assert_eq!(key("[w]\nmax_uses = 0"), "max_uses");
    }
}
