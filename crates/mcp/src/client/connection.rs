//! Reaching one server over its transport and completing the `initialize` handshake.

use super::McpOptions;
use super::handler::ClaurstClient;
use super::sdk::SdkTransport;
use super::sse_legacy;
use super::stdio::{self, ServerProcess};
use claurst_config::{McpServerConfig, McpTransport};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use rmcp::ServiceExt;
use rmcp::service::{ClientInitializeError, RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use std::collections::BTreeMap;

/// The largest message accepted from an HTTP server (results over the cap are cut after they arrive).
const MAX_HTTP_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// How long a server whose handshake failed is given to exit, so that its exit status can be the reason.
const EXIT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A server that answered `initialize`.
pub(crate) struct Connection {
    pub(crate) service: RunningService<RoleClient, ClaurstClient>,
    /// The process of a stdio server; dropping it kills the process group.
    pub(crate) process: Option<ServerProcess>,
}

/// Connect to the server `config` defines; `spawned` learns a stdio server's process group as soon as it
/// exists. `Err` says why not, in the user's words. Not bounded in time:
/// the caller bounds it by the server's startup timeout (dropping this future kills a started process).
pub(crate) async fn connect(
    config: &McpServerConfig,
    options: &McpOptions,
    client: ClaurstClient,
    spawned: impl FnOnce(i32),
) -> Result<Connection, String> {
    match &config.transport {
        McpTransport::Stdio { command, args, env, cwd } => {
            let cwd = cwd
                .as_ref()
                .map_or_else(|| options.project_root.clone(), |dir| options.project_root.join(dir));
            let (transport, process) = stdio::spawn(config, command, args, env, &cwd)?;
            if let Some(pgid) = process.pgid() {
                spawned(pgid);
            }
            match client.serve(transport).await {
                Ok(service) => Ok(Connection { service, process: Some(process) }),
                Err(error) => {
                    let exited = process.exit_reason(EXIT_WAIT).await;
                    Err(exited.unwrap_or_else(|| format!("did not complete initialize: {error}")))
                }
            }
        }
        McpTransport::Http { url, headers } => {
            let http = http_client(headers)?;
            let settings = StreamableHttpClientTransportConfig::with_uri(url.as_str())
                .max_sse_event_size(MAX_HTTP_MESSAGE_BYTES)
                .max_json_response_size(MAX_HTTP_MESSAGE_BYTES);
            let transport = StreamableHttpClientTransport::with_client(http, settings);
            let service = client.serve(transport).await.map_err(|error| handshake_failure(url, &error))?;
            Ok(Connection { service, process: None })
        }
        McpTransport::Sse { url, headers } => {
            let http = http_client(headers)?;
            let transport = sse_legacy::SseTransport::connect(http, url).await?;
            let service = client.serve(transport).await.map_err(|error| handshake_failure(url, &error))?;
            Ok(Connection { service, process: None })
        }
        McpTransport::Sdk => {
            let bridge = options.sdk_bridge.clone().ok_or_else(|| {
                "it is served by the program driving Claurst, and only a session driven by one \
                 (`--input-format stream-json`) can reach it"
                    .to_string()
            })?;
            let transport = SdkTransport::new(bridge, &config.name);
            let service = client
                .serve(transport)
                .await
                .map_err(|error| format!("did not complete initialize: {error}"))?;
            Ok(Connection { service, process: None })
        }
    }
}

/// The reason a handshake failed. rmcp's transport errors name its internal types; the innermost cause says
/// what happened ("Connection refused").
fn handshake_failure(url: &str, error: &ClientInitializeError) -> String {
    let detail = match error {
        ClientInitializeError::TransportError { error, .. } => {
            let mut innermost: &(dyn std::error::Error + 'static) = error.error.as_ref();
            while let Some(source) = innermost.source() {
                innermost = source;
            }
            innermost.to_string()
        }
        other => other.to_string(),
    };
    format!("{url} did not complete initialize: {detail}")
}

/// Claurst's HTTP client, sending the definition's headers (`Authorization` included) on every request.
fn http_client(headers: &BTreeMap<String, String>) -> Result<reqwest::Client, String> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("header name `{name}` is not valid"))?;
        // The value is not repeated in the message: it is often a secret.
        let value =
            HeaderValue::from_str(value).map_err(|_| format!("the value of header `{name}` is not valid"))?;
        map.insert(header, value);
    }
    claurst_http::client_builder()
        .default_headers(map)
        .build()
        .map_err(|error| format!("the HTTP client could not be built: {error}"))
}
