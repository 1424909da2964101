//! One server's life in the background: connect within the startup timeout, list what it offers, follow
//! its list changes, and report when it stops.

use super::connection::{self, Connection};
use super::handler::{ClaurstClient, ListChanged};
use super::state::{Offer, ResourceEntry, Shared};
use super::stdio::ServerProcess;
use claurst_protocol::{McpPromptView, McpServerStatus};
use claurst_tools::Tool;
use rmcp::service::{Peer, RoleClient};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// List changes waiting to be refreshed; more than this are folded into the ones already waiting.
const PENDING_CHANGES: usize = 8;

/// (Re)start server `index` after `delay`, stopping whatever ran before. The server shows as starting
/// from now on. Does nothing unless the server is trusted and enabled.
pub(crate) fn launch(shared: &Arc<Shared>, index: usize, delay: Duration) {
    let stop = CancellationToken::new();
    let epoch = {
        let mut state = shared.servers[index].lock();
        if !state.may_run() {
            return;
        }
        state.stop_running();
        state.status = McpServerStatus::Starting;
        state.stop = Some(stop.clone());
        state.epoch
    };
    shared.publish();
    tokio::spawn(run(Arc::clone(shared), index, epoch, stop, delay));
}

async fn run(shared: Arc<Shared>, index: usize, epoch: u64, stop: CancellationToken, delay: Duration) {
    tokio::select! {
        () = stop.cancelled() => return,
        () = tokio::time::sleep(delay) => {}
    }
    let config = &shared.servers[index].config;
    let (changes_tx, mut changes) = mpsc::channel(PENDING_CHANGES);
    let startup = config.startup_timeout;
    // Known at once, so that dropping the manager kills a server that is still starting.
    let spawned = |pgid| {
        let mut state = shared.servers[index].lock();
        if state.epoch == epoch {
            state.pgid = Some(pgid);
        }
    };
    let connecting = connection::connect(config, &shared.options, ClaurstClient::new(changes_tx), spawned);
    let connection = tokio::select! {
        () = stop.cancelled() => return,
        connected = tokio::time::timeout(startup, connecting) => match connected {
            Ok(Ok(connection)) => connection,
            Ok(Err(reason)) => return fail(&shared, index, epoch, reason),
            Err(_) => return fail(&shared, index, epoch, format!("did not answer initialize within {}", seconds(startup))),
        },
    };
    let Connection { service, process } = connection;
    let peer = service.peer().clone();
    let offer = tokio::select! {
        () = stop.cancelled() => return,
        listed = tokio::time::timeout(startup, list_offer(&shared, index, &peer)) => match listed {
            Ok(Ok(offer)) => offer,
            Ok(Err(reason)) => {
                // A server that exited while listing is better described by how it exited.
                let exited = match &process {
                    Some(process) => process.exit_reason(Duration::from_millis(500)).await,
                    None => None,
                };
                return fail(&shared, index, epoch, exited.unwrap_or(reason));
            }
            Err(_) => return fail(&shared, index, epoch, format!("did not list its tools within {}", seconds(startup))),
        },
    };
    let pgid = process.as_ref().and_then(|process| process.pgid());
    if !become_ready(&shared, index, epoch, peer.clone(), pgid, offer) {
        return;
    }
    let stopped = service.waiting();
    tokio::pin!(stopped);
    // A server's helper can keep its output open after the server itself exited: the exit counts too.
    let exited = async {
        match &process {
            Some(process) => process.exited().await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(exited);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            () = &mut exited => {
                return fail(&shared, index, epoch, stop_reason(process.as_ref()).await);
            }
            _ = &mut stopped => {
                return fail(&shared, index, epoch, stop_reason(process.as_ref()).await);
            }
            Some(change) = changes.recv() => {
                // Bounded, and stoppable: a server that never answers must not keep this task (and its
                // connection) alive.
                tokio::select! {
                    () = stop.cancelled() => return,
                    _ = tokio::time::timeout(startup, refresh(&shared, index, epoch, &peer, change)) => {}
                }
            }
        }
    }
}

/// Why a connection that was ready stopped.
async fn stop_reason(process: Option<&ServerProcess>) -> String {
    match process {
        Some(process) => process.stop_reason().await,
        None => "the connection closed".to_string(),
    }
}

fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

