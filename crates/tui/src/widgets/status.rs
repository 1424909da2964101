//! The status line: model, permission mode, context used, session cost, directory and git branch.

use crate::theme::Theme;
use claurst_protocol::{McpServerStatus, McpServerView, PermissionMode, SandboxMode};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusInfo {
    pub model: String,
    pub mode: PermissionMode,
    pub sandbox: SandboxMode,
    pub context_tokens: u64,
    pub context_window: u64,
    /// The cost of the requests whose price is known.
    pub cost_usd: f64,
    /// Some request's price is unknown: shown as "price unknown", never as $0.
    pub price_unknown: bool,
    /// The extended-thinking budget of the next requests; `None` is off.
    pub thinking: Option<u32>,
    pub cwd: String,
    pub branch: Option<String>,
    pub session_id: String,
    /// MCP servers at a glance, once some are configured and not switched off.
    pub mcp: Option<McpSummary>,
    /// `-- NORMAL --` or `-- INSERT --` while Vim-style editing is on.
    pub editor_mode: Option<&'static str>,
    /// The user's status line command's output: it takes the place of model, context, cost and directory.
    pub custom: Option<String>,
    /// KAIROS's state in a word (`◆ KAIROS in 42 s`), in a session that runs it.
    #[cfg(feature = "proactive")]
    pub kairos: Option<String>,
}

/// How many of the servers in use are ready, and whether one needs the user (failed, or awaiting approval).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct McpSummary {
    pub ready: usize,
    /// Servers not switched off or refused by the user: those are their choice, not a problem to flag.
    pub total: usize,
    pub needs_attention: bool,
}

impl McpSummary {
    pub fn of(servers: &[McpServerView]) -> Option<Self> {
        let in_use = servers
            .iter()
            .filter(|server| !matches!(server.status, McpServerStatus::Disabled | McpServerStatus::Denied));
        let summary = in_use.fold(Self::default(), |summary, server| Self {
            ready: summary.ready + usize::from(server.status == McpServerStatus::Ready),
            total: summary.total + 1,
            needs_attention: summary.needs_attention
                || matches!(server.status, McpServerStatus::Failed { .. } | McpServerStatus::NeedsApproval),
        });
        (summary.total > 0).then_some(summary)
    }

    fn text(self) -> String {
        let warning = if self.needs_attention { "⚠ " } else { "" };
        format!("{warning}MCP {}/{}", self.ready, self.total)
    }
}

impl StatusInfo {
    /// Share of the context window in use, in percent.
    pub fn context_percent(&self) -> u64 {
        if self.context_window == 0 {
            return 0;
        }
        (self.context_tokens * 100 / self.context_window).min(100)
    }

    /// The session's cost: dollars, or "price unknown" (with the known part) when a model's price is unknown.
    pub fn cost_text(&self) -> String {
        match (self.price_unknown, self.cost_usd > 0.0) {
            (false, _) => format!("${:.4}", self.cost_usd),
            (true, false) => "price unknown".into(),
            (true, true) => format!("${:.4} + price unknown", self.cost_usd),
        }
    }

