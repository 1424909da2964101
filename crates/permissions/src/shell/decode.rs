//! Quote removal and brace expansion: the words a program will receive, decoded exactly.
//!
//! A word is decoded into characters that remember whether they were quoted, because only unquoted
//! braces expand. Expansions (`$x`, `$(…)`) keep their source text and count as quoted: their value is
//! unknown here, and the `$` left in the word makes every later check treat the word as unknown.

use crate::error::ShellSplitError;

/// How many words one word may expand to through braces before the command asks.
pub(super) const MAX_BRACE_WORDS: usize = 256;

/// A word being decoded: each character with whether quoting protects it from brace expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Decoded {
    chars: Vec<(char, Quoting)>,
    /// An expansion (`$x`, `$(…)`) is part of the word: its value is unknown here.
    expands: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Bare,
    Quoted,
}

impl Decoded {
    /// Text that is quoted (inside quotes, escaped, or an expansion kept as written).
    pub(super) fn push_quoted(&mut self, text: &str) {
        self.chars.extend(text.chars().map(|c| (c, Quoting::Quoted)));
    }

    /// Text outside quotes: backslash escapes the next character; a backslash-newline disappears.
    pub(super) fn push_bare(&mut self, text: &str) {
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('\n') => {}
                    Some(escaped) => self.chars.push((escaped, Quoting::Quoted)),
                    None => self.chars.push(('\\', Quoting::Quoted)),
                },
                c => self.chars.push((c, Quoting::Bare)),
            }
        }
    }

    /// The text of a double-quoted string between expansions: backslash escapes only `$`, `` ` ``,
    /// `"`, `\` and newline.
    pub(super) fn push_double_quoted(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.peek() {
                    Some('\n') => {
                        chars.next();
                        continue;
                    }
                    Some(&next @ ('$' | '`' | '"' | '\\')) => {
                        chars.next();
                        self.chars.push((next, Quoting::Quoted));
                        continue;
                    }
                    _ => {}
                }
            }
            self.chars.push((c, Quoting::Quoted));
        }
    }

    /// An expansion, kept as written.
    pub(super) fn push_expansion(&mut self, text: &str) {
        self.push_quoted(text);
        self.expands = true;
    }

    pub(super) fn expands(&self) -> bool {
        self.expands
    }

    pub(super) fn text(&self) -> String {
        self.chars.iter().map(|(c, _)| c).collect()
    }

    /// The words brace expansion makes of this one, in order (the word itself when it has no braces).
    pub(super) fn expand_braces(&self) -> Result<Vec<String>, ShellSplitError> {
        let mut words = Vec::new();
        expand(&self.chars, &mut words)?;
        Ok(words)
    }
}

/// Decodes the body of `$'…'` (without `$'` and `'`) as bash does.
pub(super) fn ansi_c(body: &str) -> Result<String, ShellSplitError> {
    let unsupported = || ShellSplitError::Unsupported("an escape in `$'…'`".into());
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else {
            out.push('\\');
            break;
        };
        let simple = match escape {
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'e' | 'E' => Some('\x1b'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            '\\' | '\'' | '"' | '?' => Some(escape),
            _ => None,
        };
        if let Some(decoded) = simple {
            out.push(decoded);
            continue;
        }
        let (radix, max_digits, first) = match escape {
            '0'..='7' => (8, 3, Some(escape)),
            'x' => (16, 2, None),
            'u' => (16, 4, None),
            'U' => (16, 8, None),
            'c' => {
                let control = chars.next().ok_or_else(unsupported)?;
                if !control.is_ascii() {
                    return Err(unsupported());
                }
                out.push(char::from((control as u8).to_ascii_uppercase() ^ 0x40));
                continue;
            }
            other => {
                // Bash keeps unknown escapes as written.
                out.push('\\');
                out.push(other);
                continue;
            }
        };
        let mut digits: String = first.into_iter().collect();
        while digits.len() < max_digits && chars.peek().is_some_and(|d| d.is_digit(radix)) {
            digits.extend(chars.next());
        }
        if digits.is_empty() {
            out.push('\\');
            out.push(escape);
            continue;
        }
        let value = u32::from_str_radix(&digits, radix).map_err(|_| unsupported())?;
        // `\xHH` and octal give bytes; a byte that is not ASCII would make a word that is not UTF-8.
        let byte_escape = matches!(escape, '0'..='7' | 'x');
        if byte_escape && value > 0x7f {
            return Err(unsupported());
        }
        if value == 0 {
            // Bash ends the string at a NUL.
            break;
        }
        out.push(char::from_u32(value).ok_or_else(unsupported)?);
    }
    Ok(out)
}

type Chars = [(char, Quoting)];

fn expand(word: &Chars, out: &mut Vec<String>) -> Result<(), ShellSplitError> {
    let Some((open, close, alternatives)) = first_brace(word)? else {
        out.push(word.iter().map(|(c, _)| c).collect());
        return Ok(());
    };
    for alternative in alternatives {
        let mut next: Vec<(char, Quoting)> = word[..open].to_vec();
        next.extend(alternative);
        next.extend_from_slice(&word[close + 1..]);
        expand(&next, out)?;
        if out.len() > MAX_BRACE_WORDS {
            return Err(ShellSplitError::TooManyWords(MAX_BRACE_WORDS));
        }
    }
    Ok(())
}