/// Record that the server could not start or stopped, unless a newer start has replaced this one.
pub(crate) fn fail(shared: &Shared, index: usize, epoch: u64, reason: String) {
    {
        let mut state = shared.servers[index].lock();
        if state.epoch != epoch {
            return;
        }
        tracing::warn!(server = %shared.servers[index].config.name, "MCP server failed: {reason}");
        state.stop_running();
        state.status = McpServerStatus::Failed { reason };
        state.failed_at = Some(Instant::now());
    }
    shared.publish();
}

fn become_ready(
    shared: &Shared,
    index: usize,
    epoch: u64,
    peer: Peer<RoleClient>,
    pgid: Option<i32>,
    offer: Offer,
) -> bool {
    {
        let mut state = shared.servers[index].lock();
        if state.epoch != epoch {
            return false;
        }
        state.status = McpServerStatus::Ready;
        state.peer = Some(peer);
        state.pgid = pgid;
        state.known_tools = offer.tools.clone();
        state.offer = offer;
    }
    shared.publish();
    true
}

/// Everything the server offers, read after it started.
async fn list_offer(shared: &Arc<Shared>, index: usize, peer: &Peer<RoleClient>) -> Result<Offer, String> {
    let capabilities = peer.peer_info().map(|info| info.capabilities.clone()).unwrap_or_default();
    let instructions = peer.peer_info().and_then(|info| info.instructions.clone());
    let mut offer =
        Offer { has_resources: capabilities.resources.is_some(), instructions, ..Offer::default() };
    if capabilities.tools.is_some() {
        offer.tools = list_tools(shared, index, peer).await?;
    }
    if capabilities.prompts.is_some() {
        offer.prompts = list_prompts(peer).await?;
    }
    if offer.has_resources {
        offer.resources = list_resources(peer).await?;
    }
    Ok(offer)
}

async fn list_tools(
    shared: &Arc<Shared>,
    index: usize,
    peer: &Peer<RoleClient>,
) -> Result<Vec<Arc<dyn Tool>>, String> {
    let listed = peer.list_all_tools().await.map_err(|error| format!("listing its tools failed: {error}"))?;
    super::cache::store(shared, index, &listed);
    Ok(super::cache::wrap(shared, index, listed))
}

async fn list_prompts(peer: &Peer<RoleClient>) -> Result<Vec<McpPromptView>, String> {
    let prompts =
        peer.list_all_prompts().await.map_err(|error| format!("listing its prompts failed: {error}"))?;
    Ok(prompts
        .into_iter()
        .map(|prompt| McpPromptView {
            name: prompt.name,
            description: prompt.description.unwrap_or_default(),
            arguments: prompt
                .arguments
                .unwrap_or_default()
                .into_iter()
                .map(|argument| (argument.name, argument.required.unwrap_or(false)))
                .collect(),
        })
        .collect())
}

async fn list_resources(peer: &Peer<RoleClient>) -> Result<Vec<ResourceEntry>, String> {
    let resources =
        peer.list_all_resources().await.map_err(|error| format!("listing its resources failed: {error}"))?;
    Ok(resources
        .into_iter()
        .map(|resource| ResourceEntry {
            uri: resource.uri,
            name: resource.name,
            mime_type: resource.mime_type,
        })
        .collect())
}

/// Read a list again after the server said it changed. A failed refresh keeps the list as it was.
async fn refresh(
    shared: &Arc<Shared>,
    index: usize,
    epoch: u64,
    peer: &Peer<RoleClient>,
    change: ListChanged,
) {
    let name = &shared.servers[index].config.name;
    let update: Box<dyn FnOnce(&mut Offer) + Send> = match change {
        ListChanged::Tools => match list_tools(shared, index, peer).await {
            Ok(tools) => Box::new(move |offer| offer.tools = tools),
            Err(reason) => return tracing::warn!(server = %name, "{reason}"),
        },
        ListChanged::Prompts => match list_prompts(peer).await {
            Ok(prompts) => Box::new(move |offer| offer.prompts = prompts),
            Err(reason) => return tracing::warn!(server = %name, "{reason}"),
        },
        ListChanged::Resources => match list_resources(peer).await {
            Ok(resources) => Box::new(move |offer| offer.resources = resources),
            Err(reason) => return tracing::warn!(server = %name, "{reason}"),
        },
    };
    {
        let mut state = shared.servers[index].lock();
        if state.epoch != epoch {
            return;
        }
        update(&mut state.offer);
        state.known_tools = state.offer.tools.clone();
    }
    shared.publish();
}
