//! Terminal input: keys, pastes, the mouse wheel.

use super::{App, BottomView, Effect, HistorySearch};
use crate::commands;
use crate::transcript::RenderContext;
use crate::widgets::approval::ModalOutcome;
use crate::widgets::picker::PickerOutcome;
use crate::widgets::popup::{Popup, PopupItem, PopupKind};
use claurst_protocol::Op;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use std::time::Instant;

/// Choices the `@` menu offers at most.
const MENTION_CHOICES: usize = 20;
/// Lines scrolled per mouse-wheel step.
const WHEEL_LINES: usize = 3;

impl App {
    /// Handle one terminal event. Returns what the event loop must do, and whether anything changed on
    /// screen (mouse motion and the like change nothing and must not cost a frame).
    pub fn handle_terminal_event(&mut self, event: Event) -> (Vec<Effect>, bool) {
        #[cfg(feature = "buddy")]
        self.companion_saw_input(&event);
        // Typing tells KAIROS the user is here (before the key's own effects, so a tick never starts in
        // between).
        #[cfg(feature = "proactive")]
        if let Some(activity) = self.kairos_saw_input(&event) {
            let (mut effects, _) = self.terminal_event(event);
            effects.insert(0, activity);
            return (effects, true);
        }
        self.terminal_event(event)
    }

