//! Turning a command's body into a prompt: arguments first, then the pieces the agent must resolve
//! (`@file` contents, `` !`cmd` `` output) through its permission engine.

/// Replace `$ARGUMENTS` with all the arguments and `$1`…`$9` with the words in those positions (empty when
/// missing). A body that uses neither gets the arguments appended, so typed text is never lost.
pub fn substitute_arguments(body: &str, arguments: &str) -> String {
    let arguments = arguments.trim();
    let words: Vec<&str> = arguments.split_whitespace().collect();
    let mut out = String::with_capacity(body.len() + arguments.len());
    let mut used = false;
    let mut rest = body;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix("ARGUMENTS") {
            out.push_str(arguments);
            used = true;
            rest = tail;
        } else if let Some(digit) = positional(after) {
            out.push_str(words.get(digit as usize - 1).copied().unwrap_or_default());
            used = true;
            rest = &after[1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    if !used && !arguments.is_empty() {
        out.push_str("\n\n");
        out.push_str(arguments);
    }
    out
}

/// The position `1`…`9` when `after` (what follows a `$`) starts a positional placeholder. An amount is not
/// one: a digit followed by another digit (`$10`) or by `.` or `,` and a digit (`$5.00`, `$1,000`) stays as
/// written, while `$1.` at the end of a sentence or `$1,$2` are placeholders.
fn positional(after: &str) -> Option<u32> {
    let mut chars = after.chars();
    let digit = chars.next()?.to_digit(10).filter(|digit| *digit > 0)?;
    let next = chars.next();
    let then = chars.next();
    let amount = next.is_some_and(|c| c.is_ascii_digit())
        || (matches!(next, Some('.' | ',')) && then.is_some_and(|c| c.is_ascii_digit()));
    (!amount).then_some(digit)
}

/// A part of a prompt: plain text, or something the agent resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `` !`cmd` ``: replaced by the command's output (or why it did not run).
    Shell(String),
    /// `@path`: kept as written; the file's contents are appended after the prompt.
    File(String),
}

/// Split `text` into pieces. `@path` counts at the start of a word only (so `a@b.com` is text), and a
/// trailing `.`, `,` or `)` is not part of the path.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("!`")
            && let Some(end) = after.find('`')
        {
            flush(&mut plain, &mut out);
            out.push(Piece::Shell(after[..end].to_string()));
            rest = &after[end + 1..];
            continue;
        }
        let at_word_start = plain.chars().last().is_none_or(char::is_whitespace);
        if at_word_start && let Some(after) = rest.strip_prefix('@') {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let path = after[..end].trim_end_matches(['.', ',', ')', ';', ':']);
            if !path.is_empty() && !path.contains(':') {
                plain.push('@');
                plain.push_str(path);
                flush(&mut plain, &mut out);
                out.push(Piece::File(path.to_string()));
                rest = &after[path.len()..];
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut plain, &mut out);
    out
}

fn flush(plain: &mut String, out: &mut Vec<Piece>) {
    if !plain.is_empty() {
        out.push(Piece::Text(std::mem::take(plain)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_replace_their_placeholders() {
        assert_eq!(
            substitute_arguments("Fix issue $1 in $2 ($ARGUMENTS)", "42 parser"),
            "Fix issue 42 in parser (42 parser)"
        );
        assert_eq!(substitute_arguments("Only $3 and $", "a b"), "Only  and $");
        // Amounts stay as written; a placeholder may still end a sentence or sit before a comma.
        assert_eq!(
            substitute_arguments("Costs $5.00, $10 or $1,000", "x"),
            "Costs $5.00, $10 or $1,000\n\nx"
        );
        assert_eq!(substitute_arguments("Open $1. Then $1,$2", "a b"), "Open a. Then a,b");
        assert_eq!(substitute_arguments("Review the code", "carefully"), "Review the code\n\ncarefully");
        assert_eq!(substitute_arguments("Review", ""), "Review");
    }

    #[test]
    fn files_and_commands_are_found() {
        assert_eq!(
            pieces("See @src/lib.rs, then !`git status` and mail a@b.com"),
            [
                Piece::Text("See @src/lib.rs".into()),
                Piece::File("src/lib.rs".into()),
                Piece::Text(", then ".into()),
                Piece::Shell("git status".into()),
                Piece::Text(" and mail a@b.com".into()),
            ]
        );
        assert_eq!(
            pieces("an @mcp:resource stays text"),
            [Piece::Text("an @mcp:resource stays text".into())]
        );
        assert_eq!(pieces("unclosed !`ls"), [Piece::Text("unclosed !`ls".into())]);
    }
}
