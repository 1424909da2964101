//! MCP servers in the interface: the trust questions they raise, the `/mcp` panel, their prompts as
//! commands and their resources as `@` mentions.

use super::{App, Effect};
use crate::commands;
use crate::widgets::mcp_panel::{McpPanel, PanelOutcome};
use crate::widgets::mcp_trust::{TrustAnswer, TrustDialog, TrustOutcome, TrustSubject};
use crate::widgets::popup::PopupItem;
use crate::widgets::status::McpSummary;
use claurst_protocol::{HookView, McpRequest, McpServerStatus, McpServerView, Op, TrustChoice};
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
            let TrustSubject::McpServer(asking) = &mut dialog.subject else { return true };
            match servers.iter().find(|server| server.name == asking.name) {
                Some(server) if server.status == McpServerStatus::NeedsApproval => {
                    // The definition may have changed meanwhile: show what would start now.
                    *asking = server.clone();
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
        let choice = match answer {
            TrustAnswer::Allow => TrustChoice::Approve,
            TrustAnswer::Deny => TrustChoice::Deny,
            TrustAnswer::Later => {
                self.flash(match &dialog.subject {
                    TrustSubject::McpServer(server) => {
                        format!("MCP server {} stays off; the next session asks again", server.name)
                    }
                    TrustSubject::ProjectHooks(_) => {
                        "The project's hooks do not run; the next session asks again".to_string()
                    }
                });
                return Vec::new();
            }
        };
        match dialog.subject {
            TrustSubject::McpServer(server) => {
                vec![Effect::Send(Op::Mcp(McpRequest::Trust { server: server.name, choice }))]
            }
            TrustSubject::ProjectHooks(_) => vec![Effect::Send(Op::TrustProjectHooks { choice })],
        }
    }

    /// The session started with project hooks awaiting approval: ask once per session, before anything the
    /// MCP servers ask (hooks run at the very next prompt).
    pub(crate) fn project_hooks_awaiting(&mut self, hooks: Vec<HookView>) {
        // Not a server name (those have no spaces): the key the question is remembered under.
        const HOOKS_KEY: &str = "project hooks";
        if !hooks.is_empty() && self.trust_asked.insert(HOOKS_KEY.to_string()) {
            self.trust_dialogs.push_front(TrustDialog::project_hooks(hooks));
        }
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
