//! Drawing the app: transcript on top, the activity line, the composer (or the approval modal), the status
//! line at the bottom, and the popup over the transcript's last rows.

use crate::app::{App, BottomView};
use crate::transcript::{RenderContext, spinner, truncate_to};
use crate::widgets::side;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::time::Instant;
use unicode_width::UnicodeWidthStr;

/// The composer grows with its text up to this many rows, then scrolls.
const MAX_COMPOSER_ROWS: u16 = 10;

pub fn draw(frame: &mut Frame<'_>, app: &mut App) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let theme = app.shown_theme();
    let now = Instant::now();
    let width = area.width as usize;
    if let Some(modal) = app.approvals.front().filter(|modal| modal.full_view) {
        modal.render_full(frame, area, theme);
        return;
    }

    let status_height = 1.min(area.height);
    let activity = activity_line(app, width, now);
    let activity_height = u16::from(activity.is_some()).min(area.height.saturating_sub(status_height));
    let room = area.height.saturating_sub(status_height + activity_height);

    let view = app.bottom_view();
    let modal_height = match view {
        BottomView::Approval => app.approvals.front().map(|modal| modal.height(area.width, theme)),
        BottomView::Interaction => app.interaction_height(area.width),
        BottomView::McpTrust => app.trust_dialogs.front().map(|dialog| dialog.height(area.width, theme)),
        BottomView::SessionPicker => app.picker.as_ref().map(|picker| picker.height()),
        BottomView::Rewind => app.rewind.as_ref().map(|dialog| dialog.height()),
        BottomView::McpPanel => {
            app.mcp_panel.as_ref().map(|panel| panel.height(&app.mcp_servers, area.width, theme))
        }
        BottomView::AgentReview => app.agent_review.as_ref().map(|review| review.height()),
        BottomView::AgentsPanel => {
            app.agents_panel.as_ref().map(|panel| panel.height(&app.agent_types, area.width, theme))
        }
        BottomView::Settings => app.settings_panel_height(area.width),
        BottomView::Composer => None,
    }
    .map(|height| height.min(room.saturating_sub(1).max(3)));
    let (composer_lines, caret) = app.composer.layout(width, theme, theme.user_marker());
    let queued = queued_lines(app, width);
    let bottom_height = match modal_height {
        Some(height) => height.min(room),
        None => (composer_lines.len() as u16 + 1)
            .min(MAX_COMPOSER_ROWS + 1)
            .saturating_add(queued.len() as u16)
            .min(room),
    };
    let transcript_height = room.saturating_sub(bottom_height);

    let transcript_area = Rect { x: area.x, y: area.y, width: area.width, height: transcript_height };
    let activity_area = Rect { y: transcript_area.bottom(), height: activity_height, ..transcript_area };
    let bottom_area = Rect { y: activity_area.bottom(), height: bottom_height, ..transcript_area };
    let status_area = Rect { y: bottom_area.bottom(), height: status_height, ..transcript_area };

    let (transcript_area, side_area) = split_side_pane(app, transcript_area);
    app.before_frame(now, side_area.is_some());
    if let Some(side_area) = side_area {
        side::render(frame, side_area, app, now);
    }
    app.viewport = (transcript_area.width, transcript_area.height);
    let context = RenderContext { theme, detailed: app.detailed, now };
    let lines = app.transcript.visible_lines(
        transcript_area.width as usize,
        transcript_area.height as usize,
        &context,
    );
    frame.render_widget(Paragraph::new(lines), transcript_area);
    let below =
        app.transcript.lines_below(transcript_area.width as usize, transcript_area.height as usize, &context);
    if let Some(marker) = more_below(below, transcript_area.width as usize, theme) {
        let row = Rect { y: transcript_area.bottom().saturating_sub(1), height: 1, ..transcript_area };
        frame.render_widget(ratatui::widgets::Clear, row);
        frame.render_widget(Paragraph::new(marker), row);
    }

    if let Some(line) = activity {
        frame.render_widget(Paragraph::new(line), activity_area);
    }

    match view {
        BottomView::Approval => {
            if let Some(position) =
                app.approvals.front().and_then(|modal| modal.render(frame, bottom_area, theme))
            {
                frame.set_cursor_position(position);
            }
        }
        BottomView::Interaction => {
            if let Some(position) = app.render_interaction(frame, bottom_area) {
                frame.set_cursor_position(position);
            }
        }
        BottomView::McpTrust => {
            if let Some(dialog) = app.trust_dialogs.front() {
                frame.render_widget(dialog.widget(theme), bottom_area);
            }
        }
        BottomView::SessionPicker => {
            if let Some(picker) = &app.picker {
                picker.render(frame, bottom_area, theme);
            }
        }
        BottomView::Rewind => {
            if let Some(dialog) = &app.rewind {
                dialog.render(frame, bottom_area, theme);
            }
        }
        BottomView::McpPanel => {
            if let Some(panel) = &app.mcp_panel {
                frame.render_widget(panel.widget(&app.mcp_servers, theme), bottom_area);
            }
        }
        BottomView::AgentReview => {
            if let Some(review) = &app.agent_review {
                frame.render_widget(review.widget(theme), bottom_area);
            }
        }
        BottomView::AgentsPanel => {
            if let Some(panel) = &app.agents_panel {
                frame.render_widget(panel.widget(&app.agent_types, theme), bottom_area);
            }
        }
        BottomView::Settings => app.render_settings_panel(frame, bottom_area),
        BottomView::Composer => {
            let queued_height = (queued.len() as u16).min(bottom_area.height.saturating_sub(2));
            let queued_area = Rect { height: queued_height, ..bottom_area };
            frame.render_widget(Paragraph::new(queued), queued_area);
            let composer_area =
                Rect { y: queued_area.bottom(), height: bottom_area.height - queued_height, ..bottom_area };
            draw_composer(frame, app, composer_area, composer_lines, caret)
        }
    }

    frame.render_widget(Paragraph::new(app.status.line(width, theme)), status_area);

    if app.shortcuts_open && view == BottomView::Composer {
        let height = crate::widgets::shortcuts::height(transcript_area.width).min(transcript_area.height);
        let sheet_area = Rect { y: bottom_area.y.saturating_sub(height), height, ..transcript_area };
        crate::widgets::shortcuts::render(frame, sheet_area, theme);
    }

    if let Some(popup) =
        app.popup.as_ref().filter(|_| view == BottomView::Composer || view == BottomView::Approval)
    {
        let height = popup.height().min(transcript_area.height);
        let popup_area = Rect { y: bottom_area.y.saturating_sub(height), height, ..transcript_area };
        popup.render(frame, popup_area, theme);
    }
}

