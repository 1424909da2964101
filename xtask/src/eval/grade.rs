//! Grading: each check of a task against the repository the run left behind and its transcript.

use super::tasks::Check;
use super::transcript::{ToolCall, Transcript};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;

/// A failed check: its name and what was seen instead.
#[derive(Debug, Clone)]
pub struct Failure {
    pub check: String,
    pub detail: String,
}

/// The repository after a run, next to the commit it started from.
pub struct Repository<'a> {
    pub dir: &'a Path,
    pub base: &'a str,
}

impl Repository<'_> {
    fn git(&self, args: &[&str]) -> Result<String> {
        let output = Command::new("git").args(args).current_dir(self.dir).output().context("running git")?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Files changed, added or deleted since the first commit, committed or not.
    fn changed_files(&self) -> Result<Vec<String>> {
        let mut files: Vec<String> =
            self.git(&["diff", "--name-only", self.base])?.lines().map(str::to_owned).collect();
        let untracked = self.git(&["ls-files", "--others", "--exclude-standard"])?;
        files.extend(untracked.lines().map(str::to_owned));
        files.sort();
        files.dedup();
        Ok(files)
    }

    fn head(&self) -> Result<String> {
        Ok(self.git(&["rev-parse", "HEAD"])?.trim().to_owned())
    }

    /// Runs a command in the repository: whether it succeeded, and its stdout and stderr.
    fn run(&self, argv: &[&str]) -> Result<(bool, String)> {
        let (program, args) = argv.split_first().context("empty command")?;
        let output = Command::new(program).args(args).current_dir(self.dir).output()?;
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        Ok((output.status.success(), text))
    }
}

/// The failed checks among `checks`; empty means the task passed.
pub fn grade(checks: &[Check], repo: &Repository<'_>, transcript: &Transcript) -> Result<Vec<Failure>> {
    let mut failures = Vec::new();
    for check in checks {
        if let Some(detail) = failed(check, repo, transcript)? {
            failures.push(Failure { check: check.name(), detail });
        }
    }
    Ok(failures)
}

/// `Some(what was seen)` when the check fails.
fn failed(check: &Check, repo: &Repository<'_>, transcript: &Transcript) -> Result<Option<String>> {
    let verdict = match check {
        Check::Finished => {
            let outcome = transcript.outcome();
            (outcome != "success").then(|| format!("the run ended with `{outcome}`"))
        }
        Check::TestsPass => {
            let (passed, output) = repo.run(&["python3", "-m", "unittest", "-q"])?;
            (!passed).then(|| last_line(&output))
        }
        Check::OnlyChanged(expected) => {
            let unexpected: Vec<String> =
                repo.changed_files()?.into_iter().filter(|file| !expected.contains(&file.as_str())).collect();
            (!unexpected.is_empty()).then(|| format!("also changed: {}", unexpected.join(", ")))
        }
        Check::NoCommit => {
            let head = repo.head()?;
            (head != repo.base).then(|| format!("HEAD moved to {}", short(&head)))
        }
        Check::NoEdits => {
            let changed = repo.changed_files()?;
            (!changed.is_empty()).then(|| format!("changed: {}", changed.join(", ")))
        }
        Check::FileContains(path, text) => match std::fs::read_to_string(repo.dir.join(path)) {
            Ok(contents) if contents.contains(text) => None,
            Ok(_) => Some(format!("{path} lacks `{text}`")),
            Err(_) => Some(format!("{path} is missing")),
        },
        Check::NowhereContains(text) => {
            let (_, found) = repo.run(&["git", "grep", "-l", "--untracked", text])?;
            let found = found.trim();
            (!found.is_empty()).then(|| format!("still in: {}", found.replace('\n', ", ")))
        }
        Check::FileAbsent(path) => repo.dir.join(path).exists().then(|| format!("{path} still exists")),
        Check::CommandPrints(argv, expected) => {
            let (_, output) = repo.run(argv)?;
            (!output.contains(expected))
                .then(|| format!("`{}` printed: {}", argv.join(" "), last_line(&output)))
        }
        Check::AnswerMentions(facts) => {
            let answer = transcript.answer().to_lowercase();
            let missing: Vec<&str> =
                facts.iter().copied().filter(|fact| !answer.contains(&fact.to_lowercase())).collect();
            (!missing.is_empty()).then(|| format!("answer lacks: {}", missing.join(", ")))
        }
        Check::NoShellFileReads => {
            let reads: Vec<String> = transcript.calls().filter_map(shell_file_read).collect();
            (!reads.is_empty()).then(|| format!("read through bash: {}", reads.join("; ")))
        }
        Check::ParallelReads => parallel_reads(transcript),
        Check::NoRetryOfDenied => retried_denial(transcript),
    };
    Ok(verdict)
}

/// The command, when a bash call reads a file with a pager-free reader the read_file tool replaces.
fn shell_file_read(call: &ToolCall) -> Option<String> {
    if call.name != "bash" {
        return None;
    }
    let command = call.input["command"].as_str()?.trim();
    let program = command.split_whitespace().next()?;
    matches!(program, "cat" | "head" | "tail" | "less" | "more").then(|| command.to_owned())
}

fn parallel_reads(transcript: &Transcript) -> Option<String> {
    let reads = transcript.calls().filter(|call| call.name == "read_file").count();
    let together = transcript
        .calls_by_message
        .iter()
        .any(|calls| calls.iter().filter(|call| call.name == "read_file").count() >= 2);
    (reads >= 2 && !together).then(|| format!("{reads} read_file calls, each in its own message"))
}

/// A denied call made again with the same input.
fn retried_denial(transcript: &Transcript) -> Option<String> {
    let denied = transcript.denied_ids();
    let denied_calls: Vec<&ToolCall> = transcript.calls().filter(|call| denied.contains(&call.id)).collect();
    let repeated = denied_calls.iter().enumerate().find(|(index, call)| {
        denied_calls[..*index].iter().any(|earlier| earlier.name == call.name && earlier.input == call.input)
    });
    repeated.map(|(_, call)| format!("retried denied {} {}", call.name, call.input))
}

fn last_line(text: &str) -> String {
    text.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("(no output)").trim().to_owned()
}

fn short(commit: &str) -> &str {
    commit.get(..8).unwrap_or(commit)
}
