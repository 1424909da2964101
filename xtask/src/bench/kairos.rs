//! KAIROS: what a quiet tick costs (work per tick, memory over 1,000 of them) and what an idle daemon costs
//! (CPU while nothing changes).

use crate::measure::{Timing, ms, release_binary};
use anyhow::{Context, Result, bail};
use claurst_assistant::KairosSettings;
use claurst_test_support::{MockApi, TempProject, claurst_command};
use std::time::Duration;

const QUIET_TICKS: usize = 1000;
/// Ticks before the measured ones: the allocator's first growth (its arenas settling on the sizes a tick uses,
/// about 100 KiB) is set-up, not growth; a probe of 40,000 ticks stayed flat after the first thousand.
const WARM_UP: usize = 1000;
/// How long the idle daemon is watched.
const IDLE_WINDOW: Duration = Duration::from_secs(10);

pub fn run() -> Result<()> {
    println!("| measure | result | target |\n|---|---|---|");
    quiet_ticks()?;
    idle_daemon()
}

fn quiet_ticks() -> Result<()> {
    let project = TempProject::new();
    // A project with something in it: a repository HEAD to read and files the watcher covers.
    std::fs::create_dir_all(project.path(".git/refs/heads"))?;
    std::fs::write(project.path(".git/HEAD"), "ref: refs/heads/main\n")?;
    std::fs::write(project.path(".git/refs/heads/main"), "0123456789abcdef0123456789abcdef01234567\n")?;
    for index in 0..200 {
        project.write(&format!("src/module_{index}.rs"), "fn main() {}\n");
    }
    let settings = KairosSettings {
        tick_interval: Duration::from_secs(60),
        blocking_budget: Duration::from_secs(15),
        max_ticks_per_hour: 12,
        daily_budget_usd: 2.0,
        dir: project.root().join("kairos"),
        github_api_url: "http://127.0.0.1:9".into(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    // Reserved up front: the samples' own memory must not count as the ticks' growth.
    let mut samples = Vec::with_capacity(QUIET_TICKS);
    let mut after_warm_up = 0;
    let root = project.project().to_path_buf();
    let outcome = runtime.block_on(claurst_assistant::kairos::bench::quiet_ticks(
        settings,
        root,
        WARM_UP + QUIET_TICKS,
        |tick, work| {
            if tick >= WARM_UP {
                samples.push(work);
            }
            if tick + 1 == WARM_UP {
                after_warm_up = resident_kib().unwrap_or(0);
            }
        },
    ));
    let at_end = resident_kib()?;
    if let Err(tick) = outcome {
        bail!("quiet tick {tick} found a change in an unchanged project");
    }
    let timing = Timing::from_samples(samples);
    println!(
        "| work of a quiet tick (median of {}) | {} (p99 {}) | < 5 ms |",
        timing.runs,
        ms(timing.median),
        ms(timing.p99)
    );
    println!(
        "| resident memory growth over {QUIET_TICKS} quiet ticks (after {WARM_UP} to warm up) | {} KiB | 0 (no growth) |",
        at_end - after_warm_up
    );
    Ok(())
}

fn idle_daemon() -> Result<()> {
    let binary = release_binary()?;
    let project = TempProject::new();
    let api = MockApi::start();
    project.write_home(".claurst/config.toml", "[kairos]\ntick_interval_secs = 1\n");
    let mut child = claurst_command(&binary, &project, Some(&api))
        .args(["--kairos", "--no-interactive"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting the daemon")?;
    // Start-up (reading the configuration, the first ticks) is not idling.
    std::thread::sleep(Duration::from_secs(3));
    let before = cpu_ticks(child.id())?;
    std::thread::sleep(IDLE_WINDOW);
    let after = cpu_ticks(child.id())?;
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let status = child.wait()?;
    if !status.success() {
        bail!("the daemon did not stop cleanly on SIGTERM: {status}");
    }
    if !api.requests().is_empty() {
        bail!("the idle daemon called the model");
    }
    let per_second = clock_ticks_per_second()?;
    let cpu = (after - before) as f64 / per_second / IDLE_WINDOW.as_secs_f64() * 100.0;
    println!(
        "| idle daemon CPU over {} s, ticking every second | {cpu:.2} % ({} clock ticks) | ~0 |",
        IDLE_WINDOW.as_secs(),
        after - before
    );
    Ok(())
}

/// This process's resident memory (`VmRSS`), in KiB: the workspace forbids `unsafe`, so no counting
/// allocator; a leak of even a few hundred bytes per tick shows here over 900 ticks.
fn resident_kib() -> Result<i64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line =
        status.lines().find(|line| line.starts_with("VmRSS:")).context("no VmRSS in /proc/self/status")?;
    Ok(line.split_whitespace().nth(1).context("short VmRSS line")?.parse()?)
}

/// User plus system CPU time of `pid`, in clock ticks (`/proc/<pid>/stat` fields 14 and 15).
fn cpu_ticks(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces; the fields after it are counted from its closing parenthesis.
    let rest = stat.rsplit_once(')').context("unexpected /proc stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |index: usize| -> Result<u64> { Ok(fields.get(index).context("short /proc stat")?.parse()?) };
    // After ")": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
    Ok(field(11)? + field(12)?)
}

fn clock_ticks_per_second() -> Result<f64> {
    let output = std::process::Command::new("getconf").arg("CLK_TCK").output()?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().parse().unwrap_or(100.0))
}
