//! Which events make the companion react, when it speaks, when it asks for frames and for its name.

use super::mood::{AWAY, LONG_WAIT, Mood, QUIET, REACTION_TIME};
use super::{CompanionOptions, naming_channel};
use crate::{App, FileIndex, Theme, TuiOptions, draw};
use claurst_buddy::{BuddyProfile, Companion, Reaction};
use claurst_protocol::{AgentEvent, RunOutcome, RunSummary, ToolCallView, ToolFinished, Usage};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use std::time::{Duration, Instant};

fn requested(id: &str, name: &str, command: &str) -> AgentEvent {
    let mut call = ToolCallView::new(id, name, json!({ "command": command }));
    // As the bash tool describes its calls.
    if name == "bash" {
        call.family = claurst_protocol::ToolFamily::Shell;
        call.key_argument = command.to_string();
    }
    AgentEvent::ToolCallRequested(call)
}

fn finished(id: &str, name: &str, is_error: bool) -> AgentEvent {
    AgentEvent::ToolCallFinished(ToolFinished {
        id: id.into(),
        name: name.into(),
        output: String::new(),
        is_error,
        duration_ms: 5,
        summary: String::new(),
        change: None,
    })
}

fn run_finished() -> AgentEvent {
    AgentEvent::RunFinished(RunSummary {
        outcome: RunOutcome::Success,
        final_text: String::new(),
        num_turns: 1,
        duration_ms: 1,
        duration_api_ms: 1,
        total_cost_usd: 0.0,
        usage: Usage::default(),
        session_id: "s".into(),
        permission_denials: Vec::new(),
        model_usage: Vec::new(),
    })
}

fn reaction(mood: &Mood, now: Instant) -> Option<Reaction> {
    mood.current(now).map(|moment| moment.reaction)
}

#[test]
fn tool_failures_and_passing_tests_trigger_their_reactions() {
    let start = Instant::now();
    let mut mood = Mood::new(start);
    mood.observe(&requested("t1", "bash", "ls -la"), start);
    mood.observe(&finished("t1", "bash", false), start);
    assert_eq!(reaction(&mood, start), None, "an ordinary command passing is nothing to cheer");

    mood.observe(&requested("t2", "bash", "cd app && cargo test --all"), start);
    mood.observe(&finished("t2", "bash", false), start);
    assert_eq!(reaction(&mood, start), Some(Reaction::TestsPassed));

    let later = start + REACTION_TIME;
    assert_eq!(reaction(&mood, later), None, "reactions last a few seconds");
    mood.observe(&requested("t3", "bash", "pytest"), later);
    mood.observe(&finished("t3", "bash", true), later);
    assert_eq!(reaction(&mood, later), Some(Reaction::ToolFailed), "failing tests are a failure");

    let later = later + REACTION_TIME;
    mood.observe(&finished("t4", "read_file", true), later);
    assert_eq!(reaction(&mood, later), Some(Reaction::ToolFailed), "any failing tool");
}

#[test]
fn a_long_run_makes_it_doze_until_the_run_ends() {
    let start = Instant::now();
    let mut mood = Mood::new(start);
    mood.observe(&AgentEvent::RunStarted { prompt: "refactor".into() }, start);
    mood.advance(start + LONG_WAIT - Duration::from_secs(1));
    assert_eq!(reaction(&mood, start + LONG_WAIT), None);
    let dozing = start + LONG_WAIT + Duration::from_millis(10);
    mood.advance(dozing);
    assert_eq!(reaction(&mood, dozing), Some(Reaction::LongWait));
    mood.observe(&run_finished(), dozing);
    assert_eq!(reaction(&mood, dozing), None, "the wait is over");
    mood.advance(dozing + LONG_WAIT);
    assert_eq!(reaction(&mood, dozing + LONG_WAIT), None, "no run, no waiting");
}

#[test]
fn the_first_key_after_a_long_absence_greets_the_user() {
    let start = Instant::now();
    let mut mood = Mood::new(start);
    mood.saw_input(start + Duration::from_secs(60));
    assert_eq!(reaction(&mood, start + Duration::from_secs(60)), None);
    let back = start + Duration::from_secs(60) + AWAY;
    mood.saw_input(back);
    assert_eq!(reaction(&mood, back), Some(Reaction::UserReturned));
}

