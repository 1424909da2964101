//! KAIROS's part of the side pane, its word in the status line, and the report `/kairos status` prints.

use super::{Kairos, relative, skip_text};
use crate::markdown::wrap;
use crate::theme::Theme;
use crate::transcript::kairos::KAIROS_MARK;
use crate::transcript::truncate_to;
use claurst_protocol::{DeferredJobView, KairosView};
use ratatui::style::Style;
use ratatui::text::Line;

impl Kairos {
    /// When the next tick comes, in words: `in 42 s`, `paused`, `not planned`.
    fn next_tick_text(&self, view: &KairosView) -> String {
        if view.paused {
            return "paused".to_string();
        }
        match self.until_next_tick() {
            Some(left) => relative(left),
            None => "not planned".to_string(),
        }
    }

    /// The status line's part: `◆ KAIROS in 42 s`, `◆ KAIROS paused`.
    pub(crate) fn status_text(&self) -> Option<String> {
        let view = self.view.as_ref()?;
        Some(format!("{KAIROS_MARK} KAIROS {}", self.next_tick_text(view)))
    }

    /// The pane's lines, `width` columns wide.
    pub(crate) fn pane_lines(&self, theme: Theme, width: usize) -> Vec<Line<'static>> {
        let Some(view) = &self.view else { return Vec::new() };
        let mut lines = vec![Line::styled(format!("{KAIROS_MARK} KAIROS"), theme.accent())];
        let field = |lines: &mut Vec<Line<'static>>, text: String, style: Style| {
            let indent = vec![("  ".to_string(), Style::new())];
            lines.extend(wrap::wrap_pieces(&[(text, style)], width, &Vec::new(), &indent));
        };
        let next = if view.paused {
            "⏸ paused · /kairos resume".to_string()
        } else {
            format!("next tick {}", self.next_tick_text(view))
        };
        field(&mut lines, next, if view.paused { theme.warning() } else { theme.plain() });
        field(&mut lines, ticks_text(view), hourly_style(view, theme));
        field(&mut lines, spend_text(view), spend_style(view, theme));
        if let Some(last) = self.last_text(view) {
            field(&mut lines, format!("last: {last}"), theme.dim());
        }
        if !view.deferred.is_empty() {
            lines.push(Line::styled("deferred", theme.accent()));
            for job in &view.deferred {
                lines.push(Line::styled(truncate_to(&job_line(job), width), job_style(job, theme)));
            }
        }
        if !view.subscriptions.is_empty() {
            lines.push(Line::styled("watching", theme.accent()));
            for pull in &view.subscriptions {
                lines.push(Line::styled(truncate_to(&format!(" {pull}"), width), theme.plain()));
            }
        }
        lines
    }

    /// The last thing KAIROS did, or why the last tick did nothing when that is newer.
    fn last_text(&self, view: &KairosView) -> Option<String> {
        match (&self.last_skip, &view.last_action) {
            (Some(skip), _) => Some(format!("skipped ({})", skip_text(skip))),
            (None, Some(action)) => Some(action.clone()),
            (None, None) => None,
        }
    }

    /// `/kairos status`: everything the pane shows, for terminals too narrow for it.
    pub(crate) fn report(&self) -> Option<String> {
        let view = self.view.as_ref()?;
        let state = if view.paused { "paused" } else { "running" };
        let mut text = format!(
            "KAIROS is {state} · next tick {} (every {} s)\n  {} · {}",
            self.next_tick_text(view),
            view.tick_interval_secs,
            ticks_text(view),
            spend_text(view)
        );
        if let Some(last) = self.last_text(view) {
            text.push_str(&format!("\n  last: {last}"));
        }
        for job in &view.deferred {
            text.push_str(&format!("\n  deferred:{}", job_line(job)));
        }
        if !view.subscriptions.is_empty() {
            text.push_str(&format!("\n  watching: {}", view.subscriptions.join(", ")));
        }
        text.push_str(&format!("\n  log: {}", view.log_path));
        Some(text)
    }
}

fn ticks_text(view: &KairosView) -> String {
    format!("ticks {} of {} this hour", view.ticks_last_hour, view.max_ticks_per_hour)
}

fn spend_text(view: &KairosView) -> String {
    format!("spent ${:.2} of ${:.2} today", view.spent_today_usd, view.daily_budget_usd)
}

/// A cap reached is a warning: KAIROS makes no model call until it lifts.
fn hourly_style(view: &KairosView, theme: Theme) -> Style {
    if view.ticks_last_hour >= view.max_ticks_per_hour { theme.warning() } else { theme.dim() }
}

fn spend_style(view: &KairosView, theme: Theme) -> Style {
    if view.spent_today_usd >= view.daily_budget_usd { theme.warning() } else { theme.dim() }
}

fn job_line(job: &DeferredJobView) -> String {
    let mark = if job.finished { "✓" } else { "○" };
    format!(" {mark} {} ({})", job.summary, job.tool)
}

fn job_style(job: &DeferredJobView, theme: Theme) -> Style {
    if job.finished { theme.success() } else { theme.plain() }
}
