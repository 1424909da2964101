//! The question picker: the model's multiple-choice questions (`ask_user_question`), one at a time, with
//! an "Other" entry where the user types an answer of their own.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{Question, QuestionReply, QuestionRequest};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// The label of the entry after the model's options.
const OTHER: &str = "Other: type your own";

/// Where the user is with one question.
#[derive(Debug, Clone, Default)]
struct QuestionState {
    /// The highlighted row: an option, or `options.len()` for "Other".
    cursor: usize,
    /// Multi-select: which options are ticked.
    ticked: Vec<bool>,
    /// The user's own answer, once they started typing one.
    other: String,
    typing: bool,
    /// The answer given, once the question is confirmed.
    answer: Option<String>,
}

pub struct QuestionPicker {
    pub request: QuestionRequest,
    /// The question shown.
    current: usize,
    states: Vec<QuestionState>,
}

/// What a key did to the picker.
pub enum PickerStep {
    Pending,
    /// Every question is answered, or the user declined: the picker closes.
    Done(QuestionReply),
}

impl QuestionPicker {
    pub fn new(request: QuestionRequest) -> Self {
        let states = request
            .questions
            .iter()
            .map(|question| QuestionState {
                ticked: vec![false; question.options.len()],
                ..Default::default()
            })
            .collect();
        Self { request, current: 0, states }
    }

    fn question(&self) -> &Question {
        &self.request.questions[self.current]
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PickerStep {
        let rows = self.question().options.len() + 1;
        let multi = self.question().multi_select;
        let state = &mut self.states[self.current];
        if state.typing {
            return self.typing_key(key);
        }
        match key.code {
            KeyCode::Esc => return PickerStep::Done(QuestionReply::Declined(None)),
            KeyCode::Up | KeyCode::Char('k') => state.cursor = (state.cursor + rows - 1) % rows,
            KeyCode::Down | KeyCode::Char('j') => state.cursor = (state.cursor + 1) % rows,
            KeyCode::Tab | KeyCode::Right => self.current = (self.current + 1) % self.states.len(),
            KeyCode::BackTab | KeyCode::Left => {
                self.current = (self.current + self.states.len() - 1) % self.states.len()
            }
            KeyCode::Char(digit @ '1'..='9') => {
                let row = digit as usize - '1' as usize;
                if row < rows {
                    state.cursor = row;
                    return if multi { self.toggle() } else { self.choose() };
                }
            }
            KeyCode::Char(' ') if multi => return self.toggle(),
            KeyCode::Enter if multi && state.cursor + 1 == rows && state.other.is_empty() => {
                state.typing = true
            }
            KeyCode::Enter if multi => return self.confirm_ticked(),
            KeyCode::Enter => return self.choose(),
            _ => {}
        }
        PickerStep::Pending
    }

    fn typing_key(&mut self, key: KeyEvent) -> PickerStep {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        let multi = self.question().multi_select;
        let state = &mut self.states[self.current];
        match key.code {
            KeyCode::Esc => state.typing = false,
            KeyCode::Backspace => {
                state.other.pop();
            }
            KeyCode::Enter if state.other.trim().is_empty() => {}
            KeyCode::Enter if multi => return self.confirm_ticked(),
            KeyCode::Enter => {
                let answer = state.other.trim().to_string();
                return self.answer(answer);
            }
            KeyCode::Char(c) if !control => state.other.push(c),
            _ => {}
        }
        PickerStep::Pending
    }

    /// Text pasted while typing an answer of one's own.
    pub fn paste(&mut self, text: &str) {
        let state = &mut self.states[self.current];
        if state.typing {
            state.other.push_str(&text.replace(['\n', '\r'], " "));
        }
    }

    /// Single choice: the highlighted option answers; "Other" opens the text field.
    fn choose(&mut self) -> PickerStep {
        let state = &mut self.states[self.current];
        match self.request.questions[self.current].options.get(state.cursor) {
            Some(option) => {
                let label = option.label.clone();
                self.answer(label)
            }
            None => {
                state.typing = true;
                PickerStep::Pending
            }
        }
    }

    /// Multi-select: tick or untick the highlighted option; "Other" opens the text field.
    fn toggle(&mut self) -> PickerStep {
        let state = &mut self.states[self.current];
        match state.ticked.get_mut(state.cursor) {
            Some(ticked) => *ticked = !*ticked,
            None => state.typing = true,
        }
        PickerStep::Pending
    }

    /// Multi-select: the ticked labels (and the user's own text) answer; nothing ticked answers nothing.
    fn confirm_ticked(&mut self) -> PickerStep {
        let state = &mut self.states[self.current];
        state.typing = false;
        let question = &self.request.questions[self.current];
        let mut chosen: Vec<String> = question
            .options
            .iter()
            .zip(&state.ticked)
            .filter(|(_, ticked)| **ticked)
            .map(|(option, _)| option.label.clone())
            .collect();
        if !state.other.trim().is_empty() {
            chosen.push(state.other.trim().to_string());
        }
        if chosen.is_empty() {
            return PickerStep::Pending;
        }
        self.answer(chosen.join(", "))
    }

    /// Record the current question's answer and move to the next unanswered one, or finish.
    fn answer(&mut self, answer: String) -> PickerStep {
        let state = &mut self.states[self.current];
        state.typing = false;
        state.answer = Some(answer);
        let count = self.states.len();
        let next = (1..=count)
            .map(|step| (self.current + step) % count)
            .find(|index| self.states[*index].answer.is_none());
        match next {
            Some(index) => {
                self.current = index;
                PickerStep::Pending
            }
            None => PickerStep::Done(QuestionReply::Answered(
                self.states.iter().map(|state| state.answer.clone().unwrap_or_default()).collect(),
            )),
        }
    }

    fn lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if self.states.len() > 1 {
            let mut tabs = vec![Span::raw(" ")];
            for (index, (question, state)) in self.request.questions.iter().zip(&self.states).enumerate() {
                let mark = if state.answer.is_some() { "✔" } else { "□" };
                let style = if index == self.current { theme.selected() } else { theme.dim() };
                tabs.push(Span::styled(format!(" {mark} {} ", question.header), style));
            }
            lines.push(Line::from(tabs));
        }
        let question = self.question();
        let state = &self.states[self.current];
        let header = format!("{} · {}", question.header, question.question);
        lines.push(Line::styled(truncate_to(&header, width), theme.bold()));
        for (row, option) in question.options.iter().enumerate() {
            let tick = match (question.multi_select, state.ticked.get(row)) {
                (true, Some(true)) => "[x] ",
                (true, _) => "[ ] ",
                (false, _) => "",
            };
            let chosen = row == state.cursor;
            let marker = if chosen { "❯ " } else { "  " };
            let style = if chosen { theme.selected() } else { theme.plain() };
            let text = format!("{marker}{tick}{}. {}", row + 1, option.label);
            lines.push(Line::styled(truncate_to(&text, width), style));
            if !option.description.is_empty() {
                let indent = " ".repeat(4 + tick.len());
                lines.push(Line::styled(
                    truncate_to(&format!("{indent}{}", option.description), width),
                    theme.dim(),
                ));
            }
        }
        let other_row = question.options.len();
        let chosen = state.cursor == other_row;
        let marker = if chosen { "❯ " } else { "  " };
        let tick = match (question.multi_select, state.other.trim().is_empty()) {
            (true, false) => "[x] ",
            (true, true) => "[ ] ",
            (false, _) => "",
        };
        let text = if state.typing || !state.other.is_empty() {
            format!("{marker}{tick}{}. Other: {}", other_row + 1, state.other)
        } else {
            format!("{marker}{tick}{}. {OTHER}", other_row + 1)
        };
        let style = if chosen { theme.selected() } else { theme.plain() };
        lines.push(Line::styled(truncate_to(&text, width), style));
        lines.push(Line::default());
        let hint = match (state.typing, question.multi_select) {
            (true, _) => "type your answer · enter to send · esc to go back",
            (false, true) => {
                "space to tick · enter to confirm · ↑/↓ to move · tab next question · esc to decline"
            }
            (false, false) => "enter or 1–9 to choose · ↑/↓ to move · tab next question · esc to decline",
        };
        lines.push(Line::styled(truncate_to(hint, width), theme.dim()));
        lines
    }

