//! The conversation as the user sees it: cells, laid out lazily, with a scroll position that stays put while
//! the user reads.
//!
//! Only cells that reach the screen are laid out. Each cell's wrapped lines are cached for the width and
//! options they were drawn at; the cache is bounded, so a long session costs memory for its content only.

mod cell;
mod info_cells;
#[cfg(feature = "proactive")]
pub mod kairos;
mod outcome;
mod subagent;
mod web_search;

pub use cell::{Cell, NoticeKind, RenderContext, ToolCell, ToolStatus, spinner, truncate_to};
pub use info_cells::WelcomeView;
pub use subagent::{StepState, SubagentActivity, SubagentStep, SubagentToolStep};
pub use web_search::{SearchStatus, Source, WebSearchCell, cited_sources};

use ratatui::text::Line;
use std::collections::HashMap;
use std::rc::Rc;

/// Cells kept laid out at most; the rest are laid out again when they come into view.
const CACHE_LIMIT: usize = 512;

/// Where the view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scroll {
    /// Pinned to the bottom: new output scrolls into view.
    Follow,
    /// The first visible line is line `line` of cell `cell`; new output below does not move the view.
    At { cell: usize, line: usize },
}

struct Entry {
    cell: Cell,
    revision: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct LayoutKey {
    width: usize,
    detailed: bool,
    revision: u64,
    highlighting: bool,
    theme: crate::theme::Theme,
}

/// What a cell's layout depends on besides the cell itself.
fn layout_key(entry: &Entry, width: usize, context: &RenderContext) -> LayoutKey {
    LayoutKey {
        width,
        detailed: context.detailed,
        revision: entry.revision,
        highlighting: crate::markdown::highlight::is_ready(),
        theme: context.theme,
    }
}

pub struct Transcript {
    entries: Vec<Entry>,
    scroll: Scroll,
    cache: HashMap<usize, (LayoutKey, Rc<Vec<Line<'static>>>)>,
    /// Each cell's height as last laid out: one number a cell, never evicted, so the "more below" count never
    /// lays out the cells below the view again (which would also push the visible ones out of `cache`).
    heights: HashMap<usize, (LayoutKey, usize)>,
    next_revision: u64,
}

impl Default for Transcript {
    fn default() -> Self {
        Self::new()
    }
}

impl Transcript {
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
            scroll: Scroll::Follow,
            cache: HashMap::new(),
            heights: HashMap::new(),
            next_revision: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn push(&mut self, cell: Cell) -> usize {
        let revision = self.bump();
        self.entries.push(Entry { cell, revision });
        self.entries.len() - 1
    }

    pub fn cell(&self, index: usize) -> Option<&Cell> {
        self.entries.get(index).map(|entry| &entry.cell)
    }

    /// Change a cell; its layout is redone on the next frame.
    pub fn update(&mut self, index: usize, change: impl FnOnce(&mut Cell)) {
        let revision = self.bump();
        if let Some(entry) = self.entries.get_mut(index) {
            change(&mut entry.cell);
            entry.revision = revision;
        }
    }

    pub fn last_index(&self) -> Option<usize> {
        self.entries.len().checked_sub(1)
    }

    pub fn cells(&self) -> impl DoubleEndedIterator<Item = &Cell> {
        self.entries.iter().map(|entry| &entry.cell)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.cache.clear();
        self.heights.clear();
        self.scroll = Scroll::Follow;
    }

    pub fn is_following(&self) -> bool {
        self.scroll == Scroll::Follow
    }

    /// Whether any visible-or-not cell animates (spinners); the app only ticks while one is on screen.
    pub fn has_animation_near_bottom(&self, cells_back: usize) -> bool {
        self.entries.iter().rev().take(cells_back).any(|entry| entry.cell.is_animated())
    }

    fn bump(&mut self) -> u64 {
        self.next_revision += 1;
        self.next_revision
    }

    /// The laid-out lines of one cell.
    fn lines(&mut self, index: usize, width: usize, context: &RenderContext) -> Rc<Vec<Line<'static>>> {
        let entry = &self.entries[index];
        if entry.cell.is_animated() {
            return Rc::new(entry.cell.render(width, context));
        }
        let key = layout_key(entry, width, context);
        if let Some((cached_key, lines)) = self.cache.get(&index)
            && *cached_key == key
        {
            return Rc::clone(lines);
        }
        let lines = Rc::new(entry.cell.render(width, context));
        if self.cache.len() >= CACHE_LIMIT {
            self.evict_far_from(index);
        }
        self.cache.insert(index, (key, Rc::clone(&lines)));
        lines
    }

    fn height(&mut self, index: usize, width: usize, context: &RenderContext) -> usize {
        let entry = &self.entries[index];
        if entry.cell.is_animated() {
            return self.lines(index, width, context).len().max(1);
        }
        let key = layout_key(entry, width, context);
        if let Some((cached_key, height)) = self.heights.get(&index)
            && *cached_key == key
        {
            return *height;
        }
        let height = self.lines(index, width, context).len().max(1);
        self.heights.insert(index, (key, height));
        height
    }

