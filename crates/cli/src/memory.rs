//! Memory at the edges of a session: the record written when it ends, and `claurst --dream-now`.

use claurst_assistant::{
    AgentConfig, Conversation, DreamOutcome, DreamProgress, DreamRunConfig, RecordSource, SessionMemory,
    record_session, run_dream,
};
use claurst_config::Config;
use claurst_query::{
    DreamSettings, GateDecision, MemoryStore, SessionSummary, Trigger, fallback_session_record,
};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How long the model may take to write the session record before the fallback is used.
const RECORD_TIME_LIMIT: Duration = Duration::from_secs(20);

pub fn settings(config: &Config) -> DreamSettings {
    DreamSettings {
        auto_dream: config.memory.auto_dream,
        interval_hours: config.memory.dream_interval_hours,
        session_threshold: config.memory.dream_session_threshold,
    }
}

pub fn session_memory(config: &Config) -> SessionMemory {
    SessionMemory::new(&config.memory.memory_dir, settings(config))
}

/// How the session's record is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordWriter {
    /// Asked of the model (interactive sessions), falling back when it cannot answer in time or the user
    /// presses Ctrl+C.
    Model,
    /// Written without a model request (headless runs, so CI pays nothing extra).
    Fallback,
}

/// Append the record of a finished session to the memory's session log and count the session.
pub async fn record_end(
    agent: &AgentConfig,
    memory: &SessionMemory,
    session_id: &str,
    project: &Path,
    started_at: OffsetDateTime,
    conversation: &Conversation,
    writer: RecordWriter,
) {
    if conversation.messages().is_empty() {
        return;
    }
    let ended_at = OffsetDateTime::now_utc();
    let summary = SessionSummary::from_messages(
        session_id,
        Some(project.to_path_buf()),
        started_at,
        ended_at,
        conversation.messages(),
    );
    if writer == RecordWriter::Model {
        eprintln!("Saving notes on this session to memory… (Ctrl+C to skip the summary)");
        tokio::select! {
            written = record_session(agent, &memory.dir, &summary, RECORD_TIME_LIMIT) => {
                match written {
                    Ok(RecordSource::Model) => {}
                    Ok(RecordSource::Fallback) => tracing::info!("session record written without the model"),
                    Err(error) => eprintln!("warning: could not save the session notes: {error}"),
                }
                return;
            }
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    let written = MemoryStore::open(&memory.dir).and_then(|store| {
        store.append_session_record(ended_at, &fallback_session_record(&summary))?;
        store.record_session_end(ended_at)
    });
    if let Err(error) = written {
        eprintln!("warning: could not save the session notes: {error}");
    }
}

/// `claurst --dream-now`: consolidate the memory now, whatever the schedule (the lock is still taken).
pub async fn dream_now(agent: AgentConfig, memory: SessionMemory, verbose: bool) -> ExitCode {
    let mut config = DreamRunConfig::new(&memory.dir, memory.settings, agent);
    if verbose {
        config = config.with_progress(Arc::new(|progress| match progress {
            DreamProgress::Started { .. } => eprintln!("dream: lock taken, memory snapshotted"),
            DreamProgress::PhaseStarted(phase) => eprintln!("dream: {phase}…"),
            DreamProgress::PhaseFinished { phase, note } => eprintln!("dream: {phase} done: {note}"),
        }));
    }
    match run_dream(config, Trigger::Manual).await {
        Ok(DreamOutcome::Consolidated { summary, .. }) => {
            println!("Memory consolidated in {}.", memory.dir.display());
            if !summary.trim().is_empty() {
                println!("{summary}");
            }
            ExitCode::SUCCESS
        }
        Ok(DreamOutcome::Skipped(GateDecision::Locked { owner })) => {
            eprintln!(
                "Error: another Claurst process (pid {}) is dreaming since {}; try again when it finishes",
                owner.pid, owner.started_at
            );
            ExitCode::from(crate::headless::EXIT_ERROR)
        }
        Ok(DreamOutcome::Skipped(decision)) => {
            println!("No dream was needed: {decision:?}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("Error: {error}");
            ExitCode::from(crate::headless::EXIT_ERROR)
        }
    }
}
