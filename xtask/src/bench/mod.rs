//! `cargo xtask bench`: every benchmark, each printing Markdown rows for docs/performance.md.

mod agents;
mod checkpoint;
mod decode;
mod extensions;
mod headless;
mod hooks;
mod kairos;
mod lsp;
mod mcp;
mod sandbox;
mod sdk;
mod search;
pub(crate) mod sessions;
mod startup;
mod tui;

use anyhow::{Result, bail};

type Bench = fn() -> Result<()>;

/// Benchmarks by name, in the order `cargo xtask bench` runs them.
const BENCHES: &[(&str, Bench)] = &[
    ("startup", startup::run),
    ("headless", headless::run),
    ("search", search::run),
    ("sessions", sessions::run),
    ("checkpoint", checkpoint::run),
    ("sandbox", sandbox::run),
    ("tui", tui::run),
    ("decode", decode::run),
    ("mcp", mcp::run),
    ("lsp", lsp::run),
    ("hooks", hooks::run),
    ("extensions", extensions::run),
    ("agents", agents::run),
    ("sdk", sdk::run),
    ("kairos", kairos::run),
];

pub fn names() -> Vec<&'static str> {
    BENCHES.iter().map(|(name, _)| *name).collect()
}

pub fn run(args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some("--rss-probe") {
        return crate::measure::rss_probe(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("--agents-probe") {
        return agents::probe(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("--session-load-probe") {
        return sessions::load_probe(&args[1..]);
    }
    let selected: Vec<&(&str, Bench)> = if args.is_empty() {
        BENCHES.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in args {
            match BENCHES.iter().find(|(known, _)| known == name) {
                Some(bench) => chosen.push(bench),
                None => bail!("unknown benchmark `{name}`; known: {}", names().join(", ")),
            }
        }
        chosen
    };
    for (name, bench) in selected {
        println!("\n## {name}\n");
        bench()?;
    }
    Ok(())
}