    /// Rows the picker needs at `width`, border included.
    pub fn height(&self, width: u16, theme: Theme) -> u16 {
        self.lines(width.saturating_sub(2) as usize, theme).len() as u16 + 2
    }

    /// Draw the picker; returns where the caret goes while an answer is typed.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: Theme) -> Option<(u16, u16)> {
        let lines = self.lines(area.width.saturating_sub(2) as usize, theme);
        let state = &self.states[self.current];
        // The "Other" row is the third line from the end (a blank and the hint follow it); in a pane too
        // short to show it, there is no caret to place.
        let row = lines.len().saturating_sub(3) as u16;
        let caret = (state.typing && row < area.height.saturating_sub(2)).then(|| {
            let other_row = self.question().options.len() + 1;
            let tick = if self.question().multi_select { 4 } else { 0 };
            // Columns, not chars: a wide character takes two.
            let prefix = 2 + tick + format!("{other_row}. Other: ").width() + state.other.width();
            let column = prefix.min(usize::from(area.width.saturating_sub(3))) as u16;
            (area.x + 1 + column, area.y + 1 + row)
        });
        let title = if self.states.len() == 1 {
            " Claurst asks ".to_string()
        } else {
            format!(" Claurst asks ({} of {}) ", self.current + 1, self.states.len())
        };
        let block = theme.modal_block(title);
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(block), area);
        caret
    }

    /// The questions and the answers given, for the transcript once the picker closes.
    pub fn summary(&self, reply: &QuestionReply) -> String {
        match reply {
            QuestionReply::Answered(answers) => self
                .request
                .questions
                .iter()
                .zip(answers)
                .map(|(question, answer)| format!("{} → {answer}", question.question))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => "You declined to answer Claurst's questions.".to_string(),
        }
    }
}
