//! Run control as the user drives it: Ctrl+C (interrupt a run, clear the prompt, quit on a second press),
//! the flash line's lifetime, queued prompts pulled back for editing, the retry countdown, refusals at an
//! approval, and terminal notifications.

use super::{App, Effect};
use claurst_protocol::{Decision, Op};
use std::time::{Duration, Instant};

/// The double-press window (Ctrl+C Ctrl+C to quit, Esc Esc to rewind), and so the lifetime of the hint that
/// says so: once the hint is gone a single press no longer acts.
pub(crate) const DOUBLE_PRESS_WINDOW: Duration = Duration::from_millis(1500);
/// How long an ordinary flash message stays.
pub(crate) const FLASH_LIFETIME: Duration = Duration::from_secs(3);
/// What Ctrl+C says on an idle, empty prompt.
pub(crate) const QUIT_HINT: &str = "Press Ctrl+C again to quit";

/// A short message in the activity line, until it expires.
#[derive(Debug, Clone)]
pub struct Flash {
    pub text: String,
    pub until: Instant,
}

impl Flash {
    pub(crate) fn new(text: String, now: Instant, lasts: Duration) -> Self {
        Self { text, until: now + lasts }
    }

    pub(crate) fn is_fresh(&self, now: Instant) -> bool {
        now < self.until
    }
}

/// A request that failed and waits to be retried.
#[derive(Debug, Clone)]
pub struct Retry {
    pub attempt: u32,
    pub max_attempts: u32,
    pub at: Instant,
    pub reason: String,
}

impl Retry {
    /// `retrying 2/5 in 3s: overloaded`, counting down to the attempt.
    pub(crate) fn text(&self, now: Instant) -> String {
        let left = self.at.saturating_duration_since(now);
        // Rounded up: "in 0s" would show while the wait is still on.
        let seconds = left.as_millis().div_ceil(1000);
        format!("retrying {}/{} in {seconds}s: {}", self.attempt, self.max_attempts, self.reason)
    }
}

impl App {
    /// Ctrl+C: drop a note being typed; interrupt a run (exactly as Esc does); clear the prompt; else quit on
    /// a second press within the window the hint is shown for.
    pub(crate) fn ctrl_c(&mut self) -> Vec<Effect> {
        if let Some(modal) = self.approvals.front_mut()
            && modal.note.is_some()
        {
            modal.note = None;
            return Vec::new();
        }
        // A run that does not stop when asked must not hold the user hostage: once an interrupt is on its way,
        // Ctrl+C counts towards quitting.
        let interrupting = self.busy.as_ref().is_some_and(|busy| busy.interrupting);
        if (self.busy.is_some() || self.compacting) && !interrupting {
            return self.interrupt();
        }
        if !interrupting && !self.composer.is_empty() {
            self.composer.clear();
            self.popup = None;
            return Vec::new();
        }
        if self.second_press(QUIT_HINT) {
            self.quit = true;
            return vec![Effect::Quit];
        }
        Vec::new()
    }

    /// A key that acts on its second press (Ctrl+C Ctrl+C, Esc Esc): `true` when `hint`, shown by the first
    /// press, is still on screen; otherwise shows it for exactly the window, so once it is gone a single press
    /// no longer acts. Any other flash in between disarms it.
    pub(crate) fn second_press(&mut self, hint: &str) -> bool {
        let now = Instant::now();
        if self.flash.as_ref().is_some_and(|flash| flash.text == hint && flash.is_fresh(now)) {
            self.flash = None;
            return true;
        }
        self.flash = Some(Flash::new(hint.to_string(), now, DOUBLE_PRESS_WINDOW));
        false
    }

    /// Stop the run in progress (Esc, Ctrl+C).
    pub(crate) fn interrupt(&mut self) -> Vec<Effect> {
        match &mut self.busy {
            Some(busy) => {
                busy.interrupting = true;
                vec![Effect::Send(Op::Interrupt)]
            }
            // A `/compact` shows as compacting only; interrupting it stops it the same way.
            None if self.compacting => vec![Effect::Send(Op::Interrupt)],
            None => Vec::new(),
        }
    }

