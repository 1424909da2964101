//! When to draw. Redraws are requested, never forced: requests between frames coalesce into one frame, at
//! most one frame per 16 ms (about 60 a second). With nothing requested and nothing animating, there is no
//! deadline at all, so an idle screen does no work.

use std::time::{Duration, Instant};

/// The shortest time between two frames.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(16);
/// How often animations (spinners, the companion) advance.
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

    /// When the next frame is due, or `None` when nothing needs drawing.
    pub fn deadline(&self, animating: bool, now: Instant) -> Option<Instant> {
        let earliest = self.last_frame.map_or(now, |last| last + FRAME_INTERVAL);
        if self.requested {
            Some(earliest.max(now))
        } else if animating {
            Some(self.last_frame.map_or(now, |last| last + ANIMATION_INTERVAL))
        } else {
            None
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
        assert_eq!(scheduler.deadline(false, now), None);
    }

    #[test]
    fn requests_coalesce_and_respect_the_frame_interval() {
        let mut scheduler = FrameScheduler::new();
        let start = Instant::now();
        scheduler.drawn(start);
        for _ in 0..100 {
            scheduler.request();
        }
        assert_eq!(scheduler.deadline(false, start), Some(start + FRAME_INTERVAL));
        scheduler.drawn(start + FRAME_INTERVAL);
        assert_eq!(scheduler.deadline(false, start + FRAME_INTERVAL), None);
    }

    #[test]
    fn animation_ticks_slowly() {
        let mut scheduler = FrameScheduler::new();
        let start = Instant::now();
        scheduler.drawn(start);
        assert_eq!(scheduler.deadline(true, start), Some(start + ANIMATION_INTERVAL));
    }
}
