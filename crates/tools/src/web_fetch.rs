//! `web_fetch`: GET a web page and return it as text the model can read.
//!
//! Redirects are followed only within the same host: the permission engine approved a domain, and a redirect
//! to another host is reported to the model to fetch (and be approved) on its own.

mod content;

use crate::files::truncate_chars;
use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ApprovalDetail;
use content::{BodyKind, TypeVerdict};
use reqwest::redirect::{Attempt, Policy};
use reqwest::{Client, Response, Url};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::Duration;

/// The whole request, body included, must finish within this.
pub const TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Redirects followed at most (within one host).
pub const MAX_REDIRECTS: usize = 10;
/// Body bytes read at most; the rest is not downloaded.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// Characters of text returned at most.
pub const MAX_OUTPUT_CHARS: usize = 100_000;
const USER_AGENT: &str = concat!("claurst/", env!("CARGO_PKG_VERSION"), " (web_fetch tool)");

#[derive(Default)]
pub struct WebFetchTool {
    client: OnceLock<Client>,
}

impl WebFetchTool {
    pub fn new() -> Self {
        Self::default()
    }

    fn client(&self) -> Result<&Client, String> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = claurst_http::client_builder()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(Policy::custom(redirect))
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| error.to_string())?;
        Ok(self.client.get_or_init(|| client))
    }
}

#[derive(Deserialize)]
struct FetchInput {
    url: String,
    prompt: Option<String>,
}

#[async_trait]
impl Tool for WebFetchTool {
    fn name(&self) -> &str {
        "web_fetch"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Network
    }

    fn summary(&self, _input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::first_line(result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "url")
    }

    fn description(&self) -> &str {
        "Fetch a web page or file over http(s) and return its content as text: HTML is converted to readable \
         text (headings as #, lists as *, links numbered with their URLs listed at the end); plain text, \
         Markdown, JSON and XML are returned as they are. Images, PDFs and other binary content are refused. \
         Redirects on the same host are followed (up to 10); a redirect to another host is reported so you \
         can fetch that URL yourself. Requests time out after 30 s, at most 10 MiB is downloaded, and the text \
         returned is cut at 100000 characters. Pass `prompt` to note what you are looking for in the page."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "url": {"type": "string", "description": "The http:// or https:// URL to fetch"},
                "prompt": {"type": "string", "description": "What you want to learn from the page"}
            },
            "required": ["url"],
            "additionalProperties": false
        })
    }

    /// Nothing local changes; which domains may be fetched is the permission engine's decision.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    fn access(&self, input: &Value) -> Access {
        let url = input.get("url").and_then(Value::as_str).unwrap_or_default();
        Access::Fetch { url: url.to_string() }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        let url = input.get("url").and_then(Value::as_str).unwrap_or_default();
        ApprovalDetail::Fetch { url: url.to_string() }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: FetchInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        match self.fetch(&request).await {
            Ok(result) | Err(result) => result,
        }
    }
}

impl WebFetchTool {
    async fn fetch(&self, request: &FetchInput) -> Result<ToolResult, ToolResult> {
        let url = parse_url(&request.url)?;
        let client = self
            .client()
            .map_err(|error| ToolResult::error(format!("web_fetch: cannot set up HTTP: {error}")))?;
        let response = client
            .get(url.clone())
            .header(
                reqwest::header::ACCEPT,
                "text/html, text/markdown, text/plain, application/json;q=0.9, */*;q=0.5",
            )
            .send()
            .await
            .map_err(|error| ToolResult::error(describe_error(&url, &error)))?;
        let final_url = response.url().clone();
        let status = response.status();
        if status.is_redirection() {
            return Ok(cross_host_redirect(&final_url, &response));
        }
        let media_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(content::media_type)
            .unwrap_or_default();
        let verdict = content::classify(&media_type);
        if verdict == TypeVerdict::Refuse && status.is_success() {
            return Err(refusal(&final_url, &media_type));
        }
        let body = read_body(response)
            .await
            .map_err(|error| ToolResult::error(describe_error(&final_url, &error)))?;
        if !status.is_success() {
            return Err(http_failure(&final_url, status, &body.bytes, &verdict));
        }
        let kind = match verdict {
            TypeVerdict::Read(kind) => kind,
            TypeVerdict::Sniff | TypeVerdict::Refuse => {
                content::sniff(&body.bytes).ok_or_else(|| refusal(&final_url, "binary data"))?
            }
        };
        let text = match kind {
            BodyKind::Html => {
                let bytes = body.bytes.clone();
                tokio::task::spawn_blocking(move || content::html_to_text(&bytes))
                    .await
                    .map_err(|error| error.to_string())
                    .and_then(|converted| converted)
                    .map_err(|error| {
                        ToolResult::error(format!(
                            "web_fetch: could not convert the HTML of {final_url}: {error}"
                        ))
                    })?
            }
            BodyKind::Text => String::from_utf8_lossy(&body.bytes).into_owned(),
        };
        Ok(present(request, &final_url, &media_type, kind, &body, &text))
    }
}

