//! Reading a program's arguments as its option parser will: short clusters (`-la`), attached and
//! separate values (`-n5`, `-n 5`), long options with `=` or a separate value, unique-prefix
//! abbreviations, `--` and `-`. Only options a program's table lists are understood; anything else
//! means the program is not known to stay read-only.

/// A read-only program: the options it accepts, with their arity and what their values are.
#[derive(Debug, Clone, Copy)]
pub(super) struct Program {
    pub(super) names: &'static [&'static str],
    /// Short options without a value.
    pub(super) flags: &'static str,
    /// Short options with a value that is not a file.
    pub(super) valued: &'static str,
    /// Short options whose value is a file the program reads.
    pub(super) path_valued: &'static str,
    /// Long options (without `--`) without a value, besides `--help` and `--version` (see `help`).
    pub(super) long_flags: &'static [&'static str],
    pub(super) long_valued: &'static [&'static str],
    pub(super) long_paths: &'static [&'static str],
    /// Long options whose value may only be given with `=`.
    pub(super) long_optional: &'static [&'static str],
    /// Long options that write, run programs or otherwise leave read-only territory: never accepted,
    /// and no abbreviation that could mean one of them is accepted either.
    pub(super) dangerous: &'static [&'static str],
    /// Options (`-L`, `--follow`) that make the program follow symlinks while walking directories.
    pub(super) follows_links: &'static [&'static str],
    pub(super) operands: Operands,
    /// `-5` is a number option (`head -5`, `seq -1 3`).
    pub(super) numeric: bool,
    /// At most this many operands (`uniq IN OUT` writes OUT, `cd` takes one).
    pub(super) max_operands: usize,
    /// The first operand is a pattern, not a file, unless one of these options gave the pattern.
    pub(super) pattern_options: Option<&'static [&'static str]>,
    /// Words whose value is unknown (`$x`) are harmless here (`echo $HOME`); elsewhere they ask, since
    /// they may expand to options.
    pub(super) unknown_words_ok: bool,
    pub(super) help: Help,
}

/// Whether `--help` and `--version` are options: they are for every GNU program (and print, read-only);
/// for a shell builtin such as `echo` they are operands or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Help {
    Options,
    NotOptions,
}

/// What a program's operands are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operands {
    /// Files or directories it reads.
    Paths,
    /// Text (`echo`, `tr` sets, `basename` names).
    Text,
}

pub(super) const PROGRAM: Program = Program {
    names: &[],
    flags: "",
    valued: "",
    path_valued: "",
    long_flags: &[],
    long_valued: &[],
    long_paths: &[],
    long_optional: &[],
    dangerous: &[],
    follows_links: &[],
    operands: Operands::Paths,
    numeric: false,
    max_operands: usize::MAX,
    pattern_options: None,
    unknown_words_ok: false,
    help: Help::Options,
};

/// A call of a read-only program, understood.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Reading<'a> {
    /// Options given, by their canonical name (`-n`, `--lines`).
    pub(super) options: Vec<String>,
    pub(super) operands: Vec<&'a str>,
    /// Files the program reads: path operands and the values of file options.
    pub(super) paths: Vec<&'a str>,
    pub(super) follows_links: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    None,
    Text,
    Path,
    Optional,
}

impl Program {
    fn short(&self, c: char) -> Option<Value> {
        if self.flags.contains(c) {
            Some(Value::None)
        } else if self.valued.contains(c) {
            Some(Value::Text)
        } else if self.path_valued.contains(c) {
            Some(Value::Path)
        } else {
            None
        }
    }

