//! A small GitHub REST client: conditional GETs (`If-None-Match` with the ETag of the last answer, so an
//! unchanged resource costs a `304` and no rate limit), and a pause after a rate-limit answer during which
//! no request goes out.

use super::token::TokenSource;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, ETAG, HeaderMap, IF_NONE_MATCH};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub const DEFAULT_API_URL: &str = "https://api.github.com";
const TIMEOUT: Duration = Duration::from_secs(20);
const USER_AGENT: &str = concat!("claurst/", env!("CARGO_PKG_VERSION"), " (kairos subscribe_pr)");
/// How long to wait after a secondary rate limit that names no time.
const DEFAULT_BACKOFF: Duration = Duration::from_secs(60);

/// Why a request gave no answer to use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitHubError {
    #[error("GitHub's rate limit is reached: polling pauses until {}", clock(*until))]
    RateLimited { until: SystemTime },
    #[error("GitHub has no {path} (404): check the name, or that the token may read the repository")]
    NotFound { path: String },
    #[error("GitHub answered {status} for {path}: {message}")]
    Status { status: u16, path: String, message: String },
    #[error("GitHub cannot be reached at {api}: {reason}")]
    Network { api: String, reason: String },
    #[error("GitHub's answer for {path} cannot be read: {reason}")]
    Body { path: String, reason: String },
}

/// An answer to a conditional GET.
pub enum Fetched {
    /// The resource is as it was when its ETag was kept.
    Unchanged,
    /// A new version; keep `etag` (with [`GitHubClient::keep_etag`]) once it has been taken in.
    Changed { body: Value, etag: Option<String> },
}

pub struct GitHubClient {
    http: Result<reqwest::Client, String>,
    api_url: String,
    tokens: TokenSource,
    token: tokio::sync::OnceCell<Option<(String, &'static str)>>,
    /// The ETag of the last version taken in, by path.
    etags: Mutex<HashMap<String, String>>,
    /// No request goes out before this (a rate limit's reset).
    paused_until: Mutex<Option<SystemTime>>,
}

impl GitHubClient {
    /// A client for the API at `api_url` (`https://api.github.com`, or `https://HOST/api/v3`).
    pub fn new(api_url: &str, tokens: TokenSource) -> GitHubClient {
        let http = claurst_http::client_builder()
            .timeout(TIMEOUT)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| error.to_string());
        GitHubClient {
            http,
            api_url: api_url.trim_end_matches('/').to_string(),
            tokens,
            token: tokio::sync::OnceCell::new(),
            etags: Mutex::default(),
            paused_until: Mutex::default(),
        }
    }

    /// Where the token came from (`GH_TOKEN`, `GITHUB_TOKEN`, `gh auth token`), `None` when there is none.
    pub async fn token_origin(&self) -> Option<&'static str> {
        self.token().await.map(|(_, origin)| *origin)
    }

    async fn token(&self) -> Option<&(String, &'static str)> {
        let host = self.api_url.split("://").nth(1).and_then(|rest| rest.split(['/', ':']).next());
        self.token.get_or_init(|| self.tokens.resolve(host)).await.as_ref()
    }

    /// GET `path` (`/repos/...`, query included). With `conditional`, sends the kept ETag, if any.
    pub async fn get(&self, path: &str, conditional: bool) -> Result<Fetched, GitHubError> {
        if let Some(until) = self.paused() {
            return Err(GitHubError::RateLimited { until });
        }
        let http = self
            .http
            .as_ref()
            .map_err(|reason| GitHubError::Network { api: self.api_url.clone(), reason: reason.clone() })?;
        let mut request = http
            .get(format!("{}{path}", self.api_url))
            .header(ACCEPT, "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28");
        if let Some((token, _)) = self.token().await {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if conditional && let Some(etag) = self.etag(path) {
            request = request.header(IF_NONE_MATCH, etag);
        }
        let response = request
            .send()
            .await
            .map_err(|error| GitHubError::Network { api: self.api_url.clone(), reason: error.to_string() })?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::Unchanged);
        }
        if let Some(until) = rate_limit_end(status, response.headers(), SystemTime::now()) {
            self.pause_until(until);
            return Err(GitHubError::RateLimited { until });
        }
        let etag = response.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
        let text = response
            .text()
            .await
            .map_err(|error| GitHubError::Network { api: self.api_url.clone(), reason: error.to_string() })?;
        if status == StatusCode::NOT_FOUND {
            return Err(GitHubError::NotFound { path: path.split('?').next().unwrap_or(path).to_string() });
        }
        if !status.is_success() {
            let message = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|body| body.get("message").and_then(Value::as_str).map(str::to_string))
                .unwrap_or_else(|| text.chars().take(200).collect());
            return Err(GitHubError::Status { status: status.as_u16(), path: path.to_string(), message });
        }
        let body = serde_json::from_str(&text)
            .map_err(|error| GitHubError::Body { path: path.to_string(), reason: error.to_string() })?;
        Ok(Fetched::Changed { body, etag })
    }

    /// Remember `etag` as the version of `path` taken in: the next conditional GET sends it.
    pub fn keep_etag(&self, path: &str, etag: Option<String>) {
        let mut etags = self.etags.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match etag {
            Some(etag) => {
                etags.insert(path.to_string(), etag);
            }
            None => {
                etags.remove(path);
            }
        }
    }

    fn etag(&self, path: &str) -> Option<String> {
        self.etags.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(path).cloned()
    }

    /// The end of the current rate-limit pause, if one is in force.
    pub fn paused(&self) -> Option<SystemTime> {
        let mut paused = self.paused_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match *paused {
            Some(until) if until > SystemTime::now() => Some(until),
            Some(_) => {
                *paused = None;
                None
            }
            None => None,
        }
    }

    fn pause_until(&self, until: SystemTime) {
        *self.paused_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(until);
    }
}

