//! Session transcripts: writing a 10,000-message session (cost per appended record), loading it back (wall
//! time, and peak RSS of a process that only loads it), and listing a project's sessions.

use crate::measure::{Timing, mib, ms, peak_rss_of};
use anyhow::{Context, Result, bail};
use claurst_session::transcript::{list_sessions, load};
use claurst_session::{SessionMeta, TranscriptRecord, TranscriptWriter, UsageRecord};
use claurst_test_support::TempProject;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Messages in the benchmarked session.
const MESSAGES: usize = 10_000;
const LOAD_RUNS: usize = 10;
/// Sessions in the listed project: the large one and this many small ones.
const SMALL_SESSIONS: usize = 49;

pub fn run() -> Result<()> {
    let project = TempProject::new();
    let projects_dir = project.home().join(".claurst/projects");
    let root = project.project();

    let (path, appends) = write_session(&projects_dir, root, "bench-large", MESSAGES)?;
    let size = std::fs::metadata(&path)?.len();
    let lines = std::fs::read(&path)?.iter().filter(|byte| **byte == b'\n').count();

    load(&path)?; // Warm the page cache: resuming reads a file the OS has usually cached.
    let mut samples = Vec::with_capacity(LOAD_RUNS);
    for _ in 0..LOAD_RUNS {
        let started = Instant::now();
        let loaded = load(&path)?;
        samples.push(started.elapsed());
        if !loaded.warnings.is_empty() || loaded.entries.len() + 1 != lines {
            bail!("the benchmark session did not load cleanly: {:?}", loaded.warnings.first());
        }
    }
    let loading = Timing::from_samples(samples);
    let rss = peak_rss_of(&probe(&path)?)?;
    let (small_path, _) = write_session(&projects_dir, root, "bench-baseline", 2)?;
    let baseline_rss = peak_rss_of(&probe(&small_path)?)?;

    for index in 0..SMALL_SESSIONS - 1 {
        write_session(&projects_dir, root, &format!("bench-small-{index}"), 40)?;
    }
    let mut samples = Vec::with_capacity(LOAD_RUNS);
    for _ in 0..LOAD_RUNS {
        let started = Instant::now();
        let sessions = list_sessions(&projects_dir, root)?;
        samples.push(started.elapsed());
        if sessions.len() != SMALL_SESSIONS + 1 {
            bail!("listed {} sessions, expected {}", sessions.len(), SMALL_SESSIONS + 1);
        }
    }
    let listing = Timing::from_samples(samples);

    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| append one record to a transcript (median of {} appends) | {} (p99 {}) | |",
        appends.runs,
        micros(appends.median),
        micros(appends.p99)
    );
    println!(
        "| {MESSAGES}-message session on disk | {} in {lines} lines | |",
        mib(i64::try_from(size / 1024)?)
    );
    println!(
        "| load it: parse and rebuild the conversation (median of {LOAD_RUNS}) | {} (p99 {}) | resume < 200 ms to first frame |",
        ms(loading.median),
        ms(loading.p99)
    );
    println!(
        "| peak RSS of a process loading it | {} (a 2-message session: {}) | < 150 MiB |",
        mib(rss),
        mib(baseline_rss)
    );
    println!(
        "| list {} sessions including it (median of {LOAD_RUNS}) | {} (p99 {}) | |",
        SMALL_SESSIONS + 1,
        ms(listing.median),
        ms(listing.p99)
    );
    Ok(())
}

/// The hidden `bench --session-load-probe <file>` side: load one transcript and report what was read.
pub fn load_probe(args: &[String]) -> Result<()> {
    let path = args.first().context("--session-load-probe needs a transcript path")?;
    let loaded = load(Path::new(path))?;
    println!("{} records, {} messages", loaded.entries.len(), loaded.messages.len());
    Ok(())
}

fn probe(path: &Path) -> Result<Command> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("bench").arg("--session-load-probe").arg(path);
    Ok(command)
}