    /// Drop the cached layouts farthest from `index` (the part of the transcript being looked at).
    fn evict_far_from(&mut self, index: usize) {
        let mut keys: Vec<usize> = self.cache.keys().copied().collect();
        keys.sort_by_key(|key| std::cmp::Reverse(key.abs_diff(index)));
        for key in keys.into_iter().take(CACHE_LIMIT / 4) {
            self.cache.remove(&key);
        }
    }

    /// The lines to draw in a `width` × `height` pane.
    pub fn visible_lines(
        &mut self,
        width: usize,
        height: usize,
        context: &RenderContext,
    ) -> Vec<Line<'static>> {
        if let Scroll::At { cell, line } = self.scroll {
            let (lines, filled) = self.lines_from(cell, line, width, height, context);
            if filled {
                return lines;
            }
            // The view reached the end: follow from now on.
            self.scroll = Scroll::Follow;
        }
        self.bottom_lines(width, height, context)
    }

    /// Lines starting at (`cell`, `line`); `true` when they fill the pane.
    fn lines_from(
        &mut self,
        cell: usize,
        line: usize,
        width: usize,
        height: usize,
        context: &RenderContext,
    ) -> (Vec<Line<'static>>, bool) {
        let mut out = Vec::with_capacity(height);
        let mut skip = line;
        for index in cell..self.entries.len() {
            let lines = self.lines(index, width, context);
            for line in lines.iter().skip(skip) {
                if out.len() == height {
                    return (out, true);
                }
                out.push(line.clone());
            }
            skip = 0;
        }
        let filled = out.len() == height;
        (out, filled)
    }

    fn bottom_lines(&mut self, width: usize, height: usize, context: &RenderContext) -> Vec<Line<'static>> {
        let mut chunks: Vec<Rc<Vec<Line<'static>>>> = Vec::new();
        let mut total = 0;
        for index in (0..self.entries.len()).rev() {
            let lines = self.lines(index, width, context);
            total += lines.len();
            chunks.push(lines);
            if total >= height {
                break;
            }
        }
        let mut out: Vec<Line<'static>> =
            chunks.iter().rev().flat_map(|lines| lines.iter().cloned()).collect();
        // The last cell's trailing blank separator wastes the bottom row.
        if out.last().is_some_and(|line| line.spans.is_empty()) {
            out.pop();
        }
        let excess = out.len().saturating_sub(height);
        out.drain(..excess);
        out
    }

    /// The position of the top visible line when following the bottom.
    fn bottom_anchor(&mut self, width: usize, height: usize, context: &RenderContext) -> (usize, usize) {
        let mut remaining = height;
        for index in (0..self.entries.len()).rev() {
            let cell_height = self.height(index, width, context);
            // The final separator line is not drawn when following.
            let cell_height = if index + 1 == self.entries.len() {
                cell_height.saturating_sub(1).max(1)
            } else {
                cell_height
            };
            if cell_height >= remaining {
                return (index, cell_height - remaining);
            }
            remaining -= cell_height;
        }
        (0, 0)
    }

    pub fn scroll_up(&mut self, mut lines: usize, width: usize, height: usize, context: &RenderContext) {
        if self.entries.is_empty() {
            return;
        }
        let (mut cell, mut line) = match self.scroll {
            Scroll::Follow => self.bottom_anchor(width, height, context),
            Scroll::At { cell, line } => (cell, line),
        };
        while lines > 0 {
            if line >= lines {
                line -= lines;
                lines = 0;
            } else if cell == 0 {
                line = 0;
                lines = 0;
            } else {
                lines -= line + 1;
                cell -= 1;
                line = self.height(cell, width, context) - 1;
            }
        }
        self.scroll = Scroll::At { cell, line };
    }

    pub fn scroll_down(&mut self, mut lines: usize, width: usize, height: usize, context: &RenderContext) {
        let Scroll::At { mut cell, mut line } = self.scroll else {
            return;
        };
        while lines > 0 && cell < self.entries.len() {
            let cell_height = self.height(cell, width, context);
            if line + lines < cell_height {
                line += lines;
                lines = 0;
            } else {
                lines -= cell_height - line;
                cell += 1;
                line = 0;
            }
        }
        if cell >= self.entries.len() {
            self.scroll = Scroll::Follow;
            return;
        }
        self.scroll = Scroll::At { cell, line };
        // Reaching the end by scrolling resumes following.
        if !self.lines_from(cell, line, width, height + 1, context).1 {
            self.scroll = Scroll::Follow;
        }
    }

    pub fn scroll_to_top(&mut self) {
        if !self.entries.is_empty() {
            self.scroll = Scroll::At { cell: 0, line: 0 };
        }
    }

    pub fn scroll_to_bottom(&mut self) {
        self.scroll = Scroll::Follow;
    }

    /// Lines below a `width` × `height` view scrolled up (for the "more below" marker); `None` when
    /// following the bottom.
    pub fn lines_below(&mut self, width: usize, height: usize, context: &RenderContext) -> Option<usize> {
        let Scroll::At { cell, line } = self.scroll else {
            return None;
        };
        let total: usize = (cell..self.entries.len()).map(|index| self.height(index, width, context)).sum();
        // The last cell's trailing blank separator is not content.
        Some(total.saturating_sub(line + height + 1))
    }
}

#[cfg(test)]
mod tests;
