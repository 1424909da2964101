//! Which `git` invocations only read the repository.

/// Subcommands that never change the repository, the work tree or the configuration.
const READ_ONLY_SUBCOMMANDS: &[&str] = &[
    "status",
    "diff",
    "log",
    "show",
    "rev-parse",
    "ls-files",
    "ls-tree",
    "cat-file",
    "blame",
    "describe",
    "shortlog",
    "grep",
    "rev-list",
    "merge-base",
    "name-rev",
    "show-ref",
    "count-objects",
    "check-ignore",
    "diff-tree",
    "diff-files",
    "diff-index",
    "for-each-ref",
    "whatchanged",
    "version",
];

/// Long options of any subcommand that write a file, start another program or read outside the
/// repository. Git accepts unique prefixes of long options, so any prefix of one of these asks too.
const DANGEROUS_LONG: &[&str] = &[
    "output",
    "output-directory",
    "open-files-in-pager",
    "ext-diff",
    "textconv",
    "filters",
    "exec",
    "exec-path",
    "config-env",
    "upload-pack",
    "receive-pack",
    "paginate",
    "file",
    "show-signature",
];
/// Short options of any subcommand that write or start a program (`git grep -O`, `git grep -f FILE`).
const DANGEROUS_SHORT: &[char] = &['O', 'f'];

/// What a read-only git call reads beyond the repository: `-C` directories, `--no-index` operands and
/// `--contents` files.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct GitReading<'a> {
    pub(super) paths: Vec<&'a str>,
}

/// `git branch` options that only list.
const BRANCH_LISTING: &[&str] = &[
    "-a",
    "--all",
    "-r",
    "--remotes",
    "-v",
    "-vv",
    "--verbose",
    "-l",
    "--list",
    "--show-current",
    "--contains",
    "--no-contains",
    "--merged",
    "--no-merged",
    "--points-at",
    "--sort",
    "--format",
    "--column",
    "--no-column",
    "--color",
    "--no-color",
    "-i",
    "--ignore-case",
    "--abbrev",
    "--no-abbrev",
];

/// `git config` options that read values.
const CONFIG_READS: &[&str] = &["--get", "--get-all", "--get-regexp", "--list", "-l"];
const CONFIG_MODIFIERS: &[&str] = &[
    "--global",
    "--local",
    "--system",
    "--show-origin",
    "--show-scope",
    "--null",
    "-z",
    "--name-only",
    "--includes",
];

/// `args` are the words after `git`.
pub(super) fn read(args: &[String]) -> Option<GitReading<'_>> {
    let (subcommand, rest) = skip_global_options(args)?;
    let mut reading = GitReading { paths: directories(args) };
    let options = rest.iter().take_while(|a| a.as_str() != "--");
    let mut no_index = false;
    let mut words = options.clone();
    while let Some(arg) = words.next() {
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
            if name.is_empty() || DANGEROUS_LONG.iter().any(|d| d.starts_with(name)) {
                return None;
            }
            if name.len() > 3 && "no-index".starts_with(name) {
                no_index = true;
            }
            if name.len() > 2 && "contents".starts_with(name) {
                reading.paths.push(value.or_else(|| words.next().map(String::as_str))?);
            }
        } else if arg.starts_with('-') && arg.chars().skip(1).any(|c| DANGEROUS_SHORT.contains(&c)) {
            // `-n5`-style values may contain these letters; asking then is the safe side.
            return None;
        }
    }
    if no_index {
        reading.paths.extend(rest.iter().filter(|a| !a.starts_with('-')).map(String::as_str));
    }
    subcommand_reads_only(subcommand, rest).then_some(reading)
}

