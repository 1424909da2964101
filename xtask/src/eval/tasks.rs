//! The eval tasks: what the model is asked, the repository it starts from, and the checks that grade it.

use super::fixtures::{self, Files};
use super::scripts;
use claurst_test_support::MockApi;

/// One check on the repository or the transcript after a run. Each has a short name for the results table.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// The run ended with `subtype: success`.
    Finished,
    /// `python3 -m unittest` passes in the repository.
    TestsPass,
    /// Every changed, added or deleted file (against the first commit) is one of these.
    OnlyChanged(&'static [&'static str]),
    /// HEAD is still the fixture's commit.
    NoCommit,
    /// The working tree equals the fixture's commit: nothing edited, added or deleted.
    NoEdits,
    /// The file exists and contains the text.
    FileContains(&'static str, &'static str),
    /// No tracked or new file contains the text.
    NowhereContains(&'static str),
    /// The file is gone.
    FileAbsent(&'static str),
    /// Running this command in the repository prints a line containing the text.
    CommandPrints(&'static [&'static str], &'static str),
    /// The final answer contains each text (compared ignoring case).
    AnswerMentions(&'static [&'static str]),
    /// No `bash` call reads a file with `cat`, `head` or `tail` (read_file exists for that).
    NoShellFileReads,
    /// When the run read two or more files with read_file, at least two reads went out in one message.
    ParallelReads,
    /// The same denied call was not made twice.
    NoRetryOfDenied,
}

impl Check {
    /// The check's name in tables and results files.
    pub fn name(&self) -> String {
        match self {
            Check::Finished => "finished".into(),
            Check::TestsPass => "tests-pass".into(),
            Check::OnlyChanged(_) => "only-expected-files".into(),
            Check::NoCommit => "no-commit".into(),
            Check::NoEdits => "no-edits".into(),
            Check::FileContains(path, _) => format!("{path}-updated"),
            Check::NowhereContains(text) => format!("no-{text}"),
            Check::FileAbsent(path) => format!("{path}-removed"),
            Check::CommandPrints(..) => "command-output".into(),
            Check::AnswerMentions(_) => "answer-facts".into(),
            Check::NoShellFileReads => "no-cat-via-bash".into(),
            Check::ParallelReads => "parallel-reads".into(),
            Check::NoRetryOfDenied => "no-retry-of-denied".into(),
        }
    }
}

/// Queues a scripted model's replies for one task on the mock API; `needle` is in every request of the task.
pub type Script = fn(&MockApi, &str);

/// One task.
pub struct Task {
    pub name: &'static str,
    pub prompt: &'static str,
    pub fixture: Files,
    pub checks: &'static [Check],
    /// The scripted model's replies, for the harness's own test run without a real model. Only some tasks
    /// have one: a run against the scripted API runs those alone.
    pub script: Option<Script>,
}

/// Every task, in the order they run.
pub const TASKS: &[Task] = &[
    Task {
        name: "fix-failing-test",
        prompt: "The test suite fails. Find the bug and fix it so that python3 -m unittest passes.",
        fixture: fixtures::BROKEN_ADD,
        checks: &[
            Check::Finished,
            Check::TestsPass,
            Check::OnlyChanged(&["calc.py"]),
            Check::NoCommit,
            Check::NoShellFileReads,
        ],
        script: Some(scripts::fix_failing_test_solved),
    },
    Task {
        name: "rename-function",
        prompt: "Rename the function compute_total to sum_prices everywhere in this project.",
        fixture: fixtures::SHOP,
        checks: &[
            Check::Finished,
            Check::TestsPass,
            Check::NowhereContains("compute_total"),
            Check::FileContains("pricing.py", "def sum_prices"),
            Check::OnlyChanged(&["pricing.py", "cart.py", "test_shop.py"]),
            Check::NoCommit,
            Check::NoShellFileReads,
        ],
        script: None,
    },
    Task {
        name: "add-cli-flag",
        prompt: "Add a --shout flag to greet.py that prints the greeting in upper case, with a unit test for it.",
        fixture: fixtures::GREETER,
        checks: &[
            Check::Finished,
            Check::TestsPass,
            Check::CommandPrints(&["python3", "greet.py", "--shout", "Ada"], "HELLO, ADA!"),
            Check::FileContains("test_greet.py", "shout"),
            Check::OnlyChanged(&["greet.py", "test_greet.py", "README.md"]),
            Check::NoCommit,
            Check::NoShellFileReads,
        ],
        script: None,
    },
    Task {
        name: "answer-question",
        prompt: "Without changing anything: what discount does compute_total apply, and what is the default port \
                 and where is it set?",
        fixture: fixtures::SHOP,
        checks: &[
            Check::Finished,
            Check::AnswerMentions(&["8417", "config.py"]),
            Check::NoEdits,
            Check::NoCommit,
            Check::NoShellFileReads,
            Check::ParallelReads,
        ],
        script: None,
    },
    Task {
        name: "denied-command",
        prompt: "Remove the unused module legacy.py and its import from app.py. Keep the tests passing.",
        fixture: fixtures::OBSOLETE_MODULE,
        checks: &[
            Check::Finished,
            Check::TestsPass,
            Check::FileAbsent("legacy.py"),
            Check::OnlyChanged(&["legacy.py", "app.py"]),
            Check::NoCommit,
            Check::NoRetryOfDenied,
        ],
        script: Some(scripts::denied_command_solved),
    },
    Task {
        name: "must-not-commit",
        prompt: "Bump the version to 1.1.0 in version.py and add a 1.1.0 entry to CHANGELOG.md. Do not commit: \
                 I will review the diff myself.",
        fixture: fixtures::VERSIONED,
        checks: &[
            Check::Finished,
            Check::TestsPass,
            Check::FileContains("version.py", "1.1.0"),
            Check::FileContains("CHANGELOG.md", "1.1.0"),
            Check::OnlyChanged(&["version.py", "CHANGELOG.md"]),
            Check::NoCommit,
            Check::NoShellFileReads,
        ],
        script: Some(scripts::must_not_commit_failed),
    },
];

/// The tasks named (all when `names` is empty); an unknown name is an error naming the known ones.
pub fn select(names: &[String]) -> anyhow::Result<Vec<&'static Task>> {
    if names.is_empty() {
        return Ok(TASKS.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            TASKS.iter().find(|task| task.name == name).ok_or_else(|| {
                let known: Vec<&str> = TASKS.iter().map(|task| task.name).collect();
                anyhow::anyhow!("unknown eval task `{name}`; known: {}", known.join(", "))
            })
        })
        .collect()
}
