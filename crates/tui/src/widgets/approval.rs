//! The approval modal: what the tool wants to do, and the keys that answer.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{ApprovalDetail, ApprovalRequest, Decision};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::cell::Cell;
use unicode_width::UnicodeWidthStr;

/// Rows of preview (command, diff, input) shown in the modal at most; longer previews scroll inside it.
const MAX_PREVIEW_ROWS: usize = 14;
/// What the note prompt says (after Tab).
const NOTE_PROMPT: &str = "Instead, Claurst should (enter sends, esc goes back): ";

pub struct ApprovalModal {
    pub request: ApprovalRequest,
    /// Highlighted choice (0 allow once, 1 allow always, 2 deny) for arrow keys + Enter.
    pub selected: usize,
    /// `Some` while the user types a note to the model (after Tab).
    pub note: Option<String>,
    /// The sub-agent that asks (`explore · Find config loader`); `None` for the main agent.
    pub asker: Option<String>,
    /// The first preview line shown.
    pub scroll: usize,
    /// Ctrl+O: the preview fills the screen.
    pub full_view: bool,
    /// Preview rows shown at the last frame: a page for PgUp/PgDn, and the bound of `scroll`.
    page: Cell<usize>,
    /// Preview lines in all at the last frame.
    total: Cell<usize>,
    preview: super::RenderedLines,
}

/// What a key did to the modal.
pub enum ModalOutcome {
    /// The user decided; the modal closes.
    Decided(Decision),
    Pending,
}

/// How the modal's rows are shared out in a given height.
struct Layout {
    header: Vec<Line<'static>>,
    preview: Vec<Line<'static>>,
    /// Where the preview is and how to move it, when it does not fit.
    indicator: Option<Line<'static>>,
    footer: Vec<Line<'static>>,
}

impl ApprovalModal {
    pub fn new(request: ApprovalRequest) -> Self {
        Self {
            request,
            selected: 0,
            note: None,
            asker: None,
            scroll: 0,
            full_view: false,
            page: Cell::new(MAX_PREVIEW_ROWS),
            total: Cell::new(0),
            preview: Default::default(),
        }
    }

    /// A request of a sub-agent, labelled with it so the user knows who asks.
    pub fn asked_by(request: ApprovalRequest, asker: String) -> Self {
        Self { asker: Some(asker), ..Self::new(request) }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> ModalOutcome {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.full_view {
            self.full_view_key(key);
            return ModalOutcome::Pending;
        }
        if let Some(note) = &mut self.note {
            match key.code {
                KeyCode::Enter => {
                    return ModalOutcome::Decided(Decision::DenyWithFeedback(note.trim().to_string()));
                }
                KeyCode::Esc => self.note = None,
                KeyCode::Backspace => {
                    note.pop();
                }
                KeyCode::Char(c) if !control => note.push(c),
                _ => {}
            }
            return ModalOutcome::Pending;
        }
        let decision = match key.code {
            KeyCode::Char('o') if control => {
                self.full_view = true;
                return ModalOutcome::Pending;
            }
            KeyCode::Char('1' | 'y' | 'Y') => Decision::AllowOnce,
            KeyCode::Char('2' | 'a' | 'A') => Decision::AllowAlways,
            // "No" refuses the call and ends the turn; Tab refuses with a note and the turn goes on.
            KeyCode::Char('3' | 'n' | 'N') | KeyCode::Esc => Decision::DenyAndStop,
            KeyCode::Tab => {
                self.note = Some(String::new());
                return ModalOutcome::Pending;
            }
            KeyCode::Up => {
                self.selected = (self.selected + 2) % 3;
                return ModalOutcome::Pending;
            }
            KeyCode::Down => {
                self.selected = (self.selected + 1) % 3;
                return ModalOutcome::Pending;
            }
            KeyCode::PageDown => {
                self.scroll_by(self.page.get() as isize);
                return ModalOutcome::Pending;
            }
            KeyCode::PageUp => {
                self.scroll_by(-(self.page.get() as isize));
                return ModalOutcome::Pending;
            }
            KeyCode::Enter => {
                [Decision::AllowOnce, Decision::AllowAlways, Decision::DenyAndStop][self.selected].clone()
            }
            _ => return ModalOutcome::Pending,
        };
        ModalOutcome::Decided(decision)
    }

    /// Keys of the whole-preview view: scrolling, and back. Nothing there answers the request.
    fn full_view_key(&mut self, key: KeyEvent) {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        let page = self.page.get() as isize;
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.full_view = false,
            KeyCode::Char('o') if control => self.full_view = false,
            KeyCode::Up | KeyCode::Char('k') => self.scroll_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll_by(1),
            KeyCode::PageUp => self.scroll_by(-page),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(page),
            KeyCode::Home => self.scroll = 0,
            KeyCode::End => self.scroll = usize::MAX,
            _ => {}
        }
        self.scroll = self.scroll.min(self.total.get().saturating_sub(self.page.get()));
    }

