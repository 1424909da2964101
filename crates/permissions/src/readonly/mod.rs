//! Which shell commands only read: they need no approval (inside the project) and are allowed in plan mode.
//!
//! The list is short on purpose. A command belongs here only if it cannot write a file, run another
//! program or reach the network with the options its table lists; every other option asks. Tables are
//! data (`programs`), read by one option parser (`options`); `find`, `git` and `sed` have their own.

mod find;
mod git;
mod options;
mod programs;
mod searchers;
mod sed;

use crate::shell::CommandPart;

/// A part that only reads, understood: what it reads and how.
#[derive(Debug, Default)]
pub(crate) struct ReadOnlyCall<'a> {
    /// Files and directories it reads: path operands, file-valued options, input redirections and, for
    /// git, `-C` directories and `--no-index` operands.
    pub(crate) paths: Vec<&'a str>,
    /// It walks directories following symlinks (`grep -R`, `find -L`, `rg --follow`…).
    pub(crate) follows_links: bool,
    /// It is git: the repository's and the user's config may make it run programs.
    pub(crate) is_git: bool,
}

/// Whether every effect of `part` is reading: no output redirection, a program on the read-only list
/// named plainly (not `./ls`, not `$cmd`, not behind `VAR=value`), and only options its table lists.
/// This looks at the words only; the engine also checks paths, symlinks and git config.
pub fn is_read_only(part: &CommandPart) -> bool {
    classify(part).is_some()
}

/// The read-only reading of `part`, or `None` when it may do more than read.
pub(crate) fn classify(part: &CommandPart) -> Option<ReadOnlyCall<'_>> {
    if part.writes_files() {
        return None;
    }
    let (name, args) = part.words().split_first()?;
    if name.contains(['/', '=', '$', '`', '\\']) {
        return None;
    }
    let unknown_words_ok = programs::program(name).is_some_and(|program| program.unknown_words_ok);
    if part.has_unknown_words() && !unknown_words_ok {
        return None;
    }
    let mut call = match name.as_str() {
        "find" => {
            let (paths, follows_links) = find::read(args)?;
            ReadOnlyCall { paths, follows_links, is_git: false }
        }
        "git" => ReadOnlyCall { paths: git::read(args)?.paths, follows_links: false, is_git: true },
        "sed" => ReadOnlyCall { paths: sed::read(args)?, ..ReadOnlyCall::default() },
        name => {
            let reading = programs::program(name)?.read(args)?;
            // `date MMDDhhmm` sets the clock; only `+FORMAT` operands are read-only.
            if name == "date" && !reading.operands.iter().all(|o| o.starts_with('+')) {
                return None;
            }
            ReadOnlyCall { paths: reading.paths, follows_links: reading.follows_links, is_git: false }
        }
    };
    call.paths.extend(part.input_files().iter().map(String::as_str));
    Some(call)
}

/// The words of a part that may name files it reads or, when it is not read-only, writes: for a
/// read-only command what [`classify`] found (`reading`); for any other, every argument and input file.
pub(crate) fn path_arguments<'a>(part: &'a CommandPart, reading: Option<&ReadOnlyCall<'a>>) -> Vec<&'a str> {
    if let Some(call) = reading {
        return call.paths.clone();
    }
    let arguments = part.words().iter().skip(1).map(String::as_str);
    arguments.chain(part.input_files().iter().map(String::as_str)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::split_shell_command;

    fn read_only(command: &str) -> bool {
        let parts = split_shell_command(command).unwrap();
        assert_eq!(parts.len(), 1, "{command}");
        is_read_only(&parts[0])
    }

    #[test]
    fn plain_readers() {
        for command in
            ["ls -la", "cat README.md", "head -n 5 a", "wc -l src/*.rs", "pwd", "echo hi", "rg -n foo"]
        {
            assert!(read_only(command), "{command}");
        }
        for command in ["rm -rf build", "cargo build", "python x.py", "awk '{print}' a", "xargs cat", "tee f"]
        {
            assert!(!read_only(command), "{command}");
        }
    }

    #[test]
    fn help_and_version_are_options_of_gnu_programs_only() {
        for command in ["ls --help", "cat --version", "cat --vers", "sha256sum --help", "rg --help"] {
            assert!(read_only(command), "{command}");
        }
        assert!(!read_only("sleep --help"), "a builtin-like table without them");
    }

    #[test]
    fn writing_options_disqualify() {
        assert!(read_only("find . -name '*.rs'"));
        assert!(!read_only("find . -name '*.o' -delete"));
        assert!(!read_only("find . -exec rm {} \\;"));
        assert!(!read_only("rg --pre ./script foo"));
        assert!(read_only("sort -u names"));
        assert!(!read_only("sort -o out names"));
        assert!(!read_only("sort --output=out names"));
        assert!(!read_only("tree -o out"));
        assert!(!read_only("date -s tomorrow"));
        assert!(read_only("uniq names"));
        assert!(!read_only("uniq names out"));
    }

    #[test]
    fn redirections_and_indirection_disqualify() {
        assert!(!read_only("echo hi > file"));
        assert!(read_only("ls 2>&1"));
        assert!(read_only("ls > /dev/null"));
        assert!(!read_only("./ls"));
        assert!(!read_only("/bin/rm x"));
        assert!(!read_only("PATH=. ls"));
        assert!(!read_only("$EDITOR file"));
        assert!(!read_only("printf -v PATH /tmp"));
        assert!(!read_only("ls --colour"));
        assert!(!read_only("sort --o=x a"));
        assert!(!read_only("rg --pr=sh x"));
        assert!(!read_only("rg -z x"));
        assert!(!read_only("date 010100002030"));
        assert!(read_only("date +%F"));
        assert!(read_only("ls --col=never"));
        assert!(read_only("head -5 x"));
        assert!(read_only("cat - x"));
        assert!(!read_only("cat $X"));
        assert!(read_only("echo $HOME"));
    }

    #[test]
    fn path_arguments_skip_non_path_commands() {
        let path_arguments = |command: &str| -> Vec<String> {
            let part = split_shell_command(command).unwrap().remove(0);
            path_arguments(&part, classify(&part).as_ref()).into_iter().map(str::to_string).collect()
        };
        assert_eq!(path_arguments("cat /etc/hosts -n"), ["/etc/hosts"]);
        assert_eq!(path_arguments("grep -f /etc/pats x"), ["/etc/pats", "x"]);
        assert_eq!(path_arguments("wc < /etc/passwd"), ["/etc/passwd"]);
        assert_eq!(path_arguments("rm -rf /etc"), ["-rf", "/etc"]);
        assert!(path_arguments("echo /etc/hosts").is_empty());
        assert!(path_arguments("git log src").is_empty());
        assert_eq!(path_arguments("git -C ../other --no-pager -C sub log"), ["../other", "sub"]);
    }
}
