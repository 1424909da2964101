//! The MCP client (`McpManager`) against real third-party servers installed from the npm registry
//! (server-everything over stdio, streamable HTTP and legacy SSE; server-filesystem) and against
//! test-support's small Python stub, made to crash, hang, answer 50 MB and change its tool list.

mod everything;
mod failures;

use claurst_config::{McpScope, McpServerConfig, McpTransport};
use claurst_mcp::{Admission, McpManager, McpOptions};
use claurst_protocol::{McpServerStatus, McpServerView};
use claurst_tools::{Tool, ToolOutcome, ToolSource};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// A definition with the defaults a user would get, for `transport`.
fn config(name: &str, transport: McpTransport) -> McpServerConfig {
    McpServerConfig {
        name: name.to_string(),
        transport,
        enabled: true,
        startup_timeout: Duration::from_secs(60),
        tool_timeout: Duration::from_secs(120),
        allowed_tools: None,
        disabled_tools: Vec::new(),
        scope: McpScope::User,
        source: None,
        fingerprint: String::new(),
        written_target: None,
    }
}

fn stdio(command: &str, args: &[String]) -> McpTransport {
    McpTransport::Stdio { command: command.to_string(), args: args.to_vec(), env: BTreeMap::new(), cwd: None }
}

/// A started manager and the directories it works in.
struct Servers {
    manager: Arc<McpManager>,
    output: tempfile::TempDir,
    _project: tempfile::TempDir,
}

impl Servers {
    async fn start(configs: Vec<McpServerConfig>) -> Servers {
        let project = tempfile::tempdir().unwrap();
        let output = tempfile::tempdir().unwrap();
        let options = McpOptions::new(project.path(), output.path());
        let manager =
            McpManager::new(configs.into_iter().map(|config| (config, Admission::Start)).collect(), options);
        manager.start();
        manager.wait_for_startup().await;
        Servers { manager, output, _project: project }
    }

    fn view(&self, server: &str) -> McpServerView {
        self.manager.views().into_iter().find(|view| view.name == server).unwrap()
    }

    fn assert_ready(&self, server: &str) {
        let view = self.view(server);
        assert_eq!(view.status, McpServerStatus::Ready, "{view:?}");
    }

    fn tool(&self, name: &str) -> Arc<dyn Tool> {
        let tools = self.manager.tools();
        let names: Vec<_> = tools.iter().map(|tool| tool.name().to_string()).collect();
        tools
            .into_iter()
            .find(|tool| tool.name() == name)
            .unwrap_or_else(|| panic!("no tool {name} in {names:?}"))
    }

    async fn call(&self, name: &str, input: Value) -> ToolOutcome {
        self.tool(name).run(input).await
    }
}

/// The status of `server` once it satisfies `done`, waiting on the manager's view updates.
async fn wait_for_view(
    manager: &McpManager,
    server: &str,
    done: impl Fn(&McpServerView) -> bool,
) -> McpServerView {
    let mut views = manager.subscribe();
    let found = views.wait_for(|views| views.iter().any(|view| view.name == server && done(view)));
    let views = tokio::time::timeout(Duration::from_secs(60), found).await.unwrap().unwrap().clone();
    views.into_iter().find(|view| view.name == server).unwrap()
}
