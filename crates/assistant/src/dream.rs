//! The dream runner: a sub-agent that consolidates the memory directory through the four phases of
//! [`claurst_query::compact`], under the gate, lock and snapshot of [`claurst_query::DreamAttempt`].
//!
//! The sub-agent has the memory tools and nothing else (no shell, no project files), all confined to the
//! memory directory, and runs in `dontAsk` mode with the memory tools allowed. The phases are sent as
//! successive prompts of one conversation, one agent run each, so progress is reported per phase. Success
//! commits the snapshot and resets the schedule; a failure restores the snapshot and records why; dropping
//! the future (cancelling the task) restores it too, through the attempt's drop guard.

use crate::agent::Agent;
use crate::config::{AgentConfig, ApprovalMode};
use crate::error::AgentError;
use claurst_protocol::{Message, PermissionMode};
use claurst_query::compact::{DREAM_SYSTEM_PROMPT, consolidation_prompt};
use claurst_query::{
    Begin, DreamAttempt, DreamBrief, DreamGate, DreamPhase, DreamSettings, DreamState, GateDecision,
    MEMORY_ALLOW_RULES, MemoryError, MemoryRole, MemoryStore, SessionSummary, Trigger,
    fallback_session_record, memory_tools, session_record_prompt,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Model requests allowed per phase before the dream is stopped as runaway.
const DEFAULT_TURNS_PER_PHASE: u32 = 25;

/// What a dream reports as it goes, for `--verbose` and the TUI's dream pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DreamProgress {
    /// The gate allowed the dream; the lock and the snapshot are taken. `started_at` is the lock's time, for
    /// [`claurst_query::DreamStatus::running`].
    Started {
        trigger: Trigger,
        started_at: OffsetDateTime,
    },
    PhaseStarted(DreamPhase),
    /// `note` is the model's closing line for the phase.
    PhaseFinished {
        phase: DreamPhase,
        note: String,
    },
}

/// Where progress goes. Called on the dream's task; it must not block (send with `try_send`).
pub type DreamProgressSink = Arc<dyn Fn(DreamProgress) + Send + Sync>;

/// How to run a dream.
#[derive(Clone)]
pub struct DreamRunConfig {
    pub memory_dir: PathBuf,
    pub settings: DreamSettings,
    /// The session's agent settings: the model, key, base URL, retries and limits are copied from it;
    /// tools, permissions, prompts and the working directory are the dream's own.
    pub agent: AgentConfig,
    pub max_turns_per_phase: u32,
    pub progress: Option<DreamProgressSink>,
}

impl DreamRunConfig {
    pub fn new(memory_dir: impl Into<PathBuf>, settings: DreamSettings, agent: AgentConfig) -> Self {
        Self {
            memory_dir: memory_dir.into(),
            settings,
            agent,
            max_turns_per_phase: DEFAULT_TURNS_PER_PHASE,
            progress: None,
        }
    }

    pub fn with_progress(mut self, sink: DreamProgressSink) -> Self {
        self.progress = Some(sink);
        self
    }

    fn report(&self, progress: DreamProgress) {
        if let Some(sink) = &self.progress {
            sink(progress);
        }
    }
}

/// How a dream ended, when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DreamOutcome {
    /// The memory was consolidated; `summary` is the model's closing note.
    Consolidated { summary: String, state: DreamState },
    /// The gate said no (not due, disabled, or another process is dreaming); nothing was touched.
    Skipped(GateDecision),
}

/// Why a dream failed. In every case the memory directory is as it was before.
#[derive(Debug, thiserror::Error)]
pub enum DreamError {
    #[error(transparent)]
    Memory(#[from] MemoryError),
    #[error("the dreaming agent could not be set up: {0}")]
    Setup(#[source] AgentError),
    #[error(
        "the dream failed in phase {phase}: {source}. The memory directory was restored; the next session start tries again"
    )]
    Phase {
        phase: DreamPhase,
        #[source]
        source: AgentError,
    },
}

/// Check the gate for `trigger` (a manual trigger skips the schedule but still needs the lock), then
/// consolidate the memory directory.
pub async fn run_dream(config: DreamRunConfig, trigger: Trigger) -> Result<DreamOutcome, DreamError> {
    let store = MemoryStore::open(&config.memory_dir)?;
    let now = OffsetDateTime::now_utc();
    // Ask the gate before setting anything up, so a dream that is not due never fails for want of a key.
    let decision = DreamGate::load(&store, config.settings, now).check(now, trigger);
    if decision != GateDecision::Run {
        return Ok(DreamOutcome::Skipped(decision));
    }
    let agent = dream_agent(&config, &store).map_err(DreamError::Setup)?;
    // Synchronous, and quick: the lock is one file and the snapshot copies a few small Markdown files.
    let attempt = match DreamAttempt::begin(&store, config.settings, trigger, now)? {
        Begin::Started(attempt) => attempt,
        Begin::Skipped(decision) => return Ok(DreamOutcome::Skipped(decision)),
    };
    config.report(DreamProgress::Started { trigger, started_at: attempt.started_at() });
    match dream_phases(&config, &agent, &attempt).await {
        Ok(summary) => {
            let state = attempt.succeed(&summary, OffsetDateTime::now_utc())?;
            Ok(DreamOutcome::Consolidated { summary, state })
        }
        Err(failure) => {
            attempt.fail(&failure.to_string(), OffsetDateTime::now_utc())?;
            Err(failure)
        }
    }
}

