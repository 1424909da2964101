//! Sandbox overhead per command: `bash -c true` through the launcher (`claurst __sandbox-exec`) against
//! `bash -c true` run directly, at both levels. The workspace-write project holds `.git/hooks`, `.git/config`
//! and `.claurst.toml`, so the namespace and its read-only bind mounts are part of the measure.

use crate::measure::{ms, release_binary, time_command};
use anyhow::Result;
use claurst_sandbox::{DEFAULT_HOME_READ_PATHS, Launcher, Network, SandboxPolicy, Workspace};
use std::path::PathBuf;
use std::process::Command;

const RUNS: usize = 300;

pub fn run() -> Result<()> {
    let launcher = Launcher::new(release_binary()?);
    let scratch = tempfile::tempdir()?;
    let project = scratch.path().join("project");
    std::fs::create_dir_all(project.join(".git/hooks"))?;
    std::fs::write(project.join(".git/config"), "[core]\n")?;
    std::fs::write(project.join(".claurst.toml"), "")?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let workspace = Workspace {
        project: project.clone(),
        read_paths: Workspace::expand_read_paths(DEFAULT_HOME_READ_PATHS, home.as_deref()),
        home,
        temp_dirs: vec![std::env::temp_dir()],
        ..Workspace::default()
    };
    let direct = || {
        let mut command = Command::new("bash");
        command.args(["-c", "true"]).current_dir(&project);
        command
    };
    let through = |policy: &SandboxPolicy| -> Result<Command> {
        let mut command = launcher.command(policy, "bash")?;
        command.args(["-c", "true"]).current_dir(&project);
        Ok(command)
    };
    let read_only = SandboxPolicy::read_only(&workspace);
    let workspace_write = SandboxPolicy::workspace_write(&workspace, Network::Allowed);
    // Warm the page cache and make sure every variant works before timing it.
    time_command(10, direct)?;
    through(&read_only)?.output()?;
    through(&workspace_write)?.output()?;

    let (plain, _) = time_command(RUNS, direct)?;
    let (confined, _) = time_command(RUNS, || through(&read_only).unwrap_or_else(|_| direct()))?;
    let (writable, _) = time_command(RUNS, || through(&workspace_write).unwrap_or_else(|_| direct()))?;
    println!("| measure (median of {RUNS}) | result | target |\n|---|---|---|");
    println!("| `bash -c true` run directly | {} (p99 {}) | |", ms(plain.median), ms(plain.p99));
    for (name, timing) in [("read-only", &confined), ("workspace-write, 3 protected paths", &writable)] {
        println!(
            "| … through the launcher, {name} | {} (p99 {}); overhead {} | overhead < 3 ms |",
            ms(timing.median),
            ms(timing.p99),
            ms(timing.median.saturating_sub(plain.median))
        );
    }
    Ok(())
}
