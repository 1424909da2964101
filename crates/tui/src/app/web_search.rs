//! The API's server-side web searches in the transcript: a cell per search, filled in when its results come,
//! and the sources a reply cites under it.

use super::App;
use crate::transcript::{Cell, SearchStatus, WebSearchCell, cited_sources};
use claurst_protocol::{Message, WebSearchOutcome};

impl App {
    pub(super) fn web_search_started(&mut self, id: String, query: String) {
        self.finish_streaming();
        let index = self.transcript.push(Cell::WebSearch(WebSearchCell::searching(query)));
        self.tool_cells.insert(id, index);
    }

    pub(super) fn web_search_finished(&mut self, id: String, outcome: &WebSearchOutcome) {
        let index = match self.tool_cells.get(&id) {
            Some(&index) => index,
            // A result whose start was not seen (a resumed history without its call) still shows.
            None => {
                let index = self.transcript.push(Cell::WebSearch(WebSearchCell::searching(String::new())));
                self.tool_cells.insert(id, index);
                index
            }
        };
        self.transcript.update(index, |cell| {
            if let Cell::WebSearch(search) = cell {
                search.finish(outcome);
            }
        });
    }

    /// The run ended or its request is retried: searches whose results never came (an interrupt or a cut
    /// stream between a search's start and its results) stop spinning, or the idle screen would keep ticking.
    pub(super) fn stop_web_searches(&mut self) {
        let searching: Vec<usize> = self
            .transcript
            .cells()
            .enumerate()
            .filter(|(_, cell)| {
                matches!(cell, Cell::WebSearch(search) if search.status == SearchStatus::Searching)
            })
            .map(|(index, _)| index)
            .collect();
        for index in searching {
            self.transcript.update(index, |cell| {
                if let Cell::WebSearch(search) = cell {
                    search.stop();
                }
            });
        }
    }

    /// The pages `message` cites, listed under it once it is complete.
    pub(super) fn show_cited_sources(&mut self, message: &Message) {
        let sources = cited_sources(message);
        if !sources.is_empty() {
            self.transcript.push(Cell::Sources(sources));
        }
    }
}
