//! The model an agent talks to: which one, through which client, switched how, and with how much thinking.

use crate::agent::{Agent, Current, SetupError};
use crate::config::AgentConfig;
use crate::error::AgentError;
use crate::provider::Selection;
use claurst_api::{ApiError, ModelClient};
use std::sync::Arc;

impl Agent {
    /// The model as the user names it: `MODEL` at Anthropic, `PROVIDER/MODEL` elsewhere.
    pub fn model(&self) -> String {
        self.current.lock().map(|current| current.selection.label()).unwrap_or_default()
    }

    /// The model's id at its provider (what requests carry).
    pub fn model_id(&self) -> String {
        self.current.lock().map(|current| current.selection.model.clone()).unwrap_or_default()
    }

    /// The provider in use.
    pub fn provider(&self) -> claurst_protocol::ProviderInfo {
        self.current
            .lock()
            .map(|current| current.selection.provider.clone())
            .unwrap_or_else(|_| crate::provider::initial_provider(&self.config))
    }

    /// Every provider `set_model` may switch to.
    pub fn providers(&self) -> Vec<claurst_protocol::ProviderInfo> {
        crate::provider::known_providers(&self.config)
    }

    /// Switch to `spec` (`MODEL` or `PROVIDER/MODEL`) from the next request on; the history stays. Another
    /// provider gets a new client; when it cannot be built (no key), nothing changes and the error says why.
    /// Returns the model as the user names it.
    pub fn set_model(&self, spec: &str) -> Result<String, AgentError> {
        let current_provider = self.provider();
        let mut selection = crate::provider::select(spec, &current_provider, &self.providers());
        // Back to the session's first provider: with its overrides (base URL), not the list's copy.
        let first = crate::provider::initial_provider(&self.config);
        if selection.provider.name == first.name {
            selection.provider = first;
        }
        let client = match self.current.lock().ok().and_then(|current| current.client.clone()) {
            Some(client) if client.provider().name == selection.provider.name => Some(client),
            _ if self.setup_error.is_some() => None,
            _ => Some(crate::provider::connect(&self.config, &selection.provider)?),
        };
        let label = selection.label();
        if let Ok(mut current) = self.current.lock() {
            *current = Current { selection, client };
        }
        Ok(label)
    }

    /// The client of the model in use (`None` when the agent could not be set up), for one-off requests
    /// beside the conversation (the companion's name).
    pub fn model_client(&self) -> Option<Arc<dyn ModelClient>> {
        self.turn_client().ok().map(|(_, client)| client)
    }

    /// A separate client for the model in use that tries each request once: for one-off requests whose
    /// failure costs nothing (the companion's name). `None` when the agent could not be set up.
    pub fn single_attempt_client(&self) -> Option<Arc<dyn ModelClient>> {
        if self.setup_error.is_some() {
            return None;
        }
        let config = AgentConfig {
            retry: claurst_api::RetryPolicy { max_attempts: 1, ..self.config.retry.clone() },
            client: None,
            ..self.config.clone()
        };
        match crate::provider::connect(&config, &self.provider()) {
            Ok(client) => Some(client),
            // A ready client given by a library user cannot be rebuilt: share it.
            Err(_) => self.model_client(),
        }
    }

    /// The context window of the model in use, from its metadata or the configuration.
    pub fn context_window_in_use(&self) -> u64 {
        self.context_window()
    }

    /// The extended-thinking budget of the next requests; `None` is off.
    pub fn thinking_budget(&self) -> Option<u32> {
        self.thinking.lock().map(|budget| *budget).unwrap_or(None)
    }

    /// Turn extended thinking on (with this budget) or off for the next requests.
    pub fn set_thinking_budget(&self, budget: Option<u32>) {
        if let Ok(mut current) = self.thinking.lock() {
            *current = budget.filter(|budget| *budget > 0);
        }
    }

    /// The model and client a turn uses, frozen for that turn.
    pub(crate) fn turn_client(&self) -> Result<(Selection, Arc<dyn ModelClient>), AgentError> {
        let current =
            self.current.lock().map_err(|_| AgentError::Setup("the agent's state is poisoned".into()))?;
        match &current.client {
            Some(client) => Ok((current.selection.clone(), client.clone())),
            None => Err(self.setup_failure()),
        }
    }

    pub(crate) fn setup_failure(&self) -> AgentError {
        match &self.setup_error {
            Some(SetupError::MissingKey { provider, env }) => {
                ApiError::MissingProviderKey { provider: provider.clone(), env: env.clone() }.into()
            }
            Some(SetupError::Other(message)) => AgentError::Setup(message.clone()),
            None => AgentError::Setup("no model client".into()),
        }
    }
}
