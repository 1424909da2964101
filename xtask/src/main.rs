//! Developer tasks, run with `cargo xtask <task>`.
//!
//! - `cargo xtask bench [NAME…]`: build the release binary and run the benchmarks (all, or the named ones),
//!   printing a Markdown table for `docs/performance.md`.

mod bench;
mod measure;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..]),
        Some(other) => bail!("unknown task `{other}`; tasks: bench"),
        None => bail!("usage: cargo xtask bench [{}]", bench::names().join("|")),
    }
}
