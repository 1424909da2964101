//! Which `sed` invocations only print: no in-place editing, no script file, and scripts made only of
//! printing, deleting, substituting and transliterating commands (never `w`, `e`, `r` or the `w`/`e` flags).

/// Short options that neither write nor take a script file.
const SAFE_SHORT: &str = "nErsuz";
const SAFE_LONG: &[&str] = &[
    "--quiet",
    "--silent",
    "--regexp-extended",
    "--separate",
    "--null-data",
    "--unbuffered",
    "--posix",
    "--debug",
    "--sandbox",
];

/// The files a printing `sed` reads, or `None` when it may write or is not understood. `args` are the
/// words after `sed`.
pub(super) fn read(args: &[String]) -> Option<Vec<&str>> {
    let mut positional = Vec::new();
    is_read_only(args, &mut positional).then_some(positional)
}

fn is_read_only<'a>(args: &'a [String], files: &mut Vec<&'a str>) -> bool {
    let mut scripts: Vec<&str> = Vec::new();
    let mut positional: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    let mut options_done = false;
    while let Some(arg) = iter.next() {
        if options_done || !arg.starts_with('-') || arg == "-" {
            positional.push(arg);
        } else if arg == "--" {
            options_done = true;
        } else if arg == "--expression" {
            let Some(script) = iter.next() else { return false };
            scripts.push(script);
        } else if let Some(script) = arg.strip_prefix("--expression=") {
            scripts.push(script);
        } else if arg.starts_with("--") {
            if !SAFE_LONG.contains(&arg.as_str()) {
                return false;
            }
        } else {
            let flags = &arg[1..];
            let script_at = flags.find(|c| !SAFE_SHORT.contains(c));
            match script_at.map(|at| flags.split_at(at)) {
                None => {}
                Some((_, "e")) => match iter.next() {
                    Some(script) => scripts.push(script),
                    None => return false,
                },
                Some((_, rest)) => match rest.strip_prefix('e') {
                    Some(script) => scripts.push(script),
                    None => return false,
                },
            }
        }
    }
    if scripts.is_empty() {
        if positional.is_empty() {
            return false;
        }
        scripts.push(positional.remove(0));
    }
    files.extend(positional);
    scripts.into_iter().all(script_is_read_only)
}

/// Parses a sed script conservatively; anything not understood is not read-only.
fn script_is_read_only(script: &str) -> bool {
    let mut cursor = Cursor { chars: script.chars().collect(), pos: 0 };
    loop {
        cursor.skip(|c| c.is_whitespace() || c == ';');
        if cursor.peek().is_none() {
            return true;
        }
        if !cursor.address_range() {
            return false;
        }
        cursor.skip(|c| c == ' ' || c == '\t');
        if cursor.eat('!') {
            cursor.skip(|c| c == ' ' || c == '\t');
        }
        let Some(command) = cursor.next() else {
            return false;
        };
        let ok = match command {
            '{' => continue,
            'p' | 'P' | 'd' | 'D' | '=' | 'l' | 'n' | 'N' | 'g' | 'G' | 'h' | 'H' | 'x' | 'z' | '}' => true,
            'q' | 'Q' => {
                cursor.skip(|c| c.is_ascii_digit());
                true
            }
            's' => cursor.substitution(),
            'y' => cursor.delimited_pair(),
            _ => false,
        };
        cursor.skip(|c| c == ' ' || c == '\t');
        if !ok || !matches!(cursor.peek(), None | Some(';' | '\n' | '}')) {
            return false;
        }
    }
}

struct Cursor {
    chars: Vec<char>,
    pos: usize,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, expected: char) -> bool {
        let found = self.peek() == Some(expected);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip(&mut self, mut predicate: impl FnMut(char) -> bool) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(&mut predicate) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `[ADDR[,ADDR|,+N|,~N]]`; false if malformed.
    fn address_range(&mut self) -> bool {
        match self.address() {
            Some(true) => {}
            Some(false) => return true,
            None => return false,
        }
        if !self.eat(',') {
            return true;
        }
        if self.eat('+') || self.eat('~') {
            return self.skip(|c| c.is_ascii_digit()) > 0;
        }
        self.address() == Some(true)
    }

    /// One address: `N`, `N~M`, `$`, `/re/` or `\cREc`, with optional `I`/`M` after a regex.
    /// `Some(true)` parsed, `Some(false)` none there, `None` malformed.
    fn address(&mut self) -> Option<bool> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                self.skip(|c| c.is_ascii_digit());
                if self.eat('~') {
                    self.skip(|c| c.is_ascii_digit());
                }
                Some(true)
            }
            Some('$') => {
                self.pos += 1;
                Some(true)
            }
            Some('/') => {
                self.pos += 1;
                self.until('/').then(|| self.skip(|c| c == 'I' || c == 'M')).map(|_| true)
            }
            Some('\\') => {
                self.pos += 1;
                let delimiter = self.next()?;
                self.until(delimiter).then(|| self.skip(|c| c == 'I' || c == 'M')).map(|_| true)
            }
            _ => Some(false),
        }
    }

    /// Consumes up to and including an unescaped `delimiter`.
    fn until(&mut self, delimiter: char) -> bool {
        while let Some(c) = self.next() {
            if c == '\\' {
                self.pos += 1;
            } else if c == delimiter {
                return true;
            }
        }
        false
    }

    /// `DELIM text DELIM text DELIM` after `s` or `y`.
    fn delimited_pair(&mut self) -> bool {
        match self.next() {
            Some(delimiter) if delimiter != '\\' && delimiter != '\n' => {
                self.until(delimiter) && self.until(delimiter)
            }
            _ => false,
        }
    }

    /// The rest of `s/re/replacement/flags`; the `w` and `e` flags are not read-only.
    fn substitution(&mut self) -> bool {
        if !self.delimited_pair() {
            return false;
        }
        self.skip(|c| "gpiImM0123456789".contains(c));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(args: &[&str]) -> bool {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        read(&args).is_some()
    }

    #[test]
    fn printing_scripts_are_read_only() {
        assert!(sed(&["-n", "1,20p", "src/main.rs"]));
        assert!(sed(&["-n", "/start/,/end/p", "log"]));
        assert!(sed(&["s/foo/bar/g", "file"]));
        assert!(sed(&["-E", "s#a/(b)#\\1#2", "file"]));
        assert!(sed(&["-ne", "$=", "file"]));
        assert!(sed(&["-e", "1d", "-e", "s/x/y/", "f"]));
        assert!(sed(&["10q"]));
        assert!(sed(&["-n", "2,5{p;=}", "f"]));
        assert!(sed(&["y/abc/xyz/", "f"]));
    }

    #[test]
    fn writing_or_executing_scripts_are_not() {
        assert!(!sed(&["-i", "s/a/b/", "f"]));
        assert!(!sed(&["-i.bak", "s/a/b/", "f"]));
        assert!(!sed(&["-ni", "p", "f"]));
        assert!(!sed(&["--in-place", "s/a/b/", "f"]));
        assert!(!sed(&["-f", "script.sed", "f"]));
        assert!(!sed(&["s/a/b/w out", "f"]));
        assert!(!sed(&["s/a/b/e", "f"]));
        assert!(!sed(&["1w out", "f"]));
        assert!(!sed(&["e rm -rf /"]));
        assert!(!sed(&["r /etc/passwd"]));
        assert!(!sed(&["s/unclosed"]));
        assert!(!sed(&[]));
    }
}
