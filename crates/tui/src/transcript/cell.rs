//! The items of the transcript and how each one draws itself.

use crate::markdown::{self, wrap};
use crate::theme::Theme;
use claurst_protocol::{FileChange, TodoItem, ToolCallView};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::time::{Duration, Instant};

/// Braille spinner frames, one per animation tick.
const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What a cell needs to know to draw itself.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext {
    pub theme: Theme,
    /// Ctrl+O: tool output and thinking shown in full.
    pub detailed: bool,
    pub now: Instant,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ToolStatus {
    Pending,
    AwaitingApproval,
    Running {
        started: Instant,
    },
    Done {
        output: String,
        is_error: bool,
        duration: Duration,
        /// The tool's one-line account of the outcome; empty when it gave none.
        summary: String,
        /// The file the call changed, drawn as a diff (boxed: most calls change none).
        change: Option<Box<FileChange>>,
    },
    Denied {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ToolCell {
    /// The call as the agent described it (title, key argument).
    pub call: ToolCallView,
    pub status: ToolStatus,
    /// A command the user ran with `!`, not the model.
    pub from_user: bool,
    /// The sub-agent an `agent` call started, once it has begun (boxed: most cells have none).
    pub subagent: Option<Box<super::subagent::SubagentActivity>>,
}

impl ToolCell {
    /// A call as requested, nothing known of its outcome yet.
    pub fn new(call: ToolCallView, from_user: bool) -> Self {
        Self { call, status: ToolStatus::Pending, from_user, subagent: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Warning,
    Error,
}

// A tool cell is the largest and among the most common cells; boxing it would cost an allocation per call
// for a saving only on the rarer text cells.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    User {
        text: String,
    },
    Assistant {
        markdown: String,
        streaming: bool,
    },
    Thinking {
        text: String,
        streaming: bool,
    },
    Tool(ToolCell),
    Todos {
        items: Vec<TodoItem>,
    },
    Notice {
        kind: NoticeKind,
        text: String,
    },
    /// Older messages were replaced by this summary.
    Compacted {
        summary: String,
    },
    /// The greeting at the top of a new session.
    Welcome(super::info_cells::WelcomeView),
    /// `/context`: what fills the context window.
    Context(claurst_protocol::ContextUsage),
    /// A search of the web the API ran for the model.
    WebSearch(super::web_search::WebSearchCell),
    /// The pages the reply above cites.
    Sources(Vec<super::web_search::Source>),
    /// KAIROS's own: a tick's prompt, a file sent to the user, the day's log.
    #[cfg(feature = "proactive")]
    Kairos(super::kairos::KairosCell),
}

impl Cell {
    /// Whether drawing depends on the clock (a spinner or elapsed time), so it must not be cached.
    pub fn is_animated(&self) -> bool {
        matches!(self, Cell::Tool(ToolCell { status: ToolStatus::Running { .. } | ToolStatus::Pending, .. }))
            || matches!(self, Cell::Thinking { streaming: true, .. })
            || matches!(self, Cell::WebSearch(search) if search.status == super::web_search::SearchStatus::Searching)
    }

    /// The cell's lines at `width`, ending with a blank separator line.
    pub fn render(&self, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
        let theme = context.theme;
        let mut lines = match self {
            Cell::User { text } => prefixed_text(text, width, ("› ", theme.user_marker()), theme.user()),
            Cell::Assistant { markdown, .. } => assistant_lines(markdown, width, theme),
            Cell::Thinking { text, streaming } => thinking_lines(text, *streaming, width, context),
            Cell::Tool(tool) => tool_lines(tool, width, context),
            Cell::Todos { items } => todo_lines(items, width, theme),
            Cell::Notice { kind, text } => notice_lines(*kind, text, width, theme),
            Cell::Compacted { summary } => compacted_lines(summary, width, context),
            Cell::Welcome(view) => super::info_cells::welcome_lines(view, width, theme),
            Cell::Context(usage) => super::info_cells::context_lines(usage, width, theme),
            Cell::WebSearch(search) => super::web_search::search_lines(search, width, context),
            Cell::Sources(sources) => super::web_search::sources_lines(sources, width, context),
            #[cfg(feature = "proactive")]
            Cell::Kairos(cell) => cell.lines(width, context),
        };
        lines.push(Line::default());
        lines
    }
}

fn prefixed_text(text: &str, width: usize, marker: (&str, Style), style: Style) -> Vec<Line<'static>> {
    let first = vec![(marker.0.to_string(), marker.1)];
    let rest = vec![(" ".repeat(unicode_width::UnicodeWidthStr::width(marker.0)), Style::new())];
    let mut lines = Vec::new();
    for (index, logical) in text.split('\n').enumerate() {
        let prefix = if index == 0 { &first } else { &rest };
        lines.extend(wrap::wrap_pieces(&[(logical.to_string(), style)], width, prefix, &rest));
    }
    lines
}

fn assistant_lines(markdown: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let body = markdown::render(markdown, width.saturating_sub(2), theme);
    let mut lines = Vec::with_capacity(body.len().max(1));
    for (index, line) in body.into_iter().enumerate() {
        let marker =
            if index == 0 { Span::styled("● ", theme.assistant_marker()) } else { Span::raw("  ") };
        let mut spans = vec![marker];
        spans.extend(line.spans);
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("● ", theme.assistant_marker())));
    }
    lines
}

