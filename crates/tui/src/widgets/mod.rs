//! The parts of the screen besides the transcript.

pub mod agents;
pub mod approval;
pub mod config_panel;
pub mod mcp_panel;
pub mod mcp_trust;
pub mod model_picker;
pub mod permissions_panel;
pub mod picker;
pub mod plan_review;
pub mod popup;
pub mod question_picker;
pub mod rewind;
pub mod shortcuts;
pub mod side;
pub mod status;

/// Whether `haystack` contains every word of a list's filter, ignoring case.
pub(crate) fn matches_every_word(query: &str, haystack: &str) -> bool {
    let haystack = haystack.to_lowercase();
    query.split_whitespace().all(|word| haystack.contains(&word.to_lowercase()))
}

/// The keys every filtered list shares: ↑/↓, and PgUp/PgDn by `page`, move among its `count` entries;
/// typing and Backspace edit the filter and go back to the first entry. Other keys are left to the list.
pub(crate) fn filtered_list_key(
    key: crossterm::event::KeyEvent,
    query: &mut String,
    selected: &mut usize,
    count: usize,
    page: usize,
) {
    use crossterm::event::{KeyCode, KeyModifiers};
    let last = count.saturating_sub(1);
    match key.code {
        KeyCode::Up => *selected = selected.saturating_sub(1),
        KeyCode::Down => *selected = (*selected + 1).min(last),
        KeyCode::PageUp => *selected = selected.saturating_sub(page),
        KeyCode::PageDown => *selected = (*selected + page).min(last),
        KeyCode::Backspace => {
            query.pop();
            *selected = 0;
        }
        KeyCode::Char(character) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            query.push(character);
            *selected = 0;
        }
        _ => {}
    }
}

/// The entry after (or before) `current` in `all`, wrapping; the first when `current` is not listed.
pub(crate) fn cycle<T: Clone + PartialEq>(all: &[T], current: &T, forward: bool) -> Option<T> {
    let count = all.len();
    let next = match all.iter().position(|item| item == current) {
        Some(index) if forward => (index + 1) % count.max(1),
        Some(index) => (index + count - 1) % count.max(1),
        None => 0,
    };
    all.get(next).cloned()
}

/// A widget's content rendered for one width and theme, kept across frames: a widget asks for it twice a
/// frame (its height, then drawing it) and again every frame while it is open, and rendering (Markdown, a
/// highlighted diff) is the costly part.
#[derive(Default)]
pub(crate) struct RenderedLines(
    std::cell::RefCell<Option<(usize, crate::theme::Theme, Vec<ratatui::text::Line<'static>>)>>,
);

impl RenderedLines {
    /// The lines for `width` and `theme`, rendered by `render` only when those changed.
    pub(crate) fn get(
        &self,
        width: usize,
        theme: crate::theme::Theme,
        render: impl FnOnce() -> Vec<ratatui::text::Line<'static>>,
    ) -> Vec<ratatui::text::Line<'static>> {
        let mut kept = self.0.borrow_mut();
        match kept.as_ref() {
            Some((for_width, for_theme, lines)) if *for_width == width && *for_theme == theme => {
                lines.clone()
            }
            _ => {
                let lines = render();
                *kept = Some((width, theme, lines.clone()));
                lines
            }
        }
    }
}

#[cfg(test)]
mod rendered_lines_tests {
    use super::RenderedLines;
    use crate::theme::Theme;
    use ratatui::text::Line;
    use std::cell::Cell;

    #[test]
    fn content_is_rendered_again_only_for_another_width_or_theme() {
        let cache = RenderedLines::default();
        let renders = Cell::new(0);
        let render = || {
            renders.set(renders.get() + 1);
            vec![Line::from("plan")]
        };
        let theme = Theme::monochrome();
        assert_eq!(cache.get(80, theme, render), vec![Line::from("plan")]);
        cache.get(80, theme, render);
        assert_eq!(renders.get(), 1, "the same width and theme reuse the lines");
        cache.get(60, theme, render);
        assert_eq!(renders.get(), 2, "another width renders again");
    }
}
