//! A scripted three-tool-call `claurst -p` session against the local mock: overhead beyond the mock, and RSS.

use crate::measure::{mib, ms, peak_rss_of, release_binary, time_command};
use anyhow::Result;
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::json;
use std::time::{Duration, Instant};

const RUNS: usize = 30;

fn script(api: &MockApi) {
    api.push(Reply::stream(Turn::new().text("Looking.").tool_use("t1", "bash", json!({"command": "ls"}))));
    api.push(Reply::stream(Turn::new().tool_use("t2", "read_file", json!({"path": "notes.txt"}))));
    api.push(Reply::stream(Turn::new().tool_use("t3", "bash", json!({"command": "git status"}))));
    api.push(Reply::stream(Turn::text_only("Done.")));
}

pub fn run() -> Result<()> {
    let binary = release_binary()?;
    let project = TempProject::new();
    project.write("notes.txt", "one\ntwo\n");
    let api = MockApi::start();
    let command = || {
        script(&api);
        let mut command = claurst_test_support::claurst_command(&binary, &project, Some(&api));
        command.args(["-p", "look around"]);
        command
    };
    time_command(3, command)?;

    // The mock's own latency: the same four requests made directly, with no claurst in between.
    let mock_latency = mock_only_latency(&api)?;
    let (timing, _) = time_command(RUNS, command)?;
    let rss = peak_rss_of(&command())?;
    let overhead = timing.median.saturating_sub(mock_latency);
    println!("| measure | result | target |\n|---|---|---|");
    println!("| scripted 3-tool-call `-p` session, wall time (median of {RUNS}) | {} | |", ms(timing.median));
    println!("| … of which the mock server's own latency | {} | |", ms(mock_latency));
    println!("| … overhead beyond the mock | {} | < 50 ms |", ms(overhead));
    println!("| scripted session peak RSS | {} | < 30 MiB |", mib(rss));
    Ok(())
}

/// Time four requests straight to the mock with curl-free raw HTTP, as a floor for the session.
fn mock_only_latency(api: &MockApi) -> Result<Duration> {
    use std::io::{Read, Write};
    let address = api.url().trim_start_matches("http://").to_string();
    let mut samples = Vec::new();
    for _ in 0..RUNS {
        script(api);
        let started = Instant::now();
        for _ in 0..4 {
            let mut stream = std::net::TcpStream::connect(&address)?;
            let body = "{}";
            write!(
                stream,
                "POST /v1/messages HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )?;
            let mut response = Vec::new();
            stream.read_to_end(&mut response)?;
        }
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}