fn thinking_lines(text: &str, streaming: bool, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
    let theme = context.theme;
    let words = text.split_whitespace().count();
    let label = if streaming {
        format!("✻ Thinking… {}", spinner(context.now))
    } else {
        "✻ Thought".to_string()
    };
    let hint = if context.detailed { String::new() } else { format!(" ({words} words · ctrl+o to show)") };
    let mut lines =
        vec![Line::from(vec![Span::styled(label, theme.thinking()), Span::styled(hint, theme.dim())])];
    if context.detailed {
        for logical in text.lines() {
            let prefix = vec![("  ".to_string(), Style::new())];
            lines.extend(wrap::wrap_pieces(
                &[(logical.to_string(), theme.thinking())],
                width,
                &prefix,
                &prefix,
            ));
        }
    }
    lines
}

/// The frame of the spinner for the current time (10 frames a second).
pub fn spinner(now: Instant) -> &'static str {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let epoch = *EPOCH.get_or_init(Instant::now);
    let ticks = now.saturating_duration_since(epoch).as_millis() / 100;
    SPINNER[(ticks % SPINNER.len() as u128) as usize]
}

fn tool_lines(tool: &ToolCell, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
    let theme = context.theme;
    let (glyph, glyph_style) = match &tool.status {
        ToolStatus::Pending => ("○".to_string(), theme.dim()),
        ToolStatus::AwaitingApproval => ("?".to_string(), theme.warning()),
        ToolStatus::Running { .. } => (spinner(context.now).to_string(), theme.accent()),
        ToolStatus::Done { is_error: false, .. } => ("✓".to_string(), theme.success()),
        ToolStatus::Done { is_error: true, .. } => ("✗".to_string(), theme.error()),
        ToolStatus::Denied { .. } => ("⊘".to_string(), theme.warning()),
    };
    let title = match &tool.subagent {
        Some(activity) => activity.kind.as_str(),
        None => tool.call.display_title(),
    };
    let name = if tool.from_user { format!("!{title}") } else { title.to_string() };
    let argument = match &tool.subagent {
        Some(activity) => activity.description.clone(),
        None => tool.call.key_argument.clone(),
    };
    // Collapsed, the call fits on one line; the detailed view shows the argument whole.
    let room = width.saturating_sub(title.chars().count() + 16);
    let argument = if context.detailed { argument } else { truncate_to(&argument, room.max(8)) };
    let argument = match (&tool.subagent, argument.is_empty()) {
        (_, true) => String::new(),
        (Some(_), false) => format!(" · {argument}"),
        (None, false) => format!("({argument})"),
    };
    let elapsed = match &tool.status {
        ToolStatus::Running { started } => {
            format!(" {:.1}s", context.now.saturating_duration_since(*started).as_secs_f64())
        }
        ToolStatus::Done { duration, .. } if *duration >= Duration::from_millis(1000) => {
            format!(" {:.1}s", duration.as_secs_f64())
        }
        ToolStatus::AwaitingApproval => " waiting for approval".to_string(),
        _ => String::new(),
    };
    // A sub-agent's header reads as a list: `explore · Find config · 3.2s · 1 tool call · 4.1k tokens`.
    let elapsed = match (&tool.subagent, elapsed.strip_prefix(' ')) {
        (Some(_), Some(time)) if !time.starts_with('w') => format!(" · {time}"),
        _ => elapsed,
    };
    let counts = tool.subagent.as_deref().map(super::subagent::counts).unwrap_or_default();
    let header = vec![
        (format!("{glyph} "), glyph_style),
        (name, theme.tool_name()),
        (argument, theme.plain()),
        (elapsed, theme.dim()),
        (counts, theme.dim()),
    ];
    let rest = vec![("    ".to_string(), Style::new())];
    let mut lines = wrap::wrap_pieces(&header, width, &Vec::new(), &rest);
    if let Some(activity) = &tool.subagent {
        lines.extend(super::subagent::body_lines(activity, &tool.status, width, context));
    }
    match &tool.status {
        ToolStatus::Done { output, is_error, summary, change, .. } => lines.extend(
            super::outcome::outcome_lines(output, *is_error, summary, change.as_deref(), width, context),
        ),
        ToolStatus::Denied { reason } => {
            let prefix = vec![("  ⎿ ".to_string(), theme.dim())];
            let rest = vec![("    ".to_string(), Style::new())];
            lines.extend(wrap::wrap_pieces(
                &[(format!("Denied: {reason}"), theme.warning())],
                width,
                &prefix,
                &rest,
            ));
        }
        _ => {}
    }
    lines
}