/// When a rate-limited answer (a 403 or 429 with `x-ratelimit-remaining: 0`, or a `retry-after`) lets
/// requests go out again; `None` for any other answer.
fn rate_limit_end(status: StatusCode, headers: &HeaderMap, now: SystemTime) -> Option<SystemTime> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    // A server's word on waiting is bounded: a day at most, so no header can overflow the clock or park the
    // watch for good.
    let capped = |until: Option<SystemTime>| until.map(|until| until.min(now + MAX_BACKOFF));
    if let Some(seconds) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return capped(now.checked_add(Duration::from_secs(seconds.min(MAX_BACKOFF.as_secs()))));
    }
    if header("x-ratelimit-remaining") == Some("0") {
        let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok());
        return capped(match reset {
            Some(reset) => {
                SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(reset)).or(Some(now + MAX_BACKOFF))
            }
            None => Some(now + DEFAULT_BACKOFF),
        });
    }
    // A 429 is always a rate limit; a 403 without those headers is a refusal (no access).
    (status == StatusCode::TOO_MANY_REQUESTS).then(|| now + DEFAULT_BACKOFF)
}

/// The longest a rate limit holds polling back, whatever the server says.
const MAX_BACKOFF: Duration = Duration::from_secs(24 * 60 * 60);

/// `HH:MM UTC`.
pub fn clock(at: SystemTime) -> String {
    let seconds = at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let at = time::OffsetDateTime::from_unix_timestamp(i64::try_from(seconds).unwrap_or(0))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:02}:{:02} UTC", at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn reads_each_kind_of_rate_limit() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let limited = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1600")]);
        assert_eq!(
            rate_limit_end(StatusCode::FORBIDDEN, &limited, now),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_600))
        );
        let retry = headers(&[("retry-after", "30")]);
        assert_eq!(rate_limit_end(StatusCode::FORBIDDEN, &retry, now), Some(now + Duration::from_secs(30)));
        assert_eq!(
            rate_limit_end(StatusCode::TOO_MANY_REQUESTS, &headers(&[]), now),
            Some(now + DEFAULT_BACKOFF)
        );
        // A plain 403 is a refusal, not a limit; a 200 is never one.
        let left = headers(&[("x-ratelimit-remaining", "12")]);
        assert_eq!(rate_limit_end(StatusCode::FORBIDDEN, &left, now), None);
        assert_eq!(rate_limit_end(StatusCode::OK, &limited, now), None);
    }

    #[test]
    fn clock_is_hours_and_minutes_in_utc() {
        assert_eq!(clock(SystemTime::UNIX_EPOCH + Duration::from_secs(14 * 3600 + 5 * 60 + 59)), "14:05 UTC");
    }
}