    /// The status line for a `width`-column terminal; less important parts drop first when narrow.
    pub fn line(&self, width: usize, theme: Theme) -> Line<'static> {
        let mode = match self.mode {
            PermissionMode::Default => String::new(),
            PermissionMode::AcceptEdits => "⏵⏵ accept edits".into(),
            PermissionMode::Plan => "⏸ plan mode".into(),
            PermissionMode::BypassPermissions => "⚠ bypass permissions".into(),
            PermissionMode::DontAsk => "⊘ don't ask".into(),
        };
        let location = match &self.branch {
            Some(branch) => format!("{} ({branch})", self.cwd),
            None => self.cwd.clone(),
        };
        let plain = |text: String, style: ratatui::style::Style| vec![Span::styled(text, style)];
        // In order of importance; each is dropped (from the end) until the line fits.
        let mut parts: Vec<Vec<Span<'static>>> = vec![
            plain(self.model.clone(), theme.accent()),
            plain(format!("ctx {}%", self.context_percent()), context_style(self.context_percent(), theme)),
            plain(self.cost_text(), theme.status()),
            plain(location, theme.status()),
        ];
        if let Some(custom) = &self.custom {
            parts = vec![custom_spans(custom, theme)];
        }
        if let Some(mcp) = self.mcp.filter(|_| self.custom.is_none()) {
            let style = if mcp.needs_attention { theme.warning() } else { theme.status() };
            parts.insert(2, plain(mcp.text(), style));
        }
        #[cfg(feature = "proactive")]
        if let Some(kairos) = self.kairos.clone().filter(|_| self.custom.is_none()) {
            parts.insert(2, plain(kairos, theme.accent()));
        }
        if self.thinking.is_some() {
            let hint = if width >= 60 { " (tab)" } else { "" };
            parts.insert(1, plain(format!("✻ thinking{hint}"), theme.accent()));
        }
        // An explicit choice to run the model's commands unconfined stays in view.
        if self.sandbox == SandboxMode::Off {
            parts.insert(1, plain("⚠ sandbox off".into(), theme.warning()));
        }
        if !mode.is_empty() {
            let hint = if width >= 60 { " (shift+tab)" } else { "" };
            parts.insert(1, plain(format!("{mode}{hint}"), theme.mode(self.mode)));
        }
        if let Some(label) = self.editor_mode {
            parts.insert(0, plain(label.to_string(), theme.accent()));
        }
        let part_width = |part: &[Span<'static>]| part.iter().map(|span| span.content.width()).sum::<usize>();
        loop {
            let total: usize =
                parts.iter().map(|part| part_width(part)).sum::<usize>() + 3 * parts.len().saturating_sub(1);
            if total <= width || parts.len() <= 1 {
                break;
            }
            parts.pop();
        }
        let mut spans = Vec::new();
        for (index, part) in parts.into_iter().enumerate() {
            if index > 0 {
                spans.push(Span::styled(" · ", theme.dim()));
            }
            spans.extend(truncate_spans(part, width));
        }
        Line::from(spans)
    }
}

/// A status line command's output as styled spans: its ANSI colours and styles kept over the theme's status
/// style, every other escape sequence dropped (it would otherwise show as stray characters).
fn custom_spans(output: &str, theme: Theme) -> Vec<Span<'static>> {
    use ansi_to_tui::IntoText;
    let Ok(text) = output.into_text() else {
        return vec![Span::styled(strip_controls(output), theme.status())];
    };
    let spans: Vec<Span<'static>> = text
        .lines
        .into_iter()
        .next()
        .map(|line| {
            let line_style = line.style;
            line.spans
                .into_iter()
                .map(|span| {
                    let style = theme.status().patch(line_style).patch(span.style);
                    Span::styled(strip_controls(&span.content), style)
                })
                .filter(|span| !span.content.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if spans.is_empty() { vec![Span::styled(String::new(), theme.status())] } else { spans }
}

fn strip_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// `spans` cut to `width` columns, an ellipsis marking the cut (as `truncate_to` does for one string).
fn truncate_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|span| span.content.width()).sum();
    if total <= width {
        return spans;
    }
    let mut kept = Vec::new();
    let mut used = 0;
    let mut last_style = ratatui::style::Style::default();
    'spans: for span in spans {
        last_style = span.style;
        let mut text = String::new();
        for grapheme in unicode_segmentation::UnicodeSegmentation::graphemes(span.content.as_ref(), true) {
            let grapheme_width = grapheme.width();
            if used + grapheme_width + 1 > width {
                kept.push(Span::styled(text, span.style));
                break 'spans;
            }
            text.push_str(grapheme);
            used += grapheme_width;
        }
        kept.push(Span::styled(text, span.style));
    }
    kept.push(Span::styled("…", last_style));
    kept
}

