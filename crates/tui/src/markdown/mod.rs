//! Markdown to styled, wrapped terminal lines: headings, emphasis, inline code, links, lists, quotes,
//! rules, tables and highlighted code blocks.

pub mod highlight;
mod table;
pub mod wrap;

use crate::theme::Theme;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use wrap::{Pieces, wrap_hard, wrap_pieces};

/// Render `markdown` for a pane `width` columns wide.
pub fn render(markdown: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut renderer = Renderer::new(width, theme);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        renderer.event(event);
    }
    renderer.finish()
}

struct ListLevel {
    next_number: Option<u64>,
}

struct CodeBlock {
    language: String,
    text: String,
}

struct Renderer {
    theme: Theme,
    width: usize,
    out: Vec<Line<'static>>,
    pieces: Pieces,
    styles: Vec<Style>,
    lists: Vec<ListLevel>,
    /// The marker (`• `, `3. `) waiting for the first line of the current list item.
    marker: Option<String>,
    quote_depth: usize,
    code: Option<CodeBlock>,
    links: Vec<String>,
    table: Option<table::TableBuilder>,
}

impl Renderer {
    fn new(width: usize, theme: Theme) -> Self {
        Self {
            theme,
            width,
            out: Vec::new(),
            pieces: Vec::new(),
            styles: vec![Style::new()],
            lists: Vec::new(),
            marker: None,
            quote_depth: 0,
            code: None,
            links: Vec::new(),
            table: None,
        }
    }

    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, change: impl FnOnce(Style) -> Style) {
        let style = change(self.style());
        self.styles.push(style);
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.text.push_str(text);
        } else if let Some(table) = &mut self.table {
            table.push_text(text);
        } else {
            self.pieces.push((text.to_string(), self.style()));
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                let style = self.theme.inline_code();
                match &mut self.table {
                    Some(table) => table.push_text(&code),
                    None => self.pieces.push((code.to_string(), style)),
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.out.push(Line::styled("─".repeat(self.width.min(80)), self.theme.dim()));
                self.blank();
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(&math),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                let style = self.theme.heading();
                let style =
                    if level == HeadingLevel::H1 { style.add_modifier(Modifier::UNDERLINED) } else { style };
                self.styles.push(style);
            }
            Tag::Emphasis => self.push_style(|s| s.add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(|s| s.add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                let link = self.theme.link();
                self.push_style(|s| s.patch(link));
                self.links.push(dest_url.to_string());
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(ListLevel { next_number: first });
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(ListLevel { next_number: Some(n) }) => {
                        let marker = format!("{n}. ");
                        *n += 1;
                        marker
                    }
                    _ => "• ".to_string(),
                };
                self.marker = Some(marker);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
                let quote = self.theme.quote();
                self.push_style(|s| s.patch(quote));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let language = match kind {
                    CodeBlockKind::Fenced(language) => language.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock { language, text: String::new() });
            }
            Tag::Table(alignments) => {
                self.flush();
                self.table = Some(table::TableBuilder::new(alignments));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.start_row();
                }
            }
            Tag::TableCell => {
                if let Some(table) = &mut self.table {
                    table.start_cell();
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.pop_style();
                self.blank();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.pop_style(),
            TagEnd::Link => {
                self.pop_style();
                if let Some(url) = self.links.pop() {
                    let shown: String = self.pieces.last().map(|(text, _)| text.clone()).unwrap_or_default();
                    if !url.is_empty() && shown != url && !url.starts_with('#') {
                        self.pieces.push((format!(" ({url})"), self.theme.dim()));
                    }
                }
            }
            TagEnd::Item => self.flush(),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                self.pop_style();
                if self.quote_depth == 0 {
                    self.blank();
                }
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.code_block(&code);
                }
                self.blank();
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.out.extend(table.render(self.width, self.theme));
                }
                self.blank();
            }
            _ => {}
        }
    }

    /// The prefixes of the current block: quote bars, list indentation and the item marker.
    fn prefixes(&mut self) -> (Pieces, Pieces) {
        let mut base: Pieces = Vec::new();
        for _ in 0..self.quote_depth {
            base.push(("│ ".into(), self.theme.dim()));
        }
        let depth = self.lists.len();
        let indent = "  ".repeat(depth.saturating_sub(1));
        let mut first = base.clone();
        let mut rest = base;
        if depth > 0 {
            match self.marker.take() {
                Some(marker) => {
                    let hang = " ".repeat(unicode_width::UnicodeWidthStr::width(marker.as_str()));
                    first.push((format!("{indent}{marker}"), self.theme.accent()));
                    rest.push((format!("{indent}{hang}"), Style::new()));
                }
                None => {
                    first.push((format!("{indent}  "), Style::new()));
                    rest.push((format!("{indent}  "), Style::new()));
                }
            }
        }
        (first, rest)
    }

    /// Wrap and emit the pending inline pieces as one block.
    fn flush(&mut self) {
        if self.pieces.is_empty() {
            return;
        }
        let pieces = std::mem::take(&mut self.pieces);
        let (first, rest) = self.prefixes();
        self.out.extend(wrap_pieces(&pieces, self.width, &first, &rest));
    }

    /// A code block between two rules, the top one naming the language; the body highlighted. `/copy`
    /// copies the reply's Markdown, so the frame never reaches the clipboard.
    fn code_block(&mut self, code: &CodeBlock) {
        let indent: Pieces = vec![("  ".into(), Style::new())];
        let text = code.text.trim_end_matches('\n');
        let highlighted = if self.theme.has_color() {
            highlight::highlight(text, &code.language, self.theme.is_light())
        } else {
            None
        };
        let language = code.language.split([',', ' ']).next().unwrap_or_default();
        self.out.push(code_rule(language, self.width, self.theme));
        match highlighted {
            Some(lines) => {
                for pieces in lines {
                    self.out.extend(wrap_pieces_hard(&pieces, self.width, &indent));
                }
            }
            None => {
                let style = self.theme.inline_code();
                for line in text.lines() {
                    self.out.extend(wrap_hard(line, style, self.width, &indent));
                }
            }
        }
        self.out.push(code_rule("", self.width, self.theme));
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|line| !line.spans.is_empty()) {
            self.out.push(Line::default());
        }
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        self.flush();
        while self.out.last().is_some_and(|line| line.spans.is_empty()) {
            self.out.pop();
        }
        self.out
    }
}