fn parse_url(raw: &str) -> Result<Url, ToolResult> {
    let url = Url::parse(raw.trim()).map_err(|error| {
        ToolResult::error(format!(
            "web_fetch: `{raw}` is not a valid URL ({error}). Pass a full URL starting with https:// or http://."
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ToolResult::error(format!(
            "web_fetch: only http and https URLs can be fetched, not `{}:`. Read local files with read_file.",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ToolResult::error(format!("web_fetch: `{raw}` has no host name.")));
    }
    Ok(url)
}

/// Follow redirects within the original host, over http(s), at most [`MAX_REDIRECTS`] times.
fn redirect(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    if attempt.previous().len() > MAX_REDIRECTS {
        return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
    }
    if !matches!(attempt.url().scheme(), "http" | "https") {
        let scheme = attempt.url().scheme().to_string();
        return attempt.error(format!("a redirect to a `{scheme}:` URL, which cannot be fetched"));
    }
    let original_host = attempt.previous().first().and_then(Url::host_str);
    if attempt.url().host_str() != original_host {
        // Returned as is: the model is told where it leads.
        return attempt.stop();
    }
    attempt.follow()
}

fn cross_host_redirect(url: &Url, response: &Response) -> ToolResult {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| url.join(location).ok());
    match location {
        Some(target) => ToolResult::ok(format!(
            "{url} redirects (HTTP {}) to {target}, on a different host. web_fetch follows redirects only \
             within one host; to read the page, call web_fetch again with {target}.",
            response.status().as_u16()
        )),
        None => ToolResult::error(format!(
            "web_fetch: {url} answered HTTP {} without a usable Location to redirect to.",
            response.status()
        )),
    }
}

fn refusal(url: &Url, what: &str) -> ToolResult {
    ToolResult::error(format!(
        "web_fetch: {url} is {what}, which web_fetch cannot return as text (it reads HTML, text, Markdown, JSON \
         and XML). To inspect it, download it with bash (for example curl -o) and look at it there."
    ))
}

fn http_failure(url: &Url, status: reqwest::StatusCode, body: &[u8], verdict: &TypeVerdict) -> ToolResult {
    let mut message = format!("web_fetch: {url} answered HTTP {status}.");
    if matches!(verdict, TypeVerdict::Read(BodyKind::Text)) && !body.is_empty() {
        let text = String::from_utf8_lossy(body);
        message.push_str(&format!(" The response said: {}", truncate_chars(text.trim(), 500)));
    }
    if status == reqwest::StatusCode::NOT_FOUND {
        message.push_str(" Check the URL; the page may have moved.");
    }
    ToolResult::error(message)
}

/// A body read up to [`MAX_BODY_BYTES`].
struct Body {
    bytes: Vec<u8>,
    cut: bool,
}

async fn read_body(mut response: Response) -> Result<Body, reqwest::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY_BYTES - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            // Dropping the response here closes the connection: the rest is never downloaded.
            return Ok(Body { bytes, cut: true });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Body { bytes, cut: false })
}

fn present(
    request: &FetchInput,
    url: &Url,
    media_type: &str,
    kind: BodyKind,
    body: &Body,
    text: &str,
) -> ToolResult {
    let media_type = if media_type.is_empty() { "no content type" } else { media_type };
    let converted = if kind == BodyKind::Html { ", converted from HTML" } else { "" };
    let mut out = format!("Fetched {url} ({media_type}, {} bytes{converted}).\n", body.bytes.len());
    if let Some(prompt) = request.prompt.as_deref().filter(|prompt| !prompt.trim().is_empty()) {
        out.push_str(&format!("Looking for: {}\n", prompt.trim()));
    }
    out.push('\n');
    let text = text.trim();
    let total = text.chars().count();
    out.push_str(truncate_chars(text, MAX_OUTPUT_CHARS));
    if body.cut {
        out.push_str(&format!(
            "\n\n[the response is larger than {} MiB; only the first {} MiB was downloaded]",
            MAX_BODY_BYTES / (1024 * 1024),
            MAX_BODY_BYTES / (1024 * 1024)
        ));
    }
    if total > MAX_OUTPUT_CHARS {
        out.push_str(&format!(
            "\n\n[the text is {total} characters; only the first {MAX_OUTPUT_CHARS} are shown]"
        ));
    }
    ToolResult::ok(out)
}

/// A transport failure in words the model can act on.
fn describe_error(url: &Url, error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return format!(
            "web_fetch: {url} did not answer within {} s. Try again later or another source.",
            TIMEOUT.as_secs()
        );
    }
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let detail = if causes.is_empty() { error.to_string() } else { causes.join(": ") };
    if error.is_redirect() {
        return format!("web_fetch: {url} could not be fetched: {detail} (a redirect loop?).");
    }
    if error.is_connect() {
        return format!(
            "web_fetch: could not connect to {url}: {detail}. Check the host name and that it is up."
        );
    }
    format!("web_fetch: fetching {url} failed: {detail}")
}
