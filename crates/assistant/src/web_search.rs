//! Which web search a turn offers: the API's own on models that speak the Messages API, else the client-side
//! `web_search` tool when a backend is configured, else none. Both answer to the name `web_search`, so
//! `--tools`, `--disallowedTools`, deny rules and sub-agent tool lists treat them alike.

use crate::agent::Agent;
use crate::provider::Selection;
use crate::run_scope::RunScope;
use claurst_api::WebSearchSpec;
use claurst_config::WebSearchConfig;
use claurst_protocol::{ToolFamily, WEB_SEARCH_TOOL, WireApi};
use claurst_tools::{DomainFilter, Tool, WebSearchTool};

/// The client-side tool, when web search is on and a backend is configured.
pub(crate) fn client_tool(config: &WebSearchConfig) -> Option<Box<dyn Tool>> {
    let backend = config.backend.clone().filter(|_| config.enabled)?;
    let domains =
        DomainFilter { allowed: config.allowed_domains.clone(), blocked: config.blocked_domains.clone() };
    Some(Box::new(WebSearchTool::new(backend, domains)))
}

impl Agent {
    /// The API's search for a turn of `selection` in `scope`, when the model is offered it. The API runs each
    /// search itself, so no call can be approved one by one: it is offered unless switched off, denied, named
    /// by an ask rule, or in `dontAsk` mode without an allow rule.
    pub(crate) fn server_web_search(&self, scope: &RunScope, selection: &Selection) -> Option<WebSearchSpec> {
        let config = &self.config.web_search;
        let listed = self.config.tools.is_empty() || self.config.tools.contains(&WEB_SEARCH_TOOL);
        if !config.enabled || !listed || selection.provider.wire_api != WireApi::AnthropicMessages {
            return None;
        }
        let engine = self.permissions.lock().ok();
        if !self.offers_in(scope, WEB_SEARCH_TOOL, ToolFamily::Network, engine.as_deref()) {
            return None;
        }
        // An ask rule or `dontAsk` mode cannot be honoured search by search: then it is not offered.
        if !engine.as_deref().is_some_and(|engine| engine.offers_unasked(WEB_SEARCH_TOOL)) {
            return None;
        }
        Some(WebSearchSpec {
            max_uses: config.max_uses,
            allowed_domains: config.allowed_domains.clone(),
            blocked_domains: config.blocked_domains.clone(),
        })
    }
}
