//! KAIROS in a session: what the session actor calls when a tick comes due, when an op concerns KAIROS, and
//! when a tick's run ends. It decides; the actor runs the tick as an ordinary run.

use super::changes::ChangeTracker;
use super::defer::TickBudget;
use super::log::{DailyLog, LogKind};
use super::prompt::{STATUS_LINES, tick_prompt};
use super::schedule::Scheduler;
use super::{Pending, Watches};
use crate::config::KairosSettings;
use crate::events::EventSink;
use claurst_protocol::{
    AgentEvent, KairosEvent, KairosRequest, KairosView, Op, RunOutcome, RunSummary, TickSkip,
};
use std::path::PathBuf;
use std::time::Instant;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A tick that acts: what the front-end shows as its prompt, and what the model is sent.
#[derive(Debug)]
pub(crate) struct TickRun {
    pub(crate) shown: String,
    pub(crate) prompt: String,
    /// The conversation's cost when the tick started, to learn what the tick spent.
    pub(crate) cost_before: Option<f64>,
}

/// KAIROS's state in one session.
pub(crate) struct Kairos {
    settings: KairosSettings,
    log: DailyLog,
    scheduler: Scheduler,
    tracker: ChangeTracker,
    /// Ticks that called the model in this process.
    ticks: u64,
    last_acted: Option<Instant>,
    last_action: Option<String>,
    day: time::Date,
    /// The last skip written to the log: a cap is logged when it starts holding, not at every tick.
    last_logged_skip: Option<TickSkip>,
    /// What does not work as it should (no file watcher), told to the user when the session starts.
    problems: Vec<String>,
}

impl Kairos {
    /// Start KAIROS for the project at `root`; what does not work comes back too (`announce` tells the user).
    pub(crate) fn start(settings: KairosSettings, root: PathBuf, watches: Watches) -> (Kairos, Vec<String>) {
        let log = DailyLog::new(&settings.dir);
        let now = OffsetDateTime::now_utc();
        let spent = log.spent_on(&DailyLog::day_of(now));
        let scheduler = Scheduler::new(
            settings.tick_interval,
            settings.max_ticks_per_hour,
            settings.daily_budget_usd,
            spent,
            Instant::now(),
        );
        let (tracker, problem) = ChangeTracker::start(root, watches.0);
        let kairos = Kairos {
            settings,
            log,
            scheduler,
            tracker,
            ticks: 0,
            last_acted: None,
            last_action: None,
            day: now.date(),
            last_logged_skip: None,
            problems: problem.clone().into_iter().collect(),
        };
        (kairos, problem.into_iter().collect())
    }

    /// The session started: log it and show the state.
    pub(crate) async fn announce(&mut self, sink: &EventSink) {
        let text = format!(
            "KAIROS started in {} (tick every {} s)",
            self.tracker.root().display(),
            self.settings.tick_interval.as_secs_f64()
        );
        self.write_log(LogKind::Start, &text);
        for problem in std::mem::take(&mut self.problems) {
            self.write_log(LogKind::Start, &problem);
            sink.emit(AgentEvent::Notice { text: format!("KAIROS: {problem}") }).await;
        }
        self.send_status(sink).await;
    }

    /// The session ends (`why`: "session ended", "SIGTERM").
    pub(crate) fn stop(&self, why: &str) {
        self.write_log(LogKind::Stop, &format!("KAIROS stopped: {why}"));
    }

    /// Resolves when the next tick is due; never while paused.
    pub(crate) async fn until_due(&self) {
        match self.scheduler.due_at() {
            Some(at) => tokio::time::sleep_until(at.into()).await,
            None => std::future::pending().await,
        }
    }

    /// A tick came due: the run to start, or `None` when it made no model call (the front-end hears why).
    pub(crate) async fn on_due(&mut self, sink: &EventSink, cost_now: f64) -> Option<TickRun> {
        let now = Instant::now();
        self.roll_day();
        if let Err(reason) = self.scheduler.user_gate(now) {
            self.skipped(reason, sink).await;
            return None;
        }
        self.scheduler.ticked(now);
        self.tracker.gather().await;
        if !self.tracker.has_pending() {
            self.skipped(TickSkip::NothingChanged, sink).await;
            return None;
        }
        if let Err(reason) = self.scheduler.cap_gate(now) {
            // The changes stay pending: a tick after the cap lifts carries them.
            self.skipped(reason, sink).await;
            return None;
        }
        let changes = self.tracker.take_pending();
        Some(self.act(changes, now, cost_now, sink).await)
    }

