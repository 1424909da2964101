//! `cargo xtask eval`: small realistic tasks on throwaway repositories, run through the real `claurst` binary
//! headless and graded by checks on the repository and the transcript (see docs/evals.md).
//!
//! Without a model (no `--model`, `--provider`, `--real` and no `ANTHROPIC_API_KEY`) it runs against the
//! scripted API, where scripted "models" do some tasks well and some badly: a test of the harness, not of a
//! model.

pub(crate) mod fixtures;
mod grade;
mod results;
mod run;
mod scripts;
mod tasks;
#[cfg(test)]
mod tests;
mod transcript;

use anyhow::{Context, Result, bail};
use claurst_test_support::MockApi;
use results::RunResults;
pub use run::{Home, ModelSource, Runner};
use std::path::PathBuf;

/// What `cargo xtask eval` was asked to do.
#[derive(Debug, Default)]
struct Options {
    label: Option<String>,
    model: Option<String>,
    provider: Option<String>,
    real_home: bool,
    scripted: bool,
    binary: Option<PathBuf>,
    max_turns: Option<u32>,
    compare: Option<(String, String)>,
    tasks: Vec<String>,
}

const USAGE: &str = "usage: cargo xtask eval [TASK…] [--label NAME] [--model MODEL] [--provider NAME] [--real] \
                     [--scripted] [--binary PATH] [--max-turns N]\n       cargo xtask eval --compare A B";

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value =
            |flag: &str| args.next().cloned().with_context(|| format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--label" => options.label = Some(value("--label")?),
            "--model" => options.model = Some(value("--model")?),
            "--provider" => options.provider = Some(value("--provider")?),
            "--binary" => options.binary = Some(PathBuf::from(value("--binary")?)),
            "--max-turns" => {
                options.max_turns = Some(value("--max-turns")?.parse().context("--max-turns N")?)
            }
            "--real" => options.real_home = true,
            "--scripted" => options.scripted = true,
            "--compare" => options.compare = Some((value("--compare")?, value("--compare")?)),
            flag if flag.starts_with("--") => bail!("unknown option {flag}\n{USAGE}"),
            task => options.tasks.push(task.to_owned()),
        }
    }
    Ok(options)
}

/// The directory results files are kept in.
pub fn results_dir() -> PathBuf {
    crate::measure::workspace_root().join("target/eval")
}

pub fn run(args: &[String]) -> Result<()> {
    let options = parse(args)?;
    if let Some((before, after)) = &options.compare {
        let dir = results_dir();
        let before = RunResults::load(&results::find(&dir, before)?)?;
        let after = RunResults::load(&results::find(&dir, after)?)?;
        print!("{}", results::compare(&before, &after));
        return Ok(());
    }
    // Before building anything: a misspelt task name should fail at once.
    tasks::select(&options.tasks)?;
    let configured = options.model.is_some()
        || options.provider.is_some()
        || options.real_home
        || std::env::var_os("ANTHROPIC_API_KEY").is_some();
    let binary = match &options.binary {
        Some(path) => run::existing_binary(path)?,
        None => run::default_binary()?,
    };
    let api;
    let (source, model) = if options.scripted || !configured {
        api = MockApi::start();
        (ModelSource::Scripted(&api), "scripted".to_owned())
    } else {
        let home = if options.real_home { Home::Real } else { Home::Isolated };
        let model = options.model.clone().unwrap_or_else(|| "configured".to_owned());
        (
            ModelSource::Configured {
                model: options.model.clone(),
                provider: options.provider.clone(),
                home,
            },
            model,
        )
    };
    let runner = Runner { binary, source, max_turns: options.max_turns.unwrap_or(40) };
    let label = options.label.clone().unwrap_or_else(|| "unlabelled".to_owned());
    let results = run_tasks(&runner, &options.tasks, label, model)?;
    print!("{}", results.table());
    let path = results.save(&results_dir())?;
    println!("results: {}", path.display());
    Ok(())
}

/// Runs the selected tasks (in scripted mode, those with a script) and collects their grades.
pub fn run_tasks(runner: &Runner<'_>, names: &[String], label: String, model: String) -> Result<RunResults> {
    let scripted = matches!(runner.source, ModelSource::Scripted(_));
    let started = now_utc()?;
    let mut graded = Vec::new();
    for task in tasks::select(names)? {
        if scripted && task.script.is_none() {
            continue;
        }
        eprintln!("eval: {} …", task.name);
        graded.push(runner.run(task)?);
    }
    Ok(RunResults { label, started, model, tasks: graded })
}

fn now_utc() -> Result<String> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    Ok(time::OffsetDateTime::now_utc().format(&format)?)
}
