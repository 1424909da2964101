//! What a finished tool call shows under its header: the change as a diff when it changed a file, the
//! tool's one-line summary when it gave one (the whole output with Ctrl+O), or the output's first lines.

use super::cell::{RenderContext, truncate_to};
use crate::markdown::wrap;
use crate::theme::Theme;
use claurst_protocol::FileChange;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// Lines of tool output shown when a call is collapsed.
const PREVIEW_LINES: usize = 4;
/// Diffs are what the user most wants to see of an edit: they get more room.
const DIFF_PREVIEW_LINES: usize = 24;
/// Under a call's header: the first line's marker, and the indent of the others.
const FIRST: &str = "  ⎿ ";
const REST: &str = "    ";

pub fn outcome_lines(
    output: &str,
    is_error: bool,
    summary: &str,
    change: Option<&FileChange>,
    width: usize,
    context: &RenderContext,
) -> Vec<Line<'static>> {
    if let Some(change) = change {
        return diff_lines(&change.path, &change.diff, width, context);
    }
    if !is_error && let Some((path, diff)) = embedded_diff(output) {
        return diff_lines(path, diff, width, context);
    }
    if summary.is_empty() {
        return output_preview(output, is_error, width, context);
    }
    summary_lines(output, is_error, summary, width, context)
}

/// The change under the call: the diff's summary on the marker line, the rows indented below it.
fn diff_lines(path: &str, diff: &str, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
    let theme = context.theme;
    let drawn = crate::diff::render(path, diff, width.saturating_sub(FIRST.chars().count()), theme);
    let limit = if context.detailed { usize::MAX } else { DIFF_PREVIEW_LINES + 1 };
    let mut lines: Vec<Line<'static>> = drawn
        .iter()
        .take(limit)
        .enumerate()
        .map(|(index, line)| {
            let marker = if index == 0 { FIRST } else { REST };
            let mut spans = vec![Span::styled(marker, theme.dim())];
            spans.extend(line.spans.iter().cloned());
            Line::from(spans)
        })
        .collect();
    if drawn.len() > limit {
        lines.push(Line::styled(
            format!("{REST}… +{} lines (ctrl+o to expand)", drawn.len() - limit),
            theme.dim(),
        ));
    }
    lines
}

/// A unified diff inside a tool's text (an edit tells the model its diff), with the path it changes.
fn embedded_diff(output: &str) -> Option<(&str, &str)> {
    let start = output.find("\n--- ").map(|at| at + 1).or_else(|| output.starts_with("--- ").then_some(0))?;
    let diff = &output[start..];
    let path = diff.lines().nth(1)?.strip_prefix("+++ ")?;
    diff.contains("\n@@").then_some((path.trim(), diff))
}

/// The tool's summary on one line; with Ctrl+O, the whole output under it.
fn summary_lines(
    output: &str,
    is_error: bool,
    summary: &str,
    width: usize,
    context: &RenderContext,
) -> Vec<Line<'static>> {
    let theme = context.theme;
    let summary_style = if is_error { theme.error().remove_modifier(Modifier::BOLD) } else { theme.plain() };
    let hint = if context.detailed { String::new() } else { " (ctrl+o to expand)".to_string() };
    let prefix = vec![(FIRST.to_string(), theme.dim())];
    let rest = vec![(REST.to_string(), Style::new())];
    let mut lines = wrap::wrap_pieces(
        &[(summary.to_string(), summary_style), (hint, theme.dim())],
        width,
        &prefix,
        &rest,
    );
    if context.detailed {
        for line in output.lines() {
            lines.extend(wrap::wrap_hard(line, output_style(is_error, theme), width, &rest));
        }
    }
    lines
}

fn output_style(is_error: bool, theme: Theme) -> Style {
    if is_error { theme.error().remove_modifier(Modifier::BOLD) } else { theme.plain() }
}

/// Tool output under its call: a few lines, or all of it in detailed mode.
fn output_preview(output: &str, is_error: bool, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
    let theme = context.theme;
    let all: Vec<&str> = output.lines().collect();
    let shown = if context.detailed { all.len() } else { all.len().min(PREVIEW_LINES) };
    let mut lines = Vec::new();
    for (index, line) in all.iter().take(shown).enumerate() {
        let prefix = vec![(if index == 0 { FIRST } else { REST }.to_string(), theme.dim())];
        let text =
            if context.detailed { line.to_string() } else { truncate_to(line, width.saturating_sub(5)) };
        lines.extend(wrap::wrap_hard(&text, output_style(is_error, theme), width, &prefix));
    }
    if shown < all.len() {
        lines.push(Line::styled(
            format!("{REST}… +{} lines (ctrl+o to expand)", all.len() - shown),
            theme.dim(),
        ));
    }
    lines
}
