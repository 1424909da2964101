//! KAIROS's cells in the transcript (feature `proactive`): a tick's prompt, which the user did not type and
//! must not read as theirs; a file the agent sent; and the day's log asked for with `/kairos log`.

use super::RenderContext;
use crate::markdown::wrap::{self, Pieces};
use crate::theme::Theme;
use claurst_protocol::SentFile;
use ratatui::style::Style;
use ratatui::text::Line;

/// The mark KAIROS's cells (and its pane and status) carry.
pub const KAIROS_MARK: &str = "◆";
/// A log longer than this shows its last lines only; the file holds the rest.
pub const LOG_LINES_SHOWN: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum KairosCell {
    /// The prompt of a tick that acts (`KairosEvent::TickStarted`, then `RunStarted`), with what changed.
    Tick { number: u64, prompt: String, changes: Vec<String> },
    /// `send_user_file`: the agent pushed a file to the user.
    FileSent(SentFile),
    /// `/kairos log [day]`: the day's log.
    Log { day: String, text: String },
}

impl KairosCell {
    pub(super) fn lines(&self, width: usize, context: &RenderContext) -> Vec<Line<'static>> {
        let theme = context.theme;
        match self {
            KairosCell::Tick { number, prompt, changes } => {
                tick_lines(*number, prompt, changes, width, theme)
            }
            KairosCell::FileSent(file) => file_lines(file, width, theme),
            KairosCell::Log { day, text } => log_lines(day, text, width, theme),
        }
    }
}

fn tick_lines(
    number: u64,
    prompt: &str,
    changes: &[String],
    width: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let head = vec![(format!("{KAIROS_MARK} "), theme.accent())];
    let indent = vec![("  ".to_string(), Style::new())];
    let title = match tick_summary(prompt) {
        "" => format!("KAIROS tick {number}"),
        summary => format!("KAIROS tick {number} · {summary}"),
    };
    let mut lines = wrap::wrap_pieces(&[(title, theme.accent())], width, &head, &indent);
    let change_head = vec![("  ⎿ ".to_string(), theme.dim())];
    let change_rest = vec![("    ".to_string(), Style::new())];
    for change in changes {
        lines.extend(wrap::wrap_pieces(&[(change.clone(), theme.dim())], width, &change_head, &change_rest));
    }
    lines
}

/// The tick's prompt without the `KAIROS tick [N] ·` it may start with: the cell's heading says that already.
fn tick_summary(prompt: &str) -> &str {
    let prompt = prompt.trim();
    let Some(rest) = prompt.strip_prefix("KAIROS tick") else { return prompt };
    let number = rest.trim_start().trim_start_matches('#');
    let after_number = number.trim_start_matches(|c: char| c.is_ascii_digit());
    after_number.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '·' | ':' | '-'))
}

fn file_lines(file: &SentFile, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let head = vec![(format!("{KAIROS_MARK} "), theme.accent())];
    let indent: Pieces = vec![("  ".to_string(), Style::new())];
    let title =
        vec![("KAIROS sent you a file: ".to_string(), theme.accent()), (file.path.clone(), theme.bold())];
    let mut lines = wrap::wrap_pieces(&title, width, &head, &indent);
    for text in file.message.lines().filter(|line| !line.trim().is_empty()) {
        lines.extend(wrap::wrap_pieces(&[(text.to_string(), theme.plain())], width, &indent, &indent));
    }
    // The preview is the file's own text: cut by columns, never re-flowed.
    let bar: Pieces = vec![("  │ ".to_string(), theme.border())];
    for text in file.preview.lines() {
        lines.extend(wrap::wrap_hard(text, theme.dim(), width, &bar));
    }
    let copy = format!("copy kept at {}", file.copy_path);
    lines.extend(wrap::wrap_pieces(&[(copy, theme.dim())], width, &indent, &indent));
    lines
}

fn log_lines(day: &str, text: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let head = vec![(format!("{KAIROS_MARK} "), theme.accent())];
    let indent: Pieces = vec![("  ".to_string(), Style::new())];
    let mut lines =
        wrap::wrap_pieces(&[(format!("KAIROS log · {day}"), theme.accent())], width, &head, &indent);
    let entries: Vec<&str> = text.lines().collect();
    if entries.is_empty() {
        let empty = "Nothing was logged that day.".to_string();
        lines.extend(wrap::wrap_pieces(&[(empty, theme.dim())], width, &indent, &indent));
        return lines;
    }
    let skipped = entries.len().saturating_sub(LOG_LINES_SHOWN);
    if skipped > 0 {
        let note = format!("… {skipped} earlier lines (the log file has them all)");
        lines.extend(wrap::wrap_pieces(&[(note, theme.dim())], width, &indent, &indent));
    }
    let rest: Pieces = vec![("    ".to_string(), Style::new())];
    for entry in &entries[skipped..] {
        lines.extend(wrap::wrap_pieces(&[(entry.to_string(), theme.plain())], width, &indent, &rest));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::tick_summary;

    #[test]
    fn a_tick_prompt_loses_the_heading_it_repeats() {
        assert_eq!(tick_summary("KAIROS tick · 2 files changed"), "2 files changed");
        assert_eq!(tick_summary("KAIROS tick 4: 2 files changed"), "2 files changed");
        assert_eq!(tick_summary("KAIROS tick"), "");
        assert_eq!(tick_summary("  1 test run finished "), "1 test run finished");
    }
}