#[test]
fn every_other_reaction_speaks_and_lines_rotate() {
    let start = Instant::now();
    let mut mood = Mood::new(start);
    let mut said = Vec::new();
    for step in 0..4u32 {
        let now = start + REACTION_TIME * step;
        mood.observe(&finished(&format!("t{step}"), "bash", true), now);
        said.push(mood.current(now).and_then(|moment| moment.bubble));
    }
    let lines = Reaction::ToolFailed.lines();
    assert_eq!(said, [Some(lines[0]), None, Some(lines[1]), None]);
    // Petting always gets an answer.
    let now = start + REACTION_TIME * 4;
    mood.pet(now);
    assert_eq!(mood.current(now).and_then(|moment| moment.bubble), Some(Reaction::Petted.line(2)));
}

#[test]
fn a_burst_of_failures_is_one_reaction() {
    let start = Instant::now();
    let mut mood = Mood::new(start);
    mood.observe(&finished("a", "bash", true), start);
    let first = mood.current(start);
    let soon = start + Duration::from_secs(1);
    mood.observe(&finished("b", "bash", true), soon);
    let moment = mood.current(soon).unwrap();
    assert_eq!(moment.bubble, first.unwrap().bubble, "no second line");
    assert_eq!(moment.started, soon, "but it stays up longer");
}

#[test]
fn the_quiet_moment_waits_for_runs_and_keys() {
    let start = Instant::now();
    let mut mood = Mood::new(start);
    assert_eq!(mood.quiet_at(false), Some(start + QUIET));
    assert_eq!(mood.quiet_at(true), None, "never while busy");
    mood.observe(&AgentEvent::RunStarted { prompt: "hi".into() }, start);
    assert_eq!(mood.quiet_at(false), None);
    let end = start + Duration::from_secs(2);
    mood.observe(&run_finished(), end);
    assert_eq!(mood.quiet_at(false), Some(end + QUIET));
    mood.saw_input(end + Duration::from_secs(1));
    assert_eq!(mood.quiet_at(false), Some(end + Duration::from_secs(1) + QUIET));
}

fn options(user_id: &str) -> TuiOptions {
    let companion = Companion::hatch(user_id);
    let mut profile = BuddyProfile::generate(time::macros::date!(2026 - 04 - 01));
    profile.user_id = user_id.into();
    TuiOptions {
        companion: Some(CompanionOptions { companion, profile, naming: None }),
        ..TuiOptions::default()
    }
}

fn app(options: &TuiOptions) -> App {
    App::new(options, Theme::monochrome(), FileIndex::from_files(Vec::new()))
}

fn draw_at(app: &mut App, width: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, 20)).unwrap();
    terminal.draw(|frame| draw(frame, app)).unwrap();
}

#[test]
fn no_frames_are_asked_for_when_the_pane_is_hidden_or_there_is_no_companion() {
    let now = Instant::now();
    let mut without = app(&TuiOptions::default());
    draw_at(&mut without, 120);
    assert!(!without.is_animating());
    assert_eq!(without.next_tick(now), None, "no companion");

    let mut app = app(&options("alice"));
    assert!(!app.is_animating(), "the companion never asks for 100 ms ticks");
    draw_at(&mut app, 80);
    assert_eq!(app.next_tick(Instant::now()), None, "below 100 columns the pane is not drawn");

    draw_at(&mut app, 120);
    let now = Instant::now();
    let tick = app.next_tick(now).expect("a companion on screen blinks");
    assert!(tick > now && tick <= now + Duration::from_secs(4), "{:?}", tick - now);
    assert!(!app.is_animating());

    app.buddy_command(Some("hide"));
    draw_at(&mut app, 120);
    assert_eq!(app.next_tick(Instant::now()), None, "/buddy hide");
    assert!(!app.is_animating());
}

#[test]
fn the_name_is_asked_for_in_a_quiet_moment_and_shown_when_it_comes() {
    let (handoff, mut request) = naming_channel();
    let mut options = options("alice");
    if let Some(companion) = &mut options.companion {
        companion.naming = Some(handoff);
    }
    let mut app = app(&options);
    let start = Instant::now();
    app.before_frame(start, true);
    let buddy = app.companion.as_ref().unwrap();
    assert_eq!(buddy.name(), "Piperfen", "the fallback name until the model has answered");
    assert!(app.next_tick(start).is_some_and(|tick| tick <= start + QUIET + Duration::from_millis(5)));

    app.before_frame(start + QUIET + Duration::from_millis(10), true);
    assert!(futures::executor::block_on(request.quiet()), "the CLI is told to go ahead");
    let mut named = app.companion.as_ref().unwrap().profile.clone();
    named.name = Some("Captain Pinch".into());
    request.deliver(named);
    app.before_frame(start + QUIET + Duration::from_secs(1), true);
    assert_eq!(app.companion.as_ref().unwrap().name(), "Captain Pinch");
}