/// Write a session of `messages` messages (and a usage record per assistant message), timing every append.
pub(crate) fn write_session(
    projects_dir: &Path,
    root: &Path,
    id: &str,
    messages: usize,
) -> Result<(PathBuf, Timing)> {
    let mut meta = SessionMeta::new(root, root, "claude-sonnet-4-5");
    meta.session_id = id.into();
    let mut writer = TranscriptWriter::create(projects_dir, &meta)?;
    let mut samples = Vec::with_capacity(messages * 3 / 2);
    let mut append = |record: &TranscriptRecord| -> Result<()> {
        let started = Instant::now();
        writer.append(record)?;
        samples.push(started.elapsed());
        Ok(())
    };
    for index in 0..messages {
        let record = message_record(index)?;
        append(&record)?;
        if let TranscriptRecord::Assistant { .. } = record {
            append(&TranscriptRecord::Usage(UsageRecord {
                model: "claude-sonnet-4-5".into(),
                usage: serde_json::from_value(json!({
                    "input_tokens": 12 + index, "output_tokens": 380,
                    "cache_creation_input_tokens": 1_200, "cache_read_input_tokens": 40_000 + 90 * index,
                }))?,
                cost_usd: Some(0.0142),
                context_tokens: 41_592 + 90 * index as u64,
                agent: None,
                requests: 1,
            }))?;
        }
    }
    Ok((writer.path().to_path_buf(), Timing::from_samples(samples)))
}

/// A realistic agentic rhythm of eight messages: a prompt, three tool calls with their results (the model
/// thinking before each), then a final answer. Results are the largest messages, as in real sessions.
fn message_record(index: usize) -> Result<TranscriptRecord> {
    let message = |value: Value| serde_json::from_value(value);
    Ok(match index % 8 {
        0 => TranscriptRecord::User {
            message: message(
                json!({"role": "user", "content": [{"type": "text", "text": prose(index, 300)}]}),
            )?,
        },
        1 | 3 | 5 => TranscriptRecord::Assistant {
            message: message(json!({"role": "assistant", "content": [
                {"type": "thinking", "thinking": prose(index, 600), "signature": "EqQBCkYIBxgCKkA".repeat(14)},
                {"type": "text", "text": prose(index + 1, 200)},
                {"type": "tool_use", "id": format!("toolu_{index:06}"), "name": "read_file",
                 "input": {"path": format!("src/module_{}/file_{index}.rs", index % 17)}},
            ]}))?,
            stop_reason: serde_json::from_value(json!("tool_use"))?,
        },
        2 | 4 | 6 => TranscriptRecord::ToolResults {
            message: message(json!({"role": "user", "content": [{
                "type": "tool_result", "tool_use_id": format!("toolu_{:06}", index - 1),
                "content": [{"type": "text", "text": code(index, 2_000)}],
            }]}))?,
        },
        _ => TranscriptRecord::Assistant {
            message: message(
                json!({"role": "assistant", "content": [{"type": "text", "text": prose(index, 1_200)}]}),
            )?,
            stop_reason: serde_json::from_value(json!("end_turn"))?,
        },
    })
}

fn prose(seed: usize, len: usize) -> String {
    const WORDS: &str = "the parser handles nested expressions and reports errors with spans so that users see \
                         where their input went wrong — naïve fix first";
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut text = String::with_capacity(len + 16);
    let mut word = seed;
    while text.len() < len {
        text.push_str(words[word % words.len()]);
        text.push(if word.is_multiple_of(11) { '\n' } else { ' ' });
        word = word.wrapping_mul(31).wrapping_add(7);
    }
    text
}

fn code(seed: usize, len: usize) -> String {
    let mut text = String::with_capacity(len + 64);
    let mut line = 0;
    while text.len() < len {
        line += 1;
        text.push_str(&format!(
            "{line:>5}\t    let value_{seed}_{line} = compute(\"{}\", {line}); // \"quoted\" and \\escaped\n",
            seed % 97
        ));
    }
    text
}

fn micros(duration: Duration) -> String {
    format!("{:.1} µs", duration.as_secs_f64() * 1_000_000.0)
}
