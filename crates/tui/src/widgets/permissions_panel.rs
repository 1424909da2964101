//! `/permissions`: the permission mode and every allow / ask / deny rule with the scope that holds it; the
//! user adds a rule (typed, with its list and scope chosen) or removes one after confirming. The session
//! checks and saves each change and answers with the rules in force, or why it refused.

use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_protocol::{
    Op, PermissionMode, PermissionRuleView, PermissionRulesView, RuleEdit, RuleListKind, RuleScope,
};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// Rows the panel takes at most (border included); the selection stays in view.
const MAX_ROWS: usize = 22;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Browse,
    /// Typing a new rule; `waiting` once sent, until the session answers.
    Add {
        text: String,
        list: RuleListKind,
        scope: RuleScope,
        error: Option<String>,
        waiting: bool,
    },
    /// Asking before removing the selected rule.
    ConfirmRemove,
}

#[derive(Debug, Clone)]
pub struct PermissionsPanel {
    /// `None` until the session has listed the rules.
    rules: Option<PermissionRulesView>,
    /// Row 0 is the mode; rows from 1 are the rules in list order.
    selected: usize,
    step: Step,
}

/// What a key did to the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum PermissionsOutcome {
    Pending,
    Closed,
    Send(Op),
}

impl Default for PermissionsPanel {
    fn default() -> Self {
        Self::new()
    }
}

impl PermissionsPanel {
    pub fn new() -> Self {
        Self { rules: None, selected: 0, step: Step::Browse }
    }

    /// The rules in force, as the session reported them: an add that was waiting is done.
    pub fn set_rules(&mut self, rules: PermissionRulesView) {
        self.rules = Some(rules);
        if matches!(self.step, Step::Add { waiting: true, .. }) {
            self.step = Step::Browse;
        }
        self.selected = self.selected.min(self.sorted().len());
    }

    /// The session refused the rule being added: say why, and let the user fix it.
    pub fn refused(&mut self, reason: String) {
        if let Step::Add { error, waiting, .. } = &mut self.step {
            *error = Some(reason);
            *waiting = false;
        }
    }

    /// The rules grouped by list (allow, ask, deny), each list in scope order.
    fn sorted(&self) -> Vec<&PermissionRuleView> {
        let mut rules: Vec<&PermissionRuleView> =
            self.rules.as_ref().map(|view| view.rules.iter().collect()).unwrap_or_default();
        let list_rank = |list: RuleListKind| RuleListKind::ALL.iter().position(|kind| *kind == list);
        let scope_rank = |scope: RuleScope| RuleScope::ALL.iter().position(|kind| *kind == scope);
        rules.sort_by_key(|rule| (list_rank(rule.list), scope_rank(rule.scope)));
        rules
    }

    fn selected_rule(&self) -> Option<PermissionRuleView> {
        self.selected.checked_sub(1).and_then(|index| self.sorted().get(index).map(|rule| (*rule).clone()))
    }

