//! Generated shell lines against real bash. Lines are built from a small grammar of tokens (read-only
//! and writing program names, options, separators, quotes, substitutions, braces, redirections, `$'…'`,
//! keywords). Every line the engine allows as read-only is then run with `/bin/bash -c` in a directory
//! whose PATH holds only logging stubs: each program bash really ran must be one the classifier saw as a
//! part, and no writing stub may run. Every other line must simply ask.

use claurst_permissions::{Access, Grant, PermissionEngine, PermissionPolicy, Verdict, split_shell_command};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Stubs of programs the classifier may allow.
const READERS: &[&str] =
    &["ls", "cat", "head", "grep", "sort", "git", "find", "wc", "sed", "rg", "du", "tree", "date"];
/// Stubs of programs that write or run other programs: none may ever run from an allowed line.
const WRITERS: &[&str] = &["rm", "touch", "tee", "python3", "sh", "xargs", "awk", "env", "cp", "mv"];

const TOKENS: &[&str] = &[
    "ls",
    "ls -la",
    "cat README.md",
    "grep -r foo",
    "grep foo README.md",
    "sort -u",
    "sort -o out",
    "echo hi",
    "git status",
    "git log --oneline",
    "git -c x=y log",
    "head -n 1",
    "wc -l",
    "sed -n 1p",
    "sed -i s/a/b/",
    "find . -name x",
    "find . -exec rm {} ;",
    "rg foo",
    "rg --pre=rm foo",
    "du -sh",
    "tree",
    "date +%F",
    "rm x",
    "touch m",
    "tee out",
    "python3",
    "sh -c x",
    "xargs rm",
    "awk 1",
    "env rm",
    "cp a b",
    "mv a b",
    ";",
    "&&",
    "||",
    "|",
    "&",
    "\n",
    "$(",
    ")",
    "`",
    "<(",
    ">(",
    "(",
    "{",
    "}",
    "'",
    "\"",
    "$'\\x72m'",
    "$'ls'",
    "{rm,x}",
    "{ls,-l}",
    "{cat,README.md}",
    "> out",
    ">> out",
    "2>&1",
    "> /dev/null",
    "< README.md",
    "#",
    "\\",
    "if",
    "then",
    "fi",
    "do",
    "done",
    "for x in 1",
    "while",
    "case",
    "esac",
    "x=1",
    "$x",
    "${x}",
    "\\rm",
    "r''m",
    "cd sub",
    "cd ..",
    "cd",
    "eval",
    "exec",
    "command",
    "time",
    "!",
    "<<EOF\nrm\nEOF\n",
    "<<'EOF'\nrm\nEOF\n",
    "--",
    "-",
    "*",
    "$((1))",
    "[[",
    "]]",
    "-exec",
    "\\\n",
    "$'\\n'",
    "'\\''",
    "\\;",
    "&>",
    ";;",
    "<<<",
    "=",
    "'$(rm x)'",
    "\"$(rm x)\"",
    "\"\\$(rm x)\"",
    "\\$(rm x)",
    "\\`rm x\\`",
    "$\"ls\"",
    "{a..c}",
    "{,rm}",
    "\\{rm,x}",
    "~",
    "..",
    "/",
    "ls$IFS-la",
    "$@",
    "$1",
    "$-",
];

