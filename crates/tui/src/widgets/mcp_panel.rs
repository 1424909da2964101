//! `/mcp`: every configured MCP server with its status, where it was defined and what it runs; keys to
//! show its tools, reconnect, switch it on or off, or approve it. It draws the servers as last reported, so
//! it follows their changes while open.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{McpRequest, McpServerStatus, McpServerView};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};
use std::collections::BTreeSet;

/// Rows the panel takes at most (border included); the selected server stays in view.
const MAX_ROWS: u16 = 20;

/// Which server is selected and which show their tools. Servers are named, not indexed, where it matters:
/// the list may change under the panel.
#[derive(Debug, Clone, Default)]
pub struct McpPanel {
    selected: usize,
    expanded: BTreeSet<String>,
}

/// What a key did to the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PanelOutcome {
    Pending,
    Closed,
    Request(McpRequest),
}

impl McpPanel {
    pub fn handle_key(&mut self, key: KeyEvent, servers: &[McpServerView]) -> PanelOutcome {
        if key.code == KeyCode::Esc || key.code == KeyCode::Char('q') {
            return PanelOutcome::Closed;
        }
        let Some(server) = servers.get(self.selected.min(servers.len().saturating_sub(1))) else {
            return PanelOutcome::Pending;
        };
        let name = server.name.clone();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(servers.len().saturating_sub(1))
            }
            KeyCode::Enter if !self.expanded.remove(&name) => {
                self.expanded.insert(name);
            }
            KeyCode::Char('r') => return PanelOutcome::Request(McpRequest::Reconnect { server: name }),
            KeyCode::Char('e' | ' ') => {
                let enabled = server.status == McpServerStatus::Disabled;
                return PanelOutcome::Request(McpRequest::SetEnabled { server: name, enabled });
            }
            KeyCode::Char('a')
                if matches!(server.status, McpServerStatus::NeedsApproval | McpServerStatus::Denied) =>
            {
                return PanelOutcome::Request(McpRequest::Trust {
                    server: name,
                    choice: claurst_protocol::TrustChoice::Approve,
                });
            }
            _ => {}
        }
        PanelOutcome::Pending
    }

    /// The panel's lines and the row where the selected server starts.
    fn lines(&self, servers: &[McpServerView], width: usize, theme: Theme) -> (Vec<Line<'static>>, usize) {
        if servers.is_empty() {
            return (empty_lines(theme), 0);
        }
        let selected = self.selected.min(servers.len() - 1);
        let mut lines = Vec::new();
        let mut selected_row = 0;
        for (index, server) in servers.iter().enumerate() {
            if index == selected {
                selected_row = lines.len();
            }
            let (status, status_style) = status_text(&server.status, server.tools.len(), theme);
            let (marker, name_style) =
                if index == selected { ("❯ ", theme.selected()) } else { ("  ", theme.bold()) };
            let head = format!("{marker}{}", server.name);
            let room = width.saturating_sub(head.chars().count() + 3);
            lines.push(Line::from(vec![
                Span::styled(head, name_style),
                Span::styled(" · ", theme.dim()),
                Span::styled(truncate_to(&status, room), status_style),
            ]));
            let place = format!("    {} · {}", server.scope, server.target);
            lines.push(Line::styled(truncate_to(&place, width), theme.dim()));
            if self.expanded.contains(&server.name) {
                lines.extend(detail_lines(server, width, theme));
            }
        }
        (lines, selected_row)
    }

    /// Rows the panel needs for `servers` at `width` (border included), at most `MAX_ROWS`.
    pub fn height(&self, servers: &[McpServerView], width: u16, theme: Theme) -> u16 {
        let (lines, _) = self.lines(servers, width.saturating_sub(2) as usize, theme);
        (lines.len() as u16 + 2).min(MAX_ROWS)
    }

    pub fn widget<'a>(&'a self, servers: &'a [McpServerView], theme: Theme) -> McpPanelWidget<'a> {
        McpPanelWidget { panel: self, servers, theme }
    }
}

/// The panel drawn over the servers as last reported.
pub struct McpPanelWidget<'a> {
    panel: &'a McpPanel,
    servers: &'a [McpServerView],
    theme: Theme,
}

impl Widget for McpPanelWidget<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let theme = self.theme;
        let (lines, selected_row) =
            self.panel.lines(self.servers, area.width.saturating_sub(2) as usize, theme);
        // Scroll just enough for the selected server's two lines to show.
        let inner = area.height.saturating_sub(2) as usize;
        let first = (selected_row + 2).saturating_sub(inner);
        let visible: Vec<Line<'static>> = lines.into_iter().skip(first).collect();
        let keys = if self.servers.is_empty() {
            " esc close "
        } else {
            " ↑↓ select · enter tools · r reconnect · e enable/disable · a approve · esc close "
        };
        let block = theme.modal_block(" MCP servers ").title_bottom(Span::styled(
            truncate_to(keys, area.width.saturating_sub(2) as usize),
            theme.dim(),
        ));
        Clear.render(area, buffer);
        Paragraph::new(visible).block(block).render(area, buffer);
    }
}

/// A server's status in words, with the style that draws the eye where something needs doing.
fn status_text(status: &McpServerStatus, tools: usize, theme: Theme) -> (String, Style) {
    match status {
        McpServerStatus::Starting => ("starting…".into(), theme.dim()),
        McpServerStatus::Ready => (format!("ready · {}", count(tools, "tool")), theme.success()),
        McpServerStatus::Failed { reason } => (format!("failed: {reason}"), theme.error()),
        McpServerStatus::NeedsApproval => ("needs approval (a to allow)".into(), theme.warning()),
        McpServerStatus::Disabled => ("disabled (e to enable)".into(), theme.dim()),
        McpServerStatus::Denied => ("denied for this project (a to allow)".into(), theme.dim()),
    }
}

/// An expanded server: its tools by the names rules use, then how many prompts and resources it offers.
fn detail_lines(server: &McpServerView, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if server.tools.is_empty() {
        lines.push(Line::styled("      no tools", theme.dim()));
    }
    for tool in &server.tools {
        lines.push(Line::styled(truncate_to(&format!("      {tool}"), width), theme.plain()));
    }
    let counts = format!(
        "      {} · {}",
        count(server.prompts.len(), "prompt"),
        count(server.resources.len(), "resource")
    );
    lines.push(Line::styled(truncate_to(&counts, width), theme.dim()));
    lines
}

fn count(number: usize, noun: &str) -> String {
    let plural = if number == 1 { "" } else { "s" };
    format!("{number} {noun}{plural}")
}

fn empty_lines(theme: Theme) -> Vec<Line<'static>> {
    vec![
        Line::styled("No MCP servers are configured.", theme.bold()),
        Line::default(),
        Line::styled("Add one for yourself:", theme.plain()),
        Line::styled("  claurst mcp add NAME -- COMMAND [ARGS…]", theme.inline_code()),
        Line::styled("or for this project, in .mcp.json:", theme.plain()),
        Line::styled(
            "  { \"mcpServers\": { \"NAME\": { \"command\": \"…\", \"args\": [] } } }",
            theme.inline_code(),
        ),
        Line::styled("then start a new session.", theme.plain()),
    ]
}
