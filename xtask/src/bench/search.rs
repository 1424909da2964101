//! The search tools: `grep` against the `rg` binary on a large source tree, and `search_files` over 100,000
//! generated files.

use crate::measure::{Timing, ms};
use anyhow::{Context, Result, bail};
use claurst_tools::{ToolContext, ToolRegistry};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Timed runs per measure, after one warm-up run that fills the page cache.
const RUNS: usize = 5;
const GENERATED_FILES: usize = 100_000;

pub fn run() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let scratch = tempfile::tempdir()?;
    println!("| measure | result | target |\n|---|---|---|");

    let (tree, described) = match registry_sources() {
        Some(tree) => (tree, "the cargo registry sources (~/.cargo/registry/src)".to_string()),
        None => {
            let tree = scratch.path().join("sources");
            generate_sources(&tree, 20_000)?;
            (tree, "a generated tree of 20,000 source files".to_string())
        }
    };
    let files = rg_output(&tree, &["--files"])?.lines().count();
    for (mode, pattern, rg_flag) in
        [("files_with_matches", r"fn\s+new\(", "-l"), ("content", r"unsafe impl\b.*Send", "-n")]
    {
        let input = json!({"pattern": pattern, "output_mode": mode});
        let session = Session::new(&tree, scratch.path());
        let (tool, rg, found) = race(&runtime, &session, "grep", &input, &[rg_flag, pattern])?;
        let ratio = tool.median.as_secs_f64() / rg.median.as_secs_f64();
        println!(
            "| `grep` {mode} `{pattern}` over {described} ({files} files, {found} results): tool vs `rg {rg_flag}` \
             (median of {RUNS}, interleaved) | {} vs {} ({ratio:.2}×) | ≤ 1.5× |",
            ms(tool.median),
            ms(rg.median)
        );
    }

    let generated = scratch.path().join("generated");
    generate_tree(&generated, GENERATED_FILES)?;
    let session = Session::new(&generated, scratch.path());
    let input = json!({"pattern": "**/*.rs"});
    let rg_args = ["--files", "--glob", "*.rs"];
    let (search, rg_files, found) = race(&runtime, &session, "search_files", &input, &rg_args)?;
    println!(
        "| `search_files` `**/*.rs` over {GENERATED_FILES} generated files ({found} match; median of {RUNS}) \
         | {} (p99 {}) | < 200 ms |",
        ms(search.median),
        ms(search.p99)
    );
    println!("| … for reference, `rg --files --glob '*.rs'` on the same tree | {} | |", ms(rg_files.median));
    Ok(())
}

/// The standard tools over one root.
struct Session {
    root: PathBuf,
    tools: ToolRegistry,
}

impl Session {
    fn new(root: &Path, scratch: &Path) -> Session {
        let context = ToolContext::new(root, scratch.join("session"), Duration::from_secs(30));
        Session { root: root.to_path_buf(), tools: ToolRegistry::standard(Arc::new(context)) }
    }
}

/// Time the tool and `rg` turn about (so background load hits both alike), after one warm-up run each that
/// fills the page cache. Fails unless both found the same number of results.
fn race(
    runtime: &tokio::runtime::Runtime,
    session: &Session,
    name: &str,
    input: &Value,
    rg_args: &[&str],
) -> Result<(Timing, Timing, usize)> {
    let tool = session.tools.get(name).context("the tool is registered")?;
    let (mut tool_samples, mut rg_samples) = (Vec::new(), Vec::new());
    let (mut tool_found, mut rg_found) = (0, 0);
    for run in 0..=RUNS {
        let started = Instant::now();
        let result = runtime.block_on(tool.execute(input.clone()));
        let tool_time = started.elapsed();
        if result.is_error {
            bail!("{name} failed: {}", result.output);
        }
        tool_found = result_count(&result.output);

        let started = Instant::now();
        let output = rg_output(&session.root, rg_args)?;
        let rg_time = started.elapsed();
        rg_found = output.lines().count();
        if run > 0 {
            tool_samples.push(tool_time);
            rg_samples.push(rg_time);
        }
    }
    if tool_found != rg_found {
        bail!("{name} {input} found {tool_found} results but rg {rg_args:?} found {rg_found}");
    }
    Ok((Timing::from_samples(tool_samples), Timing::from_samples(rg_samples), tool_found))
}

/// Results in a tool's output: the `M` of a `[showing N of M …]` note, else the number of lines.
fn result_count(output: &str) -> usize {
    let noted = output.lines().rev().find_map(|line| {
        let rest = line.strip_prefix("[showing ")?;
        rest.split(' ').nth(2)?.parse().ok()
    });
    noted.unwrap_or_else(|| output.lines().count())
}

/// `rg`'s output, with the same walk rules as the tools (a .gitignore counts outside git repositories too).
fn rg_output(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("rg")
        .args(["--no-require-git", "--no-heading", "--color", "never"])
        .args(args)
        .current_dir(root)
        .env_remove("RIPGREP_CONFIG_PATH")
        .output()
        .context("running rg (install ripgrep)")?;
    if output.status.code().is_none_or(|code| code > 1) {
        bail!("rg {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn registry_sources() -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    let sources = cargo_home.join("registry/src");
    sources.is_dir().then_some(sources)
}

/// `count` files of plausible Rust source, in nested directories.
fn generate_sources(root: &Path, count: usize) -> Result<()> {
    let body: String = (0..200)
        .map(|line| match line % 50 {
            0 => format!("pub fn new() -> Self {{ Self {{ value: {line} }} }}\n"),
            25 => "unsafe impl Send for Thing {}\n".to_string(),
            _ => format!("    let value_{line} = compute({line}) + other_call(\"text\");\n"),
        })
        .collect();
    for n in 0..count {
        let dir = root.join(format!("crate{}/src/module{}", n % 100, (n / 100) % 20));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("file{n}.rs")), &body)?;
    }
    Ok(())
}

/// `count` small files, a quarter of them `.rs`, 100 to a directory, two directory levels deep.
fn generate_tree(root: &Path, count: usize) -> Result<()> {
    for n in 0..count {
        let dir = root.join(format!("d{}/e{}", n / 10_000, (n / 100) % 100));
        if n % 100 == 0 {
            std::fs::create_dir_all(&dir)?;
        }
        let extension = ["rs", "txt", "md", "json"][n % 4];
        std::fs::write(dir.join(format!("f{n}.{extension}")), "")?;
    }
    Ok(())
}
