//! What the dream pane and `/dream` show.

use crate::compact::DreamPhase;
use crate::gate::{DreamGate, DreamSettings, GateDecision, Trigger};
use crate::lock::LockState;
use crate::state::{DreamRecord, DreamResult};
use crate::store::MemoryStore;
use time::OffsetDateTime;

/// The dream as the user sees it: what it is doing or waiting for, and how the last one went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DreamStatus {
    pub activity: DreamActivity,
    pub last: Option<DreamRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DreamActivity {
    /// `auto_dream = false`.
    Disabled,
    /// Eligible now: the next session start dreams.
    Due,
    /// Not yet eligible; each count is 0 when its condition already holds.
    Waiting { hours_left: u64, sessions_left: u32 },
    /// A dream holds the lock. `phase` is known only to the process running it (see [`DreamStatus::running`]).
    Running { phase: Option<DreamPhase>, started_at: OffsetDateTime, pid: u32 },
}

impl DreamStatus {
    /// The status on disk at `now`.
    pub fn read(store: &MemoryStore, settings: DreamSettings, now: OffsetDateTime) -> Self {
        let gate = DreamGate::load(store, settings, now);
        let activity = if let LockState::Held(owner) = &gate.lock {
            DreamActivity::Running { phase: None, started_at: owner.started_at, pid: owner.pid }
        } else {
            match gate.check(now, Trigger::Automatic) {
                GateDecision::Disabled => DreamActivity::Disabled,
                GateDecision::Run => DreamActivity::Due,
                GateDecision::Wait { hours_left, sessions_left } => {
                    DreamActivity::Waiting { hours_left, sessions_left }
                }
                GateDecision::Locked { owner } => {
                    DreamActivity::Running { phase: None, started_at: owner.started_at, pid: owner.pid }
                }
            }
        };
        Self { activity, last: gate.state.last_result }
    }

    /// This process's own dream, in `phase`.
    pub fn running(phase: DreamPhase, started_at: OffsetDateTime, last: Option<DreamRecord>) -> Self {
        Self {
            activity: DreamActivity::Running { phase: Some(phase), started_at, pid: std::process::id() },
            last,
        }
    }

    /// One or two lines for the dream pane and `/dream`: the activity, then the last result.
    pub fn describe(&self, now: OffsetDateTime) -> String {
        let activity = match &self.activity {
            DreamActivity::Disabled => {
                "Automatic dreaming is off (auto_dream = false); `claurst --dream-now` consolidates memory on demand."
                    .to_string()
            }
            DreamActivity::Due => "A dream is due: memory will be consolidated at the next session start.".into(),
            DreamActivity::Waiting {
                hours_left,
                sessions_left,
            } => waiting(*hours_left, *sessions_left),
            DreamActivity::Running {
                phase: Some(phase),
                started_at,
                ..
            } => format!("Dreaming: phase {phase} (started {}).", ago(now, *started_at)),
            DreamActivity::Running {
                phase: None,
                started_at,
                pid,
            } => format!("Dreaming in process {pid} (started {}).", ago(now, *started_at)),
        };
        let last = match &self.last {
            None => "No dream has run yet.".to_string(),
            Some(record) => last_result(record, now),
        };
        format!("{activity}\n{last}")
    }
}

fn waiting(hours: u64, sessions: u32) -> String {
    let sessions_text =
        if sessions == 1 { "1 more session".to_string() } else { format!("{sessions} more sessions") };
    match (hours, sessions) {
        (0, _) => format!("Next dream after {sessions_text}."),
        (_, 0) => format!("Next dream in {hours} h."),
        _ => format!("Next dream in {hours} h and after {sessions_text}."),
    }
}

fn last_result(record: &DreamRecord, now: OffsetDateTime) -> String {
    let when = ago(now, record.finished_at);
    match &record.result {
        DreamResult::Consolidated { summary } => {
            let summary = summary.lines().next().unwrap_or_default();
            let summary: String = summary.chars().take(100).collect();
            if summary.is_empty() {
                format!("Last dream: consolidated {when}.")
            } else {
                format!("Last dream: consolidated {when}: {summary}")
            }
        }
        DreamResult::Failed { reason } => {
            let reason: String = reason.chars().take(100).collect();
            format!("Last dream failed {when} (memory restored): {reason}")
        }
        DreamResult::Interrupted => format!("Last dream was interrupted {when} (memory restored)."),
    }
}

/// `5 min ago`, `3 h ago`, `2 days ago` (and `just now`).
fn ago(now: OffsetDateTime, then: OffsetDateTime) -> String {
    let secs = (now - then).whole_seconds().max(0);
    match secs {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => match secs / 86_400 {
            1 => "1 day ago".into(),
            days => format!("{days} days ago"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn descriptions_read_as_sentences() {
        let now = datetime!(2026-04-02 12:00 UTC);
        let status = |activity, last| DreamStatus { activity, last }.describe(now);
        assert_eq!(
            status(DreamActivity::Waiting { hours_left: 5, sessions_left: 1 }, None),
            "Next dream in 5 h and after 1 more session.\nNo dream has run yet."
        );
        let done = Some(DreamRecord {
            finished_at: datetime!(2026-04-01 12:00 UTC),
            result: DreamResult::Consolidated { summary: "Merged 3 topics.\nmore".into() },
        });
        assert_eq!(
            status(
                DreamActivity::Running {
                    phase: Some(DreamPhase::Gather),
                    started_at: datetime!(2026-04-02 11:57 UTC),
                    pid: 7
                },
                done
            ),
            "Dreaming: phase 2/4 gather (started 3 min ago).\nLast dream: consolidated 1 day ago: Merged 3 topics."
        );
        assert!(status(DreamActivity::Due, None).starts_with("A dream is due"));
        assert_eq!(waiting(0, 2), "Next dream after 2 more sessions.");
        assert_eq!(waiting(3, 0), "Next dream in 3 h.");
    }
}
