//! The `/buddy` card: who the companion is, as plain text lines.

use time::Date;
use time::macros::format_description;

use crate::companion::Companion;
use crate::sprite::{Frame, SPARKLE};
use crate::traits::StatKind;

/// Columns of content inside the card's border and padding. The whole card is four columns wider.
pub const CARD_INNER_WIDTH: usize = 30;
/// Cells in a stat bar; each cell is ten points.
const BAR_CELLS: usize = 10;

/// What the card shows beyond the hatched traits; usually built by
/// [`BuddyProfile::card_details`](crate::BuddyProfile::card_details).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardDetails<'a> {
    pub name: &'a str,
    pub personality: Option<&'a str>,
    pub hatched_on: Date,
}

impl Companion {
    /// The card as lines of equal width (`CARD_INNER_WIDTH + 4` columns), border included.
    pub fn card(&self, details: &CardDetails<'_>) -> Vec<String> {
        let mut body = vec![truncate(details.name), self.rarity_line()];
        if self.is_shiny() {
            body.push(format!("{SPARKLE} shiny {SPARKLE}"));
        }
        if let Some(personality) = details.personality.filter(|p| !p.trim().is_empty()) {
            body.extend(wrap(personality, CARD_INNER_WIDTH));
        }
        body.push(String::new());
        body.extend(self.frame(Frame::Idle).into_iter().map(|line| centre(&line)));
        body.push(String::new());
        body.extend(StatKind::ALL.into_iter().map(|kind| self.stat_line(kind)));
        body.push(String::new());
        body.push(format!("Hatched {}", format_date(details.hatched_on)));
        framed(body)
    }

    fn rarity_line(&self) -> String {
        let stars = usize::from(self.rarity().stars());
        let filled = "★".repeat(stars);
        let empty = "☆".repeat(5 - stars);
        format!("{filled}{empty} {} {}", self.rarity(), self.species())
    }

    fn stat_line(&self, kind: StatKind) -> String {
        let stats = self.stats();
        let value = stats.get(kind);
        let filled = (usize::from(value) + 5) / 10;
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(BAR_CELLS - filled));
        let marker = if kind == stats.peak() {
            " ▲"
        } else if kind == stats.dump() {
            " ▼"
        } else {
            ""
        };
        format!("{:<9} {bar} {value:>3}{marker}", kind.label())
    }
}

fn format_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).unwrap_or_else(|_| date.to_string())
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn truncate(text: &str) -> String {
    if width(text) <= CARD_INNER_WIDTH {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(CARD_INNER_WIDTH - 1).collect();
    cut.push('…');
    cut
}

fn centre(line: &str) -> String {
    let pad = CARD_INNER_WIDTH.saturating_sub(width(line)) / 2;
    format!("{}{line}", " ".repeat(pad))
}

/// Greedy word wrap; a word longer than the width is cut.
fn wrap(text: &str, limit: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let word = if width(word) > limit { truncate(word) } else { word.to_owned() };
        if !current.is_empty() && width(&current) + 1 + width(&word) > limit {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn framed(body: Vec<String>) -> Vec<String> {
    let rule = "─".repeat(CARD_INNER_WIDTH + 2);
    let mut lines = vec![format!("╭{rule}╮")];
    for line in body {
        let pad = CARD_INNER_WIDTH.saturating_sub(width(&line));
        lines.push(format!("│ {line}{} │", " ".repeat(pad)));
    }
    lines.push(format!("╰{rule}╯"));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_the_limit() {
        let lines = wrap("a curious little companion who hums while you debug", 20);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), "a curious little companion who hums while you debug");
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        let name = "x".repeat(50);
        assert_eq!(width(&truncate(&name)), CARD_INNER_WIDTH);
    }
}
