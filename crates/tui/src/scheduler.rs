//! When to draw. Redraws are requested, never forced: requests between frames coalesce into one frame, at
//! most one frame per 16 ms (about 60 a second). Fast animations (spinners) tick every 100 ms; slow ones (the
//! companion's blinks) name the instant they next change instead. With nothing requested, animating or due,
//! there is no deadline at all, so an idle screen does no work.

use std::time::{Duration, Instant};

/// The shortest time between two frames.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(16);
/// How often fast animations (spinners) advance.
pub const ANIMATION_INTERVAL: Duration = Duration::from_millis(100);

#[derive(Debug, Default)]
pub struct FrameScheduler {
    requested: bool,
    last_frame: Option<Instant>,
}

impl FrameScheduler {
    pub fn new() -> Self {
        Self::default()
    }

    /// Something changed: draw soon.
    pub fn request(&mut self) {
        self.requested = true;
    }

    /// When the next frame is due, or `None` when nothing needs drawing. `wake` is when a slow animation
    /// next changes, if one is on screen.
    pub fn deadline(&self, animating: bool, wake: Option<Instant>, now: Instant) -> Option<Instant> {
        let earliest = self.last_frame.map_or(now, |last| last + FRAME_INTERVAL);
        if self.requested {
            return Some(earliest.max(now));
        }
        let tick = animating.then(|| self.last_frame.map_or(now, |last| last + ANIMATION_INTERVAL));
        let wake = wake.map(|at| at.max(earliest));
        match (tick, wake) {
            (Some(tick), Some(wake)) => Some(tick.min(wake)),
            (tick, wake) => tick.or(wake),
        }
    }

    /// A frame was drawn at `now`.
    pub fn drawn(&mut self, now: Instant) {
        self.requested = false;
        self.last_frame = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_means_no_deadline() {
        let mut scheduler = FrameScheduler::new();
        let now = Instant::now();
        scheduler.drawn(now);
        assert_eq!(scheduler.deadline(false, None, now), None);
    }

    #[test]
    fn requests_coalesce_and_respect_the_frame_interval() {
        let mut scheduler = FrameScheduler::new();
        let start = Instant::now();
        scheduler.drawn(start);
        for _ in 0..100 {
            scheduler.request();
        }
        assert_eq!(scheduler.deadline(false, None, start), Some(start + FRAME_INTERVAL));
        scheduler.drawn(start + FRAME_INTERVAL);
        assert_eq!(scheduler.deadline(false, None, start + FRAME_INTERVAL), None);
    }

    #[test]
    fn animation_ticks_slowly() {
        let mut scheduler = FrameScheduler::new();
        let start = Instant::now();
        scheduler.drawn(start);
        assert_eq!(scheduler.deadline(true, None, start), Some(start + ANIMATION_INTERVAL));
    }

    #[test]
    fn slow_animations_wake_at_their_instant() {
        let mut scheduler = FrameScheduler::new();
        let start = Instant::now();
        scheduler.drawn(start);
        let blink = start + Duration::from_secs(4);
        assert_eq!(scheduler.deadline(false, Some(blink), start), Some(blink));
        // A spinner ticks sooner; a wake already due still waits for the frame interval.
        assert_eq!(scheduler.deadline(true, Some(blink), start), Some(start + ANIMATION_INTERVAL));
        assert_eq!(scheduler.deadline(false, Some(start), start), Some(start + FRAME_INTERVAL));
    }
}
