//! Model providers, streamed: the Anthropic Messages API and OpenAI-compatible Chat Completions behind one
//! `ModelClient` trait.
//!
//! Owns the HTTP client, the SSE decoder, the wire formats (request translation, stream decoding into a
//! provider-neutral `Message`), retries shared by every format (429, 5xx, 529, dropped and stalled streams,
//! honouring `retry-after`), prompt-cache breakpoints, the built-in providers and the price table.
//! Streams are pulled (`ResponseStream::next`), so the caller applies backpressure and cancels by dropping.
//!
//! It must never depend on tools, the agent loop or any front-end.

mod anthropic;
mod assembler;
mod client;
mod decode;
mod error;
mod model_client;
mod openai;
mod pricing;
mod providers;
mod request;
mod retry;
pub mod sse;

pub use assembler::{Delta, ModelResponse};
pub use client::{AnthropicClient, ClientConfig, ResponseStream, StreamItem};
pub use decode::{DecodedStream, decode_stream};
pub use error::ApiError;
pub use model_client::ModelClient;
pub use openai::{OpenAiChatClient, chat_body};
pub use pricing::{ModelPrice, PriceTable, price_for};
pub use providers::{ClientOptions, builtin_anthropic, builtin_providers, connect};
pub use request::{MessagesRequest, ToolDefinition, WebSearchSpec};
pub use retry::RetryPolicy;
