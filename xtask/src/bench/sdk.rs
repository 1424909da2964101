//! What a program driving Claurst (an Agent SDK) pays per turn: the next turn written to one long-lived
//! `--input-format stream-json` process, against a fresh `claurst -p` process per turn (with and without
//! `--continue`, which a program needs to keep the conversation), all against the local mock.

use crate::measure::{Timing, ms, release_binary, time_command};
use anyhow::Result;
use claurst_test_support::{JsonLinesSession, MockApi, Reply, TempProject, Turn, claurst_command};
use std::time::Instant;

const RUNS: usize = 30;

pub fn run() -> Result<()> {
    let binary = release_binary()?;
    let project = TempProject::new();
    let api = MockApi::start();

    let in_process = stream_json_turns(&binary, &project, &api);
    let fresh = |extra: &'static [&'static str]| {
        let (binary, project, api) = (&binary, &project, &api);
        move || {
            api.push(Reply::stream(Turn::text_only("answer")));
            let mut command = claurst_command(binary, project, Some(api));
            command.args(extra).args(["-p", "next question"]);
            command
        }
    };
    // Warm the page cache, and leave a session for `--continue` to resume.
    time_command(3, fresh(&[]))?;
    let (fresh_process, _) = time_command(RUNS, fresh(&[]))?;
    let (continued, _) = time_command(RUNS, fresh(&["--continue"]))?;

    println!("| a turn that answers at once, wall time (median of {RUNS}) | median | p99 |\n|---|---|---|");
    row("next user message on one stream-json process (turns 2…)", &in_process);
    row("fresh `claurst -p` process per turn", &fresh_process);
    row("fresh `claurst -p --continue` process per turn", &continued);
    println!(
        "\nPer-turn overhead saved by keeping one process: {} against `-p`, {} against `-p --continue` (medians).",
        ms(fresh_process.median.saturating_sub(in_process.median)),
        ms(continued.median.saturating_sub(in_process.median))
    );
    Ok(())
}

fn row(what: &str, timing: &Timing) {
    println!("| {what} | {} | {} |", ms(timing.median), ms(timing.p99));
}

/// The time from writing a user message to reading its `result`, for turns after the first of one process
/// (the first pays for start-up, which the fresh-process rows measure).
fn stream_json_turns(binary: &std::path::Path, project: &TempProject, api: &MockApi) -> Timing {
    let mut command = claurst_command(binary, project, Some(api));
    command.args(["--input-format", "stream-json", "--output-format", "stream-json", "--verbose"]);
    let mut session = JsonLinesSession::start(&mut command);
    api.push(Reply::stream(Turn::text_only("first answer")));
    session.send_prompt("first question");
    session.wait_for_type("result", None);
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        api.push(Reply::stream(Turn::text_only("answer")));
        let started = Instant::now();
        session.send_prompt("next question");
        session.wait_for_type("result", None);
        samples.push(started.elapsed());
    }
    let _ = session.finish();
    Timing::from_samples(samples)
}
