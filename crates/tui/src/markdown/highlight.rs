//! Syntax highlighting of code blocks with syntect.
//!
//! Loading syntect's grammars takes tens of milliseconds, so it never happens before the first frame:
//! `warm_up` loads them on a background thread at start, and a code block rendered before they are ready is
//! drawn plain (and redrawn highlighted on a later frame once loading finished).

use ratatui::style::{Color, Style};
use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme as SyntectTheme, ThemeSet};
use syntect::parsing::SyntaxSet;

struct Highlighter {
    syntaxes: SyntaxSet,
    dark: SyntectTheme,
    light: SyntectTheme,
}

static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();

fn load() -> Highlighter {
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let mut themes = ThemeSet::load_defaults();
    let dark = themes.themes.remove("base16-ocean.dark").unwrap_or_default();
    let light = themes.themes.remove("InspiredGitHub").unwrap_or_default();
    Highlighter { syntaxes, dark, light }
}

/// Load the grammars on a background thread.
pub fn warm_up() {
    if HIGHLIGHTER.get().is_none() {
        std::thread::spawn(|| {
            HIGHLIGHTER.get_or_init(load);
        });
    }
}

/// Load the grammars now (tests and benchmarks want deterministic output).
pub fn load_now() {
    HIGHLIGHTER.get_or_init(load);
}

/// Whether highlighting is available yet.
pub fn is_ready() -> bool {
    HIGHLIGHTER.get().is_some()
}

/// Each line of `code` as styled pieces, or `None` when the grammars are not loaded yet or the language is
/// unknown (the caller then draws the code plain). `language` is a fence's language or a file extension;
/// `light` picks colours readable on a light background.
pub fn highlight(code: &str, language: &str, light: bool) -> Option<Vec<Vec<(String, Style)>>> {
    let highlighter = HIGHLIGHTER.get()?;
    let token = language.split([',', ' ']).next().unwrap_or_default();
    let syntax = highlighter.syntaxes.find_syntax_by_token(token)?;
    let theme = if light { &highlighter.light } else { &highlighter.dark };
    let mut lines = HighlightLines::new(syntax, theme);
    let mut out = Vec::new();
    for line in syntect::util::LinesWithEndings::from(code) {
        let regions = lines.highlight_line(line, &highlighter.syntaxes).ok()?;
        out.push(
            regions
                .into_iter()
                .map(|(style, text)| {
                    let color = Color::Rgb(style.foreground.r, style.foreground.g, style.foreground.b);
                    (text.trim_end_matches(['\n', '\r']).to_string(), Style::new().fg(color))
                })
                .filter(|(text, _)| !text.is_empty())
                .collect(),
        );
    }
    Some(out)
}
