//! Checkpoints: what saving the files of a turn costs the agent, for a turn whose tools changed 20 files.

use crate::measure::{Timing, ms};
use anyhow::{Result, bail};
use claurst_session::Checkpoints;
use std::path::PathBuf;
use std::time::Instant;

/// Files one turn changes.
const FILES: usize = 20;
/// Bytes per file: a typical source file.
const FILE_BYTES: usize = 8 * 1024;
const TURNS: usize = 200;

pub fn run() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("project");
    std::fs::create_dir_all(&root)?;
    let paths: Vec<PathBuf> = (0..FILES).map(|index| root.join(format!("src/module_{index}.rs"))).collect();
    std::fs::create_dir_all(root.join("src"))?;
    for (index, path) in paths.iter().enumerate() {
        std::fs::write(path, content(index, 0))?;
    }
    let mut checkpoints = Checkpoints::open(&dir.path().join("session/checkpoints"))?;
    let mut samples = Vec::with_capacity(TURNS);
    for turn in 1..=TURNS {
        // Only the checkpoint's own work is timed: the tools' writes happen between the two halves.
        let started = Instant::now();
        checkpoints.begin_turn("change every module", 0)?;
        for path in &paths {
            checkpoints.before_change(path)?;
        }
        let mut elapsed = started.elapsed();
        for (index, path) in paths.iter().enumerate() {
            std::fs::write(path, content(index, turn))?;
        }
        let started = Instant::now();
        for path in &paths {
            checkpoints.after_change(path)?;
        }
        elapsed += started.elapsed();
        samples.push(elapsed);
    }
    let blobs = std::fs::read_dir(dir.path().join("session/checkpoints/blobs"))?.count();
    if blobs != FILES * TURNS {
        bail!("expected {} blobs (every turn found new content), found {blobs}", FILES * TURNS);
    }
    let timing = Timing::from_samples(samples);
    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| checkpoint of a turn that changed {FILES} files of {} KiB (median of {}) | {} (p99 {}) | < 5 ms |",
        FILE_BYTES / 1024,
        timing.runs,
        ms(timing.median),
        ms(timing.p99)
    );
    Ok(())
}

/// A file's text at a given turn: different every turn, so every save writes a new blob (the worst case).
fn content(index: usize, turn: usize) -> Vec<u8> {
    let line = format!("// module {index}, turn {turn}: fn item() -> u64 {{ {index} * {turn} }}\n");
    line.repeat(FILE_BYTES / line.len() + 1).into_bytes()[..FILE_BYTES].to_vec()
}
