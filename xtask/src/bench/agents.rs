//! Sub-agents: what delegating to 8 parallel sub-agents adds over a single agent, in peak memory and in time per
//! sub-agent, against the local mock Messages API answering at once.
//!
//! The runs link the assistant library in process rather than spawning `claurst -p`, because the parallel limit
//! (`AgentSettings::max_parallel`) is not a configuration key of the binary yet and the scenario needs
//! all 8 at once. Peak memory is still that of a fresh process per run: each scenario runs in a child `xtask`
//! (`bench --agents-probe`), with the mock server left in the parent so that its memory does not count.

use crate::measure::{Timing, mib, ms, peak_rss_of};
use anyhow::{Context, Result, bail};
use claurst_assistant::{Agent, AgentConfig, AgentSettings};
use claurst_protocol::Message;
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use nix::sys::resource::{UsageWho, getrusage};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Sub-agents started in the one main turn.
const SUBAGENTS: usize = 8;
/// Tool round-trips each (sub-)agent makes before its final message.
const ROUND_TRIPS: usize = 5;
const TIMED_RUNS: usize = 300;
const WARM_UP_RUNS: usize = 10;
const RSS_RUNS: usize = 5;
/// The small file every tool call reads.
const NOTES: &str = "notes.txt";

/// One benchmarked conversation shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    /// A: one agent, 5 `read_file` round-trips, then its answer.
    Single,
    /// B: the main model starts 8 `agent` calls in one turn; each sub-agent makes 5 `read_file` round-trips
    /// and reports; the main model answers.
    Delegated,
    /// C: the same 50 model requests and 40 tool calls without delegation: one request, the 8 sub-agents'
    /// conversations as 8 independent `Agent::run`s joined on one task (as the engine joins its sub-agents),
    /// then one request.
    Independent,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Single => "single",
            Scenario::Delegated => "delegated",
            Scenario::Independent => "independent",
        }
    }

    fn parse(name: &str) -> Option<Scenario> {
        [Scenario::Single, Scenario::Delegated, Scenario::Independent].into_iter().find(|s| s.name() == name)
    }
}

/// The prompt of sub-agent `index`; the mock routes its replies by it.
fn task_prompt(index: usize) -> String {
    format!("BENCH-TASK-{index}: read the notes")
}

/// Five tiny `read_file` turns and a report, for the conversation whose requests contain `needle`
/// (`None`: the mock's general queue).
fn script_reader(api: &MockApi, needle: Option<&str>, tag: &str) {
    let push = |reply: Reply| match needle {
        Some(needle) => api.push_for(needle, reply),
        None => api.push(reply),
    };
    for round in 0..ROUND_TRIPS {
        let id = format!("read-{tag}-{round}");
        push(Reply::stream(Turn::new().tool_use(&id, "read_file", json!({"path": NOTES}))));
    }
    push(Reply::stream(Turn::text_only(&format!("{tag} done."))));
}

fn script(api: &MockApi, scenario: Scenario) {
    match scenario {
        Scenario::Single => script_reader(api, None, "single"),
        Scenario::Delegated => {
            let main = (0..SUBAGENTS).fold(Turn::new(), |turn, index| {
                let input = json!({
                    "description": format!("task {index}"),
                    "prompt": task_prompt(index),
                    "agent_type": "general-purpose",
                });
                turn.tool_use(&format!("agent-{index}"), "agent", input)
            });
            api.push(Reply::stream(main));
            for index in 0..SUBAGENTS {
                script_reader(api, Some(&task_prompt(index)), &format!("task-{index}"));
            }
            api.push(Reply::stream(Turn::text_only("All done.")));
        }
        Scenario::Independent => {
            api.push(Reply::stream(Turn::text_only("Starting.")));
            for index in 0..SUBAGENTS {
                script_reader(api, Some(&task_prompt(index)), &format!("task-{index}"));
            }
            api.push(Reply::stream(Turn::text_only("All done.")));
        }
    }
}

/// Where a probe or a timed run finds the mock and the project.
struct Setup {
    api_url: String,
    project: PathBuf,
    session_dir: PathBuf,
}

impl Setup {
    /// The agent of `scenario`: all 8 sub-agents at once for B; for C, agents that cannot delegate, so that
    /// each conversation offers the same tools as a general-purpose sub-agent.
    fn agent(&self, scenario: Scenario) -> Result<Agent> {
        let agents = match scenario {
            Scenario::Independent => AgentSettings { max_depth: 0, ..AgentSettings::default() },
            Scenario::Single | Scenario::Delegated => {
                AgentSettings { max_parallel: SUBAGENTS, ..AgentSettings::default() }
            }
        };
        let config = AgentConfig {
            api_key: Some("sk-bench".into()),
            base_url: Some(self.api_url.clone()),
            cwd: Some(self.project.clone()),
            session_dir: Some(self.session_dir.clone()),
            agents,
            ..AgentConfig::default()
        };
        Agent::try_new(config).context("building the benchmarked agent")
    }
}

