//! `/output-style`: the styles the session's extension files offer.

use super::{App, Effect};
use crate::transcript::NoticeKind;
use crate::widgets::popup::PopupItem;
use claurst_protocol::Op;

impl App {
    /// `/output-style NAME` switches; without a name, the styles are listed with the one in use marked.
    pub(crate) fn output_style_command(&mut self, name: Option<String>) -> Vec<Effect> {
        if let Some(name) = name {
            return vec![Effect::Send(Op::SetOutputStyle(name))];
        }
        let mut text = String::from(
            "Output styles (type /output-style and a space to pick one, or /output-style NAME):",
        );
        for style in &self.output_styles {
            let marker = if style.name == self.output_style { "●" } else { " " };
            text.push_str(&format!("\n {marker} {:<14} {} ({})", style.name, style.description, style.scope));
        }
        self.notice(NoticeKind::Info, text);
        Vec::new()
    }

    /// The styles whose name contains `query`, for the menu after `/output-style `; the one in use marked.
    pub(crate) fn output_style_choices(&self, query: &str) -> Vec<PopupItem> {
        let query = query.to_lowercase();
        self.output_styles
            .iter()
            .filter(|style| style.name.to_lowercase().contains(&query))
            .map(|style| {
                let current = if style.name == self.output_style { " · current" } else { "" };
                PopupItem {
                    label: style.name.clone(),
                    detail: format!("{} · {}{current}", style.description, style.scope),
                }
            })
            .collect()
    }
}
