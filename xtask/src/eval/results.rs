//! A run's results: the table printed at the end, the JSON file kept under `target/eval/`, and the
//! comparison of two kept runs.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One run of the suite: what ran, against what, and each task's grade.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunResults {
    /// The name given with `--label`, e.g. the prompt version under test.
    pub label: String,
    /// When the run started, UTC, `YYYYMMDDTHHMMSSZ`.
    pub started: String,
    /// "scripted", or the model asked for ("configured" when the configuration chose it).
    pub model: String,
    pub tasks: Vec<TaskResult>,
}

/// One task's grade and costs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskResult {
    pub name: String,
    pub passed: bool,
    pub failed_checks: Vec<FailedCheck>,
    /// The result line's `subtype` (`success`, `error_max_turns`, …) or "no result".
    pub outcome: String,
    pub turns: u64,
    /// Tool calls the permission engine refused.
    pub denials: usize,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: f64,
    pub wall_ms: u64,
    /// The end of the binary's stderr, to see why a run failed without running it again.
    pub stderr_tail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedCheck {
    pub check: String,
    pub detail: String,
}

impl RunResults {
    pub fn passed(&self) -> usize {
        self.tasks.iter().filter(|task| task.passed).count()
    }

    /// The results table, in Markdown.
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| task | result | failed checks | turns | tokens (in / out) | cost | wall time |\n|---|---|---|---|---|---|---|\n",
        );
        for task in &self.tasks {
            let failed: Vec<String> = task
                .failed_checks
                .iter()
                .map(|failed| format!("{} ({})", failed.check, failed.detail))
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} / {} | ${:.4} | {:.1} s |\n",
                task.name,
                if task.passed { "pass" } else { "FAIL" },
                failed.join("; "),
                task.turns,
                task.input_tokens,
                task.output_tokens,
                task.cost_usd,
                task.wall_ms as f64 / 1000.0
            ));
        }
        out.push_str(&format!(
            "\n{}/{} tasks passed ({}, `{}`)\n",
            self.passed(),
            self.tasks.len(),
            self.model,
            self.label
        ));
        out
    }

    /// Writes `<dir>/<started>-<label>.json` and returns its path.
    pub fn save(&self, dir: &Path) -> Result<PathBuf> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!("{}-{}.json", self.started, file_safe(&self.label)));
        std::fs::write(&path, serde_json::to_string_pretty(self)?)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    pub fn load(path: &Path) -> Result<RunResults> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not an eval results file", path.display()))
    }
}

/// A results file named by path, or by label: the latest `<dir>/*-<label>.json`.
pub fn find(dir: &Path, name: &str) -> Result<PathBuf> {
    let path = PathBuf::from(name);
    if path.is_file() {
        return Ok(path);
    }
    let suffix = format!("-{}.json", file_safe(name));
    let mut matches: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(&suffix)))
        .collect();
    // Names start with the UTC start time, so the greatest is the latest.
    matches.sort();
    match matches.pop() {
        Some(path) => Ok(path),
        None => bail!("no results file {name}, and no run labelled `{name}` in {}", dir.display()),
    }
}

/// The difference between two runs, task by task, in Markdown.
pub fn compare(before: &RunResults, after: &RunResults) -> String {
    let mut out = format!(
        "`{}` ({}, {}) → `{}` ({}, {})\n\n| task | result | turns | tokens (in + out) | cost | wall time |\n|---|---|---|---|---|---|\n",
        before.label, before.model, before.started, after.label, after.model, after.started
    );
    for task in &after.tasks {
        let Some(old) = before.tasks.iter().find(|old| old.name == task.name) else {
            out.push_str(&format!("| {} | (new) {} | | | | |\n", task.name, verdict(task)));
            continue;
        };
        out.push_str(&format!(
            "| {} | {} → {} | {} → {} | {} → {} | ${:.4} → ${:.4} | {:.1} → {:.1} s |\n",
            task.name,
            verdict(old),
            verdict(task),
            old.turns,
            task.turns,
            old.input_tokens + old.output_tokens,
            task.input_tokens + task.output_tokens,
            old.cost_usd,
            task.cost_usd,
            old.wall_ms as f64 / 1000.0,
            task.wall_ms as f64 / 1000.0
        ));
    }
    let total = |run: &RunResults| run.tasks.iter().map(|t| t.cost_usd).sum::<f64>();
    out.push_str(&format!(
        "\npassed: {}/{} → {}/{}; cost: ${:.4} → ${:.4}\n",
        before.passed(),
        before.tasks.len(),
        after.passed(),
        after.tasks.len(),
        total(before),
        total(after)
    ));
    out
}

fn verdict(task: &TaskResult) -> &'static str {
    if task.passed { "pass" } else { "FAIL" }
}

/// Keeps a label usable in a file name.
fn file_safe(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect()
}