struct Sandbox {
    _dir: tempfile::TempDir,
    project: PathBuf,
    stubs: PathBuf,
    log: PathBuf,
    engine: PermissionEngine,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let (project, stubs, log) = (base.join("proj"), base.join("stubs"), base.join("ran.log"));
        fs::create_dir_all(project.join("sub")).unwrap();
        fs::create_dir_all(base.join("home")).unwrap();
        fs::write(project.join("README.md"), "hello\n").unwrap();
        fs::create_dir_all(&stubs).unwrap();
        for name in READERS.iter().chain(WRITERS) {
            let stub = stubs.join(name);
            // Only builtins inside the stub: PATH holds nothing else.
            fs::write(&stub, format!("#!/bin/bash\nbuiltin echo {name} >> \"$STUB_LOG\"\n")).unwrap();
            fs::set_permissions(&stub, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let engine = PermissionEngine::new(PermissionPolicy {
            project_root: project.clone(),
            home_dir: Some(base.join("home")),
            ..PermissionPolicy::default()
        })
        .unwrap();
        Sandbox { _dir: dir, project, stubs, log, engine }
    }

    /// The programs bash ran for `line`, as the stubs logged them. Each run logs to its own file, and
    /// the run ends when every process holding its output (background ones included) has exited.
    fn run(&self, line: &str, run: usize) -> BTreeSet<String> {
        let log = self.log.with_extension(run.to_string());
        let status = Command::new("/bin/bash")
            .arg("-c")
            .arg(line)
            .current_dir(&self.project)
            .env_clear()
            .env("PATH", &self.stubs)
            .env("HOME", self.project.parent().unwrap().join("home"))
            .env("STUB_LOG", &log)
            .stdin(Stdio::null())
            .output();
        assert!(status.is_ok(), "bash could not run {line:?}");
        fs::read_to_string(&log).unwrap_or_default().lines().map(String::from).collect()
    }
}

/// The program names of the parts the classifier saw.
fn seen_programs(line: &str) -> BTreeSet<String> {
    let parts = split_shell_command(line).unwrap();
    parts
        .iter()
        .filter_map(|part| part.words().first())
        .map(|name| Path::new(name).file_name().map_or(name.clone(), |n| n.to_string_lossy().into_owned()))
        .collect()
}

/// Tokens that keep a line read-only, so that enough generated lines are allowed and really run.
const READ_ONLY_TOKENS: &[&str] = &[
    "ls",
    "cat README.md",
    "grep foo README.md",
    "sort -u README.md",
    "echo hi",
    "git status",
    "wc -l",
    "&&",
    ";",
    "|",
    "$(",
    ")",
    "`",
    "{cat,README.md}",
    "$'ls'",
    "2>&1",
    "< README.md",
    "cd sub",
    "(",
    "'",
    "\"",
    "\n",
];

fn line() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        2 => prop::sample::select(READ_ONLY_TOKENS),
        3 => prop::sample::select(TOKENS),
    ];
    let joiner = prop::sample::select(&[" ", " ", " ", ""][..]);
    prop::collection::vec((token, joiner), 1..8).prop_map(|pieces| {
        pieces.into_iter().map(|(token, joiner)| format!("{token}{joiner}")).collect::<String>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn what_is_allowed_runs_only_what_the_classifier_saw(line in line()) {
        let sandbox = SANDBOX.with(|sandbox| sandbox.clone());
        let access = Access::Shell { command: line.clone(), cwd: sandbox.project.clone() };
        match sandbox.engine.evaluate("bash", &access) {
            Verdict::Allow(Grant::ReadOnly) => {
                let run = RUNS.with(|runs| runs.replace_with(|n| *n + 1));
                let ran = sandbox.run(&line, run);
                let seen = seen_programs(&line);
                let unseen: Vec<&String> = ran.iter().filter(|name| !seen.contains(*name)).collect();
                prop_assert!(unseen.is_empty(), "{line:?} ran {unseen:?}, but the classifier saw only {seen:?}");
                let writers: Vec<&String> = ran.iter().filter(|name| WRITERS.contains(&name.as_str())).collect();
                prop_assert!(writers.is_empty(), "{line:?} ran writing programs {writers:?}");
            }
            Verdict::Ask { .. } => {}
            // A line of only blanks and comments runs nothing.
            Verdict::Allow(Grant::Approved) if seen_programs(&line).is_empty() => {}
            other => prop_assert!(false, "{line:?} neither allowed as read-only nor asked: {other:?}"),
        }
    }
}

thread_local! {
    static RUNS: std::cell::RefCell<usize> = const { std::cell::RefCell::new(0) };
    static SANDBOX: std::rc::Rc<Sandbox> = std::rc::Rc::new(Sandbox::new());
}
