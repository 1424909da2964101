//! The trust dialog: something the project defines asks to run (an MCP server, or the project's hooks),
//! and the user says whether it may.

use crate::theme::Theme;
use claurst_protocol::{HookView, McpServerView};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// What asks to run, as last reported, and the highlighted choice.
pub struct TrustDialog {
    pub subject: TrustSubject,
    selected: usize,
}

/// What the project asks the user to trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustSubject {
    /// An MCP server the project defines, to start.
    McpServer(McpServerView),
    /// The hooks the project defines (all of them: they are approved together), to run at their events.
    ProjectHooks(Vec<HookView>),
}

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustAnswer {
    /// Start it, now and in later sessions of this project (remembered by the agent).
    Allow,
    /// Never start it for this project (remembered by the agent).
    Deny,
    /// Not now: nothing is remembered, the next session asks again.
    Later,
}

/// What a key did to the dialog.
pub enum TrustOutcome {
    Pending,
    Answered(TrustAnswer),
}

const CHOICES: [(TrustAnswer, &str); 3] = [
    (TrustAnswer::Allow, "1. Allow for this project (y)"),
    (TrustAnswer::Deny, "2. Don't allow (n, esc)"),
    (TrustAnswer::Later, "3. Decide later: ask again next session (d)"),
];

impl TrustDialog {
    pub fn new(server: McpServerView) -> Self {
        Self { subject: TrustSubject::McpServer(server), selected: 0 }
    }

    /// The question about the project's hooks.
    pub fn project_hooks(hooks: Vec<HookView>) -> Self {
        Self { subject: TrustSubject::ProjectHooks(hooks), selected: 0 }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> TrustOutcome {
        let answer = match key.code {
            KeyCode::Char('1' | 'y' | 'Y') => TrustAnswer::Allow,
            KeyCode::Char('2' | 'n' | 'N') | KeyCode::Esc => TrustAnswer::Deny,
            KeyCode::Char('3' | 'd' | 'D') => TrustAnswer::Later,
            KeyCode::Up => {
                self.selected = (self.selected + CHOICES.len() - 1) % CHOICES.len();
                return TrustOutcome::Pending;
            }
            KeyCode::Down | KeyCode::Tab => {
                self.selected = (self.selected + 1) % CHOICES.len();
                return TrustOutcome::Pending;
            }
            KeyCode::Enter => CHOICES[self.selected].0,
            _ => return TrustOutcome::Pending,
        };
        TrustOutcome::Answered(answer)
    }

    /// What asks to start, for a pane `width` wide (inside its border). The target is wrapped, not cut:
    /// the user must see the whole command line they are approving.
    fn description_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let server = match &self.subject {
            TrustSubject::McpServer(server) => server,
            TrustSubject::ProjectHooks(hooks) => return hook_lines(hooks, width, theme),
        };
        let remote = connects_remotely(server);
        // The title names the server and says who asks; then where it is defined and the command.
        let label = if remote { "It connects to:" } else { "It runs:" };
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Defined by: ", theme.bold()),
                Span::styled(server.scope.clone(), theme.plain()),
            ]),
            Line::styled(label, theme.bold()),
        ];
        for chunk in wrap_chars(&server.target, width.saturating_sub(4).max(1)) {
            lines.push(Line::styled(format!("    {chunk}"), theme.inline_code()));
        }
        lines
    }

    /// The warning and the choices.
    fn answer_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let remote = match &self.subject {
            TrustSubject::McpServer(server) => connects_remotely(server),
            TrustSubject::ProjectHooks(_) => false,
        };
        let mut lines = vec![Line::default()];
        let warning = if matches!(self.subject, TrustSubject::ProjectHooks(_)) {
            "These commands, named by the repository, would run with your permissions at every matching event \
             (inside the project's sandbox, when one is on). Allow them only if you trust this project."
        } else if remote {
            "Claurst would connect to this address, named by the repository, and send it your tool calls."
        } else {
            "This runs a program named by the repository, with your permissions. Allow it only if you trust \
             this project."
        };
        for chunk in wrap_words(warning, width.max(1)) {
            lines.push(Line::styled(chunk, theme.warning()));
        }
        lines.push(Line::default());
        for (index, (_, choice)) in CHOICES.iter().enumerate() {
            let style = if index == self.selected { theme.selected() } else { theme.plain() };
            let marker = if index == self.selected { "❯ " } else { "  " };
            lines.push(Line::styled(format!("{marker}{choice}"), style));
        }
        lines
    }

    /// Rows the dialog needs at `width` (border included).
    pub fn height(&self, width: u16, theme: Theme) -> u16 {
        let width = width.saturating_sub(2) as usize;
        (self.description_lines(width, theme).len() + self.answer_lines(width, theme).len()) as u16 + 2
    }

    pub fn widget(&self, theme: Theme) -> TrustWidget<'_> {
        TrustWidget { dialog: self, theme }
    }
}

/// The dialog drawn with a theme.
pub struct TrustWidget<'a> {
    dialog: &'a TrustDialog,
    theme: Theme,
}

impl Widget for TrustWidget<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        use crate::transcript::truncate_to;
        let theme = self.theme;
        let width = area.width.saturating_sub(2) as usize;
        let mut description = self.dialog.description_lines(width, theme);
        let answers = self.dialog.answer_lines(width, theme);
        let title = match &self.dialog.subject {
            TrustSubject::McpServer(server) => {
                format!(" The project asks to start MCP server {} ", server.name)
            }
            TrustSubject::ProjectHooks(hooks) => format!(" The project asks to run {} hook(s) ", hooks.len()),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.modal_border())
            .title(Span::styled(title, self.theme.modal_border()));
        Clear.render(area, buffer);
        let inner = block.inner(area);
        block.render(area, buffer);
        // The choices always show; on a short terminal the description gives way, and says so.
        let [top, bottom] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(answers.len() as u16)]).areas(inner);
        let room = top.height as usize;
        if description.len() > room && room > 0 {
            let hidden = description.len() - (room - 1);
            description.truncate(room - 1);
            description.push(Line::styled(
                truncate_to(&format!("    … {hidden} more lines (enlarge the terminal to read them)"), width),
                theme.warning(),
            ));
        }
        Paragraph::new(description).render(top, buffer);
        Paragraph::new(answers).render(bottom, buffer);
    }
}

/// Each hook: its event and matcher, where it is defined, and its whole command (wrapped, never cut).
/// Whether the server is reached over the network rather than run here (its target is then its URL).
fn connects_remotely(server: &McpServerView) -> bool {
    server.target.starts_with("http://") || server.target.starts_with("https://")
}

fn hook_lines(hooks: &[HookView], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for hook in hooks {
        let matcher = if hook.matcher.is_empty() { "*" } else { hook.matcher.as_str() };
        lines.push(Line::from(vec![
            Span::styled(format!("{} [{matcher}] ", hook.event), theme.bold()),
            Span::styled(hook.source.clone(), theme.plain()),
        ]));
        for chunk in wrap_chars(&hook.command, width.saturating_sub(4).max(1)) {
            lines.push(Line::styled(format!("    {chunk}"), theme.inline_code()));
        }
    }
    lines
}

/// `text` cut into pieces of `width` characters (a command line has no words worth keeping whole).
fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let characters: Vec<char> = text.chars().collect();
    characters.chunks(width).map(|chunk| chunk.iter().collect()).collect()
}

/// `text` wrapped at spaces to `width` characters.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character() {
        assert_eq!(wrap_chars("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(wrap_words("one two three", 7), ["one two", "three"]);
    }
}
