//! A sub-agent inside its `agent` call's cell: what it is, what it does now, and a compact record of its
//! steps for the detailed view (Ctrl+O).
//!
//! The record keeps what a reader needs and no more: the sub-agent's messages, and for each tool call its
//! title, key argument and the first lines of its result. Its streamed text is never kept: the message it
//! ends with says the same.

use super::cell::{RenderContext, ToolStatus, truncate_to};
use crate::markdown::wrap;
use crate::theme::Theme;
use claurst_protocol::{SubagentView, ToolCallView, Usage};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Lines of a step's tool result kept for the detailed view.
const KEPT_RESULT_LINES: usize = 4;
/// Characters of one kept result line.
const KEPT_LINE_CHARS: usize = 200;

/// What the cell knows about the sub-agent its call started.
#[derive(Debug, Clone, PartialEq)]
pub struct SubagentActivity {
    /// Its kind (`explore`).
    pub kind: String,
    pub description: String,
    /// The session id its transcript is saved under, when saved (`claurst --resume ID`).
    pub transcript_id: Option<String>,
    /// Tokens it has used so far (input, cache and output).
    pub tokens: u64,
    /// The call it is making now, by id.
    pub current: Option<String>,
    pub steps: Vec<SubagentStep>,
}

/// One thing the sub-agent did, as the detailed view shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum SubagentStep {
    /// A message of its own (text only).
    Said(String),
    Tool(SubagentToolStep),
}

/// A tool call of the sub-agent.
#[derive(Debug, Clone, PartialEq)]
pub struct SubagentToolStep {
    pub id: String,
    /// `read_file(src/lib.rs)`.
    pub summary: String,
    pub state: StepState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepState {
    Requested,
    AwaitingApproval,
    Running,
    /// The first lines of the result, and how many more there were.
    Done {
        head: String,
        more_lines: usize,
        is_error: bool,
    },
    Denied {
        reason: String,
    },
}

impl SubagentActivity {
    pub fn new(view: &SubagentView) -> Self {
        Self {
            kind: view.agent_type.clone(),
            description: view.description.clone(),
            transcript_id: view.transcript_id.clone(),
            tokens: 0,
            current: None,
            steps: Vec::new(),
        }
    }

    /// `explore · Find config loader`, as approvals and notices name it.
    pub fn label(&self) -> String {
        format!("{} · {}", self.kind, self.description)
    }

    pub fn said(&mut self, text: String) {
        if !text.trim().is_empty() {
            self.steps.push(SubagentStep::Said(text));
        }
    }

    pub fn tool_requested(&mut self, call: &ToolCallView) {
        let argument = call.key_argument.replace('\n', " ");
        let summary = if argument.is_empty() {
            call.display_title().to_string()
        } else {
            format!("{}({argument})", call.display_title())
        };
        self.steps.push(SubagentStep::Tool(SubagentToolStep {
            id: call.id.clone(),
            summary,
            state: StepState::Requested,
        }));
    }

    /// Change the state of call `id`; a running call becomes the current one, an ended one stops being it.
    pub fn set_state(&mut self, id: &str, state: StepState) {
        match state {
            StepState::Running | StepState::AwaitingApproval => self.current = Some(id.to_string()),
            StepState::Done { .. } | StepState::Denied { .. } if self.current.as_deref() == Some(id) => {
                self.current = None
            }
            _ => {}
        }
        if let Some(step) = self.tool_step_mut(id) {
            step.state = state;
        }
    }