    /// Every long option with the value it takes.
    fn long_options(&self) -> impl Iterator<Item = (&'static str, Value)> + Clone {
        let help: &'static [&'static str] = match self.help {
            Help::Options => &["help", "version"],
            Help::NotOptions => &[],
        };
        let tables = [
            (self.long_flags, Value::None),
            (help, Value::None),
            (self.long_valued, Value::Text),
            (self.long_paths, Value::Path),
            (self.long_optional, Value::Optional),
        ];
        tables.into_iter().flat_map(|(table, value)| table.iter().map(move |option| (*option, value)))
    }

    /// The option `name` means, exactly or as the unique prefix of one option, and never a prefix of a
    /// dangerous one (GNU getopt accepts any unambiguous prefix).
    fn resolve_long(&self, name: &str) -> Option<(&'static str, Value)> {
        let all = self.long_options();
        if let Some(exact) = all.clone().find(|(option, _)| *option == name) {
            return Some(exact);
        }
        if self.dangerous.iter().any(|option| option.starts_with(name)) {
            return None;
        }
        let mut candidates = all.filter(|(option, _)| option.starts_with(name));
        match (candidates.next(), candidates.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// Reads `args` (the words after the program name); `None` when any of them is not understood.
    pub(super) fn read<'a>(&self, args: &'a [String]) -> Option<Reading<'a>> {
        let mut reading = Reading::default();
        let mut words = args.iter();
        let mut options_done = false;
        while let Some(word) = words.next() {
            if options_done || word == "-" || !word.starts_with('-') {
                reading.operands.push(word);
                continue;
            }
            if word == "--" {
                options_done = true;
            } else if let Some(long) = word.strip_prefix("--") {
                self.read_long(long, &mut words, &mut reading)?;
            } else {
                self.read_short(&word[1..], &mut words, &mut reading)?;
            }
        }
        if reading.operands.len() > self.max_operands {
            return None;
        }
        let mut operands = reading.operands.as_slice();
        if let Some(pattern_options) = self.pattern_options
            && !reading.options.iter().any(|o| pattern_options.contains(&o.as_str()))
        {
            operands = operands.get(1..).unwrap_or_default();
        }
        if self.operands == Operands::Paths {
            reading.paths.extend(operands.iter().copied());
        }
        reading.follows_links = reading.options.iter().any(|o| self.follows_links.contains(&o.as_str()));
        Some(reading)
    }

    fn read_long<'a>(
        &self,
        long: &'a str,
        words: &mut std::slice::Iter<'a, String>,
        reading: &mut Reading<'a>,
    ) -> Option<()> {
        let (name, attached) = match long.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (long, None),
        };
        let (canonical, value) = self.resolve_long(name)?;
        reading.options.push(format!("--{canonical}"));
        let given = match (value, attached) {
            (Value::None, Some(_)) => return None,
            (Value::None | Value::Optional, None) => return Some(()),
            (Value::Text | Value::Path, None) => words.next()?.as_str(),
            (_, Some(given)) => given,
        };
        if value == Value::Path {
            reading.paths.push(file_value(given)?);
        }
        Some(())
    }

    fn read_short<'a>(
        &self,
        cluster: &'a str,
        words: &mut std::slice::Iter<'a, String>,
        reading: &mut Reading<'a>,
    ) -> Option<()> {
        if self.numeric && cluster.chars().all(|c| c.is_ascii_digit()) && !cluster.is_empty() {
            reading.options.push("-NUM".to_string());
            return Some(());
        }
        for (at, c) in cluster.char_indices() {
            let value = self.short(c)?;
            reading.options.push(format!("-{c}"));
            if value == Value::None {
                continue;
            }
            let rest = &cluster[at + c.len_utf8()..];
            let value_word = if rest.is_empty() { words.next()?.as_str() } else { rest };
            if value == Value::Path {
                reading.paths.push(file_value(value_word)?);
            }
            return Some(());
        }
        Some(())
    }
}

/// A file-valued option's value. `-` (standard input) is not understood: for `--files0-from=-` it would
/// make the program read files named on its input, which nothing here can check.
fn file_value(value: &str) -> Option<&str> {
    (value != "-").then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SORT: Program = Program {
        names: &["sort"],
        flags: "nru",
        valued: "kt",
        long_flags: &["numeric-sort", "reverse", "unique"],
        long_valued: &["key", "field-separator"],
        long_paths: &["files0-from"],
        dangerous: &["output", "compress-program"],
        ..PROGRAM
    };

    fn read(args: &str) -> Option<Reading<'static>> {
        let words: Vec<String> = args.split_whitespace().map(String::from).collect();
        let words: &'static [String] = Box::leak(words.into_boxed_slice());
        SORT.read(words)
    }

    #[test]
    fn clusters_values_and_operands() {
        let reading = read("-nr -k2 -t , a - -- -o").unwrap();
        assert_eq!(reading.options, ["-n", "-r", "-k", "-t"]);
        assert_eq!(reading.operands, ["a", "-", "-o"]);
        assert_eq!(read("-nk 2 x").unwrap().operands, ["x"]);
        assert!(read("-o out").is_none());
        assert!(read("-nro out").is_none());
        assert!(read("-k").is_none());
    }

    #[test]
    fn long_options_and_abbreviations() {
        assert_eq!(read("--key=2 --numeric a").unwrap().options, ["--key", "--numeric-sort"]);
        assert_eq!(read("--files0-from list").unwrap().paths, ["list"]);
        assert!(read("--files0-from=-").is_none(), "names read from stdin cannot be checked");
        assert!(read("--output=x").is_none());
        assert!(read("--o=x").is_none(), "a prefix of --output");
        assert!(read("--c=x").is_none(), "a prefix of --compress-program");
        assert!(read("--re").is_some(), "a unique prefix of --reverse");
        assert!(read("--u").is_some());
        assert!(read("--unique=yes").is_none());
        assert!(read("--bogus").is_none());
    }
}
