//! The companion in the side pane (feature `buddy`): who it is comes from `claurst-buddy`; this module
//! decides when it blinks, reacts and speaks, draws it, runs `/buddy`, and hands the model-written name
//! over from the CLI once the session is quiet.
//!
//! It never asks the model itself: the CLI owns the naming request and only waits for the interface's
//! signal that nobody else is talking to the model (see [`naming_channel`]).

mod command;
mod draw;
mod mood;
mod naming;
mod test_run;

pub use naming::{NamingHandoff, NamingRequest, naming_channel};

use claurst_buddy::{BuddyProfile, Companion};
use mood::Mood;
use naming::Naming;
use std::time::{Duration, Instant};

/// How often the companion blinks while idle.
const BLINK_EVERY: Duration = Duration::from_secs(4);
/// How long a blink lasts; it ends each blink cycle, so a freshly drawn companion has its eyes open.
const BLINK_TIME: Duration = Duration::from_millis(200);

/// What the CLI tells the interface about the user's companion.
#[derive(Debug, Clone)]
pub struct CompanionOptions {
    /// Hatched from the effective user id (`[buddy] user_id`, else the stored one).
    pub companion: Companion,
    /// What `~/.claurst/buddy.json` remembers: the model-written name once there is one, the hatch date.
    pub profile: BuddyProfile,
    /// Set when the profile has no name yet and the CLI will ask the model for one.
    pub naming: Option<NamingHandoff>,
}

/// The companion as the interface keeps it during the session.
pub(crate) struct Buddy {
    companion: Companion,
    profile: BuddyProfile,
    /// `/buddy hide`, for this session.
    hidden: bool,
    /// Whether the side pane was drawn in the last frame (it is not below 100 columns).
    on_screen: bool,
    /// The blink cycle starts here.
    born: Instant,
    mood: Mood,
    naming: Naming,
}

impl Buddy {
    pub(crate) fn from_options(options: &CompanionOptions, now: Instant) -> Buddy {
        Buddy {
            companion: options.companion.clone(),
            profile: options.profile.clone(),
            hidden: false,
            on_screen: false,
            born: now,
            mood: Mood::new(now),
            naming: Naming::from_handoff(options.naming.as_ref()),
        }
    }

    /// Whether the companion wants to be in the side pane (not hidden with `/buddy hide`).
    pub(crate) fn visible(&self) -> bool {
        !self.hidden
    }

    /// The name the companion goes by: the model-written one once stored, else the fallback.
    pub(crate) fn name(&self) -> &str {
        self.profile.card_details(&self.companion).name
    }

    /// Called before each frame: notes whether the pane is on screen, lets time-driven reactions happen,
    /// asks for the name once the session is quiet and takes it when it has come.
    pub(crate) fn before_frame(&mut self, now: Instant, busy: bool, on_screen: bool) {
        self.on_screen = on_screen && !self.hidden;
        self.mood.advance(now);
        let quiet_at = self.mood.quiet_at(busy);
        if let Some(profile) = self.naming.poll(now, quiet_at) {
            self.profile = profile;
        }
    }

    /// When the companion next changes on its own, or `None` when it is not on screen: an invisible
    /// companion costs no frames. Never earlier than `now` + 1 ms, so a due instant cannot spin the loop.
    pub(crate) fn next_tick(&self, now: Instant, busy: bool) -> Option<Instant> {
        if !self.on_screen {
            return None;
        }
        let wakes = [
            self.mood.next_change(now),
            Some(self.next_blink_edge(now)),
            self.naming.due(self.mood.quiet_at(busy)),
        ];
        wakes.into_iter().flatten().min().map(|at| at.max(now + Duration::from_millis(1)))
    }

    fn blinking(&self, now: Instant) -> bool {
        let phase = cycle_phase(now.saturating_duration_since(self.born));
        phase >= BLINK_EVERY - BLINK_TIME
    }

    /// The next start or end of a blink after `now`.
    fn next_blink_edge(&self, now: Instant) -> Instant {
        let phase = cycle_phase(now.saturating_duration_since(self.born));
        let blink_starts = BLINK_EVERY - BLINK_TIME;
        let wait = if phase < blink_starts { blink_starts - phase } else { BLINK_EVERY - phase };
        now + wait
    }
}

/// Where `elapsed` falls in the blink cycle.
fn cycle_phase(elapsed: Duration) -> Duration {
    let cycle = BLINK_EVERY.as_millis();
    Duration::from_millis((elapsed.as_millis() % cycle) as u64)
}

#[cfg(test)]
mod tests;