/// Play one scripted run of `scenario` on `agent`, failing unless it ends with the scripted answer.
async fn play(agent: &Agent, scenario: Scenario) -> Result<()> {
    let answer = |run: claurst_assistant::AgentRun| run.final_response().to_string();
    let final_text = match scenario {
        Scenario::Single => answer(agent.run(vec![Message::user("read the notes five times")]).await?),
        Scenario::Delegated => answer(agent.run(vec![Message::user("split the work")]).await?),
        Scenario::Independent => {
            agent.run(vec![Message::user("split the work")]).await?;
            let runs = (0..SUBAGENTS).map(|index| agent.run(vec![Message::user(task_prompt(index))]));
            for run in futures::future::join_all(runs).await {
                let report = answer(run?);
                if !report.ends_with(" done.") {
                    bail!("an independent run ended with {report:?}");
                }
            }
            answer(agent.run(vec![Message::user("sum up")]).await?)
        }
    };
    let expected = if scenario == Scenario::Single { "single done." } else { "All done." };
    if final_text != expected {
        bail!("the {} run ended with {final_text:?}, not {expected:?}", scenario.name());
    }
    Ok(())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    // As the `claurst` binary builds its own.
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

pub fn run() -> Result<()> {
    let project = TempProject::new();
    project.write(NOTES, "one\ntwo\n");
    let api = MockApi::start();
    let setup = Setup {
        api_url: api.url(),
        project: project.project().to_path_buf(),
        session_dir: project.root().join("session"),
    };

    let rss = |scenario| median_rss(&api, &setup, project.home(), scenario);
    let (single_rss, delegated_rss, independent_rss) =
        (rss(Scenario::Single)?, rss(Scenario::Delegated)?, rss(Scenario::Independent)?);

    let runtime = runtime()?;
    let agents = [Scenario::Single, Scenario::Delegated, Scenario::Independent]
        .map(|scenario| setup.agent(scenario).map(|agent| (scenario, agent)));
    let agents = agents.into_iter().collect::<Result<Vec<_>>>()?;
    let mock_share = mock_share(&api, &runtime, &agents[1].1)?;
    let (wall, cpu) = time_turn_about(&api, &runtime, &agents)?;
    let [single, delegated, independent] = wall.map(Timing::from_samples);
    let [single_cpu, delegated_cpu, independent_cpu] = cpu.map(Timing::from_samples);

    println!("| measure | result | target |\n|---|---|---|");
    println!(
        "| A: one agent, {ROUND_TRIPS} `read_file` round-trips, peak RSS (median of {RSS_RUNS} processes) | {} | |",
        mib(single_rss)
    );
    println!(
        "| B: {SUBAGENTS} parallel sub-agents, {ROUND_TRIPS} round-trips each, peak RSS | {} | |",
        mib(delegated_rss)
    );
    println!("| … added peak RSS over one agent (B − A) | {} | < 16 MiB |", mib(delegated_rss - single_rss));
    println!(
        "| C: the same {SUBAGENTS} conversations as independent runs, peak RSS | {} (B − C: {}) | |",
        mib(independent_rss),
        mib(delegated_rss - independent_rss)
    );
    for (label, wall, cpu) in [
        ("A", &single, &single_cpu),
        ("B", &delegated, &delegated_cpu),
        ("C", &independent, &independent_cpu),
    ] {
        println!(
            "| {label}: wall time / CPU time, mock included (median of {TIMED_RUNS}) | {} (p99 {}) / {} | |",
            ms(wall.median),
            ms(wall.p99),
            ms(cpu.median)
        );
    }
    println!(
        "| … the mock's own share of B: its {} requests ({:.1} KiB each on average) replayed straight to it, one \
         after another: wall / CPU (median of {TIMED_RUNS}) | {} / {} | |",
        mock_share.requests,
        mock_share.body_bytes as f64 / 1024.0,
        ms(mock_share.wall.median),
        ms(mock_share.cpu.median)
    );
    println!(
        "| orchestration overhead per sub-agent, wall ((B − C) / {SUBAGENTS}, medians) | {} | < 2 ms |",
        signed_ms(delegated.median, independent.median, SUBAGENTS)
    );
    println!("| … in CPU time | {} | |", signed_ms(delegated_cpu.median, independent_cpu.median, SUBAGENTS));
    Ok(())
}

/// Time samples of A, B and C, in that order.
type Samples = [Vec<Duration>; 3];

/// Wall and CPU time samples of every scenario, played turn about so that load from other processes hits
/// every scenario alike.
fn time_turn_about(
    api: &MockApi,
    runtime: &tokio::runtime::Runtime,
    agents: &[(Scenario, Agent)],
) -> Result<(Samples, Samples)> {
    let mut wall = [Vec::new(), Vec::new(), Vec::new()];
    let mut cpu = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..WARM_UP_RUNS + TIMED_RUNS {
        for (slot, (scenario, agent)) in agents.iter().enumerate() {
            script(api, *scenario);
            let (started, cpu_before) = (Instant::now(), cpu_time()?);
            runtime.block_on(play(agent, *scenario))?;
            let (elapsed, cpu_spent) = (started.elapsed(), cpu_time()?.saturating_sub(cpu_before));
            if api.pending() != 0 {
                bail!("the {} run left {} scripted replies unused", scenario.name(), api.pending());
            }
            if round >= WARM_UP_RUNS {
                wall[slot].push(elapsed);
                cpu[slot].push(cpu_spent);
            }
        }
    }
    Ok((wall, cpu))
}

/// `(b − a) / n` in milliseconds, with its sign: delegation may well cost less than independent runs.
fn signed_ms(b: Duration, a: Duration, n: usize) -> String {
    let difference = (b.as_secs_f64() - a.as_secs_f64()) * 1000.0 / n as f64;
    format!("{difference:.2} ms")
}

/// CPU time (user and system) this process has used so far, the mock server's threads included.
fn cpu_time() -> Result<Duration> {
    let usage = getrusage(UsageWho::RUSAGE_SELF)?;
    let seconds = |time: nix::sys::time::TimeVal| {
        Duration::from_secs(time.tv_sec().max(0) as u64) + Duration::from_micros(time.tv_usec().max(0) as u64)
    };
    Ok(seconds(usage.user_time()) + seconds(usage.system_time()))
}

/// What the mock server itself spends on the requests of one delegated run.
struct MockShare {
    requests: usize,
    /// The requests' bodies, on average.
    body_bytes: usize,
    wall: Timing,
    cpu: Timing,
}

/// Play B once, then replay its requests (their bodies as sent) straight to the mock, scripted alike, with
/// nothing but a bare HTTP exchange on our side.
fn mock_share(api: &MockApi, runtime: &tokio::runtime::Runtime, agent: &Agent) -> Result<MockShare> {
    let before = api.requests().len();
    script(api, Scenario::Delegated);
    runtime.block_on(play(agent, Scenario::Delegated))?;
    let bodies: Vec<String> = api.requests().split_off(before).into_iter().map(|r| r.raw_body).collect();
    // Parallel, not one after another: every sub-agent's first request comes before any one's second.
    let firsts = bodies.iter().skip(1).take(SUBAGENTS);
    let mut tasks: Vec<usize> =
        firsts.filter_map(|body| (0..SUBAGENTS).find(|index| body.contains(&task_prompt(*index)))).collect();
    tasks.sort_unstable();
    tasks.dedup();
    if tasks.len() != SUBAGENTS || bodies.len() != 2 + SUBAGENTS * (ROUND_TRIPS + 1) {
        bail!(
            "the sub-agents did not all start at once ({} requests; first ones from tasks {tasks:?})",
            bodies.len()
        );
    }
    let address = api.url().trim_start_matches("http://").to_string();
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..TIMED_RUNS {
        script(api, Scenario::Delegated);
        let (started, cpu_before) = (Instant::now(), cpu_time()?);
        for body in &bodies {
            post(&address, body)?;
        }
        wall.push(started.elapsed());
        cpu.push(cpu_time()?.saturating_sub(cpu_before));
        if api.pending() != 0 {
            bail!("the replay left {} scripted replies unused", api.pending());
        }
    }
    let body_bytes = bodies.iter().map(String::len).sum::<usize>() / bodies.len().max(1);
    Ok(MockShare {
        requests: bodies.len(),
        body_bytes,
        wall: Timing::from_samples(wall),
        cpu: Timing::from_samples(cpu),
    })
}

/// One `POST /v1/messages` on a fresh connection, reading the whole reply.
fn post(address: &str, body: &str) -> Result<()> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(
        stream,
        "POST /v1/messages HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(())
}

/// The median peak RSS (KiB) of fresh processes that each play `scenario` once.
fn median_rss(api: &MockApi, setup: &Setup, home: &Path, scenario: Scenario) -> Result<i64> {
    let mut samples = Vec::with_capacity(RSS_RUNS);
    for _ in 0..RSS_RUNS {
        script(api, scenario);
        let mut probe = Command::new(std::env::current_exe()?);
        probe.args(["bench", "--agents-probe", scenario.name(), &setup.api_url]);
        probe.arg(&setup.project).arg(&setup.session_dir).env("HOME", home);
        samples.push(peak_rss_of(&probe)?);
        if api.pending() != 0 {
            bail!("the {} probe left {} scripted replies unused", scenario.name(), api.pending());
        }
    }
    samples.sort_unstable();
    Ok(samples[samples.len() / 2])
}

/// The `--agents-probe <scenario> <api-url> <project> <session-dir>` side: play one scripted run.
pub fn probe(args: &[String]) -> Result<()> {
    let [scenario, api_url, project, session_dir] = args else {
        bail!("--agents-probe needs <scenario> <api-url> <project> <session-dir>");
    };
    let scenario = Scenario::parse(scenario).with_context(|| format!("unknown scenario `{scenario}`"))?;
    let setup = Setup { api_url: api_url.clone(), project: project.into(), session_dir: session_dir.into() };
    let agent = setup.agent(scenario)?;
    runtime()?.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), play(&agent, scenario))
            .await
            .context("probe timed out")?
    })
}
