//! MCP servers in the interface: the trust questions they raise, the `/mcp` panel, their prompts as
//! commands and their resources as `@` mentions.

use super::{App, Effect};
use crate::commands;
use crate::widgets::mcp_panel::{McpPanel, PanelOutcome};
use crate::widgets::mcp_trust::{TrustAnswer, TrustDialog, TrustOutcome};
use crate::widgets::popup::PopupItem;
use crate::widgets::status::McpSummary;
use claurst_protocol::{McpRequest, McpServerStatus, McpServerView, Op};
use crossterm::event::KeyEvent;

impl App {
    /// The session reported its servers: ask about new ones awaiting approval, forget questions already
    /// settled (approved in `/mcp`, or removed), and rebuild the prompt commands and the status summary.
    pub(crate) fn mcp_servers_changed(&mut self, servers: Vec<McpServerView>) {
        self.mcp_servers = servers;
        for server in &self.mcp_servers {
            // Asked once per session: "decide later" must not bring the question straight back.
            if server.status == McpServerStatus::NeedsApproval && self.trust_asked.insert(server.name.clone())
            {
                self.trust_dialogs.push_back(TrustDialog::new(server.clone()));
            }
        }
        let servers = &self.mcp_servers;
        self.trust_dialogs.retain_mut(|dialog| {
            match servers.iter().find(|server| server.name == dialog.server.name) {
                Some(server) if server.status == McpServerStatus::NeedsApproval => {
                    // The definition may have changed meanwhile: show what would start now.
                    dialog.server = server.clone();
                    true
                }
                _ => false,
            }
        });
        commands::set_mcp_prompts(&mut self.commands, &self.mcp_servers);
        self.status.mcp = McpSummary::of(&self.mcp_servers);
    }

    pub(crate) fn open_mcp_panel(&mut self) {
        self.mcp_panel = Some(McpPanel::default());
    }

    pub(super) fn trust_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(dialog) = self.trust_dialogs.front_mut() else {
            return Vec::new();
        };
        let TrustOutcome::Answered(answer) = dialog.handle_key(key) else {
            return Vec::new();
        };
        let Some(dialog) = self.trust_dialogs.pop_front() else {
            return Vec::new();
        };
        let server = dialog.server.name;
        let approve = match answer {
            TrustAnswer::Allow => true,
            TrustAnswer::Deny => false,
            TrustAnswer::Later => {
                self.flash(format!("MCP server {server} stays off; the next session asks again"));
                return Vec::new();
            }
        };
        vec![Effect::Send(Op::Mcp(McpRequest::Trust { server, approve }))]
    }

    pub(super) fn mcp_panel_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(panel) = &mut self.mcp_panel else {
            return Vec::new();
        };
        match panel.handle_key(key, &self.mcp_servers) {
            PanelOutcome::Pending => Vec::new(),
            PanelOutcome::Closed => {
                self.mcp_panel = None;
                Vec::new()
            }
            PanelOutcome::Request(request) => vec![Effect::Send(Op::Mcp(request))],
        }
    }

    /// `@<server>:<uri>` mentions whose server, URI or name contains `query` (ignoring case).
    pub(super) fn resource_choices(&self, query: &str) -> Vec<PopupItem> {
        let query = query.to_lowercase();
        self.mcp_servers
            .iter()
            .flat_map(|server| {
                server.resources.iter().map(move |(uri, name)| PopupItem {
                    label: format!("{}:{uri}", server.name),
                    detail: name.clone(),
                })
            })
            .filter(|item| {
                query.is_empty()
                    || item.label.to_lowercase().contains(&query)
                    || item.detail.to_lowercase().contains(&query)
            })
            // Said in the detail: the menu's other choices are files.
            .map(|item| PopupItem {
                detail: format!("{} (MCP resource)", item.detail).trim().to_string(),
                ..item
            })
            .collect()
    }
}
