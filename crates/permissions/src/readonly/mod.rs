//! Which shell commands only read: they need no approval (inside the project) and are allowed in plan mode.
//!
//! The list is short on purpose. A command belongs here only if no argument can make it write a file, run
//! another program or reach the network; commands with such options are checked argument by argument.

mod git;
mod sed;

use crate::shell::CommandPart;

/// Commands that only read whatever their arguments, and that take file or directory paths.
const READERS: &[&str] = &[
    "ls",
    "cat",
    "head",
    "tail",
    "wc",
    "grep",
    "egrep",
    "fgrep",
    "stat",
    "du",
    "df",
    "realpath",
    "readlink",
    "diff",
    "cmp",
    "comm",
    "cut",
    "tr",
    "nl",
    "tac",
    "rev",
    "fold",
    "column",
    "od",
    "strings",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "b2sum",
    "cksum",
    "jq",
    "test",
    "[",
    "cd",
    "basename",
    "dirname",
];

/// Commands that only read and whose arguments are not paths (so they are never "outside the project").
const NON_PATH_READERS: &[&str] = &[
    "pwd", "echo", "printf", "which", "type", "true", "false", "whoami", "id", "uname", "printenv", "seq",
    "sleep", "nproc", "uptime", "ps", "git",
];

/// Whether every effect of `part` is reading: no output redirection, and a command on the read-only list
/// with arguments that keep it read-only. Commands run through a path (`./ls`), behind variable
/// assignments (`PATH=x ls`) or named by an expansion (`$cmd`) are never read-only.
pub fn is_read_only(part: &CommandPart) -> bool {
    if part.writes_files() {
        return false;
    }
    let Some((name, args)) = part.words().split_first() else {
        return false;
    };
    if name.contains(['/', '=', '$', '`', '\\']) {
        return false;
    }
    match name.as_str() {
        "find" => !args.iter().any(|a| FIND_ACTIONS.contains(&a.as_str())),
        "git" => git::is_read_only(args),
        "sed" => sed::is_read_only(args),
        "rg" => !args.iter().any(|a| a.starts_with("--pre")),
        "sort" => !has_short_flag(args, 'o') && !has_long_option(args, &["--output", "--compress-program"]),
        "tree" => !has_short_flag(args, 'o'),
        "file" => !has_short_flag(args, 'C') && !has_long_option(args, &["--compile"]),
        "date" => !has_short_flag(args, 's') && !has_long_option(args, &["--set"]),
        // `uniq IN OUT` writes OUT.
        "uniq" => args.iter().filter(|a| !a.starts_with('-')).count() <= 1,
        name => READERS.contains(&name) || NON_PATH_READERS.contains(&name),
    }
}

/// The arguments of a command that may name files it reads: every argument after the command name, for
/// commands that take paths; for `git`, the directories of `-C DIR`; none for commands such as `echo`.
pub(crate) fn path_arguments(part: &CommandPart) -> Vec<&str> {
    match part.words().split_first() {
        Some((name, args)) if name == "git" => git::directories(args),
        Some((name, args)) if !NON_PATH_READERS.contains(&name.as_str()) => {
            args.iter().map(String::as_str).collect()
        }
        _ => Vec::new(),
    }
}

/// `find` primaries that run programs, delete or write files.
const FIND_ACTIONS: [&str; 9] =
    ["-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls"];

/// Whether a cluster of short options (`-ro`, `-o`) contains `flag`, before any `--`.
fn has_short_flag(args: &[String], flag: char) -> bool {
    args.iter()
        .take_while(|a| a.as_str() != "--")
        .filter(|a| a.starts_with('-') && !a.starts_with("--"))
        .any(|a| a.contains(flag))
}

/// Whether a long option in `names` is present, as `--name` or `--name=value`.
fn has_long_option(args: &[String], names: &[&str]) -> bool {
    args.iter().any(|a| names.iter().any(|name| a == name || a.starts_with(&format!("{name}="))))
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
    fn writing_options_disqualify() {
        assert!(read_only("find . -name '*.rs'"));
        assert!(!read_only("find . -name '*.o' -delete"));
        assert!(!read_only("find . -exec rm {} ;"));
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
    }

    #[test]
    fn path_arguments_skip_non_path_commands() {
        let part = |command: &str| split_shell_command(command).unwrap().remove(0);
        assert_eq!(path_arguments(&part("cat /etc/hosts -n")), ["/etc/hosts", "-n"]);
        assert!(path_arguments(&part("echo /etc/hosts")).is_empty());
        assert!(path_arguments(&part("git log src")).is_empty());
        assert_eq!(path_arguments(&part("git -C ../other --no-pager -C sub log")), ["../other", "sub"]);
    }
}
