//! The servers' answers as compact text for the model: paths relative to the project, 1-based positions.

use crate::position::{from_lsp, line_text};
use lsp_types::{
    Diagnostic, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse, GotoDefinitionResponse, Hover,
    HoverContents, Location, MarkedString, SymbolKind,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads the files locations point into, once each, to turn positions and show lines.
pub struct Files<'a> {
    root: &'a Path,
    texts: HashMap<PathBuf, Option<String>>,
}

impl<'a> Files<'a> {
    pub fn new(root: &'a Path) -> Self {
        Self { root, texts: HashMap::new() }
    }

    pub fn display(&self, path: &Path) -> String {
        match path.strip_prefix(self.root) {
            Ok(relative) => relative.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    fn text(&mut self, path: &Path) -> Option<&str> {
        self.texts.entry(path.to_path_buf()).or_insert_with(|| std::fs::read_to_string(path).ok()).as_deref()
    }

    /// `path:line:character` of an LSP position, with the line's text when the file can be read.
    pub fn location(&mut self, path: &Path, line: u32, character: u32) -> String {
        let shown = self.display(path);
        match self.text(path) {
            Some(text) => {
                let (line_1, char_1) = from_lsp(text, line, character);
                let source = line_text(text, line).unwrap_or_default().to_string();
                format!("{shown}:{line_1}:{char_1}: {source}")
            }
            None => format!("{shown}:{}:{}", line + 1, character + 1),
        }
    }

    fn position(&mut self, path: &Path, line: u32, character: u32) -> (u32, u32) {
        match self.text(path) {
            Some(text) => from_lsp(text, line, character),
            None => (line + 1, character + 1),
        }
    }
}

/// Diagnostics of one file, errors first: a header line, then `path:line:character: severity: message`.
pub fn diagnostics(files: &mut Files<'_>, path: &Path, diagnostics: &[Diagnostic]) -> String {
    let shown = files.display(path);
    if diagnostics.is_empty() {
        return format!("No diagnostics in {shown}.");
    }
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| (severity_rank(d.severity), d.range.start.line, d.range.start.character));
    let errors = sorted.iter().filter(|d| severity_rank(d.severity) == 0).count();
    let mut out =
        format!("{} in {shown} ({errors} error{}):", count(sorted.len(), "diagnostic"), plural(errors));
    for diagnostic in sorted {
        let (line, character) =
            files.position(path, diagnostic.range.start.line, diagnostic.range.start.character);
        let code = match &diagnostic.code {
            Some(lsp_types::NumberOrString::String(code)) => format!(" [{code}]"),
            Some(lsp_types::NumberOrString::Number(code)) => format!(" [{code}]"),
            None => String::new(),
        };
        let message = diagnostic.message.replace('\n', " ");
        out.push_str(&format!(
            "\n{shown}:{line}:{character}: {}: {message}{code}",
            severity(diagnostic.severity)
        ));
    }
    out
}

fn severity(severity: Option<DiagnosticSeverity>) -> &'static str {
    match severity {
        Some(DiagnosticSeverity::WARNING) => "warning",
        Some(DiagnosticSeverity::INFORMATION) => "info",
        Some(DiagnosticSeverity::HINT) => "hint",
        _ => "error",
    }
}

fn severity_rank(severity: Option<DiagnosticSeverity>) -> u8 {
    match severity {
        Some(DiagnosticSeverity::WARNING) => 1,
        Some(DiagnosticSeverity::INFORMATION) => 2,
        Some(DiagnosticSeverity::HINT) => 3,
        _ => 0,
    }
}

/// Definitions or references: a header naming how many, then one location per line.
pub fn locations(files: &mut Files<'_>, noun: &str, found: Vec<Location>) -> String {
    if found.is_empty() {
        return format!("No {noun}s found.");
    }
    let mut out = format!("{}:", count(found.len(), noun));
    for location in found {
        let Some(path) = crate::uri::to_path(location.uri.as_str()) else {
            out.push_str(&format!("\n{}", location.uri.as_str()));
            continue;
        };
        let start = location.range.start;
        out.push_str(&format!("\n{}", files.location(&path, start.line, start.character)));
    }
    out
}