/// The first unquoted `{…}` that expands: its bounds and alternatives. Braces that do not expand
/// (`{}`, `{x}`, unclosed) are left as they are, as bash does.
#[allow(clippy::type_complexity)]
fn first_brace(word: &Chars) -> Result<Option<(usize, usize, Vec<Vec<(char, Quoting)>>)>, ShellSplitError> {
    let bare = |i: usize, c: char| word.get(i) == Some(&(c, Quoting::Bare));
    for open in (0..word.len()).filter(|&i| bare(i, '{')) {
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for i in open + 1..word.len() {
            if bare(i, '{') {
                depth += 1;
            } else if bare(i, '}') {
                if depth == 0 {
                    close = Some(i);
                    break;
                }
                depth -= 1;
            } else if bare(i, ',') && depth == 0 {
                commas.push(i);
            }
        }
        let Some(close) = close else { continue };
        if !commas.is_empty() {
            let mut alternatives = Vec::new();
            let mut start = open + 1;
            for end in commas.into_iter().chain([close]) {
                alternatives.push(word[start..end].to_vec());
                start = end + 1;
            }
            return Ok(Some((open, close, alternatives)));
        }
        let inner: String = word[open + 1..close].iter().map(|(c, _)| c).collect();
        if inner.contains("..") {
            let items = sequence(&inner)
                .ok_or_else(|| ShellSplitError::Unsupported(format!("the brace sequence `{{{inner}}}`")))?;
            let alternatives =
                items.into_iter().map(|item| item.chars().map(|c| (c, Quoting::Quoted)).collect()).collect();
            return Ok(Some((open, close, alternatives)));
        }
    }
    Ok(None)
}

/// `1..5`, `05..10..2`, `a..e`: the items of a sequence expression, bounded.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let fields: Vec<&str> = inner.split("..").collect();
    let (from, to, step) = match fields.as_slice() {
        [from, to] => (*from, *to, 1),
        [from, to, step] => (*from, *to, step.parse::<i64>().ok()?.unsigned_abs().max(1)),
        _ => return None,
    };
    let step = usize::try_from(step).ok()?;
    if let (Ok(a), Ok(b)) = (from.parse::<i64>(), to.parse::<i64>()) {
        let count = a.abs_diff(b) / step as u64 + 1;
        if count > MAX_BRACE_WORDS as u64 {
            return None;
        }
        let padded = [from, to]
            .iter()
            .any(|n| n.trim_start_matches('-').len() > 1 && n.trim_start_matches('-').starts_with('0'));
        let width = if padded { from.len().max(to.len()) } else { 0 };
        let values: Vec<i64> =
            if a <= b { (a..=b).step_by(step).collect() } else { (b..=a).rev().step_by(step).collect() };
        return Some(values.into_iter().map(|v| format!("{v:0width$}")).collect());
    }
    let (a, b) = (single_letter(from)?, single_letter(to)?);
    let values: Vec<char> =
        if a <= b { (a..=b).step_by(step).collect() } else { (b..=a).rev().step_by(step).collect() };
    Some(values.into_iter().map(String::from).collect())
}

fn single_letter(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let c = chars.next().filter(char::is_ascii_alphabetic)?;
    chars.next().is_none().then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn braces(bare: &str) -> Vec<String> {
        let mut word = Decoded::default();
        word.push_bare(bare);
        word.expand_braces().unwrap()
    }

    #[test]
    fn brace_lists_and_sequences() {
        assert_eq!(braces("a{b,c}d"), ["abd", "acd"]);
        assert_eq!(braces("{rm,-rf}"), ["rm", "-rf"]);
        assert_eq!(braces("{a,b}{1,2}"), ["a1", "a2", "b1", "b2"]);
        assert_eq!(braces("{a,{b,c}}"), ["a", "b", "c"]);
        assert_eq!(braces("{1..3}"), ["1", "2", "3"]);
        assert_eq!(braces("{3..1}"), ["3", "2", "1"]);
        assert_eq!(braces("{01..03}"), ["01", "02", "03"]);
        assert_eq!(braces("{a..c}"), ["a", "b", "c"]);
        assert_eq!(braces("{1..9..4}"), ["1", "5", "9"]);
        assert_eq!(braces("{}"), ["{}"]);
        assert_eq!(braces("{x}"), ["{x}"]);
        assert_eq!(braces(r"\{a,b}"), ["{a,b}"]);
        assert_eq!(braces("{a,b"), ["{a,b"]);
        let mut quoted = Decoded::default();
        quoted.push_quoted("{a,b}");
        assert_eq!(quoted.expand_braces().unwrap(), ["{a,b}"]);
    }

    #[test]
    fn brace_bombs_are_refused() {
        let mut word = Decoded::default();
        word.push_bare("{1..100000}");
        assert!(word.expand_braces().is_err());
        let mut word = Decoded::default();
        word.push_bare(&"{a,b}".repeat(12));
        assert_eq!(word.expand_braces(), Err(ShellSplitError::TooManyWords(MAX_BRACE_WORDS)));
    }

    #[test]
    fn ansi_c_escapes() {
        assert_eq!(ansi_c(r"a\'b").unwrap(), "a'b");
        assert_eq!(ansi_c(r"\x72\x6d").unwrap(), "rm");
        assert_eq!(ansi_c(r"\162m").unwrap(), "rm");
        assert_eq!(ansi_c(r"\u0072m").unwrap(), "rm");
        assert_eq!(ansi_c(r"a\tb\n").unwrap(), "a\tb\n");
        assert_eq!(ansi_c(r"\cA").unwrap(), "\x01");
        assert_eq!(ansi_c(r"\q").unwrap(), r"\q");
        assert_eq!(ansi_c(r"ab\x00cd").unwrap(), "ab");
        assert!(ansi_c(r"\xff").is_err());
    }
}
