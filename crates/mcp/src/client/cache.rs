//! The tools each server listed last time, kept under `~/.claurst/mcp-cache/`, so that a session can offer a
//! server's tools while the server is still starting: a call to one then waits for the server instead of the
//! model never learning the tool exists. An entry counts only for the same definition (fingerprint) and is
//! replaced whenever the server lists its tools.

use super::naming;
use super::state::Shared;
use super::tool::McpTool;
use claurst_tools::Tool;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    tools: Vec<rmcp::model::Tool>,
}

/// The cache file of server `name`.
fn file(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.json"))
}

/// Remember what server `index` listed. Failing to write only costs the next session the early offer.
pub(crate) fn store(shared: &Shared, index: usize, tools: &[rmcp::model::Tool]) {
    let Some(dir) = &shared.options.tool_cache else { return };
    let config = &shared.servers[index].config;
    let entry = Entry { fingerprint: config.fingerprint.clone(), tools: tools.to_vec() };
    let result = serde_json::to_vec(&entry).map_err(std::io::Error::other).and_then(|bytes| {
        std::fs::create_dir_all(dir)?;
        let temporary = dir.join(format!(".{}.json.tmp", config.name));
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, file(dir, &config.name))
    });
    if let Err(error) = result {
        tracing::debug!(server = %config.name, %error, "the MCP tool cache was not written");
    }
}

/// The tools server `index` listed last time with the same definition, as the model will see them.
pub(crate) fn load(shared: &Arc<Shared>, index: usize) -> Vec<Arc<dyn Tool>> {
    let Some(dir) = &shared.options.tool_cache else { return Vec::new() };
    let config = &shared.servers[index].config;
    let Ok(bytes) = std::fs::read(file(dir, &config.name)) else { return Vec::new() };
    let Ok(entry) = serde_json::from_slice::<Entry>(&bytes) else { return Vec::new() };
    if entry.fingerprint != config.fingerprint {
        return Vec::new();
    }
    wrap(shared, index, entry.tools)
}

/// The tools a server offers, filtered by its definition and named for the model.
pub(crate) fn wrap(shared: &Arc<Shared>, index: usize, listed: Vec<rmcp::model::Tool>) -> Vec<Arc<dyn Tool>> {
    let config = &shared.servers[index].config;
    let offered: Vec<_> = listed.into_iter().filter(|tool| config.offers_tool(&tool.name)).collect();
    let names: Vec<&str> = offered.iter().map(|tool| tool.name.as_ref()).collect();
    let model_names = naming::tool_names(&config.name, &names);
    offered
        .into_iter()
        .zip(model_names)
        .map(|(tool, name)| {
            Arc::new(McpTool::new(Arc::downgrade(shared), index, name, tool)) as Arc<dyn Tool>
        })
        .collect()
}
