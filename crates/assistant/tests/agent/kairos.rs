//! KAIROS in a session against the scripted API: ticks, what they carry, caps, deferral, the user first, and
//! the daily log.

use crate::{config, is_run_finished};
use claurst_assistant::kairos::{DailyLog, LogKind};
use claurst_assistant::{Agent, AgentConfig, Conversation, KairosSettings, SessionHandle, spawn_session};
use claurst_protocol::{AgentEvent, KairosEvent, KairosRequest, Op, PermissionMode, RunOutcome, TickSkip};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// How a test's KAIROS runs: a tick every `interval_ms`.
struct Kairos {
    interval_ms: u64,
    budget_ms: u64,
    max_per_hour: u32,
    budget_usd: f64,
}

impl Default for Kairos {
    fn default() -> Self {
        Kairos { interval_ms: 200, budget_ms: 10_000, max_per_hour: 100, budget_usd: 100.0 }
    }
}

fn kairos_dir(project: &TempProject) -> PathBuf {
    project.root().join("kairos")
}

fn agent(project: &TempProject, api: &MockApi, kairos: Kairos) -> Agent {
    let settings = KairosSettings {
        tick_interval: Duration::from_millis(kairos.interval_ms),
        blocking_budget: Duration::from_millis(kairos.budget_ms),
        max_ticks_per_hour: kairos.max_per_hour,
        daily_budget_usd: kairos.budget_usd,
        dir: kairos_dir(project),
        // No pull request is watched here: a tick polls only the watches the test gives.
        github_api_url: "http://127.0.0.1:9".into(),
    };
    Agent::try_new(AgentConfig {
        permission_mode: PermissionMode::BypassPermissions,
        kairos: Some(settings),
        ..config(project, api)
    })
    .unwrap()
}

