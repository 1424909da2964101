//! ULTRAPLAN's rules: what the planning session is told, how its plan is recognised as finished (the
//! `__ULTRAPLAN_TELEPORT_LOCAL__` sentinel), how its progress is reported and where the plan is kept.
//!
//! Pure and small on purpose: it must never depend on the agent loop, the API client or a front-end. The
//! session itself is driven by `claurst-assistant`; the behaviour is specified in `spec/ultraplan.md`.

use std::time::Duration;

/// The line that ends a finished plan. Everything before it is the plan.
pub const SENTINEL: &str = "__ULTRAPLAN_TELEPORT_LOCAL__";

/// The planner's instructions, in place of Claurst's usual ones.
pub const PLANNER_INSTRUCTIONS: &str = "You are ULTRAPLAN, Claurst's planning session. You do not change \
anything: your tools only read (files, searches, read-only shell commands), and anything else is refused. Your \
one job is a plan another engineer — or Claurst itself — can carry out without asking you anything.

Work in two stages:
1. Investigate. Read the code, configuration and documentation the task touches; search for every place that \
must change; note the conventions the project follows. Do not guess what a file contains: read it.
2. Write the plan, in Markdown, with these sections: Goal; What exists today (what you found, with file paths); \
Design (the approach and why, the alternatives you rejected); Steps (numbered, in order, each naming the files \
and functions it changes); Risks; How to check (tests and commands that prove the work).

End your final message with a line that holds only this marker, and nothing after it: ";

/// Sent when the model finished without the sentinel: one more chance to deliver the whole plan.
pub const FOLLOW_UP: &str = "Your last message did not end with the completion marker. Write the complete \
plan now, with every section, and end it with a line holding only the marker.";

/// The planner's instructions with the sentinel they end with.
pub fn planner_instructions() -> String {
    format!("{PLANNER_INSTRUCTIONS}{SENTINEL}")
}

/// The first prompt of a planning session.
pub fn task_prompt(task: &str) -> String {
    format!("Plan this task:\n\n{}", task.trim())
}

/// A plan taken from the model's final message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub plan: String,
    /// The message ended with the sentinel.
    pub complete: bool,
}

/// The plan in `text`: everything before the sentinel line when there is one, else the whole text.
pub fn extract_plan(text: &str) -> Extracted {
    match text.find(SENTINEL) {
        Some(at) => Extracted { plan: text[..at].trim().to_string(), complete: true },
        None => Extracted { plan: text.trim().to_string(), complete: false },
    }
}

/// What the planning session has done so far, for the progress line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub turns: u32,
    pub tool_calls: u32,
    /// The latest tool call, as `name(argument)`.
    pub last_action: Option<String>,
}

impl Progress {
    /// `ultraplan: 12s · 3 turns · 5 tool calls · grep(fn parse)`
    pub fn line(&self, elapsed: Duration) -> String {
        let mut line = format!(
            "ultraplan: {}s · {} turn{} · {} tool call{}",
            elapsed.as_secs(),
            self.turns,
            plural(self.turns),
            self.tool_calls,
            plural(self.tool_calls)
        );
        if let Some(action) = &self.last_action {
            line.push_str(" · ");
            line.push_str(action);
        }
        line
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The file a plan made at `now` is saved as, under the project's `.claurst/plans/`.
pub fn plan_file_name(now: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year][month][day]-[hour][minute][second]");
    format!("{}.md", now.format(format).unwrap_or_else(|_| "plan".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_what_precedes_the_sentinel() {
        let text = format!("# Plan\n\n1. Do it.\n\n{SENTINEL}\n");
        assert_eq!(extract_plan(&text), Extracted { plan: "# Plan\n\n1. Do it.".into(), complete: true });
        assert_eq!(extract_plan("half a plan"), Extracted { plan: "half a plan".into(), complete: false });
    }

    #[test]
    fn progress_lines_read_naturally() {
        let progress = Progress { turns: 1, tool_calls: 3, last_action: Some("grep(fn parse)".into()) };
        assert_eq!(
            progress.line(Duration::from_secs(12)),
            "ultraplan: 12s · 1 turn · 3 tool calls · grep(fn parse)"
        );
        assert_eq!(Progress::default().line(Duration::ZERO), "ultraplan: 0s · 0 turns · 0 tool calls");
    }

    #[test]
    fn instructions_end_with_the_sentinel() {
        assert!(planner_instructions().ends_with(SENTINEL));
        assert_eq!(plan_file_name(time::macros::datetime!(2026-11-24 21:05:09 UTC)), "20261124-210509.md");
    }
}
