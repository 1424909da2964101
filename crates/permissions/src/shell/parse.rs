//! The walk over the bash syntax tree. Each `match` below lists the node kinds it decodes; every other
//! kind is an error, so that the engine asks about what it was not taught to read.

use super::decode::{Decoded, ansi_c};
use super::{CommandPart, DirectoryChange, MAX_DEPTH};
use crate::error::ShellSplitError;
use tree_sitter::{Node, Parser};

/// Output redirection targets that write no file.
const HARMLESS_TARGETS: [&str; 3] = ["/dev/null", "/dev/stdout", "/dev/stderr"];
/// Tokens that join commands into lists, pipelines and groups.
const JOINERS: [&str; 11] = ["&&", "||", ";", "&", "|", "|&", "\n", "{", "}", "(", ")"];
/// Tokens around and between the statements of `$(…)`, backticks and `<(…)`/`>(…)`.
const SUBSTITUTION_TOKENS: [&str; 8] = ["$(", "`", ")", "<(", ">(", ";", "&", "\n"];

pub(super) fn parse(command: &str) -> Result<Vec<CommandPart>, ShellSplitError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .map_err(|_| ShellSplitError::Unsupported("the bash grammar could not be loaded".into()))?;
    let tree = parser.parse(command, None).ok_or(ShellSplitError::Syntax)?;
    let root = tree.root_node();
    if root.has_error() {
        return Err(ShellSplitError::Syntax);
    }
    let mut walker = Walker { source: command, parts: Vec::new(), scopes: vec![Vec::new()] };
    walker.statement(root, 0)?;
    Ok(walker.parts)
}

struct Walker<'s> {
    source: &'s str,
    parts: Vec<CommandPart>,
    /// The `cd`s seen so far in each enclosing shell; a subshell's own do not leak out.
    scopes: Vec<Vec<DirectoryChange>>,
}

/// What the redirections of one command do.
#[derive(Default)]
struct Redirections {
    outputs: Vec<String>,
    inputs: Vec<String>,
    text: Vec<String>,
}

fn unsupported(node: Node<'_>) -> ShellSplitError {
    ShellSplitError::Unsupported(format!("`{}`", node.kind().replace('_', " ")))
}