/// Events until `stop` accepts one, waiting up to ten seconds for each (ticks come on their own time).
async fn until(session: &mut SessionHandle, stop: impl Fn(&AgentEvent) -> bool) -> Vec<AgentEvent> {
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), session.events.recv())
            .await
            .expect("no event within 10 s")
            .expect("the session ended");
        let done = stop(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

fn skipped(event: &AgentEvent, reason: &TickSkip) -> bool {
    matches!(event, AgentEvent::Kairos(KairosEvent::TickSkipped { reason: r }) if r == reason)
}

fn tick_started(event: &AgentEvent) -> bool {
    matches!(event, AgentEvent::Kairos(KairosEvent::TickStarted { .. }))
}

/// The text of the last user message of API request `index`.
fn last_user_text(api: &MockApi, index: usize) -> String {
    let body = &api.requests()[index].body;
    let last = body["messages"].as_array().unwrap().last().unwrap().clone();
    last["content"].as_array().unwrap().iter().map(|block| block.to_string()).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_ticks_come_on_schedule_and_call_no_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    let start = until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(_)))).await;
    let AgentEvent::Kairos(KairosEvent::Status(view)) = start.last().unwrap() else { unreachable!() };
    assert!(!view.paused && view.next_tick_at.is_some());
    for _ in 0..3 {
        until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    }
    assert_eq!(api.requests().len(), 0, "a tick with nothing new must not call the model");
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_change_makes_a_tick_whose_prompt_names_it() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Looked at notes.txt; nothing to do.")));
    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    project.write("notes.txt", "remember the milk\n");
    let events = until(&mut session, is_run_finished).await;
    let changes = events
        .iter()
        .find_map(|e| match e {
            AgentEvent::Kairos(KairosEvent::TickStarted { changes, .. }) => Some(changes.clone()),
            _ => None,
        })
        .expect("a tick started");
    assert!(changes.iter().any(|line| line.contains("notes.txt")), "{changes:?}");
    let shown = events.iter().find_map(|e| match e {
        AgentEvent::RunStarted { prompt } => Some(prompt.clone()),
        _ => None,
    });
    assert_eq!(shown.as_deref(), Some("KAIROS tick · 1 file changed"));
    let sent = last_user_text(&api, 0);
    assert!(sent.contains("<tick number=\\\"1\\\"") && sent.contains("notes.txt"), "{sent}");
    // The tick is logged with what it carried and what it did.
    let log = DailyLog::new(kairos_dir(&project));
    let day = DailyLog::day_of(time::OffsetDateTime::now_utc());
    until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(_)))).await;
    let entries = log.entries(&day);
    assert!(entries.iter().any(|e| e.kind == "tick" && e.text.contains("notes.txt")), "{entries:?}");
    assert!(entries.iter().any(|e| e.kind == "action" && e.text.contains("nothing to do")), "{entries:?}");
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_call_is_deferred_and_its_result_arrives_with_a_later_tick() {
    let project = TempProject::new();
    let api = MockApi::start();
    let slow = json!({"command": "sleep 1; echo finished-late"});
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", slow)));
    api.push(Reply::stream(Turn::text_only("It runs in the background.")));
    api.push(Reply::stream(Turn::text_only("The slow command finished.")));
    let kairos = Kairos { budget_ms: 200, ..Kairos::default() };
    let mut session = spawn_session(agent(&project, &api, kairos), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    project.write("build.rs", "fn main() {}\n");
    let events = until(&mut session, is_run_finished).await;
    let deferred = events.iter().find_map(|e| match e {
        AgentEvent::Kairos(KairosEvent::Deferred { job }) => Some(job.clone()),
        _ => None,
    });
    let job = deferred.expect("the call was deferred");
    assert_eq!(job.tool, "bash");
    let told = last_user_text(&api, 1);
    assert!(told.contains(&format!("deferred job {}", job.id)), "{told}");
    assert!(!told.contains("finished-late"));
    let events = until(&mut session, is_run_finished).await;
    assert!(events.iter().any(
        |e| matches!(e, AgentEvent::Kairos(KairosEvent::DeferredFinished { job: j }) if j.id == job.id)
    ));
    let started = events.iter().find_map(|e| match e {
        AgentEvent::Kairos(KairosEvent::TickStarted { number, changes }) => Some((*number, changes.clone())),
        _ => None,
    });
    let (number, changes) = started.expect("a later tick carried the result");
    assert_eq!(number, 2);
    assert!(changes.iter().any(|line| line.contains(&job.id)), "{changes:?}");
    assert!(last_user_text(&api, 2).contains("finished-late"));
    session.ops.send(Op::Shutdown).await.unwrap();
}

/// A tick cannot fill the machine with background work: past 4 running deferred calls, a slow one is stopped.
#[tokio::test(flavor = "multi_thread")]
async fn at_most_four_deferred_calls_run_at_once() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut turn = Turn::new();
    for index in 0..5 {
        turn = turn.tool_use(
            &format!("t{index}"),
            "bash",
            json!({"command": format!("sleep 3; echo job-{index}")}),
        );
    }
    api.push(Reply::stream(turn));
    api.push(Reply::stream(Turn::text_only("Four run in the background.")));
    let kairos = Kairos { budget_ms: 200, ..Kairos::default() };
    let mut session = spawn_session(agent(&project, &api, kairos), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    project.write("build.rs", "fn main() {}\n");
    let events = until(&mut session, is_run_finished).await;
    let deferred =
        events.iter().filter(|e| matches!(e, AgentEvent::Kairos(KairosEvent::Deferred { .. }))).count();
    assert_eq!(deferred, 4);
    let told = last_user_text(&api, 1);
    assert!(told.contains("4 deferred jobs are already running"), "{told}");
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_prompt_interrupts_a_running_tick_and_then_runs() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "sleep 30"}))));
    api.push(Reply::stream(Turn::text_only("Hello to you.")));
    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    project.write("a.txt", "x");
    until(&mut session, |e| matches!(e, AgentEvent::ToolCallStarted { .. })).await;
    session.ops.send(Op::Prompt { text: "hello".into() }).await.unwrap();
    let events = until(&mut session, is_run_finished).await;
    let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
    assert_eq!(summary.outcome, RunOutcome::Interrupted, "the tick gave way");
    let events = until(&mut session, is_run_finished).await;
    assert!(events.iter().any(|e| matches!(e, AgentEvent::RunStarted { prompt } if prompt == "hello")));
    let AgentEvent::RunFinished(summary) = events.last().unwrap() else { unreachable!() };
    assert_eq!(summary.outcome, RunOutcome::Success);
    let sent = last_user_text(&api, 1);
    assert!(sent.contains("tool_result") && sent.contains("t1") && sent.contains("hello"), "{sent}");
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn user_activity_holds_the_next_tick() {
    let project = TempProject::new();
    let api = MockApi::start();
    let kairos = Kairos { interval_ms: 1000, ..Kairos::default() };
    let mut session = spawn_session(agent(&project, &api, kairos), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    // Typing starts a quiet period (here twice the interval), so the next due tick falls inside it.
    session.ops.send(Op::UserActivity).await.unwrap();
    let events =
        until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::TickSkipped { .. }))).await;
    assert!(skipped(events.last().unwrap(), &TickSkip::UserBusy), "{:?}", events.last());
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hourly_cap_stops_ticks_and_keeps_their_changes() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("done")));
    let kairos = Kairos { max_per_hour: 1, ..Kairos::default() };
    let mut session = spawn_session(agent(&project, &api, kairos), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    project.write("one.txt", "1");
    until(&mut session, is_run_finished).await;
    project.write("two.txt", "2");
    let events = until(&mut session, |e| skipped(e, &TickSkip::HourlyLimit { limit: 1 })).await;
    assert!(!events.iter().any(tick_started));
    let status = until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(_)))).await;
    let AgentEvent::Kairos(KairosEvent::Status(view)) = status.last().unwrap() else { unreachable!() };
    assert_eq!((view.ticks_last_hour, view.max_ticks_per_hour), (1, 1));
    assert_eq!(api.requests().len(), 1);
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn todays_spend_is_read_back_from_the_log_and_the_daily_budget_stops_ticks() {
    let project = TempProject::new();
    let api = MockApi::start();
    DailyLog::new(kairos_dir(&project)).append(LogKind::Spend, "1.500000").unwrap();
    let kairos = Kairos { budget_usd: 1.0, ..Kairos::default() };
    let mut session = spawn_session(agent(&project, &api, kairos), Conversation::new());
    let start = until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(_)))).await;
    let AgentEvent::Kairos(KairosEvent::Status(view)) = start.last().unwrap() else { unreachable!() };
    assert_eq!((view.spent_today_usd, view.daily_budget_usd), (1.5, 1.0));
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    project.write("changed.txt", "x");
    until(&mut session, |e| skipped(e, &TickSkip::DailyBudget { limit_usd: 1.0 })).await;
    assert_eq!(api.requests().len(), 0);
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_only_grows_across_a_restart_and_a_torn_line_is_skipped() {
    let project = TempProject::new();
    let api = MockApi::start();
    let log = DailyLog::new(kairos_dir(&project));
    let day = DailyLog::day_of(time::OffsetDateTime::now_utc());
    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    session.ops.send(Op::Shutdown).await.unwrap();
    (&mut session.finished).await.unwrap();
    let first = std::fs::read_to_string(log.path_for(&day)).unwrap();
    assert!(first.contains("\tstart\t") && first.contains("\tstop\t"), "{first}");
    // A crash in the middle of an entry.
    let mut torn = std::fs::OpenOptions::new().append(true).open(log.path_for(&day)).unwrap();
    std::io::Write::write_all(&mut torn, b"2026-01-01T00:00:00Z\tspend\t12").unwrap();
    drop(torn);

    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    let start = until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(_)))).await;
    let AgentEvent::Kairos(KairosEvent::Status(view)) = start.last().unwrap() else { unreachable!() };
    assert_eq!(view.spent_today_usd, 0.0, "the torn entry does not count");
    session.ops.send(Op::Kairos(KairosRequest::ReadLog { day: None })).await.unwrap();
    let events = until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Log { .. }))).await;
    let AgentEvent::Kairos(KairosEvent::Log { text, .. }) = events.last().unwrap() else { unreachable!() };
    assert_eq!(text.matches("KAIROS started").count(), 2, "{text}");
    assert!(!text.contains("spend"), "the torn entry is not shown: {text}");
    session.ops.send(Op::Shutdown).await.unwrap();
    (&mut session.finished).await.unwrap();
    let second = std::fs::read_to_string(log.path_for(&day)).unwrap();
    assert!(second.starts_with(&first), "earlier entries are never rewritten");
    assert_eq!(log.entries(&day).iter().filter(|e| e.kind == "stop").count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_and_resume_are_answered_with_the_status() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    session.ops.send(Op::Kairos(KairosRequest::Pause)).await.unwrap();
    let events =
        until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(view)) if view.paused))
            .await;
    let AgentEvent::Kairos(KairosEvent::Status(view)) = events.last().unwrap() else { unreachable!() };
    assert_eq!(view.next_tick_at, None);
    session.ops.send(Op::Kairos(KairosRequest::Resume)).await.unwrap();
    until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(view)) if !view.paused)).await;
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    let entries =
        DailyLog::new(kairos_dir(&project)).entries(&DailyLog::day_of(time::OffsetDateTime::now_utc()));
    assert!(entries.iter().any(|e| e.kind == "paused") && entries.iter().any(|e| e.kind == "resumed"));
    session.ops.send(Op::Shutdown).await.unwrap();
}