    fn terminal_event(&mut self, event: Event) -> (Vec<Effect>, bool) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => (self.handle_key(key), true),
            Event::Paste(text) => {
                match self.bottom_view() {
                    BottomView::Approval => {
                        if let Some(note) = self.approvals.front_mut().and_then(|modal| modal.note.as_mut()) {
                            note.push_str(&text.replace(['\n', '\r'], " "));
                        }
                    }
                    BottomView::Composer if self.attach_pasted_image(&text) => {}
                    BottomView::Interaction => self.interaction_paste(&text),
                    BottomView::Composer | BottomView::SessionPicker => {
                        self.composer.paste(&text);
                        self.refresh_popup();
                    }
                    // A paste must not answer a trust question, act on a server or save a draft.
                    BottomView::McpTrust
                    | BottomView::McpPanel
                    | BottomView::Rewind
                    | BottomView::AgentReview
                    | BottomView::AgentsPanel
                    | BottomView::Settings => {}
                }
                (Vec::new(), true)
            }
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::ScrollUp => {
                    self.scroll_up(WHEEL_LINES);
                    (Vec::new(), true)
                }
                MouseEventKind::ScrollDown => {
                    self.scroll_down(WHEEL_LINES);
                    (Vec::new(), true)
                }
                _ => (Vec::new(), false),
            },
            Event::Resize(..) => (Vec::new(), true),
            Event::FocusGained | Event::FocusLost => {
                self.focus_changed(matches!(event, Event::FocusGained));
                (Vec::new(), false)
            }
            _ => (Vec::new(), false),
        }
    }

    fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        // Keys that work everywhere, modal or not.
        match key.code {
            KeyCode::Char('c') if control => return self.ctrl_c(),
            KeyCode::Char('d') if control => return vec![self.quit_effect()],
            _ => {}
        }
        match self.bottom_view() {
            BottomView::Approval => return self.approval_key(key),
            BottomView::Interaction => return self.interaction_key(key),
            BottomView::McpTrust => return self.trust_key(key),
            BottomView::SessionPicker => return self.picker_key(key),
            BottomView::Rewind => return self.rewind_key(key),
            BottomView::McpPanel => return self.mcp_panel_key(key),
            BottomView::AgentReview => return self.agent_review_key(key),
            BottomView::AgentsPanel => return self.agents_panel_key(key),
            BottomView::Settings => return self.settings_panel_key(key),
            BottomView::Composer => {}
        }
        if self.shortcuts_open {
            // Any key closes the sheet; Esc does nothing else, every other key goes on to be typed.
            self.shortcuts_open = false;
            if key.code == KeyCode::Esc {
                return Vec::new();
            }
        } else if key.code == KeyCode::Char('?')
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && self.composer.is_empty()
            && self.history_search.is_none()
        {
            self.shortcuts_open = true;
            return Vec::new();
        }
        if self.history_search.is_some() {
            self.history_search_key(key);
            return Vec::new();
        }
        if self.popup.is_some()
            && let Some(effects) = self.popup_key(key)
        {
            return effects;
        }
        self.main_key(key)
    }

    fn picker_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(picker) = &mut self.picker else {
            return Vec::new();
        };
        match picker.handle_key(key) {
            PickerOutcome::Pending => Vec::new(),
            PickerOutcome::Cancelled => {
                self.picker = None;
                Vec::new()
            }
            PickerOutcome::Chosen(session_id) => {
                self.picker = None;
                vec![Effect::Send(Op::ResumeSession { session_id })]
            }
        }
    }

    fn quit_effect(&mut self) -> Effect {
        self.quit = true;
        Effect::Quit
    }

    pub(super) fn toggle_thinking(&mut self) -> Vec<Effect> {
        let budget = match self.status.thinking {
            Some(_) => None,
            None => Some(self.thinking_budget),
        };
        self.status.thinking = budget;
        self.flash(match budget {
            Some(tokens) => format!("Thinking on ({tokens} tokens) for the next turns"),
            None => "Thinking off".to_string(),
        });
        vec![Effect::Send(Op::SetThinking(budget))]
    }

    fn approval_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(modal) = self.approvals.front_mut() else {
            return Vec::new();
        };
        if let ModalOutcome::Decided(decision) = modal.handle_key(key)
            && let Some(modal) = self.approvals.pop_front()
        {
            self.answered(&modal.request.call.id, &decision);
            modal.request.responder.respond(decision);
        }
        Vec::new()
    }

    fn main_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.vim_key(key) {
            return Vec::new();
        }
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        match key.code {
            KeyCode::Esc => return self.escape(),
            KeyCode::BackTab => {
                let mode = self.status.mode.cycle_next();
                self.status.mode = mode;
                return vec![Effect::Send(Op::SetPermissionMode(mode))];
            }
            // On an empty composer, Tab switches extended thinking for the next turns (as Claude Code does).
            KeyCode::Tab if self.composer.is_empty() => return self.toggle_thinking(),
            KeyCode::Tab => {}
            KeyCode::Char('o') if control => self.detailed = !self.detailed,
            KeyCode::Char('r') if control => self.history_search = Some(HistorySearch::default()),
            KeyCode::Char('j') if control => self.composer.newline(),
            KeyCode::Char('v') if control => return vec![Effect::ReadClipboardImage],
            KeyCode::Enter if shift || alt => self.composer.newline(),
            KeyCode::Enter => {
                if !self.composer.continue_line_after_backslash() {
                    return self.submit();
                }
            }
            KeyCode::PageUp => self.scroll_up(self.page()),
            KeyCode::PageDown => self.scroll_down(self.page()),
            KeyCode::Home if control || self.composer.is_empty() => self.transcript.scroll_to_top(),
            KeyCode::End if control || self.composer.is_empty() => self.transcript.scroll_to_bottom(),
            KeyCode::Home => self.composer.home(),
            KeyCode::End => self.composer.end(),
            KeyCode::Char('a') if control => self.composer.home(),
            KeyCode::Char('e') if control => self.composer.end(),
            KeyCode::Char('u') if control => self.composer.kill_to_line_start(),
            KeyCode::Char('k') if control => self.composer.kill_to_line_end(),
            KeyCode::Char('w') if control => self.composer.delete_word_back(),
            KeyCode::Backspace if alt || control => self.composer.delete_word_back(),
            KeyCode::Left if alt || control => self.composer.word_left(),
            KeyCode::Right if alt || control => self.composer.word_right(),
            KeyCode::Char('b') if alt => self.composer.word_left(),
            KeyCode::Char('f') if alt => self.composer.word_right(),
            KeyCode::Backspace => self.composer.backspace(),
            KeyCode::Delete => self.composer.delete(),
            KeyCode::Left => self.composer.left(),
            KeyCode::Right => self.composer.right(),
            KeyCode::Up => {
                if let Some(effects) = self.recall_queued() {
                    return effects;
                }
                self.up()
            }
            KeyCode::Down => self.down(),
            KeyCode::Char(character) if !control && !alt => {
                self.history.reset_walk();
                self.composer.insert_char(character);
            }
            _ => return Vec::new(),
        }
        self.refresh_popup();
        Vec::new()
    }

    fn escape(&mut self) -> Vec<Effect> {
        if self.busy.is_some() || self.compacting {
            return self.interrupt();
        }
        self.escape_when_idle()
    }

    fn up(&mut self) {
        if self.composer.is_on_first_line() {
            let current = self.composer.text().to_string();
            let leaving_draft = !self.history.is_walking();
            if let Some(entry) = self.history.previous(&current).map(str::to_string) {
                if leaving_draft {
                    self.composer.set_draft_images_aside();
                }
                self.composer.set_text(&entry);
            }
        } else {
            self.composer.up();
        }
    }

    fn down(&mut self) {
        if self.composer.is_on_last_line() {
            if let Some(entry) = self.history.next().map(str::to_string) {
                self.composer.set_text(&entry);
                if !self.history.is_walking() {
                    self.composer.restore_draft_images();
                }
            }
        } else {
            self.composer.down();
        }
    }

    fn submit(&mut self) -> Vec<Effect> {
        let images = self.composer.take_images();
        let text = self.composer.take_submission();
        self.popup = None;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Vec::new();
        }
        self.history.record(&text);
        self.transcript.scroll_to_bottom();
        if trimmed.starts_with('/') {
            return self.run_command(trimmed);
        }
        if let Some(command) = trimmed.strip_prefix('!') {
            return vec![Effect::Send(Op::RunShell { command: command.trim().to_string() })];
        }
        self.ask_instead = false;
        if self.busy.is_some() {
            self.queued.push(text.clone());
            if !images.is_empty() {
                self.queued_with_images.push(text.clone());
            }
        }
        if !images.is_empty() {
            return vec![Effect::Send(Op::PromptWithImages { text, images })];
        }
        vec![Effect::Send(Op::Prompt { text })]
    }

    fn history_search_key(&mut self, key: KeyEvent) {
        let Some(search) = &mut self.history_search else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.history_search = None,
            KeyCode::Enter | KeyCode::Tab => {
                if let Some(found) = search.found.and_then(|index| self.history.entries().get(index)).cloned()
                {
                    self.composer.set_text(&found);
                }
                self.history_search = None;
            }
            KeyCode::Char('r') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                search.found =
                    self.history.search(&search.query, search.found).map(|(index, _)| index).or(search.found);
            }
            KeyCode::Backspace => {
                search.query.pop();
                search.found = self.history.search(&search.query, None).map(|(index, _)| index);
            }
            KeyCode::Char(character) => {
                search.query.push(character);
                search.found = self.history.search(&search.query, None).map(|(index, _)| index);
            }
            _ => {}
        }
    }

    /// Keys the popup takes; `None` lets the key through to the composer.
    fn popup_key(&mut self, key: KeyEvent) -> Option<Vec<Effect>> {
        let popup = self.popup.as_mut()?;
        match key.code {
            KeyCode::Up => popup.select_previous(),
            KeyCode::Down => popup.select_next(),
            KeyCode::Esc => self.popup = None,
            KeyCode::Tab => self.accept_completion(),
            KeyCode::Enter if key.modifiers.is_empty() => {
                let is_command = matches!(
                    popup.kind,
                    PopupKind::Commands | PopupKind::Models | PopupKind::OutputStyles | PopupKind::Themes
                );
                self.accept_completion();
                return Some(if is_command { self.submit() } else { Vec::new() });
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    fn accept_completion(&mut self) {
        let Some(popup) = self.popup.take() else { return };
        let Some(item) = popup.selected_item() else { return };
        match popup.kind {
            PopupKind::Commands => {
                self.composer.set_text(&format!("/{} ", item.label.trim_start_matches('/')))
            }
            PopupKind::Files { token_start } => {
                self.composer.replace_before_cursor(token_start, &format!("@{} ", item.label))
            }
            PopupKind::Models => self.composer.set_text(&format!("/model {}", item.label)),
            PopupKind::OutputStyles => self.composer.set_text(&format!("/output-style {}", item.label)),
            PopupKind::Themes => self.composer.set_text(&format!("/theme {}", item.label)),
        }
    }

    /// Show, update or hide the popup after the composer changed.
    pub(crate) fn refresh_popup(&mut self) {
        let text = self.composer.text();
        if text.starts_with('/') && !text.contains(char::is_whitespace) {
            let items: Vec<PopupItem> = commands::matching(&self.commands, &text[1..])
                .into_iter()
                .map(|command| PopupItem { label: format!("/{}", command.name), detail: command.detail() })
                .collect();
            self.set_popup(PopupKind::Commands, items);
            return;
        }
        if let Some(query) = text.strip_prefix("/output-style ")
            && !query.contains(char::is_whitespace)
        {
            let items = self.output_style_choices(query);
            self.set_popup(PopupKind::OutputStyles, items);
            return;
        }
        if let Some(query) = text.strip_prefix("/theme ")
            && !query.contains(char::is_whitespace)
        {
            let items = self.theme_choices(query);
            self.set_popup(PopupKind::Themes, items);
            return;
        }
        if let Some(query) = text.strip_prefix("/model ")
            && !query.contains(char::is_whitespace)
        {
            let items = self.model_choices(query);
            self.set_popup(PopupKind::Models, items);
            return;
        }
        let (start, token) = self.composer.token_at_cursor();
        if let Some(query) = token.strip_prefix('@') {
            // Server resources first: there are few, and a `server:` prefix is rarely a file's name.
            let mut items = self.resource_choices(query);
            items.truncate(MENTION_CHOICES);
            let files = self.files.find(query, MENTION_CHOICES - items.len());
            items.extend(files.into_iter().map(|path| PopupItem { label: path, detail: String::new() }));
            self.set_popup(PopupKind::Files { token_start: start }, items);
            return;
        }
        self.popup = None;
    }

    fn set_popup(&mut self, kind: PopupKind, items: Vec<PopupItem>) {
        if items.is_empty() {
            self.popup = None;
            return;
        }
        let selected = match &self.popup {
            Some(popup) if popup.kind == kind => popup.selected.min(items.len() - 1),
            _ => 0,
        };
        self.popup = Some(Popup { kind, items, selected });
    }

    fn page(&self) -> usize {
        (self.viewport.1 as usize).saturating_sub(2).max(1)
    }

    fn render_context(&self) -> RenderContext {
        RenderContext { theme: self.theme, detailed: self.detailed, now: Instant::now() }
    }

    pub(crate) fn scroll_up(&mut self, lines: usize) {
        let context = self.render_context();
        let (width, height) = (self.viewport.0 as usize, self.viewport.1 as usize);
        self.transcript.scroll_up(lines, width, height, &context);
    }

    pub(crate) fn scroll_down(&mut self, lines: usize) {
        let context = self.render_context();
        let (width, height) = (self.viewport.0 as usize, self.viewport.1 as usize);
        self.transcript.scroll_down(lines, width, height, &context);
    }
}
