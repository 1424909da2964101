//! The Anthropic Messages API, streamed.
//!
//! Owns the HTTP client, the SSE decoder, assembly of streamed blocks into a `Message`, retries (429, 5xx, 529,
//! dropped and stalled streams, honouring `retry-after`), prompt-cache breakpoints and the price table.
//! Streams are pulled (`ResponseStream::next`), so the caller applies backpressure and cancels by dropping.
//!
//! It must never depend on tools, the agent loop or any front-end.

mod anthropic;
mod assembler;
mod client;
mod error;
mod model_client;
mod pricing;
mod providers;
mod request;
mod retry;
pub mod sse;

pub use assembler::{Delta, ModelResponse};
pub use client::{AnthropicClient, ClientConfig, ResponseStream, StreamItem};
pub use error::ApiError;
pub use model_client::ModelClient;
pub use pricing::{ModelPrice, PriceTable, price_for};
pub use providers::{ClientOptions, builtin_providers, connect};
pub use request::{MessagesRequest, ToolDefinition};
pub use retry::RetryPolicy;