fn subcommand_reads_only(subcommand: &str, rest: &[String]) -> bool {
    let first = rest.first().map(String::as_str);
    match subcommand {
        "branch" => lists_only(rest, BRANCH_LISTING, &["-l", "--list"]),
        "tag" => {
            lists_only(rest, &["-l", "--list", "-n", "--contains", "--sort", "--format"], &["-l", "--list"])
        }
        "remote" => rest.iter().all(|a| a == "-v" || a == "--verbose") || first == Some("get-url"),
        "stash" => matches!(first, Some("list" | "show")),
        "worktree" => first == Some("list"),
        "reflog" => matches!(first, None | Some("show")),
        "config" => {
            rest.iter().any(|a| CONFIG_READS.contains(&a.as_str()))
                && rest
                    .iter()
                    .filter(|a| a.starts_with('-'))
                    .all(|a| CONFIG_READS.contains(&a.as_str()) || CONFIG_MODIFIERS.contains(&a.as_str()))
        }
        other => READ_ONLY_SUBCOMMANDS.contains(&other),
    }
}

/// Skips `--no-pager`, `-P`, `--no-optional-locks` and `-C DIR`. Any other global option (notably `-c`,
/// which can set a pager or alias to any program) makes the call not read-only.
fn skip_global_options(args: &[String]) -> Option<(&str, &[String])> {
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        match arg.as_str() {
            "--no-pager" | "-P" | "--no-optional-locks" => index += 1,
            "-C" => index += 2,
            other if other.starts_with('-') => return None,
            subcommand => return Some((subcommand, &args[index + 1..])),
        }
    }
    None
}

/// The directories named by `-C DIR` among the global options.
pub(super) fn directories(args: &[String]) -> Vec<&str> {
    let mut directories = Vec::new();
    let mut index = 0;
    while let Some(option) = args.get(index).filter(|arg| arg.starts_with('-')) {
        index += 1;
        if option == "-C" {
            directories.extend(args.get(index).map(String::as_str));
            index += 1;
        }
    }
    directories
}

/// Options all in `listing`; positional arguments (patterns) only together with a list flag.
fn lists_only(args: &[String], listing: &[&str], list_flags: &[&str]) -> bool {
    let options_ok = args
        .iter()
        .filter(|a| a.starts_with('-'))
        .all(|a| listing.contains(&a.split('=').next().unwrap_or_default()));
    let has_positional = args.iter().any(|a| !a.starts_with('-'));
    options_ok && (!has_positional || args.iter().any(|a| list_flags.contains(&a.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(command: &str) -> bool {
        let args: Vec<String> = command.split_whitespace().map(String::from).collect();
        read(&args).is_some()
    }

    #[test]
    fn outside_paths_are_reported() {
        let words = |command: &str| command.split_whitespace().map(String::from).collect::<Vec<_>>();
        let diff = words("diff --no-index /etc/passwd a");
        assert_eq!(read(&diff).unwrap().paths, ["/etc/passwd", "a"]);
        let diff = words("diff --no-ind /etc/passwd a");
        assert_eq!(read(&diff).unwrap().paths, ["/etc/passwd", "a"]);
        let blame = words("-C sub blame --contents=/etc/passwd x");
        assert_eq!(read(&blame).unwrap().paths, ["sub", "/etc/passwd"]);
    }

    #[test]
    fn reading_subcommands() {
        for command in [
            "status --short",
            "diff HEAD~1",
            "log --oneline -n 5",
            "show HEAD:src/main.rs",
            "--no-pager diff",
            "-C sub status",
            "branch",
            "branch -vv",
            "branch --list feat*",
            "tag -l v1.*",
            "remote -v",
            "stash list",
            "config --get user.name",
            "rev-parse --show-toplevel",
        ] {
            assert!(git(command), "git {command}");
        }
    }

    #[test]
    fn mutating_subcommands() {
        for command in [
            "push",
            "commit -m x",
            "checkout main",
            "reset --hard",
            "branch -D old",
            "branch new-feature",
            "tag v1.0",
            "remote add origin x",
            "stash",
            "stash pop",
            "config user.name me",
            "config --unset --get user.name",
            "-c core.pager=rm log",
            "diff --output=patch.diff",
            "grep -O foo",
            "reflog expire --all",
            "",
            "diff --out=patch.diff",
            "diff --ext",
            "log --text",
            "show --textc HEAD:x",
            "grep --open-files foo",
            "grep -Ofoo x",
            "grep -f /etc/passwd",
            "--git-dir=/tmp/x log",
            "submodule foreach rm",
        ] {
            assert!(!git(command), "git {command}");
        }
    }
}
