//! `claurst --version`: wall time and peak RSS.

use crate::measure::{mib, ms, peak_rss_of, release_binary, time_command};
use anyhow::Result;
use std::process::Command;

pub fn run() -> Result<()> {
    let binary = release_binary()?;
    let command = || {
        let mut command = Command::new(&binary);
        command.arg("--version");
        command
    };
    // Warm the page cache so the first run's disk read does not count.
    time_command(5, command)?;
    let (timing, _) = time_command(200, command)?;
    let rss = peak_rss_of(&command())?;
    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| `claurst --version` wall time (median of {}) | {} (p99 {}) | < 5 ms |",
        timing.runs,
        ms(timing.median),
        ms(timing.p99)
    );
    println!("| `claurst --version` peak RSS | {} | < 10 MiB |", mib(rss));
    Ok(())
}
