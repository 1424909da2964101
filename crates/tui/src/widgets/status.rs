//! The status line: model, permission mode, context used, session cost, directory and git branch.

use crate::theme::Theme;
use claurst_protocol::{PermissionMode, SandboxMode};
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
        // In order of importance; each is dropped (from the end) until the line fits.
        let mut parts: Vec<(String, ratatui::style::Style)> = vec![
            (self.model.clone(), theme.accent()),
            (format!("ctx {}%", self.context_percent()), context_style(self.context_percent(), theme)),
            (self.cost_text(), theme.status()),
            (location, theme.status()),
        ];
        if self.thinking.is_some() {
            let hint = if width >= 60 { " (tab)" } else { "" };
            parts.insert(1, (format!("✻ thinking{hint}"), theme.accent()));
        }
        // An explicit choice to run the model's commands unconfined stays in view.
        if self.sandbox == SandboxMode::Off {
            parts.insert(1, ("⚠ sandbox off".into(), theme.warning()));
        }
        if !mode.is_empty() {
            let hint = if width >= 60 { " (shift+tab)" } else { "" };
            parts.insert(1, (format!("{mode}{hint}"), theme.mode(self.mode)));
        }
        loop {
            let total: usize =
                parts.iter().map(|(text, _)| text.width()).sum::<usize>() + 3 * parts.len().saturating_sub(1);
            if total <= width || parts.len() <= 1 {
                break;
            }
            parts.pop();
        }
        let mut spans = Vec::new();
        for (index, (text, style)) in parts.into_iter().enumerate() {
            if index > 0 {
                spans.push(Span::styled(" · ", theme.dim()));
            }
            spans.push(Span::styled(crate::transcript::truncate_to(&text, width), style));
        }
        Line::from(spans)
    }
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
}
