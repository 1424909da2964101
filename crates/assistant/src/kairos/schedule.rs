//! When a tick comes due and whether it may call the model: the interval, pause, the quiet period after the
//! user's activity, the hourly cap and the daily spend cap.

use claurst_protocol::TickSkip;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long after the user's last keystroke or prompt no tick starts.
const QUIET_PERIOD: Duration = Duration::from_secs(3);
const HOUR: Duration = Duration::from_secs(3600);

/// The tick clock and the caps. Time is passed in, so the rules are tested without waiting.
#[derive(Debug)]
pub struct Scheduler {
    interval: Duration,
    quiet: Duration,
    next_due: Instant,
    paused: bool,
    quiet_until: Option<Instant>,
    /// When ticks called the model, within the last hour; never longer than the cap.
    acted: VecDeque<Instant>,
    max_per_hour: u32,
    budget_usd: f64,
    spent_usd: f64,
}

impl Scheduler {
    pub fn new(interval: Duration, max_per_hour: u32, budget_usd: f64, spent_usd: f64, now: Instant) -> Self {
        Scheduler {
            interval,
            // A short (test) interval is not drowned by the quiet period, which still spans the next tick.
            quiet: QUIET_PERIOD.min(interval * 2),
            next_due: now + interval,
            paused: false,
            quiet_until: None,
            acted: VecDeque::with_capacity(max_per_hour.min(1024) as usize),
            max_per_hour,
            budget_usd,
            spent_usd,
        }
    }

    /// When the next tick comes due; none while paused.
    pub fn due_at(&self) -> Option<Instant> {
        (!self.paused).then_some(self.next_due)
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    pub fn pause(&mut self) {
        self.paused = true;
    }

    pub fn resume(&mut self, now: Instant) {
        if self.paused {
            self.paused = false;
            self.next_due = now + self.interval;
        }
    }

    /// The user typed or sent something: ticks wait for a quiet moment.
    pub fn user_active(&mut self, now: Instant) {
        self.quiet_until = Some(now + self.quiet);
    }

    /// Whether a tick due now may call the model (before looking at what changed: the user comes first).
    pub fn user_gate(&mut self, now: Instant) -> Result<(), TickSkip> {
        if self.paused {
            return Err(TickSkip::Paused);
        }
        match self.quiet_until {
            Some(until) if until > now => {
                // Come again as soon as the user pauses, not a whole interval later.
                self.next_due = until;
                Err(TickSkip::UserBusy)
            }
            _ => Ok(()),
        }
    }

    /// Whether the caps let a tick call the model now.
    pub fn cap_gate(&mut self, now: Instant) -> Result<(), TickSkip> {
        self.forget_before(now);
        if self.acted.len() as u64 >= u64::from(self.max_per_hour) {
            return Err(TickSkip::HourlyLimit { limit: self.max_per_hour });
        }
        if self.spent_usd >= self.budget_usd {
            return Err(TickSkip::DailyBudget { limit_usd: self.budget_usd });
        }
        Ok(())
    }

    /// A due tick was handled (whatever it did): the next one is an interval away.
    pub fn ticked(&mut self, now: Instant) {
        self.next_due = now + self.interval;
    }

    /// A tick called the model.
    pub fn acted(&mut self, now: Instant) {
        self.forget_before(now);
        self.acted.push_back(now);
    }

    pub fn spend(&mut self, amount_usd: f64) {
        if amount_usd.is_finite() && amount_usd > 0.0 {
            self.spent_usd += amount_usd;
        }
    }

    /// A new UTC day began: its spend starts from what its log says.
    pub fn new_day(&mut self, spent_usd: f64) {
        self.spent_usd = spent_usd;
    }

    pub fn ticks_last_hour(&mut self, now: Instant) -> u32 {
        self.forget_before(now);
        u32::try_from(self.acted.len()).unwrap_or(u32::MAX)
    }

    pub fn spent_usd(&self) -> f64 {
        self.spent_usd
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    pub fn max_per_hour(&self) -> u32 {
        self.max_per_hour
    }

    pub fn budget_usd(&self) -> f64 {
        self.budget_usd
    }

    fn forget_before(&mut self, now: Instant) {
        while self.acted.front().is_some_and(|at| now.saturating_duration_since(*at) >= HOUR) {
            self.acted.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_cap_counts_the_last_hour_only() {
        let start = Instant::now();
        let mut scheduler = Scheduler::new(Duration::from_secs(60), 2, 10.0, 0.0, start);
        scheduler.acted(start);
        scheduler.acted(start + Duration::from_secs(60));
        let later = start + Duration::from_secs(120);
        assert_eq!(scheduler.cap_gate(later), Err(TickSkip::HourlyLimit { limit: 2 }));
        assert_eq!(scheduler.cap_gate(start + HOUR + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn the_daily_budget_and_the_quiet_period_hold_ticks() {
        let start = Instant::now();
        let mut scheduler = Scheduler::new(Duration::from_secs(60), 10, 1.0, 0.4, start);
        scheduler.spend(0.6);
        assert_eq!(scheduler.cap_gate(start), Err(TickSkip::DailyBudget { limit_usd: 1.0 }));
        scheduler.new_day(0.0);
        assert_eq!(scheduler.cap_gate(start), Ok(()));
        scheduler.user_active(start);
        assert_eq!(scheduler.user_gate(start + Duration::from_secs(1)), Err(TickSkip::UserBusy));
        assert_eq!(scheduler.due_at(), Some(start + QUIET_PERIOD));
        assert_eq!(scheduler.user_gate(start + QUIET_PERIOD), Ok(()));
        scheduler.pause();
        assert_eq!(scheduler.due_at(), None);
    }
}