    /// Up on an empty prompt while prompts are queued: the last one comes back to be edited, and leaves the
    /// queue. `None` when there is none. One sent with images stays queued: the session would run it anyway,
    /// and its images could not come back with its text.
    pub(crate) fn recall_queued(&mut self) -> Option<Vec<Effect>> {
        if !self.composer.is_empty() {
            return None;
        }
        if self.queued.last().is_some_and(|last| self.queued_with_images.contains(last)) {
            self.flash("The last queued prompt has images: it stays queued");
            return Some(Vec::new());
        }
        let text = self.queued.pop()?;
        self.composer.set_text(&text);
        Some(vec![Effect::Send(Op::WithdrawQueuedPrompt { text })])
    }

    /// The user answered an approval: remember what the transcript should say if it was a refusal.
    pub(crate) fn answered(&mut self, call_id: &str, decision: &Decision) {
        let line = match decision {
            Decision::DenyAndStop => "Refused by you".to_string(),
            Decision::DenyWithFeedback(note) => format!("You refused: {note}"),
            _ => return,
        };
        self.refusals.insert(call_id.to_string(), line);
        if *decision == Decision::DenyAndStop {
            self.ask_instead = true;
        }
    }

    /// The terminal gained or lost focus.
    pub(crate) fn focus_changed(&mut self, focused: bool) {
        self.focused = Some(focused);
    }

    /// An approval waits: notify when the terminal is known to be in the background.
    pub(crate) fn approval_waiting(&mut self, title: &str) {
        if self.focused == Some(false) {
            self.pending_notification = Some(format!("Claurst needs your approval: {title}"));
        }
    }

    /// A run ended after `took`: notify when it was long, unless the terminal is known to have focus.
    pub(crate) fn run_ended(&mut self, took: Duration) {
        if took >= self.notifications.long_run && self.focused != Some(true) {
            self.pending_notification = Some("Claurst is done and waiting for you".to_string());
        }
    }

    /// The notification to write now, as terminal bytes, if any.
    pub fn take_notification(&mut self) -> Option<String> {
        let message = self.pending_notification.take()?;
        self.notifications.sequence(&message)
    }

    /// When something on screen next changes by itself at a slow pace: the flash expiring, the retry
    /// countdown's next second. `None` when nothing is pending, so an idle screen costs nothing.
    pub(crate) fn next_change(&self, now: Instant) -> Option<Instant> {
        let flash = self.flash.as_ref().filter(|flash| flash.is_fresh(now)).map(|flash| flash.until);
        let retry =
            self.busy.as_ref().and_then(|busy| busy.retry.as_ref()).filter(|retry| retry.at > now).map(
                |retry| {
                    let left = retry.at - now;
                    // The text changes when the whole seconds left change.
                    let fraction = Duration::from_nanos((left.as_nanos() % 1_000_000_000) as u64);
                    now + if fraction.is_zero() { Duration::from_secs(1) } else { fraction }
                },
            );
        match (flash, retry) {
            (Some(flash), Some(retry)) => Some(flash.min(retry)),
            (flash, retry) => flash.or(retry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_line_counts_down_in_whole_seconds() {
        let now = Instant::now();
        let retry = Retry {
            attempt: 2,
            max_attempts: 5,
            at: now + Duration::from_millis(2500),
            reason: "overloaded".into(),
        };
        assert_eq!(retry.text(now), "retrying 2/5 in 3s: overloaded");
        assert_eq!(retry.text(now + Duration::from_millis(600)), "retrying 2/5 in 2s: overloaded");
        assert_eq!(retry.text(now + Duration::from_secs(4)), "retrying 2/5 in 0s: overloaded");
    }

    #[test]
    fn a_flash_is_fresh_for_its_lifetime_only() {
        let now = Instant::now();
        let flash = Flash::new(QUIT_HINT.into(), now, DOUBLE_PRESS_WINDOW);
        assert!(flash.is_fresh(now + DOUBLE_PRESS_WINDOW - Duration::from_millis(1)));
        assert!(!flash.is_fresh(now + DOUBLE_PRESS_WINDOW));
    }
}