/// Carve the side pane out of the transcript's right edge when the terminal is wide and the pane has content.
fn split_side_pane(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    if area.width < side::MIN_TERMINAL_WIDTH || area.height < 4 || !side::has_content(app) {
        return (area, None);
    }
    let transcript = Rect { width: area.width - side::PANE_WIDTH, ..area };
    let pane = Rect { x: transcript.right(), width: side::PANE_WIDTH, ..area };
    (transcript, Some(pane))
}

fn draw_composer(frame: &mut Frame<'_>, app: &App, area: Rect, lines: Vec<Line<'static>>, caret: (u16, u16)) {
    if area.height == 0 {
        return;
    }
    let theme = app.shown_theme();
    let rule = Line::styled("─".repeat(area.width as usize), theme.border());
    frame.render_widget(Paragraph::new(rule), Rect { height: 1, ..area });
    let text_area = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    if text_area.height == 0 {
        return;
    }
    // Keep the caret's row in view when the text is taller than the pane.
    let first = caret.1.saturating_sub(text_area.height.saturating_sub(1));
    let visible: Vec<Line<'static>> =
        lines.into_iter().skip(first as usize).take(text_area.height as usize).collect();
    if app.composer.is_empty() && app.approvals.is_empty() {
        let hint = if app.is_busy() {
            "Type to queue a message · esc to interrupt"
        } else if app.ask_instead {
            "What should Claurst do instead?"
        } else {
            "Ask Claurst to read, change or run code · / for commands"
        };
        let line = Line::from(vec![Span::styled("› ", theme.user_marker()), Span::styled(hint, theme.dim())]);
        frame.render_widget(Paragraph::new(line), text_area);
    } else {
        frame.render_widget(Paragraph::new(visible), text_area);
    }
    frame.set_cursor_position((
        text_area.x + caret.0.min(text_area.width.saturating_sub(1)),
        text_area.y + caret.1 - first,
    ));
}

