//! What the companion is feeling: which reaction it shows, since when, and whether it says something.
//!
//! Everything is driven by agent events, keys and the clock the caller passes in, so tests can replay a
//! session with chosen instants.

use super::test_run::looks_like_tests;
use claurst_buddy::{HEART_STEPS, Reaction};
use claurst_protocol::AgentEvent;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// How long a reaction's frame (and its speech bubble) stays up.
pub(crate) const REACTION_TIME: Duration = Duration::from_secs(4);
/// Each step of the petting hearts.
pub(crate) const PET_STEP: Duration = Duration::from_millis(400);
/// Petting runs the hearts through three full cycles.
pub(crate) const PET_TIME: Duration = Duration::from_millis(400 * 3 * HEART_STEPS as u64);
/// A run busy this long makes the companion doze off.
pub(crate) const LONG_WAIT: Duration = Duration::from_secs(30);
/// The first key after this long without one greets the user back.
pub(crate) const AWAY: Duration = Duration::from_secs(5 * 60);
/// No run and no key for this long is a quiet moment (when the model may be asked for a name).
pub(crate) const QUIET: Duration = Duration::from_secs(4);

/// One reaction on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moment {
    pub reaction: Reaction,
    pub started: Instant,
    /// What the companion says, if it speaks this time.
    pub bubble: Option<&'static str>,
}

impl Moment {
    pub(crate) fn until(&self) -> Instant {
        let lasts = if self.reaction == Reaction::Petted { PET_TIME } else { REACTION_TIME };
        self.started + lasts
    }

    /// Which step of the petting hearts shows at `now`.
    pub(crate) fn heart_step(&self, now: Instant) -> usize {
        (now.saturating_duration_since(self.started).as_millis() / PET_STEP.as_millis()) as usize
    }
}

#[derive(Debug)]
pub(crate) struct Mood {
    current: Option<Moment>,
    /// Reactions so far: every other one speaks.
    reactions: usize,
    /// Lines said so far: the next line is `Reaction::line(spoken)`, so the choice is reproducible.
    spoken: usize,
    /// Bash calls in flight whose command runs tests.
    test_calls: HashSet<String>,
    run_started: Option<Instant>,
    /// The current run has had its long-wait reaction.
    dozed: bool,
    last_input: Instant,
    /// The latest key, run start or run end.
    last_activity: Instant,
}

impl Mood {
    pub(crate) fn new(now: Instant) -> Mood {
        Mood {
            current: None,
            reactions: 0,
            spoken: 0,
            test_calls: HashSet::new(),
            run_started: None,
            dozed: false,
            last_input: now,
            last_activity: now,
        }
    }

    /// The reaction on screen at `now`, if any.
    pub(crate) fn current(&self, now: Instant) -> Option<Moment> {
        self.current.filter(|moment| now < moment.until())
    }

    pub(crate) fn observe(&mut self, event: &AgentEvent, now: Instant) {
        match event {
            AgentEvent::RunStarted { .. } => {
                self.run_started = Some(now);
                self.dozed = false;
                self.last_activity = now;
            }
            AgentEvent::RunFinished(_) => {
                self.run_started = None;
                self.last_activity = now;
                self.test_calls.clear();
                if self.current.is_some_and(|moment| moment.reaction == Reaction::LongWait) {
                    self.current = None;
                }
            }
            AgentEvent::ToolCallRequested(call)
                if call.family == claurst_protocol::ToolFamily::Shell
                    && looks_like_tests(&call.key_argument) =>
            {
                self.test_calls.insert(call.id.clone());
            }
            AgentEvent::ToolCallFinished(done) => {
                let ran_tests = self.test_calls.remove(&done.id);
                if done.is_error {
                    self.react(Reaction::ToolFailed, now);
                } else if ran_tests {
                    self.react(Reaction::TestsPassed, now);
                }
            }
            _ => {}
        }
    }

    /// A key or a paste: the user is here.
    pub(crate) fn saw_input(&mut self, now: Instant) {
        if now.saturating_duration_since(self.last_input) >= AWAY {
            self.react(Reaction::UserReturned, now);
        }
        self.last_input = now;
        self.last_activity = now;
    }

    /// `/buddy pet`.
    pub(crate) fn pet(&mut self, now: Instant) {
        self.react(Reaction::Petted, now);
    }

    /// Reactions driven by the clock alone: dozing off during a long run.
    pub(crate) fn advance(&mut self, now: Instant) {
        let waited = self.run_started.map(|started| now.saturating_duration_since(started));
        if !self.dozed && waited.is_some_and(|waited| waited >= LONG_WAIT) {
            self.dozed = true;
            self.react(Reaction::LongWait, now);
        }
    }

    /// When what the reaction shows changes next (a heart step or its end).
    pub(crate) fn next_change(&self, now: Instant) -> Option<Instant> {
        let moment = self.current(now)?;
        if moment.reaction == Reaction::Petted {
            let next_step = moment.started + PET_STEP * (moment.heart_step(now) as u32 + 1);
            return Some(next_step.min(moment.until()));
        }
        Some(moment.until())
    }

    /// When the session is quiet enough to ask the model something: never while a run is in progress.
    pub(crate) fn quiet_at(&self, busy: bool) -> Option<Instant> {
        (!busy && self.run_started.is_none()).then_some(self.last_activity + QUIET)
    }

    fn react(&mut self, reaction: Reaction, now: Instant) {
        // A burst of the same thing (three failing calls in a row) keeps one reaction up, not three.
        if let Some(moment) = &mut self.current
            && reaction != Reaction::Petted
            && moment.reaction == reaction
            && now < moment.until()
        {
            moment.started = now;
            return;
        }
        let speaks = reaction == Reaction::Petted || self.reactions.is_multiple_of(2);
        self.reactions += 1;
        let bubble = speaks.then(|| {
            self.spoken += 1;
            reaction.line(self.spoken - 1)
        });
        self.current = Some(Moment { reaction, started: now, bubble });
    }
}
