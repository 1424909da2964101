//! Drawing the companion in the side pane: an optional speech bubble, the sprite (with petting hearts),
//! and its name underneath.

use super::Buddy;
use crate::theme::Theme;
use crate::transcript::truncate_to;
use claurst_buddy::{AccentColour, Frame, HEART, Palette, Reaction, SPARKLE, SpriteTone};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::time::Instant;
use unicode_width::UnicodeWidthStr;

impl Buddy {
    /// The companion's lines for a pane `width` columns wide, as they look at `now`.
    pub(crate) fn lines(&self, theme: Theme, width: usize, now: Instant) -> Vec<Line<'static>> {
        let moment = self.mood.current(now);
        let mut lines = Vec::new();
        if let Some(text) = moment.and_then(|moment| moment.bubble) {
            lines.extend(bubble(text, width, theme));
        }
        let art = match moment {
            Some(moment) if moment.reaction == Reaction::Petted => {
                self.companion.petting(moment.heart_step(now))
            }
            Some(moment) => self.companion.frame(moment.reaction.frame()),
            None if self.blinking(now) => self.companion.frame(Frame::Blink),
            None => self.companion.frame(Frame::Idle),
        };
        let styles = ArtStyles::new(theme, self.companion.palette());
        let art_width = art.first().map_or(0, |line| line.width());
        let indent = " ".repeat(width.saturating_sub(art_width) / 2);
        for line in art {
            lines.push(styles.line(&indent, &line, width));
        }
        let name = truncate_to(self.name(), width);
        let name_indent = " ".repeat(width.saturating_sub(name.width()) / 2);
        lines.push(Line::from(vec![Span::raw(name_indent), Span::styled(name, styles.name)]));
        lines
    }
}

/// How the parts of the art are coloured. Colours come from the rarity's accent; shiny companions get
/// the light, bold variant and golden sparkles. Under `NO_COLOR` only the modifiers remain, and the
/// sparkle glyphs still tell shiny apart.
struct ArtStyles {
    body: Style,
    sparkle: Style,
    heart: Style,
    name: Style,
}

impl ArtStyles {
    fn new(theme: Theme, palette: Palette) -> ArtStyles {
        let shiny = palette.tone == SpriteTone::Shiny;
        let colour = accent_colour(palette.accent, shiny);
        let body = if shiny { theme.fg(colour).add_modifier(Modifier::BOLD) } else { theme.fg(colour) };
        ArtStyles {
            body,
            sparkle: theme.fg(Color::LightYellow).add_modifier(Modifier::BOLD),
            heart: theme.fg(Color::LightRed),
            name: theme.fg(colour).add_modifier(Modifier::BOLD),
        }
    }

    /// One line of art, split into spans so sparkles and hearts get their own colour.
    fn line(&self, indent: &str, text: &str, width: usize) -> Line<'static> {
        let mut spans = vec![Span::raw(indent.to_string())];
        let mut run = String::new();
        let mut run_style = self.body;
        let text = truncate_to(text, width.saturating_sub(indent.len()));
        for character in text.chars() {
            let style = match character {
                SPARKLE => self.sparkle,
                HEART => self.heart,
                _ => self.body,
            };
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            run.push(character);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style));
        }
        Line::from(spans)
    }
}

fn accent_colour(accent: AccentColour, shiny: bool) -> Color {
    match (accent, shiny) {
        (AccentColour::Grey, false) => Color::Gray,
        (AccentColour::Grey, true) => Color::White,
        (AccentColour::Green, false) => Color::Green,
        (AccentColour::Green, true) => Color::LightGreen,
        (AccentColour::Blue, false) => Color::Blue,
        (AccentColour::Blue, true) => Color::LightCyan,
        (AccentColour::Purple, false) => Color::Magenta,
        (AccentColour::Purple, true) => Color::LightMagenta,
        (AccentColour::Gold, false) => Color::Yellow,
        (AccentColour::Gold, true) => Color::LightYellow,
    }
}

/// A rounded speech bubble around `text`, wrapped to fit `width` and centred like the sprite, with a tail
/// in its bottom edge pointing down at it.
fn bubble(text: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let rows = wrap_words(text, width.saturating_sub(4).max(1));
    let text_width = rows.iter().map(|row| row.width()).max().unwrap_or(0);
    let indent = " ".repeat(width.saturating_sub(text_width + 4) / 2);
    let border = theme.border();
    let edge = |text: String| Line::from(vec![Span::raw(indent.clone()), Span::styled(text, border)]);
    let mut lines = vec![edge(format!("╭{}╮", "─".repeat(text_width + 2)))];
    for row in rows {
        let pad = " ".repeat(text_width - row.width());
        lines.push(Line::from(vec![
            Span::raw(indent.clone()),
            Span::styled("│ ", border),
            Span::styled(format!("{row}{pad}"), theme.plain()),
            Span::styled(" │", border),
        ]));
    }
    let tail_at = (text_width + 2) / 2;
    lines.push(edge(format!("╰{}┬{}╯", "─".repeat(tail_at), "─".repeat(text_width + 1 - tail_at))));
    lines
}

/// Greedy word wrap; a word wider than `width` is cut.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let word = truncate_to(word, width);
        if !row.is_empty() && row.width() + 1 + word.width() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(&word);
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}
