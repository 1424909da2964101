//! How KAIROS's events change the app, `/kairos`, and the typing signal.

use super::{Clock, parse_time};
use crate::app::{App, Effect};
use crate::transcript::kairos::KairosCell;
use crate::transcript::{Cell, NoticeKind};
use claurst_protocol::{DeferredJobView, KairosEvent, KairosRequest, KairosView, Op, SentFile};
use crossterm::event::{Event, KeyEventKind};
use std::time::{Instant, SystemTime};

impl App {
    pub(crate) fn kairos_event(&mut self, event: KairosEvent) {
        match event {
            KairosEvent::Status(view) => self.kairos_status(view),
            KairosEvent::TickStarted { number, changes } => {
                self.kairos.last_skip = None;
                self.kairos.pending_tick = Some((number, changes));
            }
            // Skips only change the pane: a quiet tick every minute must not fill the transcript.
            KairosEvent::TickSkipped { reason } => self.kairos.last_skip = Some(reason),
            KairosEvent::Deferred { job } => {
                let text = format!(
                    "KAIROS moved {} ({}) to the background: it ran past the blocking budget. Its result \
                     comes at a later tick.",
                    job.summary, job.tool
                );
                self.kairos_job_changed(job);
                self.notice(NoticeKind::Info, text);
            }
            KairosEvent::DeferredFinished { job } => {
                let text = format!(
                    "The deferred {} ({}) finished; KAIROS reads its result at the next tick.",
                    job.summary, job.tool
                );
                self.kairos_job_changed(job);
                self.notice(NoticeKind::Success, text);
            }
            KairosEvent::FileSent(file) => self.kairos_file_sent(file),
            KairosEvent::Log { day, text } => {
                self.transcript.push(Cell::Kairos(KairosCell::Log { day, text }));
            }
        }
    }

    fn kairos_status(&mut self, view: KairosView) {
        let previous = self.kairos.view.take();
        if previous.is_none() {
            // KAIROS runs in this session: `/kairos` is listed from now on (before `/exit`, which stays last).
            // A project's own `/kairos` would be shadowed by it: the built-in one is listed alone.
            self.commands.retain(|command| !command.answers_to("kairos"));
            let exit = self.commands.iter().position(|command| command.name == "exit");
            self.commands.insert(exit.unwrap_or(self.commands.len()), crate::commands::KAIROS);
        }
        match previous.as_ref().map(|previous| previous.paused) {
            Some(false) if view.paused => self.flash("KAIROS paused · /kairos resume to go on"),
            Some(true) if !view.paused => self.flash("KAIROS resumed"),
            _ => {}
        }
        if previous.is_some_and(|previous| previous.last_action != view.last_action) {
            self.kairos.last_skip = None;
        }
        self.kairos.next_tick = view.next_tick_at.as_deref().and_then(parse_time);
        self.kairos.view = Some(view);
        if std::mem::take(&mut self.kairos.status_asked)
            && let Some(report) = self.kairos.report()
        {
            self.notice(NoticeKind::Info, report);
        }
    }

    fn kairos_job_changed(&mut self, job: DeferredJobView) {
        let Some(view) = &mut self.kairos.view else { return };
        match view.deferred.iter_mut().find(|known| known.id == job.id) {
            Some(known) => *known = job,
            None => view.deferred.push(job),
        }
    }

    fn kairos_file_sent(&mut self, file: SentFile) {
        let name = std::path::Path::new(&file.path)
            .file_name()
            .map_or_else(|| file.path.clone(), |name| name.to_string_lossy().into_owned());
        // The user may be elsewhere: that is when KAIROS works. Only a terminal known to have focus is spared.
        if self.focused != Some(true) {
            let message = file.message.lines().next().unwrap_or_default();
            self.pending_notification = Some(format!("KAIROS sent you {name}: {message}"));
        }
        self.transcript.push(Cell::Kairos(KairosCell::FileSent(file)));
    }

    /// A run started: when a tick just began, it is the tick's, and its prompt is drawn as KAIROS's (true);
    /// otherwise the caller draws the user's prompt.
    pub(crate) fn kairos_run_started(&mut self, prompt: &str) -> bool {
        let Some((number, changes)) = self.kairos.pending_tick.take() else { return false };
        let cell = KairosCell::Tick { number, prompt: prompt.to_string(), changes };
        self.transcript.push(Cell::Kairos(cell));
        true
    }

    /// `/kairos [status|pause|resume|log [YYYY-MM-DD]]`.
    pub(crate) fn kairos_command(&mut self, argument: Option<&str>) -> Vec<Effect> {
        let words: Vec<&str> = argument.unwrap_or_default().split_whitespace().collect();
        let request = match words.as_slice() {
            [] | ["status"] => {
                self.kairos.status_asked = true;
                KairosRequest::Status
            }
            ["pause"] => KairosRequest::Pause,
            ["resume"] => KairosRequest::Resume,
            ["log"] => KairosRequest::ReadLog { day: None },
            ["log", day] if is_day(day) => KairosRequest::ReadLog { day: Some(day.to_string()) },
            ["log", other, ..] => {
                let text = format!("/kairos log takes a day as YYYY-MM-DD (today when none), not {other}.");
                self.notice(NoticeKind::Error, text);
                return Vec::new();
            }
            [other, ..] => {
                let text = format!(
                    "Unknown /kairos option {other}. Try /kairos status, pause, resume or log [YYYY-MM-DD]."
                );
                self.notice(NoticeKind::Error, text);
                return Vec::new();
            }
        };
        vec![Effect::Send(Op::Kairos(request))]
    }

    /// Typing in the composer while KAIROS runs: `Op::UserActivity`, at most once a second, so no tick
    /// starts under the user's fingers.
    pub(crate) fn kairos_saw_input(&mut self, event: &Event) -> Option<Effect> {
        let typed = match event {
            Event::Key(key) => key.kind != KeyEventKind::Release,
            Event::Paste(_) => true,
            _ => false,
        };
        let in_composer = self.bottom_view() == crate::app::BottomView::Composer;
        (typed && in_composer && self.kairos.activity_due()).then_some(Effect::Send(Op::UserActivity))
    }

    /// KAIROS's countdown and typing signal read `now` from here on instead of the system clock, so a test
    /// can draw "in 42 s" and step through seconds without sleeping.
    pub fn freeze_clock(&mut self, now: SystemTime) {
        self.kairos.clock = Clock::Frozen(now);
    }

    /// When KAIROS's countdown next changes on screen.
    pub(crate) fn kairos_next_change(&self, now: Instant) -> Option<Instant> {
        self.kairos.next_change_in().map(|left| now + left)
    }
}

/// Whether `text` looks like `YYYY-MM-DD`.
fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_iso_dates() {
        assert!(super::is_day("2026-12-01"));
        assert!(!super::is_day("yesterday"));
        assert!(!super::is_day("2026-1-01"));
    }
}