/// Run the four phases as one conversation; the last phase's closing note is the dream's summary.
async fn dream_phases(
    config: &DreamRunConfig,
    agent: &Agent,
    attempt: &DreamAttempt,
) -> Result<String, DreamError> {
    let brief = DreamBrief {
        today: OffsetDateTime::now_utc().date(),
        previous_dream: attempt.previous_dream(),
        session_logs: attempt.session_logs()?,
    };
    let mut messages = Vec::new();
    let mut note = String::new();
    for phase in DreamPhase::ALL {
        config.report(DreamProgress::PhaseStarted(phase));
        messages.push(Message::user(consolidation_prompt(phase, &brief)));
        let run = agent.run(messages).await.map_err(|source| DreamError::Phase { phase, source })?;
        note = run.final_response().trim().to_string();
        messages = run.conversation.into_messages();
        config.report(DreamProgress::PhaseFinished { phase, note: note.clone() });
    }
    Ok(note)
}

/// The dreaming sub-agent: the session's model and connection, the memory tools only, nothing to ask.
fn dream_agent(config: &DreamRunConfig, store: &MemoryStore) -> Result<Agent, AgentError> {
    let base = &config.agent;
    let mut agent = Agent::try_new(AgentConfig {
        model: base.model.clone(),
        provider: base.provider.clone(),
        providers: base.providers.clone(),
        client: base.client.clone(),
        api_key: base.api_key.clone(),
        base_url: base.base_url.clone(),
        retry: base.retry.clone(),
        stream_idle_timeout: base.stream_idle_timeout,
        max_tokens: base.max_tokens,
        context_window: base.context_window,
        system_prompt: Some(DREAM_SYSTEM_PROMPT.into()),
        max_turns: Some(config.max_turns_per_phase),
        cwd: Some(store.root().to_path_buf()),
        permission_mode: PermissionMode::DontAsk,
        allow: MEMORY_ALLOW_RULES.iter().map(|rule| rule.to_string()).collect(),
        approval: ApprovalMode::DenyUnlisted,
        ..AgentConfig::default()
    })?;
    // An empty `tools` list offers every built-in; the dream must have none, so its registry is replaced.
    agent.remove_all_tools();
    for tool in memory_tools(store, MemoryRole::Dream) {
        agent.register_tool(tool);
    }
    Ok(agent)
}

/// How a session record was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordSource {
    /// By the model, from [`claurst_query::session_record_prompt`].
    Model,
    /// Without it ([`claurst_query::fallback_session_record`]): it failed, answered nothing, or took longer
    /// than the time allowed.
    Fallback,
}

/// At a session's end: ask the model for the session's record (within `time_limit`), append it to today's
/// session log — the deterministic fallback when the model cannot give one — and count the session towards
/// the next dream.
pub async fn record_session(
    agent: &AgentConfig,
    memory_dir: &Path,
    summary: &SessionSummary,
    time_limit: Duration,
) -> Result<RecordSource, MemoryError> {
    let store = MemoryStore::open(memory_dir)?;
    let written = tokio::time::timeout(time_limit, model_record(agent, &store, summary)).await;
    let (text, source) = match written {
        Ok(Ok(text)) if !text.trim().is_empty() => (text, RecordSource::Model),
        Ok(Ok(_)) => (fallback_session_record(summary), RecordSource::Fallback),
        Ok(Err(error)) => {
            tracing::warn!(%error, "the model could not write the session record; using the fallback");
            (fallback_session_record(summary), RecordSource::Fallback)
        }
        Err(_) => {
            tracing::warn!(?time_limit, "the session record took too long; using the fallback");
            (fallback_session_record(summary), RecordSource::Fallback)
        }
    };
    store.append_session_record(summary.ended_at, &text)?;
    store.record_session_end(summary.ended_at)?;
    Ok(source)
}

/// One tool-less model request for the record.
async fn model_record(
    base: &AgentConfig,
    store: &MemoryStore,
    summary: &SessionSummary,
) -> Result<String, AgentError> {
    let mut agent = Agent::try_new(AgentConfig {
        system_prompt: Some(
            "You write short, factual session records for Claurst's long-term memory.".into(),
        ),
        system_sections: Vec::new(),
        max_turns: Some(1),
        cwd: Some(store.root().to_path_buf()),
        permission_mode: PermissionMode::DontAsk,
        approval: ApprovalMode::DenyUnlisted,
        allow: Vec::new(),
        ask: Vec::new(),
        deny: Vec::new(),
        additional_directories: Vec::new(),
        session_id: None,
        // No tools, so no shell command to confine: skip the kernel probe the session's sandbox would run.
        sandbox: crate::SandboxSettings::off(),
        // The user's hooks are for their sessions: a Stop hook must not act on Claurst's own bookkeeping.
        hooks: Default::default(),
        ..base.clone()
    })?;
    agent.remove_all_tools();
    let run = agent.run(vec![Message::user(session_record_prompt(summary))]).await?;
    Ok(run.final_response().trim().to_string())
}