/// A watch that reports one line at its second poll, as a pull-request watcher reports a new review.
struct OneReview {
    polls: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl claurst_assistant::kairos::Watch for OneReview {
    async fn poll(&self) -> Vec<String> {
        match self.polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            1 => vec!["PR acme/app#12: new review by ada (approved)".to_string()],
            _ => Vec::new(),
        }
    }

    fn watched(&self) -> Vec<String> {
        vec!["acme/app#12".to_string()]
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watchs_lines_are_changes_and_what_it_watches_is_in_the_status() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Ada approved; nothing to do.")));
    let watch = OneReview { polls: std::sync::atomic::AtomicUsize::new(0) };
    let options = claurst_assistant::SessionOptions {
        kairos_watches: claurst_assistant::kairos::Watches(vec![std::sync::Arc::new(watch)]),
        ..Default::default()
    };
    let agent = agent(&project, &api, Kairos::default());
    let mut session = claurst_assistant::spawn_session_with(agent, Conversation::new(), options);
    let start = until(&mut session, |e| matches!(e, AgentEvent::Kairos(KairosEvent::Status(_)))).await;
    let AgentEvent::Kairos(KairosEvent::Status(view)) = start.last().unwrap() else { unreachable!() };
    assert_eq!(view.subscriptions, ["acme/app#12"]);
    let events = until(&mut session, is_run_finished).await;
    assert!(events.iter().any(|e| skipped(e, &TickSkip::NothingChanged)), "the first poll had nothing");
    let changes = events.iter().find_map(|e| match e {
        AgentEvent::Kairos(KairosEvent::TickStarted { changes, .. }) => Some(changes.clone()),
        _ => None,
    });
    assert_eq!(changes.unwrap(), ["PR acme/app#12: new review by ada (approved)"]);
    let sent = last_user_text(&api, 0);
    assert!(sent.contains("<watched untrusted=") && sent.contains("new review by ada"), "{sent}");
    session.ops.send(Op::Shutdown).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_users_shell_command_that_finished_is_carried_with_its_exit_status() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("The check failed; looking.")));
    let mut session = spawn_session(agent(&project, &api, Kairos::default()), Conversation::new());
    until(&mut session, |e| skipped(e, &TickSkip::NothingChanged)).await;
    session.ops.send(Op::RunShell { command: "exit 3".into() }).await.unwrap();
    let events = until(&mut session, tick_started).await;
    let Some(AgentEvent::Kairos(KairosEvent::TickStarted { changes, .. })) = events.last() else {
        unreachable!()
    };
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        changes[0].starts_with("command finished: `exit 3` failed") && changes[0].contains('3'),
        "{changes:?}"
    );
    until(&mut session, is_run_finished).await;
    assert!(last_user_text(&api, 0).contains("<commands_finished>"));
    session.ops.send(Op::Shutdown).await.unwrap();
}