    pub fn finished(&mut self, id: &str, output: &str, is_error: bool) {
        let lines: Vec<&str> = output.lines().collect();
        let head = lines
            .iter()
            .take(KEPT_RESULT_LINES)
            .map(|line| line.chars().take(KEPT_LINE_CHARS).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        let more_lines = lines.len().saturating_sub(KEPT_RESULT_LINES);
        self.set_state(id, StepState::Done { head, more_lines, is_error });
    }

    pub fn usage(&mut self, total: &Usage) {
        self.tokens = total.context_tokens() + total.output_tokens;
    }

    fn tool_step_mut(&mut self, id: &str) -> Option<&mut SubagentToolStep> {
        self.steps.iter_mut().rev().find_map(|step| match step {
            SubagentStep::Tool(tool) if tool.id == id => Some(tool),
            _ => None,
        })
    }

    fn tool_calls(&self) -> usize {
        self.steps.iter().filter(|step| matches!(step, SubagentStep::Tool(_))).count()
    }

    /// The call it makes now, as one line.
    fn current_summary(&self) -> Option<(&str, &StepState)> {
        let id = self.current.as_deref()?;
        self.steps.iter().rev().find_map(|step| match step {
            SubagentStep::Tool(tool) if tool.id == id => Some((tool.summary.as_str(), &tool.state)),
            _ => None,
        })
    }
}

/// The header's counts: `2 tool calls · 4.1k tokens`.
pub(super) fn counts(activity: &SubagentActivity) -> String {
    let calls = activity.tool_calls();
    let plural = if calls == 1 { "" } else { "s" };
    format!(" · {calls} tool call{plural} · {} tokens", tokens_text(activity.tokens))
}

/// `812`, `4.1k`, `1.2M`.
fn tokens_text(tokens: u64) -> String {
    match tokens {
        0..1_000 => tokens.to_string(),
        1_000..1_000_000 => format!("{:.1}k", tokens as f64 / 1_000.0),
        _ => format!("{:.1}M", tokens as f64 / 1_000_000.0),
    }
}

/// What the cell shows under its header: while it runs, the call it makes now; in the detailed view, its
/// steps. The report (the call's output) follows as any tool's does.
pub(super) fn body_lines(
    activity: &SubagentActivity,
    status: &ToolStatus,
    width: usize,
    context: &RenderContext,
) -> Vec<Line<'static>> {
    let theme = context.theme;
    let mut lines = Vec::new();
    if context.detailed {
        // Its last message is the report shown under the steps: not twice.
        let steps = match (activity.steps.split_last(), status) {
            (Some((SubagentStep::Said(said), before)), ToolStatus::Done { output, .. })
                if output.starts_with(said.trim()) =>
            {
                before
            }
            _ => &activity.steps[..],
        };
        for step in steps {
            lines.extend(step_lines(step, width, theme));
        }
        if let Some(id) = &activity.transcript_id {
            let text = truncate_to(&format!("transcript: claurst --resume {id}"), width.saturating_sub(4));
            lines.push(Line::from(vec![Span::styled("  │ ", theme.dim()), Span::styled(text, theme.dim())]));
        }
    }
    let running = matches!(status, ToolStatus::Running { .. } | ToolStatus::Pending);
    if running && !context.detailed {
        let (text, style) = match activity.current_summary() {
            Some((summary, StepState::AwaitingApproval)) => {
                (format!("{summary} · waiting for approval"), theme.warning())
            }
            Some((summary, _)) => (summary.to_string(), theme.plain()),
            None => ("thinking…".to_string(), theme.dim()),
        };
        let text = truncate_to(&text, width.saturating_sub(4));
        lines.push(Line::from(vec![Span::styled("  ⎿ ", theme.dim()), Span::styled(text, style)]));
    }
    lines
}

/// One step of the detailed view, under a `│` rule that sets the sub-agent's steps apart from the report.
fn step_lines(step: &SubagentStep, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let rule = vec![("  │ ".to_string(), theme.dim())];
    match step {
        SubagentStep::Said(text) => {
            let first = vec![("  │ ".to_string(), theme.dim()), ("● ".to_string(), theme.assistant_marker())];
            let rest = vec![("  │   ".to_string(), theme.dim())];
            let mut lines = Vec::new();
            for (index, logical) in text.trim().lines().enumerate() {
                let prefix = if index == 0 { &first } else { &rest };
                lines.extend(wrap::wrap_pieces(
                    &[(logical.to_string(), theme.plain())],
                    width,
                    prefix,
                    &rest,
                ));
            }
            lines
        }
        SubagentStep::Tool(tool) => {
            let (glyph, style) = match &tool.state {
                StepState::Requested | StepState::Running => ("○ ", theme.dim()),
                StepState::AwaitingApproval => ("? ", theme.warning()),
                StepState::Done { is_error: false, .. } => ("✓ ", theme.success()),
                StepState::Done { is_error: true, .. } => ("✗ ", theme.error()),
                StepState::Denied { .. } => ("⊘ ", theme.warning()),
            };
            let header = vec![(glyph.to_string(), style), (tool.summary.clone(), theme.tool_name())];
            let mut lines = wrap::wrap_pieces(&header, width, &rule, &rule);
            let result_prefix = |index: usize| if index == 0 { "  │   ⎿ " } else { "  │     " };
            match &tool.state {
                StepState::Done { head, more_lines, is_error } => {
                    let style = if *is_error { theme.error() } else { theme.dim() };
                    for (index, line) in head.lines().enumerate() {
                        let text = truncate_to(line, width.saturating_sub(8));
                        lines.push(result_line(result_prefix(index), text, style, theme));
                    }
                    if *more_lines > 0 {
                        let text = format!("… +{more_lines} lines");
                        lines.push(result_line(result_prefix(1), text, theme.dim(), theme));
                    }
                }
                StepState::Denied { reason } => {
                    let text = truncate_to(&format!("Denied: {reason}"), width.saturating_sub(8));
                    lines.push(result_line(result_prefix(0), text, theme.warning(), theme));
                }
                _ => {}
            }
            lines
        }
    }
}

fn result_line(prefix: &str, text: String, style: Style, theme: Theme) -> Line<'static> {
    Line::from(vec![Span::styled(prefix.to_string(), theme.dim()), Span::styled(text, style)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_short() {
        assert_eq!(tokens_text(812), "812");
        assert_eq!(tokens_text(4_130), "4.1k");
        assert_eq!(tokens_text(1_250_000), "1.2M");
    }

    #[test]
    fn only_the_first_lines_of_a_result_are_kept() {
        let view = SubagentView {
            parent_id: "a".into(),
            agent_type: "explore".into(),
            description: "Find it".into(),
            model: "m".into(),
            transcript_id: None,
        };
        let mut activity = SubagentActivity::new(&view);
        activity.tool_requested(&ToolCallView::new("r1", "read_file", serde_json::Value::Null));
        activity.set_state("r1", StepState::Running);
        assert_eq!(activity.current.as_deref(), Some("r1"));
        let output: String = (0..100).map(|n| format!("line {n}\n")).collect();
        activity.finished("r1", &output, false);
        assert_eq!(activity.current, None);
        let SubagentStep::Tool(step) = &activity.steps[0] else { unreachable!() };
        let StepState::Done { head, more_lines, .. } = &step.state else { unreachable!() };
        assert_eq!((head.lines().count(), *more_lines), (4, 96));
    }
}
