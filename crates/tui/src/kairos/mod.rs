//! KAIROS in the interface (feature `proactive`): its pane, `/kairos`, its events in the transcript, and the
//! "user is typing" signal that keeps ticks out of the user's way.
//!
//! Nothing shows until the session reports KAIROS's first status: a session without KAIROS looks exactly
//! like a build without the feature.

mod events;
mod pane;

use claurst_protocol::{KairosView, TickSkip};
use std::time::{Duration, SystemTime};

/// While the user types, `Op::UserActivity` goes out at most this often.
pub const ACTIVITY_EVERY: Duration = Duration::from_secs(1);

/// Where KAIROS's countdown and the typing signal read the time: the system's, or one a test set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Clock {
    #[default]
    System,
    Frozen(SystemTime),
}

impl Clock {
    pub(crate) fn now(self) -> SystemTime {
        match self {
            Clock::System => SystemTime::now(),
            Clock::Frozen(at) => at,
        }
    }
}

/// What the interface knows of KAIROS.
#[derive(Debug, Default)]
pub(crate) struct Kairos {
    /// The last status; `None` until the session reports one (then KAIROS runs in this session).
    pub(crate) view: Option<KairosView>,
    /// When the next tick comes due, read from the view.
    pub(crate) next_tick: Option<SystemTime>,
    /// Why the last due tick made no model call, until a tick acts.
    pub(crate) last_skip: Option<TickSkip>,
    /// A tick began: the run that starts next is its own, not the user's.
    pub(crate) pending_tick: Option<(u64, Vec<String>)>,
    /// `/kairos status` was typed: the next status is shown in the transcript too.
    pub(crate) status_asked: bool,
    /// When `Op::UserActivity` last went out.
    pub(crate) activity_sent: Option<SystemTime>,
    pub(crate) clock: Clock,
}

impl Kairos {
    pub(crate) fn active(&self) -> bool {
        self.view.is_some()
    }

    /// Whether typing now should send `Op::UserActivity`: KAIROS runs and the last one is a second old.
    pub(crate) fn activity_due(&mut self) -> bool {
        if !self.active() {
            return false;
        }
        let now = self.clock.now();
        // A clock set back counts as due: a lost signal would let a tick start under the user's fingers.
        let due = self
            .activity_sent
            .is_none_or(|sent| now.duration_since(sent).map_or(true, |since| since >= ACTIVITY_EVERY));
        if due {
            self.activity_sent = Some(now);
        }
        due
    }

    /// How long until the next tick, `None` while paused or when none is planned.
    pub(crate) fn until_next_tick(&self) -> Option<Duration> {
        if self.view.as_ref().is_none_or(|view| view.paused) {
            return None;
        }
        let next = self.next_tick?;
        Some(next.duration_since(self.clock.now()).unwrap_or_default())
    }

    /// How long until the countdown's text changes (tens of seconds below a minute, whole minutes above): just
    /// past the step, where the rounded-down text is the next one. An idle session so wakes a few times a
    /// minute at most.
    pub(crate) fn next_change_in(&self) -> Option<Duration> {
        let left = self.until_next_tick().filter(|left| !left.is_zero())?;
        let step = if left >= Duration::from_secs(60) { 60_000 } else { 10_000 };
        let into_step = (left.as_millis() % step) as u64;
        Some(Duration::from_millis(into_step + 1))
    }
}

/// An RFC 3339 time (`2026-12-02T11:30:00Z`) as a system time; `None` when it does not parse.
pub(crate) fn parse_time(text: &str) -> Option<SystemTime> {
    let parsed = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    Some(SystemTime::from(parsed))
}

/// `in 40 s` (tens of seconds, rounded down), `in <10 s`, `in 3 min`, `in 1 h 5 min`, `due now`.
pub(crate) fn relative(left: Duration) -> String {
    let seconds = left.as_secs();
    match seconds {
        0 => "due now".to_string(),
        1..=9 => "in <10 s".to_string(),
        10..=59 => format!("in {} s", seconds / 10 * 10),
        60..=3599 => format!("in {} min", seconds / 60),
        _ => format!("in {} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

/// Why a tick was skipped, in a few words.
pub(crate) fn skip_text(skip: &TickSkip) -> String {
    match skip {
        TickSkip::NothingChanged => "nothing changed".to_string(),
        TickSkip::UserBusy => "you were busy".to_string(),
        TickSkip::Paused => "paused".to_string(),
        TickSkip::HourlyLimit { limit } => format!("{limit} ticks this hour already"),
        TickSkip::DailyBudget { limit_usd } => format!("today's ${limit_usd:.2} spent"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_read_in_seconds_then_minutes_then_hours() {
        assert_eq!(relative(Duration::from_secs(42)), "in 40 s");
        assert_eq!(relative(Duration::from_millis(59_900)), "in 50 s");
        assert_eq!(relative(Duration::from_secs(7)), "in <10 s");
        assert_eq!(relative(Duration::from_secs(185)), "in 3 min");
        assert_eq!(relative(Duration::from_secs(3900)), "in 1 h 5 min");
        assert_eq!(relative(Duration::ZERO), "due now");
    }

    #[test]
    fn rfc3339_times_parse_with_or_without_fractions() {
        let whole = parse_time("2026-12-02T11:30:00Z").unwrap();
        let fraction = parse_time("2026-12-02T11:30:00.500+00:00").unwrap();
        assert_eq!(fraction.duration_since(whole).unwrap(), Duration::from_millis(500));
        assert_eq!(parse_time("soon"), None);
    }

    #[test]
    fn the_countdown_wakes_the_screen_when_its_text_changes() {
        let now = parse_time("2026-12-02T11:30:00Z").unwrap();
        let mut kairos = Kairos { clock: Clock::Frozen(now), ..Kairos::default() };
        kairos.view = Some(KairosView {
            paused: false,
            next_tick_at: None,
            tick_interval_secs: 60,
            ticks_last_hour: 0,
            max_ticks_per_hour: 20,
            spent_today_usd: 0.0,
            daily_budget_usd: 1.0,
            last_action: None,
            deferred: Vec::new(),
            subscriptions: Vec::new(),
            log_path: String::new(),
        });
        // Just past the next step, where the text has changed: "in 40 s" becomes "in 30 s" 2.301 s later.
        kairos.next_tick = Some(now + Duration::from_millis(42_300));
        assert_eq!(kairos.next_change_in(), Some(Duration::from_millis(2_301)));
        kairos.next_tick = Some(now + Duration::from_secs(150));
        assert_eq!(kairos.next_change_in(), Some(Duration::from_millis(30_001)));
        // Exactly on a step, the change is a millisecond away, not a whole step.
        kairos.next_tick = Some(now + Duration::from_secs(40));
        assert_eq!(kairos.next_change_in(), Some(Duration::from_millis(1)));
        kairos.next_tick = Some(now);
        assert_eq!(kairos.next_change_in(), None, "a due tick waits for the next status");
    }
}
