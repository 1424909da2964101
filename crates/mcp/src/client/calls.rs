//! Reaching a ready server for a request: waiting while it starts, restarting it (with backoff) after it
//! failed, and turning what went wrong into words for the model.

use super::lifecycle;
use super::results;
use super::state::Shared;
use claurst_protocol::McpServerStatus;
use claurst_tools::{ToolOutcome, ToolResult};
use rmcp::ServiceError;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{Peer, RoleClient};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Restarts after failures allowed within a minute; past this the user reconnects it from `/mcp`.
const MAX_RESTARTS_PER_MINUTE: usize = 5;
/// The wait before the first restart after a failure; it doubles with each recent restart.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(16);
/// How long a call that lost its server waits for the reason the server stopped.
const STOP_REASON_WAIT: Duration = Duration::from_secs(3);

/// The connection to server `index` once it is ready: waits while it starts, and restarts it when it
/// failed before, each bounded by its startup timeout. `Err` says why not.
pub(crate) async fn ready_peer(shared: &Arc<Shared>, index: usize) -> Result<Peer<RoleClient>, String> {
    let slot = &shared.servers[index];
    let status = {
        let mut state = slot.lock();
        match &state.status {
            McpServerStatus::Ready => {
                if let Some(peer) = &state.peer {
                    return Ok(peer.clone());
                }
                state.status.clone()
            }
            McpServerStatus::Failed { reason } if state.may_run() => {
                let reason = reason.clone();
                let failed_at = state.failed_at;
                let delay = restart_delay(&mut state.restarts, failed_at)
                    .map_err(|limit| format!("{reason}; {limit}"))?;
                drop(state);
                lifecycle::launch(shared, index, delay);
                McpServerStatus::Starting
            }
            other => other.clone(),
        }
    };
    if status != McpServerStatus::Starting {
        return Err(describe(&status));
    }
    let limit = slot.config.startup_timeout + MAX_BACKOFF;
    match shared.settled_status(index, limit).await {
        McpServerStatus::Ready => slot.lock().peer.clone().ok_or_else(|| "it stopped".to_string()),
        McpServerStatus::Starting => {
            Err(format!("it did not start within {} s", slot.config.startup_timeout.as_secs_f64()))
        }
        other => Err(describe(&other)),
    }
}

/// How long to wait before restarting, or why not to: restarts back off from the failure, and are
/// limited per minute so that a server that crashes at once does not spin.
fn restart_delay(
    restarts: &mut std::collections::VecDeque<Instant>,
    failed_at: Option<Instant>,
) -> Result<Duration, String> {
    let now = Instant::now();
    restarts.retain(|at| now.duration_since(*at) < Duration::from_secs(60));
    if restarts.len() >= MAX_RESTARTS_PER_MINUTE {
        return Err(format!(
            "it was restarted {MAX_RESTARTS_PER_MINUTE} times in the last minute; reconnect it from /mcp"
        ));
    }
    let exponent = u32::try_from(restarts.len()).unwrap_or(u32::MAX);
    let backoff = FIRST_BACKOFF.saturating_mul(2_u32.saturating_pow(exponent)).min(MAX_BACKOFF);
    restarts.push_back(now);
    let since_failure = failed_at.map_or(Duration::MAX, |at| now.duration_since(at));
    Ok(backoff.saturating_sub(since_failure))
}

fn describe(status: &McpServerStatus) -> String {
    match status {
        McpServerStatus::NeedsApproval => "it has not been approved for this project (see /mcp)".to_string(),
        McpServerStatus::Denied => "it was refused for this project (see /mcp)".to_string(),
        McpServerStatus::Disabled => "it is disabled (see /mcp)".to_string(),
        McpServerStatus::Starting => "it is still starting".to_string(),
        McpServerStatus::Ready => "it is ready".to_string(),
        McpServerStatus::Failed { reason } => format!("it failed: {reason}"),
    }
}

/// Call `tool` (the server's own name for it) on server `index`. Dropping the future cancels the request
/// on the server (rmcp sends `notifications/cancelled` for a request dropped before its answer).
pub(crate) async fn call_tool(shared: &Arc<Shared>, index: usize, tool: &str, input: Value) -> ToolOutcome {
    let slot = &shared.servers[index];
    let server = &slot.config.name;
    let arguments = match input {
        Value::Object(arguments) => arguments,
        Value::Null => serde_json::Map::new(),
        other => return ToolResult::error(format!("the input must be a JSON object, not {other}")).into(),
    };
    let peer = match ready_peer(shared, index).await {
        Ok(peer) => peer,
        Err(reason) => {
            return ToolResult::error(format!("MCP server `{server}` is not available: {reason}")).into();
        }
    };
    let params = CallToolRequestParams::new(tool.to_string()).with_arguments(arguments);
    let limit = slot.config.tool_timeout;
    match tokio::time::timeout(limit, peer.call_tool(params)).await {
        Ok(Ok(result)) => {
            results::call_outcome(result, &shared.options.tool_output, shared.options.max_result_chars).await
        }
        Ok(Err(error)) => ToolResult::error(request_failure(shared, index, &peer, error).await).into(),
        Err(_) => ToolResult::error(format!(
            "MCP server `{server}` did not finish `{tool}` within {} s; the call was cancelled.",
            limit.as_secs_f64()
        ))
        .into(),
    }
}

/// What to tell the model when a request failed: the server's own error, or that the server stopped and why.
pub(crate) async fn request_failure(
    shared: &Shared,
    index: usize,
    peer: &Peer<RoleClient>,
    error: ServiceError,
) -> String {
    let server = &shared.servers[index].config.name;
    if let ServiceError::McpError(data) = &error {
        return format!("MCP server `{server}` answered with an error: {}", data.message);
    }
    if !peer.is_transport_closed()
        && !matches!(error, ServiceError::TransportClosed | ServiceError::TransportSend(_))
    {
        return format!("MCP server `{server}` failed the request: {error}");
    }
    let mut views = shared.views.subscribe();
    let failed = |views: &Vec<claurst_protocol::McpServerView>| {
        views.get(index).is_some_and(|view| matches!(view.status, McpServerStatus::Failed { .. }))
    };
    let _ = tokio::time::timeout(STOP_REASON_WAIT, views.wait_for(failed)).await;
    let reason = match &shared.servers[index].lock().status {
        McpServerStatus::Failed { reason } => format!(" ({reason})"),
        _ => String::new(),
    };
    format!("MCP server `{server}` stopped during the call{reason}. It will be restarted on the next call.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    #[test]
    fn restarts_back_off_from_the_failure_and_stop_after_five_a_minute() {
        let mut restarts = VecDeque::new();
        let just_now = Some(Instant::now());
        let delays: Vec<_> = (0..5).map(|_| restart_delay(&mut restarts, just_now).unwrap()).collect();
        let whole: Vec<_> = delays.iter().map(|delay| (delay.as_secs_f64() + 0.5) as u64).collect();
        assert_eq!(whole, [1, 2, 4, 8, 16]);
        assert!(restart_delay(&mut restarts, just_now).unwrap_err().contains("5 times in the last minute"));
        let mut restarts = VecDeque::new();
        let long_ago = Some(Instant::now() - Duration::from_secs(5));
        assert_eq!(restart_delay(&mut restarts, long_ago).unwrap(), Duration::ZERO);
    }
}
