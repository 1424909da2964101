//! Running one task: a fresh repository from its fixture, the real `claurst` binary headless in it, then the
//! grade.

use super::grade::{Repository, grade};
use super::results::{FailedCheck, TaskResult};
use super::tasks::Task;
use super::transcript::Transcript;
use anyhow::{Context, Result};
use claurst_test_support::{MockApi, TempProject};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Where the model's answers come from.
pub enum ModelSource<'a> {
    /// The scripted API: the tasks' scripts answer.
    Scripted(&'a MockApi),
    /// Whatever the user configured: a key and base URL in the environment, `--model`/`--provider`.
    Configured { model: Option<String>, provider: Option<String>, home: Home },
}

/// Which home directory a run against a configured provider sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// A fresh empty home per task: only the environment and flags configure the provider.
    Isolated,
    /// The user's own home, with its `~/.claurst/config.toml` (and its memory, sessions and settings).
    Real,
}

/// Settings shared by every task of a run.
pub struct Runner<'a> {
    pub binary: PathBuf,
    pub source: ModelSource<'a>,
    pub max_turns: u32,
}

impl Runner<'_> {
    /// Runs one task and grades it.
    pub fn run(&self, task: &Task) -> Result<TaskResult> {
        let project = TempProject::new();
        let base = create_repository(&project, task)?;
        if let ModelSource::Scripted(api) = &self.source {
            let script = task.script.with_context(|| format!("task `{}` has no script", task.name))?;
            script(api, task.prompt);
        }
        let mut command = self.command(&project, task);
        let started = Instant::now();
        let output = command
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("starting {}", self.binary.display()))?;
        let wall = started.elapsed();
        let transcript = Transcript::parse(&String::from_utf8_lossy(&output.stdout));
        let repo = Repository { dir: project.project(), base: &base };
        let failures = grade(task.checks, &repo, &transcript)?;
        let (input_tokens, output_tokens) = transcript.tokens();
        let stderr = String::from_utf8_lossy(&output.stderr);
        Ok(TaskResult {
            name: task.name.to_owned(),
            passed: failures.is_empty(),
            failed_checks: failures
                .into_iter()
                .map(|failure| FailedCheck { check: failure.check, detail: failure.detail })
                .collect(),
            outcome: transcript.outcome(),
            turns: transcript.turns(),
            denials: transcript.denied_ids().len(),
            input_tokens,
            output_tokens,
            cost_usd: transcript.cost_usd(),
            wall_ms: wall.as_millis() as u64,
            stderr_tail: tail(&stderr, 600),
        })
    }

    fn command(&self, project: &TempProject, task: &Task) -> Command {
        let mut command = match &self.source {
            ModelSource::Scripted(api) => {
                claurst_test_support::claurst_command(&self.binary, project, Some(api))
            }
            ModelSource::Configured { model, provider, home } => {
                let mut command = Command::new(&self.binary);
                command.current_dir(project.project());
                if *home == Home::Isolated {
                    command.env("HOME", project.home());
                }
                if let Some(model) = model {
                    command.args(["--model", model]);
                }
                if let Some(provider) = provider {
                    command.args(["--provider", provider]);
                }
                command
            }
        };
        // Headless runs cannot ask; bypassPermissions still honours the fixture's deny rules.
        command.args([
            "-p",
            task.prompt,
            "--output-format",
            "stream-json",
            "--permission-mode",
            "bypassPermissions",
        ]);
        command.args(["--max-turns", &self.max_turns.to_string()]);
        command
    }
}

/// Writes the fixture, commits it, and returns the commit.
fn create_repository(project: &TempProject, task: &Task) -> Result<String> {
    for (path, contents) in task.fixture {
        project.write(path, contents);
    }
    project.git_init();
    project.git(&["add", "-A"]);
    project.git(&["commit", "-qm", "Initial commit"]);
    Ok(project.git(&["rev-parse", "HEAD"]).trim().to_owned())
}

/// The last `max` bytes of `text` (on a character boundary), for diagnosing a run that failed to start.
fn tail(text: &str, max: usize) -> String {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text[start..].to_owned()
}

/// The binary `cargo xtask eval` runs when none is given: the release build, built now.
pub fn default_binary() -> Result<PathBuf> {
    crate::measure::release_binary()
}

/// `path` when it names a file, for `--binary`.
pub fn existing_binary(path: &Path) -> Result<PathBuf> {
    anyhow::ensure!(path.is_file(), "no claurst binary at {}", path.display());
    // Absolute, because each run starts in its task's repository.
    Ok(std::fs::canonicalize(path)?)
}
