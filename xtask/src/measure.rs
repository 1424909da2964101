//! Measuring commands: wall time over repeated runs, and peak resident memory.

use anyhow::{Context, Result, bail};
use nix::sys::resource::{UsageWho, getrusage};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Wall-time statistics over several runs.
#[derive(Debug, Clone)]
pub struct Timing {
    pub runs: usize,
    pub median: Duration,
    pub p99: Duration,
}

impl Timing {
    pub fn from_samples(mut samples: Vec<Duration>) -> Timing {
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Timing { runs: samples.len(), median: at(0.5), p99: at(0.99) }
    }
}

/// Run `make()` `runs` times, failing if any run fails; returns the timing and the last output.
pub fn time_command(runs: usize, mut make: impl FnMut() -> Command) -> Result<(Timing, Output)> {
    let mut samples = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let mut command = make();
        let started = Instant::now();
        let output = command.output().context("running the benchmarked command")?;
        samples.push(started.elapsed());
        if !output.status.success() {
            bail!(
                "benchmarked command failed ({:?}):\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        last = Some(output);
    }
    let output = last.context("no runs")?;
    Ok((Timing::from_samples(samples), output))
}

/// Peak resident set size, in KiB, of the largest child process waited for so far. Benchmarks that want the
/// peak of one command run it in a fresh `xtask` child process (see `peak_rss_of`).
pub fn children_peak_rss_kib() -> Result<i64> {
    Ok(getrusage(UsageWho::RUSAGE_CHILDREN)?.max_rss())
}

/// Peak RSS (KiB) of one run of `command`: measured in a fresh helper process so earlier, larger children
/// cannot hide it.
pub fn peak_rss_of(command: &Command) -> Result<i64> {
    let mut probe = Command::new(std::env::current_exe()?);
    probe.arg("bench").arg("--rss-probe").arg(command.get_program());
    probe.args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        probe.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => probe.env(key, value),
            None => probe.env_remove(key),
        };
    }
    let output = probe.output()?;
    if !output.status.success() {
        bail!("rss probe failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    String::from_utf8_lossy(&output.stdout).trim().parse().context("rss probe output")
}

/// The `--rss-probe` side: run the command, wait, print the child's peak RSS in KiB.
pub fn rss_probe(args: &[String]) -> Result<()> {
    let (program, rest) = args.split_first().context("--rss-probe needs a command")?;
    let status = Command::new(program).args(rest).stdout(std::process::Stdio::null()).status()?;
    if !status.success() {
        bail!("probed command failed: {status}");
    }
    println!("{}", children_peak_rss_kib()?);
    Ok(())
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Build the release `claurst` binary and return its path.
pub fn release_binary() -> Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "claurst-cli", "--all-features"])
        .current_dir(workspace_root())
        .status()?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    Ok(workspace_root().join("target/release/claurst"))
}

pub fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

pub fn mib(kib: i64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}
