//! The seam between the agent and any model provider.

use crate::client::ResponseStream;
use crate::error::ApiError;
use crate::request::MessagesRequest;
use async_trait::async_trait;
use claurst_protocol::ProviderInfo;

/// A provider's streaming model API, whatever its wire format.
///
/// Contract:
/// - `stream` sends one request (provider-neutral: messages, tools, system, limits, thinking) and yields
///   provider-neutral items: deltas (text, thinking, tool-call start), `Retrying` before each new attempt,
///   then exactly one `Completed` with the whole message, its stop reason and usage — or an error. Nothing
///   is sent until the stream is first polled; dropping it cancels the request.
/// - Retries (429, 5xx, overload, cut or stalled streams, a server that never answers), idle timeouts and
///   `retry-after` handling are the same for every provider.
/// - A malformed tool call from the model (arguments that are not JSON) is not an error of the stream: the
///   tool call comes through with its raw text, so the agent can answer it with a tool error.
/// - `list_models` asks the endpoint which models it serves, when it can say (`/models`); otherwise it
///   returns the provider's configured models.
#[async_trait]
pub trait ModelClient: Send + Sync + std::fmt::Debug {
    /// The provider this client talks to.
    fn provider(&self) -> &ProviderInfo;

    /// Start a streaming request.
    fn stream<'c>(&'c self, request: &MessagesRequest) -> ResponseStream<'c>;

    /// The models the endpoint serves.
    async fn list_models(&self) -> Result<Vec<String>, ApiError>;
}
