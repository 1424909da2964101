use std::time::Duration;
use thiserror::Error;

/// Why a request to the model failed.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error(
        "ANTHROPIC_API_KEY not set\n  export ANTHROPIC_API_KEY=\"sk-ant-...\"\n  or add `api_key = \"sk-ant-...\"` under [api] in ~/.claurst/config.toml"
    )]
    MissingApiKey,
    /// The provider names a key variable and no key was found.
    #[error(
        "no API key for provider `{provider}`: set {env}, or configure [providers.{provider}] api_key_env"
    )]
    MissingProviderKey { provider: String, env: String },
    /// The API answered with an error status.
    #[error("the API answered {status} ({kind}): {message}{}", hint_for_status(*status))]
    Status { status: u16, kind: String, message: String, retry_after: Option<Duration> },
    #[error(
        "could not reach the API at {url}: {message}\n  check your network and the base URL (ANTHROPIC_BASE_URL, or base_url of the provider)"
    )]
    Connection { url: String, message: String },
    #[error("the response stream ended before the message was complete")]
    StreamCut,
    #[error("the response stream sent nothing for {0:?}")]
    IdleTimeout(Duration),
    /// The server took the request but sent no response headers in time.
    #[error("the API accepted the request but sent no response for {0:?}")]
    NoResponse(Duration),
    #[error("the API reported an error mid-stream ({kind}): {message}")]
    StreamError { kind: String, message: String },
    #[error("the API sent something Claurst cannot read: {0}")]
    Decode(String),
    #[error("{last}\n  (gave up after {attempts} attempts)")]
    RetriesExhausted { attempts: u32, last: Box<ApiError> },
}

impl ApiError {
    /// Whether another attempt may succeed: rate limits, overload, server errors, dropped or stalled streams.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Status { status, .. } => matches!(status, 408 | 409 | 429 | 500..=599),
            ApiError::Connection { .. }
            | ApiError::StreamCut
            | ApiError::IdleTimeout(_)
            | ApiError::NoResponse(_) => true,
            ApiError::StreamError { kind, .. } => {
                matches!(
                    kind.as_str(),
                    // Anthropic's kinds, then those OpenAI-compatible servers use.
                    "overloaded_error"
                        | "api_error"
                        | "rate_limit_error"
                        | "timeout_error"
                        | "server_error"
                        | "rate_limit_exceeded"
                        | "service_unavailable"
                        | "overloaded"
                )
            }
            ApiError::MissingApiKey
            | ApiError::MissingProviderKey { .. }
            | ApiError::Decode(_)
            | ApiError::RetriesExhausted { .. } => false,
        }
    }

    /// The HTTP status the API answered, if it answered one (an overload reported mid-stream counts as
    /// the 529 it stands for).
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            ApiError::StreamError { kind, .. } if kind == "overloaded_error" => Some(529),
            ApiError::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }

    /// Whether the model is overloaded (529, or an overload reported mid-stream), after retries too: the
    /// case `--fallback-model` is for.
    pub fn is_overloaded(&self) -> bool {
        self.status() == Some(529)
    }

    /// The delay the server asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

fn hint_for_status(status: u16) -> &'static str {
    match status {
        401 => {
            "\n  check the API key (ANTHROPIC_API_KEY, the provider's api_key_env, or api_key under [api] in ~/.claurst/config.toml)"
        }
        403 => "\n  your key is not allowed to use this model or endpoint",
        404 => "\n  check the model name (--model, CLAURST_MODEL or [api] model) and the base URL",
        413 => "\n  the request is too large: compact the conversation or send less context",
        429 => "\n  you are being rate limited; wait a moment and try again",
        529 => "\n  the API is overloaded; try again shortly",
        _ => "",
    }
}
