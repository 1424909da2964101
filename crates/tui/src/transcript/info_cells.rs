//! Two cells that are drawn rather than written: the welcome block at the top of a new session, and
//! `/context`'s grid of what fills the context window.

use crate::theme::Theme;
use claurst_protocol::{ContextKind, ContextUsage};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The welcome block's widest line: a short greeting, not a banner across a wide terminal.
const WELCOME_WIDTH: usize = 64;
/// The grid's side: one cell is one percent of the window.
const GRID_SIDE: usize = 10;
/// Below this width the legend goes under the grid instead of beside it.
const LEGEND_BESIDE_MIN_WIDTH: usize = 60;
const USED_GLYPH: &str = "⛁";
const FREE_GLYPH: &str = "⛶";
const RESERVED_GLYPH: &str = "⛝";

/// What the welcome block says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WelcomeView {
    pub version: String,
    pub model: String,
    /// The directory as the status line shows it.
    pub directory: String,
}

/// Tips shown under the greeting: (what to type, what it does).
const TIPS: &[(&str, &str)] = &[
    ("/init", "write a CLAURST.md with instructions for this project"),
    ("?", "keyboard shortcuts"),
    ("/help", "every command"),
];

pub(super) fn welcome_lines(view: &WelcomeView, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let inner = width.min(WELCOME_WIDTH).saturating_sub(4);
    let border = theme.border();
    let row = |spans: Vec<Span<'static>>| {
        let used: usize =
            spans.iter().map(|span| unicode_width::UnicodeWidthStr::width(span.content.as_ref())).sum();
        let mut line = vec![Span::styled("│ ", border)];
        line.extend(spans);
        line.push(Span::raw(" ".repeat(inner.saturating_sub(used))));
        line.push(Span::styled(" │", border));
        Line::from(line)
    };
    let fit = |text: String| super::truncate_to(&text, inner);
    let mut lines = vec![Line::styled(format!("╭{}╮", "─".repeat(inner + 2)), border)];
    lines.push(row(vec![
        Span::styled("✻ ", theme.accent()),
        Span::styled(fit(format!("Welcome to Claurst {}", view.version)), theme.bold()),
    ]));
    lines.push(row(Vec::new()));
    lines.push(row(vec![Span::styled(fit(format!("model: {}", view.model)), theme.dim())]));
    lines.push(row(vec![Span::styled(fit(format!("cwd:   {}", view.directory)), theme.dim())]));
    lines.push(row(Vec::new()));
    for (keys, what) in TIPS {
        lines.push(row(vec![
            Span::styled(format!("{keys:<6} "), theme.accent()),
            Span::styled(super::truncate_to(what, inner.saturating_sub(7)), theme.plain()),
        ]));
    }
    lines.push(Line::styled(format!("╰{}╯", "─".repeat(inner + 2)), border));
    lines
}

/// Each category's style: distinct colours, in request order.
fn kind_style(kind: ContextKind, theme: Theme) -> Style {
    match kind {
        ContextKind::SystemPrompt => theme.dim(),
        ContextKind::Tools => theme.thinking(),
        ContextKind::Instructions => theme.warning(),
        ContextKind::McpTools => theme.link(),
        ContextKind::Messages => theme.accent(),
    }
}

/// Tokens for people: `850`, `12.3k`, `1.2M`.
fn tokens(count: u64) -> String {
    match count {
        0..1_000 => count.to_string(),
        1_000..1_000_000 => format!("{}k", one_decimal(count as f64 / 1_000.0)),
        _ => format!("{}M", one_decimal(count as f64 / 1_000_000.0)),
    }
}

/// `12.3`, and `200` rather than `200.0`.
fn one_decimal(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// The grid's cells in order: each category's share (at least one cell when it has any tokens), then free
/// space, then the compaction reserve at the end.
fn grid_cells(usage: &ContextUsage, theme: Theme) -> Vec<Span<'static>> {
    let total = GRID_SIDE * GRID_SIDE;
    let share = |count: u64| -> usize {
        if count == 0 || usage.window == 0 {
            return 0;
        }
        ((count as f64 / usage.window as f64 * total as f64).round() as usize).max(1)
    };
    let mut cells = Vec::with_capacity(total);
    for category in &usage.categories {
        let style = kind_style(category.kind, theme);
        cells.extend(std::iter::repeat_n(Span::styled(USED_GLYPH, style), share(category.tokens)));
    }
    let reserved = share(usage.reserved).min(total);
    cells.truncate(total - reserved);
    cells.resize(total - reserved, Span::styled(FREE_GLYPH, theme.dim()));
    cells.extend(std::iter::repeat_n(Span::styled(RESERVED_GLYPH, theme.dim()), reserved));
    cells
}

fn legend(usage: &ContextUsage, theme: Theme) -> Vec<Line<'static>> {
    let used = usage.used();
    let mut lines = vec![
        Line::from(Span::styled("Context usage", theme.bold())),
        Line::from(Span::styled(
            format!(
                "{} · {}/{} tokens ({}%)",
                usage.model,
                tokens(used),
                tokens(usage.window),
                usage.percent(used)
            ),
            theme.dim(),
        )),
        Line::default(),
    ];
    let entry = |glyph: &'static str, style: Style, label: &str, count: u64| {
        Line::from(vec![
            Span::styled(format!("{glyph} "), style),
            Span::styled(format!("{label}: "), theme.plain()),
            Span::styled(format!("{} tokens ({}%)", tokens(count), usage.percent(count)), theme.dim()),
        ])
    };
    for category in &usage.categories {
        lines.push(entry(
            USED_GLYPH,
            kind_style(category.kind, theme),
            category.kind.label(),
            category.tokens,
        ));
    }
    lines.push(entry(FREE_GLYPH, theme.dim(), "Free space", usage.free()));
    if usage.reserved > 0 {
        lines.push(entry(RESERVED_GLYPH, theme.dim(), "Autocompact buffer", usage.reserved));
    }
    lines
}

pub(super) fn context_lines(usage: &ContextUsage, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let cells = grid_cells(usage, theme);
    let rows: Vec<Vec<Span<'static>>> = cells
        .chunks(GRID_SIDE)
        .map(|row| {
            let mut spans = vec![Span::raw("  ")];
            for cell in row {
                spans.push(cell.clone());
                spans.push(Span::raw(" "));
            }
            spans
        })
        .collect();
    let legend = legend(usage, theme);
    if width < LEGEND_BESIDE_MIN_WIDTH {
        let mut lines: Vec<Line<'static>> = rows.into_iter().map(Line::from).collect();
        lines.push(Line::default());
        lines.extend(legend.into_iter().map(|line| indent(line, 2)));
        return lines;
    }
    let height = rows.len().max(legend.len());
    (0..height)
        .map(|index| {
            let mut spans =
                rows.get(index).cloned().unwrap_or_else(|| vec![Span::raw(" ".repeat(2 + 2 * GRID_SIDE))]);
            spans.push(Span::raw("  "));
            if let Some(line) = legend.get(index) {
                spans.extend(line.spans.iter().cloned());
            }
            Line::from(spans)
        })
        .collect()
}

fn indent(line: Line<'static>, by: usize) -> Line<'static> {
    let mut spans = vec![Span::raw(" ".repeat(by))];
    spans.extend(line.spans);
    Line::from(spans)
}