fn context_style(percent: u64, theme: Theme) -> ratatui::style::Style {
    match percent {
        0..=69 => theme.status(),
        70..=84 => theme.warning(),
        _ => theme.error(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn shows_everything_when_wide_and_drops_the_tail_when_narrow() {
        let info = StatusInfo {
            model: "claude-sonnet-4-5".into(),
            mode: PermissionMode::AcceptEdits,
            sandbox: SandboxMode::Auto,
            context_tokens: 50_000,
            context_window: 200_000,
            cost_usd: 0.0123,
            price_unknown: false,
            thinking: None,
            cwd: "~/code/app".into(),
            branch: Some("main".into()),
            session_id: String::new(),
            mcp: None,
            editor_mode: None,
            custom: None,
            #[cfg(feature = "proactive")]
            kairos: None,
        };
        assert_eq!(
            text(&info.line(120, Theme::monochrome())),
            "claude-sonnet-4-5 · ⏵⏵ accept edits (shift+tab) · ctx 25% · $0.0123 · ~/code/app (main)"
        );
        let narrow = text(&info.line(40, Theme::monochrome()));
        assert!(narrow.width() <= 40, "{narrow}");
        assert!(narrow.starts_with("claude-sonnet-4-5 · ⏵⏵ accept edits"));
        let off = StatusInfo { sandbox: SandboxMode::Off, ..info };
        assert!(
            text(&off.line(120, Theme::monochrome()))
                .contains("accept edits (shift+tab) · ⚠ sandbox off · ctx")
        );
    }

    #[test]
    fn thinking_and_an_unknown_price_are_shown() {
        let info = StatusInfo {
            model: "ollama/qwen3".into(),
            context_window: 32_768,
            price_unknown: true,
            thinking: Some(8_000),
            cwd: "~/code/app".into(),
            ..StatusInfo::default()
        };
        assert_eq!(
            text(&info.line(120, Theme::monochrome())),
            "ollama/qwen3 · ✻ thinking (tab) · ctx 0% · price unknown · ~/code/app"
        );
        let partly = StatusInfo { cost_usd: 0.5, ..info };
        assert!(text(&partly.line(120, Theme::monochrome())).contains("$0.5000 + price unknown"));
    }

    #[test]
    fn a_status_line_commands_colours_are_kept_and_other_escapes_dropped() {
        use ratatui::style::{Color, Modifier};
        let info = StatusInfo {
            custom: Some("\u{1b}[1;32mmain\u{1b}[0m \u{1b}]0;title\u{7}\u{1b}[38;5;208m+3\u{1b}[0m".into()),
            ..StatusInfo::default()
        };
        let line = info.line(80, Theme::monochrome());
        assert_eq!(text(&line), "main +3");
        let main = line.spans.iter().find(|span| span.content == "main").expect("a span for the branch");
        assert_eq!(main.style.fg, Some(Color::Green));
        assert!(main.style.add_modifier.contains(Modifier::BOLD));
        let count = line.spans.iter().find(|span| span.content == "+3").expect("a span for the count");
        assert_eq!(count.style.fg, Some(Color::Indexed(208)));
        assert!(line.spans.iter().all(|span| !span.content.contains('\u{1b}')));
    }

    #[test]
    fn a_coloured_status_line_is_cut_to_the_width_with_an_ellipsis() {
        let info = StatusInfo {
            custom: Some("\u{1b}[31mred part\u{1b}[0m and \u{1b}[34mblue part\u{1b}[0m".into()),
            ..StatusInfo::default()
        };
        let cut = text(&info.line(12, Theme::monochrome()));
        assert_eq!(cut, "red part an…");
        assert_eq!(cut.width(), 12);
        assert_eq!(text(&info.line(80, Theme::monochrome())), "red part and blue part");
    }

    fn server(name: &str, status: McpServerStatus) -> McpServerView {
        McpServerView {
            name: name.into(),
            scope: "user".into(),
            target: "x".into(),
            status,
            tools: vec![],
            prompts: vec![],
            resources: vec![],
        }
    }

    #[test]
    fn mcp_summary_counts_servers_in_use_and_flags_trouble() {
        assert_eq!(McpSummary::of(&[]), None);
        assert_eq!(McpSummary::of(&[server("a", McpServerStatus::Disabled)]), None);
        let fine = McpSummary::of(&[
            server("a", McpServerStatus::Ready),
            server("b", McpServerStatus::Starting),
            server("c", McpServerStatus::Denied),
        ]);
        assert_eq!(fine, Some(McpSummary { ready: 1, total: 2, needs_attention: false }));
        let failed = McpSummary::of(&[
            server("a", McpServerStatus::Ready),
            server("b", McpServerStatus::Failed { reason: "exited".into() }),
        ]);
        let info = StatusInfo { model: "m".into(), mcp: failed, ..StatusInfo::default() };
        assert_eq!(text(&info.line(120, Theme::monochrome())), "m · ctx 0% · ⚠ MCP 1/2 · $0.0000 · ");
        let narrow = text(&info.line(20, Theme::monochrome()));
        assert!(narrow.width() <= 20, "{narrow}");
    }
}