    async fn act(&mut self, changes: Pending, now: Instant, cost_now: f64, sink: &EventSink) -> TickRun {
        self.ticks += 1;
        self.scheduler.acted(now);
        self.last_logged_skip = None;
        let status = if !changes.files.is_empty() || changes.more_files || !changes.git.is_empty() {
            super::git::short_status(self.tracker.root(), STATUS_LINES).await
        } else {
            None
        };
        let since = self.last_acted.map(|at| now.saturating_duration_since(at).as_secs());
        self.last_acted = Some(now);
        let stamp = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        let prompt = tick_prompt(self.ticks, &stamp, since, &changes, status.as_deref());
        let lines = changes.lines();
        self.write_log(LogKind::Tick, &format!("#{}: {}", self.ticks, lines.join("; ")));
        self.tracker.commands.set_ticking(true);
        sink.emit(AgentEvent::Kairos(KairosEvent::TickStarted { number: self.ticks, changes: lines })).await;
        let shown = format!("KAIROS tick · {}", changes.headline());
        TickRun { shown, prompt, cost_before: Some(cost_now) }
    }

    /// What a tick's tool calls run under.
    pub(crate) fn budget(&self, sink: &EventSink) -> TickBudget {
        TickBudget {
            budget: self.settings.blocking_budget,
            jobs: std::sync::Arc::clone(&self.tracker.deferrals),
            log: self.log.clone(),
            sink: sink.clone(),
        }
    }

    /// A tick's run ended (`summary` is `None` when it never reached the model): record what it did and
    /// what it cost.
    pub(crate) async fn tick_finished(
        &mut self,
        tick: &TickRun,
        summary: Option<&RunSummary>,
        cost_now: f64,
        sink: &EventSink,
    ) {
        self.tracker.commands.set_ticking(false);
        self.tracker.forget_own_changes();
        let spent = (cost_now - tick.cost_before.unwrap_or(cost_now)).max(0.0);
        self.scheduler.spend(spent);
        self.write_log(LogKind::Spend, &format!("{spent:.6}"));
        let action = match summary.map(|summary| (&summary.outcome, summary.final_text.as_str())) {
            Some((RunOutcome::Success, text)) => first_line(text),
            Some((RunOutcome::Interrupted, _)) => "interrupted (the user came first)".to_string(),
            Some((RunOutcome::Error(error), _)) => format!("failed: {}", first_line(error)),
            Some((RunOutcome::MaxTurns | RunOutcome::MaxBudget, _)) => "stopped at a limit".to_string(),
            None => "interrupted before it began".to_string(),
        };
        self.write_log(LogKind::Action, &format!("#{}: {action}", self.ticks));
        self.last_action = Some(format!("tick {}: {action}", self.ticks));
        self.send_status(sink).await;
    }

    /// Handle an op that concerns KAIROS; any other comes back for the session to apply. Every user op counts
    /// as activity: the next tick waits for a quiet moment.
    pub(crate) async fn intercept(&mut self, op: Op, sink: &EventSink) -> Option<Op> {
        match op {
            Op::UserActivity => {
                self.scheduler.user_active(Instant::now());
                None
            }
            Op::Kairos(request) => {
                self.answer(request, sink).await;
                None
            }
            op => {
                if is_user_job(&op) {
                    self.scheduler.user_active(Instant::now());
                }
                Some(op)
            }
        }
    }

    async fn answer(&mut self, request: KairosRequest, sink: &EventSink) {
        match request {
            KairosRequest::Status => self.send_status(sink).await,
            KairosRequest::Pause => {
                self.scheduler.pause();
                self.write_log(LogKind::Paused, "paused by the user");
                self.send_status(sink).await;
            }
            KairosRequest::Resume => {
                self.scheduler.resume(Instant::now());
                self.write_log(LogKind::Resumed, "resumed by the user");
                self.send_status(sink).await;
            }
            KairosRequest::ReadLog { day } => {
                let day = day.unwrap_or_else(|| DailyLog::day_of(OffsetDateTime::now_utc()));
                let event = if is_day(&day) {
                    let text = self.log.read_day(&day);
                    let text = if text.is_empty() { format!("No KAIROS log for {day}.") } else { text };
                    AgentEvent::Kairos(KairosEvent::Log { day, text })
                } else {
                    AgentEvent::Notice { text: format!("`{day}` is not a day: write it as YYYY-MM-DD.") }
                };
                sink.emit(event).await;
            }
        }
    }