/// A rule as wide as the pane, `── rust ─────` when it names a language.
fn code_rule(language: &str, width: usize, theme: Theme) -> Line<'static> {
    let width = width.max(4);
    let label = if language.is_empty() { String::new() } else { format!(" {language} ") };
    let label_width = unicode_width::UnicodeWidthStr::width(label.as_str());
    let text = if label.is_empty() || label_width + 3 > width {
        "─".repeat(width)
    } else {
        format!("──{label}{}", "─".repeat(width - label_width - 2))
    };
    Line::styled(text, theme.code_frame())
}

/// Hard-wrap a highlighted line (pieces with their own styles).
fn wrap_pieces_hard(pieces: &[(String, Style)], width: usize, prefix: &Pieces) -> Vec<Line<'static>> {
    if pieces.is_empty() {
        return vec![Line::from(
            prefix.iter().map(|(t, s)| ratatui::text::Span::styled(t.clone(), *s)).collect::<Vec<_>>(),
        )];
    }
    // Code keeps its spacing: expand tabs and break by columns, style by style.
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut width_used = 0;
    let mut current: Vec<ratatui::text::Span<'static>> =
        prefix.iter().map(|(t, s)| ratatui::text::Span::styled(t.clone(), *s)).collect();
    let prefix_width: usize =
        prefix.iter().map(|(t, _)| unicode_width::UnicodeWidthStr::width(t.as_str())).sum();
    width_used += prefix_width;
    for (text, style) in pieces {
        for grapheme in unicode_segmentation::UnicodeSegmentation::graphemes(text.as_str(), true) {
            let grapheme = if grapheme == "\t" { "    " } else { grapheme };
            let w = unicode_width::UnicodeWidthStr::width(grapheme);
            if width_used + w > width.max(4) && width_used > prefix_width {
                lines.push(Line::from(std::mem::take(&mut current)));
                current = prefix.iter().map(|(t, s)| ratatui::text::Span::styled(t.clone(), *s)).collect();
                width_used = prefix_width;
            }
            match current.last_mut() {
                Some(last) if last.style == *style && width_used > prefix_width => {
                    last.content.to_mut().push_str(grapheme)
                }
                _ => current.push(ratatui::text::Span::styled(grapheme.to_string(), *style)),
            }
            width_used += w;
        }
    }
    lines.push(Line::from(current));
    lines
}

#[cfg(test)]
mod tests;
