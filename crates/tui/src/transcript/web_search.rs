//! The API's web searches and the sources a reply cites, as transcript cells.

use super::cell::{RenderContext, spinner, truncate_to};
use crate::markdown::wrap;
use claurst_protocol::{ContentBlock, Message, WebSearchOutcome};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Results listed under a search before the rest are summed up as "+N more" (Ctrl+O lists them all).
const COLLAPSED_RESULTS: usize = 5;

/// A page: what a search found or a reply cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// Where a search is. `Stopped`: the run ended (interrupted, failed) or its request was retried before the
/// results came, so they never will.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchStatus {
    Searching,
    Found(Vec<Source>),
    Failed { error_code: String },
    Stopped,
}

/// One search the API ran for the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSearchCell {
    pub query: String,
    pub status: SearchStatus,
}

impl WebSearchCell {
    pub fn searching(query: String) -> Self {
        Self { query, status: SearchStatus::Searching }
    }

    /// The search ended with `outcome`.
    pub fn finish(&mut self, outcome: &WebSearchOutcome) {
        self.status = match outcome {
            WebSearchOutcome::Results(results) => SearchStatus::Found(
                results
                    .iter()
                    .map(|result| Source { title: result.title.clone(), url: result.url.clone() })
                    .collect(),
            ),
            WebSearchOutcome::Error(error) => SearchStatus::Failed { error_code: error.error_code.clone() },
        };
    }

    /// No results can come any more: a search still waiting for them stops (and its spinner with it).
    pub fn stop(&mut self) {
        if self.status == SearchStatus::Searching {
            self.status = SearchStatus::Stopped;
        }
    }
}

/// The pages the text blocks of `message` cite, each once, in the order first cited.
pub fn cited_sources(message: &Message) -> Vec<Source> {
    let mut sources: Vec<Source> = Vec::new();
    let citations = message.content.iter().flat_map(|block| match block {
        ContentBlock::Text { citations: Some(citations), .. } => citations.as_slice(),
        _ => &[],
    });
    for citation in citations {
        let Some(url) = &citation.url else { continue };
        if !sources.iter().any(|known| &known.url == url) {
            let title = citation.title.clone().unwrap_or_default();
            sources.push(Source { title, url: url.clone() });
        }
    }
    sources
}

pub(super) fn search_lines(
    search: &WebSearchCell,
    width: usize,
    context: &RenderContext,
) -> Vec<Line<'static>> {
    let theme = context.theme;
    let (glyph, glyph_style) = match &search.status {
        SearchStatus::Searching => (spinner(context.now).to_string(), theme.accent()),
        SearchStatus::Found(_) => ("✓".to_string(), theme.success()),
        SearchStatus::Failed { .. } => ("✗".to_string(), theme.error()),
        SearchStatus::Stopped => ("✗".to_string(), theme.dim()),
    };
    let room = width.saturating_sub(18).max(8);
    let query = if context.detailed { search.query.clone() } else { truncate_to(&search.query, room) };
    let header = vec![
        (format!("{glyph} "), glyph_style),
        ("Web search".to_string(), theme.tool_name()),
        (format!(" · {query}"), theme.plain()),
    ];
    let rest = vec![("    ".to_string(), Style::new())];
    let mut lines = wrap::wrap_pieces(&header, width, &Vec::new(), &rest);
    let first = vec![("  ⎿ ".to_string(), theme.dim())];
    match &search.status {
        SearchStatus::Searching => {}
        SearchStatus::Stopped => lines.extend(wrap::wrap_pieces(
            &[("Stopped before the results came".to_string(), theme.dim())],
            width,
            &first,
            &rest,
        )),
        SearchStatus::Failed { error_code } => lines.extend(wrap::wrap_pieces(
            &[(format!("Search failed: {}", error_code.replace('_', " ")), theme.error())],
            width,
            &first,
            &rest,
        )),
        SearchStatus::Found(sources) if sources.is_empty() => {
            lines.extend(wrap::wrap_pieces(&[("No results".to_string(), theme.dim())], width, &first, &rest))
        }
        SearchStatus::Found(sources) => {
            let count = match sources.len() {
                1 => "1 result".to_string(),
                n => format!("{n} results"),
            };
            lines.extend(wrap::wrap_pieces(&[(count, theme.dim())], width, &first, &rest));
            let shown = if context.detailed { sources.len() } else { sources.len().min(COLLAPSED_RESULTS) };
            for source in &sources[..shown] {
                lines.extend(source_lines(source, width, "    ", context));
            }
            if shown < sources.len() {
                let more = format!("    … +{} more (ctrl+o to show)", sources.len() - shown);
                lines.push(Line::styled(more, theme.dim()));
            }
        }
    }
    lines
}

/// "Sources" under a reply that cites pages.
pub(super) fn sources_lines(sources: &[Source], width: usize, context: &RenderContext) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![Span::raw("  "), Span::styled("Sources:", context.theme.dim())])];
    for source in sources {
        lines.extend(source_lines(source, width, "  · ", context));
    }
    lines
}

/// A page's title, then its address on the next line (never cut: people copy it).
fn source_lines(source: &Source, width: usize, marker: &str, context: &RenderContext) -> Vec<Line<'static>> {
    let theme = context.theme;
    let title = if source.title.trim().is_empty() { source.url.clone() } else { source.title.clone() };
    let first = vec![(marker.to_string(), theme.dim())];
    let indent = " ".repeat(unicode_width::UnicodeWidthStr::width(marker) + 2);
    let rest = vec![(indent.clone(), Style::new())];
    let mut lines = wrap::wrap_pieces(&[(title, theme.plain())], width, &first, &rest);
    let url_first = vec![(indent, Style::new())];
    lines.extend(wrap::wrap_pieces(&[(source.url.clone(), theme.link())], width, &url_first, &rest));
    lines
}
