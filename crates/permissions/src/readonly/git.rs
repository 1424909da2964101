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

/// Options of any subcommand that write a file or start another program.
const UNSAFE_OPTIONS: &[&str] = &["--output", "-O", "--open-files-in-pager", "--ext-diff", "--exec"];

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
pub(super) fn is_read_only(args: &[String]) -> bool {
    let Some((subcommand, rest)) = skip_global_options(args) else {
        return false;
    };
    let option_name = |a: &String| a.split('=').next().unwrap_or_default().to_string();
    if rest.iter().any(|a| UNSAFE_OPTIONS.contains(&option_name(a).as_str())) {
        return false;
    }
    let first = rest.first().map(String::as_str);
    match subcommand {
        "branch" => lists_only(rest, BRANCH_LISTING, &["-l", "--list"]),
        "tag" => {
            lists_only(rest, &["-l", "--list", "-n", "--contains", "--sort", "--format"], &["-l", "--list"])
        }
        "remote" => rest.iter().all(|a| a == "-v" || a == "--verbose") || first == Some("get-url"),
        "stash" => matches!(first, Some("list" | "show")),
        "worktree" => first == Some("list"),
        "submodule" => first.is_none() || first == Some("status"),
        "reflog" => !matches!(first, Some("expire" | "delete")),
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
        is_read_only(&args)
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
        ] {
            assert!(!git(command), "git {command}");
        }
    }
}