/// The line above the composer: history search, run progress, or a short message.
fn activity_line(app: &App, width: usize, now: Instant) -> Option<Line<'static>> {
    let theme = app.theme;
    if let Some(search) = &app.history_search {
        let found = search
            .found
            .and_then(|index| app.history.entries().get(index))
            .map(|entry| entry.replace('\n', " ⏎ "));
        let text = format!("(reverse search) '{}': {}", search.query, found.unwrap_or_default());
        return Some(Line::styled(truncate_to(&text, width), theme.accent()));
    }
    if let Some(busy) = &app.busy {
        let elapsed = now.saturating_duration_since(busy.started).as_secs();
        let mut text = if busy.interrupting {
            format!("{} Interrupting…", spinner(now))
        } else {
            format!("{} Working… {elapsed}s · esc to interrupt", spinner(now))
        };
        if let Some(retry) = &busy.retry {
            text.push_str(&format!(" · {}", retry.text(now)));
        }
        if !app.queued.is_empty() {
            text.push_str(&format!(" · {} queued", app.queued.len()));
        }
        // A flash (Ctrl+C's hint, a toggle's confirmation) comes first, so the run's line never hides it.
        if let Some(flash) = app.current_flash(now) {
            let flash = truncate_to(flash, width);
            let rest = truncate_to(&format!(" · {text}"), width.saturating_sub(flash.width()));
            return Some(Line::from(vec![
                Span::styled(flash, theme.warning()),
                Span::styled(rest, theme.accent()),
            ]));
        }
        return Some(Line::styled(truncate_to(&text, width), theme.accent()));
    }
    if let Some(text) = app.current_flash(now) {
        return Some(Line::styled(truncate_to(text, width), theme.warning()));
    }
    if let Some(drafting) = &app.drafting {
        let elapsed = now.saturating_duration_since(drafting.started).as_secs();
        let text = format!("{} Drafting the agent… {elapsed}s", spinner(now));
        return Some(Line::styled(truncate_to(&text, width), theme.accent()));
    }
    // Narrow terminals have no side pane: a running dream shows here instead.
    match &app.dream {
        Some(dream) if dream.running && width < side::MIN_TERMINAL_WIDTH as usize => {
            let phase = dream.phase.as_deref().unwrap_or("starting");
            let text = format!("{} Dreaming: consolidating memory ({phase})", spinner(now));
            Some(Line::styled(truncate_to(&text, width), theme.dim()))
        }
        _ => None,
    }
}

/// Prompts typed while a run is busy, dimmed above the composer until they start (↑ takes the last back).
fn queued_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    /// More than this many queued prompts show as a count.
    const SHOWN: usize = 3;
    if app.bottom_view() != BottomView::Composer || app.queued.is_empty() {
        return Vec::new();
    }
    let theme = app.theme;
    let skipped = app.queued.len().saturating_sub(SHOWN);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if skipped > 0 {
        lines.push(Line::styled(truncate_to(&format!("  … {skipped} more queued"), width), theme.dim()));
    }
    for text in app.queued.iter().skip(skipped) {
        let one_line = text.replace('\n', " ⏎ ");
        lines.push(Line::styled(truncate_to(&format!("  queued: {one_line}"), width), theme.dim()));
    }
    let hint = "  ↑ to edit the last queued message";
    lines.push(Line::styled(truncate_to(hint, width), theme.dim()));
    lines
}

/// The marker over the transcript's last row while it is scrolled up with lines below.
fn more_below(below: Option<usize>, width: usize, theme: crate::theme::Theme) -> Option<Line<'static>> {
    let count = below.filter(|count| *count > 0)?;
    let plural = if count == 1 { "" } else { "s" };
    let text = format!("↓ {count} more line{plural} below · End to follow");
    Some(Line::styled(truncate_to(&text, width), theme.dim()))
}