    pub(crate) fn view(&mut self) -> KairosView {
        let now = Instant::now();
        let next_tick_at = self.scheduler.due_at().map(|at| {
            let wait = at.saturating_duration_since(now);
            (OffsetDateTime::now_utc() + wait).format(&Rfc3339).unwrap_or_default()
        });
        KairosView {
            paused: self.scheduler.is_paused(),
            next_tick_at,
            tick_interval_secs: self.scheduler.interval().as_secs(),
            ticks_last_hour: self.scheduler.ticks_last_hour(now),
            max_ticks_per_hour: self.scheduler.max_per_hour(),
            spent_today_usd: self.scheduler.spent_usd(),
            daily_budget_usd: self.scheduler.budget_usd(),
            last_action: self.last_action.clone(),
            deferred: self.tracker.deferrals.views(),
            subscriptions: self.tracker.watched(),
            log_path: self.log.today_path().display().to_string(),
        }
    }

    pub(crate) fn commands(&self) -> std::sync::Arc<super::commands::CommandLog> {
        std::sync::Arc::clone(&self.tracker.commands)
    }

    async fn send_status(&mut self, sink: &EventSink) {
        let view = self.view();
        sink.emit(AgentEvent::Kairos(KairosEvent::Status(view))).await;
    }

    async fn skipped(&mut self, reason: TickSkip, sink: &EventSink) {
        let worth_logging = !matches!(reason, TickSkip::NothingChanged | TickSkip::UserBusy);
        if worth_logging && self.last_logged_skip.as_ref() != Some(&reason) {
            self.write_log(LogKind::Skip, &skip_text(&reason));
            self.last_action = Some(format!("no tick: {}", skip_text(&reason)));
            self.last_logged_skip = Some(reason.clone());
        }
        sink.emit(AgentEvent::Kairos(KairosEvent::TickSkipped { reason })).await;
        self.send_status(sink).await;
    }

    /// A new UTC day starts with that day's spend (what its log holds, normally nothing).
    fn roll_day(&mut self) {
        let now = OffsetDateTime::now_utc();
        if now.date() != self.day {
            self.day = now.date();
            self.scheduler.new_day(self.log.spent_on(&DailyLog::day_of(now)));
        }
    }

    /// Log problems never stop KAIROS; they are reported in the tracing log.
    fn write_log(&self, kind: LogKind, text: &str) {
        if let Err(error) = self.log.append(kind, text) {
            tracing::warn!("cannot write the KAIROS log in {}: {error}", self.log.dir().display());
        }
    }
}

/// Whether `op` is the user asking for work (a prompt, a command, a shell command…).
fn is_user_job(op: &Op) -> bool {
    matches!(
        op,
        Op::Prompt { .. }
            | Op::PromptWithImages { .. }
            | Op::RunCommand { .. }
            | Op::RunShell { .. }
            | Op::Compact { .. }
            | Op::ResumeSession { .. }
            | Op::InitProject
            | Op::Mcp(claurst_protocol::McpRequest::RunPrompt { .. })
    )
}

/// `YYYY-MM-DD`, and nothing that could name another file.
fn is_day(day: &str) -> bool {
    day.len() == 10
        && day.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("(no reply)").trim();
    line.chars().take(200).collect()
}

fn skip_text(reason: &TickSkip) -> String {
    match reason {
        TickSkip::NothingChanged => "nothing changed".into(),
        TickSkip::UserBusy => "the user is busy".into(),
        TickSkip::Paused => "paused".into(),
        TickSkip::HourlyLimit { limit } => format!("the hourly limit of {limit} ticks is reached"),
        TickSkip::DailyBudget { limit_usd } => format!("today's budget of ${limit_usd:.2} is spent"),
    }
}