    pub fn handle_key(&mut self, key: KeyEvent, mode: PermissionMode) -> PermissionsOutcome {
        match &mut self.step {
            Step::Browse => self.browse_key(key, mode),
            Step::ConfirmRemove => {
                let answer = match key.code {
                    KeyCode::Char('y') | KeyCode::Enter => self.selected_rule().map(RuleEdit::Remove),
                    _ => None,
                };
                self.step = Step::Browse;
                answer.map_or(PermissionsOutcome::Pending, |edit| {
                    PermissionsOutcome::Send(Op::EditPermissionRule(edit))
                })
            }
            Step::Add { text, list, scope, error, waiting } => {
                if *waiting {
                    return PermissionsOutcome::Pending;
                }
                match key.code {
                    KeyCode::Esc => self.step = Step::Browse,
                    KeyCode::Tab => *list = super::cycle(&RuleListKind::ALL, list, true).unwrap_or(*list),
                    KeyCode::BackTab => *scope = super::cycle(&RuleScope::ALL, scope, true).unwrap_or(*scope),
                    KeyCode::Backspace => {
                        text.pop();
                        *error = None;
                    }
                    KeyCode::Enter if !text.trim().is_empty() => {
                        *waiting = true;
                        *error = None;
                        let rule =
                            PermissionRuleView { list: *list, scope: *scope, rule: text.trim().to_string() };
                        return PermissionsOutcome::Send(Op::EditPermissionRule(RuleEdit::Add(rule)));
                    }
                    KeyCode::Char(character) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                        text.push(character);
                        *error = None;
                    }
                    _ => {}
                }
                PermissionsOutcome::Pending
            }
        }
    }

    fn browse_key(&mut self, key: KeyEvent, mode: PermissionMode) -> PermissionsOutcome {
        let rows = self.sorted().len() + 1;
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return PermissionsOutcome::Closed,
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(rows - 1),
            KeyCode::Char('a') => {
                self.step = Step::Add {
                    text: String::new(),
                    list: RuleListKind::Allow,
                    scope: RuleScope::Project,
                    error: None,
                    waiting: false,
                }
            }
            KeyCode::Char('d') | KeyCode::Delete if self.selected_rule().is_some() => {
                self.step = Step::ConfirmRemove
            }
            KeyCode::Enter | KeyCode::Char('m') if self.selected == 0 || key.code == KeyCode::Char('m') => {
                return PermissionsOutcome::Send(Op::SetPermissionMode(
                    super::cycle(&PermissionMode::ALL, &mode, true).unwrap_or(mode),
                ));
            }
            _ => {}
        }
        PermissionsOutcome::Pending
    }

    fn lines(&self, mode: PermissionMode, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let pointer = |row: usize| {
            if row == self.selected { ("❯ ", theme.selected()) } else { ("  ", theme.plain()) }
        };
        let (marker, style) = pointer(0);
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{marker}Mode: {mode}"), style),
            Span::styled("  (m or enter: next mode)", theme.dim()),
        ])];
        let Some(view) = &self.rules else {
            lines.push(Line::styled("  Reading the rules…", theme.dim()));
            return lines;
        };
        let sorted = self.sorted();
        let mut row = 1;
        for list in RuleListKind::ALL {
            lines.push(Line::styled(format!("{}:", title(list)), theme.bold()));
            let in_list: Vec<&&PermissionRuleView> = sorted.iter().filter(|rule| rule.list == list).collect();
            if in_list.is_empty() {
                lines.push(Line::styled("    (none)", theme.dim()));
            }
            for rule in in_list {
                let (marker, style) = pointer(row);
                let scope = scope_label(rule.scope);
                let room = width.saturating_sub(scope.chars().count() + 6);
                lines.push(Line::from(vec![
                    Span::styled(format!("{marker}  {:<room$}", truncate_to(&rule.rule, room)), style),
                    Span::styled(format!(" {scope}"), theme.dim()),
                ]));
                row += 1;
            }
        }
        lines.push(Line::default());
        lines.extend(self.footer(view, theme));
        lines
    }

    fn footer(&self, view: &PermissionRulesView, theme: Theme) -> Vec<Line<'static>> {
        match &self.step {
            Step::Browse => {
                vec![Line::styled("a add · d remove · ↑/↓ select · m mode · esc close", theme.dim())]
            }
            Step::ConfirmRemove => {
                let rule = self.selected_rule().map(|rule| {
                    format!(
                        "Remove {} rule `{}` from {}? (y/n)",
                        rule.list.as_str(),
                        rule.rule,
                        where_kept(view, rule.scope)
                    )
                });
                vec![Line::styled(rule.unwrap_or_default(), theme.warning())]
            }
            Step::Add { text, list, scope, error, waiting } => {
                let mut lines = vec![
                    Line::from(vec![
                        Span::styled("New rule: ", theme.bold()),
                        Span::styled(format!("{text}▏"), theme.plain()),
                    ]),
                    Line::styled(
                        format!("  list: {} (tab) · scope: {} (shift+tab)", list.as_str(), scope.as_str()),
                        theme.plain(),
                    ),
                    Line::styled(format!("  kept in {}", where_kept(view, *scope)), theme.dim()),
                    Line::styled(
                        "  e.g. bash(npm test:*) · read_file(src/**) · enter save · esc back",
                        theme.dim(),
                    ),
                ];
                if *waiting {
                    lines.push(Line::styled("  Saving…", theme.dim()));
                }
                if let Some(error) = error {
                    lines.push(Line::styled(format!("  Refused: {error}"), theme.error()));
                }
                lines
            }
        }
    }

    pub fn height(&self, mode: PermissionMode, width: u16, theme: Theme) -> u16 {
        let lines = self.lines(mode, width.saturating_sub(2) as usize, theme).len();
        (lines + 2).min(MAX_ROWS) as u16
    }

    pub fn widget(&self, mode: PermissionMode, theme: Theme) -> PermissionsWidget<'_> {
        PermissionsWidget { panel: self, mode, theme }
    }
}

pub struct PermissionsWidget<'a> {
    panel: &'a PermissionsPanel,
    mode: PermissionMode,
    theme: Theme,
}

impl Widget for PermissionsWidget<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let lines = self.panel.lines(self.mode, area.width.saturating_sub(2) as usize, self.theme);
        // Keep the selected rule and the footer in view: scroll just enough.
        let inner = area.height.saturating_sub(2) as usize;
        let scroll = lines.len().saturating_sub(inner).min(self.panel.selected.saturating_sub(1));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.modal_border())
            .title(Span::styled(" Permissions ", self.theme.modal_border()));
        Clear.render(area, buffer);
        Paragraph::new(lines).block(block).scroll((scroll as u16, 0)).render(area, buffer);
    }
}

fn title(list: RuleListKind) -> &'static str {
    match list {
        RuleListKind::Allow => "Allow",
        RuleListKind::Ask => "Ask",
        RuleListKind::Deny => "Deny",
    }
}

fn scope_label(scope: RuleScope) -> &'static str {
    match scope {
        RuleScope::User => "user",
        RuleScope::Project => "project",
        RuleScope::Local => "local (remembered)",
        RuleScope::Session => "this session",
    }
}

/// The file behind a scope, or "this session only".
fn where_kept(view: &PermissionRulesView, scope: RuleScope) -> String {
    view.files
        .iter()
        .find(|(kept, _)| *kept == scope)
        .map_or_else(|| "this session only".to_string(), |(_, path)| path.clone())
}