impl<'s> Walker<'s> {
    fn text(&self, node: Node<'_>) -> &'s str {
        &self.source[node.byte_range()]
    }

    fn statement(&mut self, node: Node<'_>, depth: usize) -> Result<(), ShellSplitError> {
        if depth > MAX_DEPTH {
            return Err(ShellSplitError::TooDeep(MAX_DEPTH));
        }
        match node.kind() {
            "program" | "list" | "pipeline" | "compound_statement" | "negated_command" => {
                self.statements(node, depth, &JOINERS)
            }
            "subshell" => {
                self.scopes.push(Vec::new());
                let result = self.statements(node, depth + 1, &JOINERS);
                self.scopes.pop();
                result
            }
            "command" => self.command(node, depth, Redirections::default()),
            "redirected_statement" => self.redirected(node, depth),
            "variable_assignment" => {
                let (words, expands) = self.expanded_word(node, depth)?;
                let unknown = if expands { words.len() } else { 0 };
                self.push_part(node, self.text(node).to_string(), words, unknown, Redirections::default());
                Ok(())
            }
            "comment" => Ok(()),
            _ => Err(unsupported(node)),
        }
    }

    /// The statements among `node`'s children; every other child must be one of `tokens`.
    fn statements(&mut self, node: Node<'_>, depth: usize, tokens: &[&str]) -> Result<(), ShellSplitError> {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.is_named() {
                self.statement(child, depth)?;
            } else if !(tokens.contains(&child.kind())
                || (child.kind() == "!" && node.kind() == "negated_command"))
            {
                return Err(unsupported(child));
            }
        }
        Ok(())
    }

    /// `BODY REDIRECT…`: the redirections belong to the command, or to everything a group runs.
    fn redirected(&mut self, node: Node<'_>, depth: usize) -> Result<(), ShellSplitError> {
        let mut redirections = Redirections::default();
        let mut body = None;
        let mut cursor = node.walk();
        for (index, child) in node.children(&mut cursor).enumerate() {
            let field = u32::try_from(index).ok().and_then(|i| node.field_name_for_child(i));
            if field == Some("body") {
                body = Some(child);
            } else if child.is_named() {
                self.redirect(child, depth, &mut redirections)?;
            } else {
                return Err(unsupported(child));
            }
        }
        match body {
            Some(body) if body.kind() == "command" => self.command(body, depth, redirections),
            Some(body) => {
                let text = redirections.text.join(" ");
                self.push_part(node, text, Vec::new(), 0, redirections);
                self.statement(body, depth)
            }
            None => {
                let text = redirections.text.join(" ");
                self.push_part(node, text, Vec::new(), 0, redirections);
                Ok(())
            }
        }
    }

    fn command(
        &mut self,
        node: Node<'_>,
        depth: usize,
        mut redirections: Redirections,
    ) -> Result<(), ShellSplitError> {
        let mut words = Vec::new();
        let mut unknown = 0;
        let mut text = Vec::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "file_redirect" | "heredoc_redirect" | "herestring_redirect" => {
                    let mut own = Redirections::default();
                    self.redirect(child, depth, &mut own)?;
                    text.append(&mut own.text);
                    redirections.outputs.append(&mut own.outputs);
                    redirections.inputs.append(&mut own.inputs);
                }
                _ if child.is_named() => {
                    let (expanded, expands) = self.expanded_word(child, depth)?;
                    if expands {
                        unknown += expanded.len();
                    }
                    words.extend(expanded);
                    text.push(self.text(child).to_string());
                }
                _ => return Err(unsupported(child)),
            }
        }
        text.append(&mut redirections.text);
        self.push_part(node, text.join(" "), words, unknown, redirections);
        Ok(())
    }

    fn push_part(
        &mut self,
        node: Node<'_>,
        text: String,
        words: Vec<String>,
        unknown_words: usize,
        redirections: Redirections,
    ) {
        if words.is_empty() && redirections.outputs.is_empty() && redirections.inputs.is_empty() {
            return;
        }
        let change = (words.first().map(String::as_str) == Some("cd")).then(|| directory_change(&words));
        let directory_changes = self.scopes.iter().flatten().cloned().collect();
        self.parts.push(CommandPart {
            text,
            words,
            unknown_words,
            output_targets: redirections.outputs,
            input_files: redirections.inputs,
            directory_changes,
            start: node.start_byte(),
        });
        if let (Some(change), Some(scope)) = (change, self.scopes.last_mut()) {
            scope.push(change);
        }
    }

    /// One redirection: output targets are writes, input files are reads, here-documents are data
    /// unless their delimiter is unquoted (then substitutions in the body run).
    fn redirect(
        &mut self,
        node: Node<'_>,
        depth: usize,
        redirections: &mut Redirections,
    ) -> Result<(), ShellSplitError> {
        match node.kind() {
            "file_redirect" => self.file_redirect(node, depth, redirections),
            "herestring_redirect" => {
                redirections.text.push(self.text(node).to_string());
                let mut cursor = node.walk();
                for child in node.children(&mut cursor).filter(Node::is_named) {
                    self.word(child, depth)?;
                }
                Ok(())
            }
            "heredoc_redirect" => self.heredoc(node, depth, redirections),
            _ => Err(unsupported(node)),
        }
    }

    fn file_redirect(
        &mut self,
        node: Node<'_>,
        depth: usize,
        redirections: &mut Redirections,
    ) -> Result<(), ShellSplitError> {
        redirections.text.push(self.text(node).to_string());
        let mut operator = None;
        let mut destinations = Vec::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "file_descriptor" => {}
                _ if !child.is_named() => operator = Some(child.kind()),
                _ => destinations.extend(self.word(child, depth)?),
            }
        }
        let is_descriptor = |word: &String| word == "-" || word.bytes().all(|b| b.is_ascii_digit());
        match operator {
            Some(">" | ">>" | "&>" | "&>>" | ">|" | "<>") => redirections
                .outputs
                .extend(destinations.into_iter().filter(|d| !HARMLESS_TARGETS.contains(&d.as_str()))),
            Some("<") => redirections.inputs.extend(destinations),
            Some(">&") if !destinations.iter().all(is_descriptor) => redirections
                .outputs
                .extend(destinations.into_iter().filter(|d| !HARMLESS_TARGETS.contains(&d.as_str()))),
            Some("<&") if !destinations.iter().all(is_descriptor) => redirections.inputs.extend(destinations),
            Some(">&" | "<&" | ">&-" | "<&-") => {}
            _ => return Err(unsupported(node)),
        }
        Ok(())
    }

    fn heredoc(
        &mut self,
        node: Node<'_>,
        depth: usize,
        redirections: &mut Redirections,
    ) -> Result<(), ShellSplitError> {
        let mut literal = false;
        let mut text = String::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "<<" | "<<-" => text.push_str(child.kind()),
                "heredoc_start" => {
                    let delimiter = self.text(child);
                    literal = delimiter.contains(['\'', '"', '\\']);
                    text.push_str(delimiter);
                }
                "heredoc_body" if literal => {}
                "heredoc_body" => self.heredoc_body(child, depth)?,
                "heredoc_end" => {}
                "file_redirect" => self.file_redirect(child, depth, redirections)?,
                _ => return Err(unsupported(child)),
            }
        }
        redirections.text.insert(0, text);
        Ok(())
    }

    /// An unquoted here-document body expands: substitutions in it run.
    fn heredoc_body(&mut self, node: Node<'_>, depth: usize) -> Result<(), ShellSplitError> {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "heredoc_content" => {}
                "simple_expansion" | "expansion" | "command_substitution" => {
                    self.decode(child, &mut Decoded::default(), depth)?
                }
                _ => return Err(unsupported(child)),
            }
        }
        Ok(())
    }

    /// The words one argument node becomes after quote removal and brace expansion.
    fn word(&mut self, node: Node<'_>, depth: usize) -> Result<Vec<String>, ShellSplitError> {
        Ok(self.expanded_word(node, depth)?.0)
    }

    /// The words, and whether their value depends on an expansion.
    fn expanded_word(
        &mut self,
        node: Node<'_>,
        depth: usize,
    ) -> Result<(Vec<String>, bool), ShellSplitError> {
        let mut decoded = Decoded::default();
        self.decode(node, &mut decoded, depth)?;
        Ok((decoded.expand_braces()?, decoded.expands()))
    }

    fn decode(&mut self, node: Node<'_>, out: &mut Decoded, depth: usize) -> Result<(), ShellSplitError> {
        let text = self.text(node);
        match node.kind() {
            "word" | "number" | "brace_expression" if is_literal(text) => out.push_bare(text),
            "raw_string" => out.push_quoted(text.trim_start_matches('\'').trim_end_matches('\'')),
            "ansi_c_string" => {
                let body = text
                    .strip_prefix("$'")
                    .and_then(|t| t.strip_suffix('\''))
                    .ok_or_else(|| unsupported(node))?;
                out.push_quoted(&ansi_c(body)?);
            }
            "string" => self.double_quoted(node, out, depth)?,
            "concatenation" | "command_name" => self.concatenation(node, out, depth)?,
            "variable_assignment" => self.concatenation(node, out, depth)?,
            "variable_name" => out.push_bare(text),
            "simple_expansion" => {
                let mut cursor = node.walk();
                let plain = node
                    .children(&mut cursor)
                    .all(|child| matches!(child.kind(), "$" | "variable_name" | "special_variable_name"));
                if !plain {
                    return Err(unsupported(node));
                }
                out.push_expansion(text);
            }
            "expansion" => {
                let mut cursor = node.walk();
                let plain = node.children(&mut cursor).all(|child| {
                    matches!(child.kind(), "${" | "}" | "variable_name" | "special_variable_name")
                });
                if !plain {
                    return Err(ShellSplitError::Unsupported(
                        "a parameter expansion with an operator".into(),
                    ));
                }
                out.push_quoted(text);
            }
            "command_substitution" | "process_substitution" => {
                if text.starts_with('`') && text.contains('\\') {
                    return Err(ShellSplitError::Unsupported("a backslash inside backticks".into()));
                }
                self.scopes.push(Vec::new());
                let result = self.statements(node, depth + 1, &SUBSTITUTION_TOKENS);
                self.scopes.pop();
                result?;
                out.push_expansion(text);
            }
            _ => return Err(unsupported(node)),
        }
        Ok(())
    }

    /// Children that are glued together into one word; text between them would be a gap in the tree.
    fn concatenation(
        &mut self,
        node: Node<'_>,
        out: &mut Decoded,
        depth: usize,
    ) -> Result<(), ShellSplitError> {
        let mut at = node.start_byte();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.start_byte() != at {
                return Err(unsupported(node));
            }
            at = child.end_byte();
            match child.kind() {
                "=" | "+=" if node.kind() == "variable_assignment" => out.push_bare(child.kind()),
                _ if child.is_named() => self.decode(child, out, depth)?,
                _ => return Err(unsupported(child)),
            }
        }
        if at != node.end_byte() {
            return Err(unsupported(node));
        }
        Ok(())
    }

    /// `"…"`: text between the expansions is decoded with double-quote escapes.
    fn double_quoted(
        &mut self,
        node: Node<'_>,
        out: &mut Decoded,
        depth: usize,
    ) -> Result<(), ShellSplitError> {
        let (start, end) = (node.start_byte() + 1, node.end_byte().saturating_sub(1));
        if !self.text(node).starts_with('"') || end < start {
            return Err(unsupported(node));
        }
        let mut at = start;
        let mut cursor = node.walk();
        for child in node.children(&mut cursor).filter(Node::is_named) {
            out.push_double_quoted(&self.source[at..child.start_byte()]);
            match child.kind() {
                "string_content" => out.push_double_quoted(self.text(child)),
                "simple_expansion" | "expansion" | "command_substitution" => {
                    let mut inner = Decoded::default();
                    self.decode(child, &mut inner, depth)?;
                    out.push_expansion(&inner.text());
                }
                _ => return Err(unsupported(child)),
            }
            at = child.end_byte();
        }
        out.push_double_quoted(&self.source[at..end]);
        Ok(())
    }
}

/// Whether a word the grammar calls plain holds no unescaped character that would make bash expand or
/// split it (`$`, a backtick, an operator). The grammar separates those into their own nodes; finding
/// one here means the tree and bash disagree, and the line asks.
fn is_literal(text: &str) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '$' | '`' | ';' | '&' | '|' | '<' | '>' | '(' | ')' | '\'' | '"' | ' ' | '\t' | '\n' => {
                return false;
            }
            _ => {}
        }
    }
    true
}

fn directory_change(words: &[String]) -> DirectoryChange {
    match words {
        [_] => DirectoryChange::Home,
        [_, dir] | [_, _, dir] if !dir.starts_with('-') && !dir.contains(['$', '`']) => {
            if words.len() == 3 && words[1] != "--" {
                return DirectoryChange::Unknown;
            }
            DirectoryChange::To(dir.clone())
        }
        _ => DirectoryChange::Unknown,
    }
}
