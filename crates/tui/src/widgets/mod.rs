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