    fn scroll_by(&mut self, rows: isize) {
        let last = self.total.get().saturating_sub(self.page.get());
        self.scroll = self.scroll.saturating_add_signed(rows).min(last);
    }

    /// The preview: what the call does, one `Line` per line. The one place its content is built.
    pub fn preview_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        self.preview.get(width, theme, || detail_lines(&self.request.detail, width, theme))
    }

    fn header_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if let Some(asker) = &self.asker {
            lines.push(Line::styled(truncate_to(&format!("{asker} asks:"), width), theme.accent()));
        }
        lines.push(Line::from(Span::styled(truncate_to(&self.request.title, width), theme.bold())));
        lines.push(Line::default());
        lines
    }

    /// The choices and what Tab does: always on screen.
    fn footer_lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = vec![Line::default()];
        let rule = truncate_to(&self.request.suggested_rule, width.saturating_sub(34));
        // Leaving the sandbox is granted for one call only: there is no rule to remember.
        let always = match &self.request.detail {
            ApprovalDetail::OutsideSandbox { .. } => "2. Yes, this once (a)".to_string(),
            _ => format!("2. Yes, and don't ask again for {rule} (a)"),
        };
        let choices = ["1. Yes (y)".to_string(), always, "3. No, stop here (n, esc)".to_string()];
        for (index, choice) in choices.into_iter().enumerate() {
            let style = if index == self.selected { theme.selected() } else { theme.plain() };
            let marker = if index == self.selected { "❯ " } else { "  " };
            lines.push(Line::from(Span::styled(truncate_to(&format!("{marker}{choice}"), width), style)));
        }
        match &self.note {
            Some(note) => lines.push(Line::from(vec![
                Span::styled(NOTE_PROMPT, theme.warning()),
                Span::styled(note.clone(), theme.plain()),
            ])),
            None => lines.push(Line::styled(
                truncate_to("  tab: no, but tell Claurst what to do instead · ctrl+o: whole preview", width),
                theme.dim(),
            )),
        }
        lines
    }

    /// The rows of a modal `rows` high inside its border: the footer first, then the title, then as much
    /// preview as fits, scrolled to `scroll`.
    fn layout(&self, width: usize, rows: usize, theme: Theme) -> Layout {
        let footer = self.footer_lines(width, theme);
        let mut header = self.header_lines(width, theme);
        let preview = self.preview_lines(width, theme);
        let mut room = rows.saturating_sub(footer.len());
        while header.len() > room {
            // The blank line goes first, then the title, then the asker.
            header.pop();
        }
        room -= header.len();
        let total = preview.len();
        let fits = total <= room.min(MAX_PREVIEW_ROWS);
        let shown = if fits { total } else { room.saturating_sub(1).min(MAX_PREVIEW_ROWS) };
        let first = self.scroll.min(total.saturating_sub(shown));
        self.page.set(shown.max(1));
        self.total.set(total);
        let indicator = (!fits && room > 0).then(|| {
            let last = first + shown;
            let text = if shown == 0 {
                format!("  {total} lines of preview · ctrl+o to see them")
            } else {
                format!("  lines {}–{last} of {total} · pgup/pgdn to scroll · ctrl+o to see all", first + 1)
            };
            Line::styled(truncate_to(&text, width), theme.dim())
        });
        let preview = preview.into_iter().skip(first).take(shown).collect();
        Layout { header, preview, indicator, footer }
    }

    /// Rows the modal needs at `width` (border included), preview capped to `MAX_PREVIEW_ROWS`.
    pub fn height(&self, width: u16, theme: Theme) -> u16 {
        let width = width.saturating_sub(2) as usize;
        let preview = self.preview_lines(width, theme).len();
        let preview_rows = if preview > MAX_PREVIEW_ROWS { MAX_PREVIEW_ROWS + 1 } else { preview };
        let rows =
            self.header_lines(width, theme).len() + preview_rows + self.footer_lines(width, theme).len();
        rows as u16 + 2
    }

    /// Draw the modal; returns where the caret goes while a note is typed.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) -> Option<(u16, u16)> {
        let inner_width = area.width.saturating_sub(2) as usize;
        let layout = self.layout(inner_width, area.height.saturating_sub(2) as usize, theme);
        let Layout { header, preview, indicator, footer } = layout;
        let lines: Vec<Line<'static>> =
            header.into_iter().chain(preview).chain(indicator).chain(footer).collect();
        let caret = self.note.as_ref().map(|note| {
            // Columns, not chars: a wide character takes two; clamped before the cast, for a long note.
            let prefix = UnicodeWidthStr::width(NOTE_PROMPT) + UnicodeWidthStr::width(note.as_str());
            let column = prefix.min(usize::from(area.width.saturating_sub(3))) as u16;
            let row = (lines.len() as u16).min(area.height.saturating_sub(2));
            (area.x + 1 + column, area.y + row)
        });
        let title = format!(" Allow {}? ", self.request.call.display_title());
        let block = theme.modal_block(title);
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
        caret
    }

    /// Ctrl+O: the whole preview over the full screen, scrolled to `scroll`.
    pub fn render_full(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
        let width = area.width.saturating_sub(2) as usize;
        let rows = area.height.saturating_sub(2) as usize;
        let preview = self.preview_lines(width, theme);
        self.page.set(rows.max(1));
        self.total.set(preview.len());
        let first = self.scroll.min(preview.len().saturating_sub(rows));
        let last = (first + rows).min(preview.len());
        let title = format!(" {} ", truncate_to(&self.request.title, width.saturating_sub(40)));
        let position =
            format!(" {}–{last} of {} · ↑↓ pgup/pgdn · esc or ctrl+o: back ", first + 1, preview.len());
        let block = theme.modal_block(title).title_bottom(Span::styled(position, theme.dim()));
        let lines: Vec<Line<'static>> = preview.into_iter().skip(first).take(rows).collect();
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

fn detail_lines(detail: &ApprovalDetail, width: usize, theme: Theme) -> Vec<Line<'static>> {
    if let ApprovalDetail::Diff { path, diff } = detail {
        // Whole: the modal scrolls the preview and Ctrl+O shows all of it.
        return crate::diff::preview(path, diff, width, theme);
    }
    let (text, diff) = match detail {
        ApprovalDetail::Command { command } => (command.clone(), false),
        ApprovalDetail::Diff { path, diff } => (format!("{path}\n{diff}"), true),
        ApprovalDetail::Fetch { url } => (format!("GET {url}"), false),
        ApprovalDetail::Input { input } => (serde_json::to_string_pretty(input).unwrap_or_default(), false),
        ApprovalDetail::OutsideSandbox { command, path } => (
            format!(
                "{command}\n\nThe sandbox stopped this approved command from changing\n{path}\nRun it once more \
                 outside the sandbox, with your own permissions?"
            ),
            false,
        ),
    };
    text.lines()
        .map(|line| {
            let style = if !diff {
                theme.inline_code()
            } else if line.starts_with('+') && !line.starts_with("+++") {
                theme.diff_added()
            } else if line.starts_with('-') && !line.starts_with("---") {
                theme.diff_removed()
            } else if line.starts_with("@@") {
                theme.diff_hunk()
            } else {
                theme.plain()
            };
            Line::from(Span::styled(truncate_to(&format!("  {line}"), width), style))
        })
        .collect()
}