/// `text` cut to `width` columns with `…`.
pub fn truncate_to(text: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in unicode_segmentation::UnicodeSegmentation::graphemes(text, true) {
        let w = unicode_width::UnicodeWidthStr::width(grapheme);
        if used + w + 1 > width {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    out.push('…');
    out
}

fn todo_lines(items: &[TodoItem], width: usize, theme: Theme) -> Vec<Line<'static>> {
    use claurst_protocol::TodoStatus;
    let mut lines = vec![Line::styled("≡ Tasks", theme.tool_name())];
    for item in items {
        let (mark, style) = match item.status {
            TodoStatus::Completed => ("☒ ", theme.dim().add_modifier(ratatui::style::Modifier::CROSSED_OUT)),
            TodoStatus::InProgress => ("◐ ", theme.accent().add_modifier(ratatui::style::Modifier::BOLD)),
            TodoStatus::Pending => ("☐ ", theme.plain()),
        };
        let prefix = vec![(format!("  {mark}"), theme.dim())];
        let rest = vec![("    ".to_string(), Style::new())];
        lines.extend(wrap::wrap_pieces(&[(item.content.clone(), style)], width, &prefix, &rest));
    }
    lines
}

fn compacted_lines(summary: &str, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
    let theme = context.theme;
    let hint = if context.detailed { "" } else { " (ctrl+o to read the summary)" };
    let mut lines = vec![Line::from(vec![
        Span::styled("⟲ Conversation compacted: earlier turns were summarised", theme.accent()),
        Span::styled(hint, theme.dim()),
    ])];
    if context.detailed {
        let body = markdown::render(summary, width.saturating_sub(2), theme);
        lines.extend(body.into_iter().map(|line| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            Line::from(spans)
        }));
    }
    lines
}

fn notice_lines(kind: NoticeKind, text: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let (marker, style) = match kind {
        NoticeKind::Info => ("ℹ ", theme.dim()),
        NoticeKind::Success => ("✓ ", theme.success()),
        NoticeKind::Warning => ("⚠ ", theme.warning()),
        NoticeKind::Error => ("✗ ", theme.error()),
    };
    prefixed_text(text, width, (marker, style), style)
}
