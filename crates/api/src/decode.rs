//! Decoding a whole recorded response stream without HTTP: for tests, benchmarks and tools that replay
//! captured streams. The live client uses the same decoders piece by piece.

use crate::anthropic::AnthropicDecoder;
use crate::assembler::{Delta, ModelResponse};
use crate::client::StreamDecoder;
use crate::error::ApiError;
use crate::openai::ChatDecoder;
use claurst_protocol::WireApi;

/// What a recorded stream decoded to.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedStream {
    /// Every delta, in order.
    pub deltas: Vec<Delta>,
    /// The whole message, or `None` when the stream ended before the message was complete.
    pub response: Option<ModelResponse>,
}

/// Decode a response stream in `wire`'s format, arriving in `pieces` (split anywhere).
pub fn decode_stream(wire: WireApi, pieces: &[&[u8]]) -> Result<DecodedStream, ApiError> {
    let mut decoder: Box<dyn StreamDecoder> = match wire {
        WireApi::AnthropicMessages => Box::<AnthropicDecoder>::default(),
        WireApi::OpenAiChat => Box::<ChatDecoder>::default(),
    };
    let mut deltas = Vec::new();
    for piece in pieces {
        decoder.feed(piece, &mut deltas)?;
    }
    let whole = decoder.is_complete() || decoder.complete_without_end_marker();
    Ok(DecodedStream { deltas, response: whole.then(|| decoder.finish()) })
}