/// Every location of a definition answer, whatever its shape.
pub fn definition_locations(response: Option<GotoDefinitionResponse>) -> Vec<Location> {
    match response {
        None => Vec::new(),
        Some(GotoDefinitionResponse::Scalar(location)) => vec![location],
        Some(GotoDefinitionResponse::Array(locations)) => locations,
        Some(GotoDefinitionResponse::Link(links)) => links
            .into_iter()
            .map(|link| Location { uri: link.target_uri, range: link.target_selection_range })
            .collect(),
    }
}

/// Hover text, as plain as the server gave it.
pub fn hover(hover: Option<Hover>) -> String {
    let text = match hover.map(|hover| hover.contents) {
        None => String::new(),
        Some(HoverContents::Markup(markup)) => markup.value,
        Some(HoverContents::Scalar(marked)) => marked_text(marked),
        Some(HoverContents::Array(list)) => {
            list.into_iter().map(marked_text).collect::<Vec<_>>().join("\n\n")
        }
    };
    let text = text.trim();
    if text.is_empty() { "No hover information at this position.".to_string() } else { text.to_string() }
}

fn marked_text(marked: MarkedString) -> String {
    match marked {
        MarkedString::String(text) => text,
        MarkedString::LanguageString(code) => format!("```{}\n{}\n```", code.language, code.value),
    }
}

/// The symbols of a file as an indented outline: `kind name (line:character)`.
pub fn symbols(files: &mut Files<'_>, path: &Path, response: Option<DocumentSymbolResponse>) -> String {
    let shown = files.display(path);
    let mut lines = Vec::new();
    match response {
        None => {}
        Some(DocumentSymbolResponse::Flat(list)) => {
            for symbol in list {
                let start = symbol.location.range.start;
                let (line, character) = files.position(path, start.line, start.character);
                let container = symbol.container_name.map(|c| format!(" in {c}")).unwrap_or_default();
                lines.push(format!("{} {}{container} ({line}:{character})", kind(symbol.kind), symbol.name));
            }
        }
        Some(DocumentSymbolResponse::Nested(list)) => outline(files, path, &list, 0, &mut lines),
    }
    if lines.is_empty() {
        return format!("No symbols in {shown}.");
    }
    format!("{} in {shown}:\n{}", count(lines.len(), "symbol"), lines.join("\n"))
}

fn outline(
    files: &mut Files<'_>,
    path: &Path,
    symbols: &[DocumentSymbol],
    depth: usize,
    out: &mut Vec<String>,
) {
    for symbol in symbols {
        let start = symbol.selection_range.start;
        let (line, character) = files.position(path, start.line, start.character);
        let detail =
            symbol.detail.as_deref().filter(|d| !d.is_empty()).map(|d| format!(": {d}")).unwrap_or_default();
        out.push(format!(
            "{}{} {}{detail} ({line}:{character})",
            "  ".repeat(depth),
            kind(symbol.kind),
            symbol.name
        ));
        if let Some(children) = &symbol.children {
            outline(files, path, children, depth + 1, out);
        }
    }
}

fn kind(kind: SymbolKind) -> &'static str {
    const NAMES: &[(SymbolKind, &str)] = &[
        (SymbolKind::FILE, "file"),
        (SymbolKind::MODULE, "module"),
        (SymbolKind::NAMESPACE, "namespace"),
        (SymbolKind::PACKAGE, "package"),
        (SymbolKind::CLASS, "class"),
        (SymbolKind::METHOD, "method"),
        (SymbolKind::PROPERTY, "property"),
        (SymbolKind::FIELD, "field"),
        (SymbolKind::CONSTRUCTOR, "constructor"),
        (SymbolKind::ENUM, "enum"),
        (SymbolKind::INTERFACE, "interface"),
        (SymbolKind::FUNCTION, "function"),
        (SymbolKind::VARIABLE, "variable"),
        (SymbolKind::CONSTANT, "constant"),
        (SymbolKind::STRING, "string"),
        (SymbolKind::NUMBER, "number"),
        (SymbolKind::BOOLEAN, "boolean"),
        (SymbolKind::ARRAY, "array"),
        (SymbolKind::OBJECT, "object"),
        (SymbolKind::KEY, "key"),
        (SymbolKind::NULL, "null"),
        (SymbolKind::ENUM_MEMBER, "enum member"),
        (SymbolKind::STRUCT, "struct"),
        (SymbolKind::EVENT, "event"),
        (SymbolKind::OPERATOR, "operator"),
        (SymbolKind::TYPE_PARAMETER, "type parameter"),
    ];
    NAMES.iter().find(|(known, _)| *known == kind).map_or("symbol", |(_, name)| name)
}

fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
