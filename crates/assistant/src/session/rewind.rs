//! Rewinding a session to before one of its turns: the files its tools changed, the conversation, or both.

use super::SessionActor;
use crate::conversation::{Conversation, Transcript};
use claurst_protocol::{AgentEvent, RestoreScope, RewindReport, SkippedFileView, TurnView, Usage};
use claurst_session::checkpoint::{CodeRestore, SkipReason};
use claurst_session::{TranscriptWriter, TurnCheckpoint};
use std::path::Path;
use time::macros::format_description;

impl SessionActor {
    /// A prompt is about to join the conversation: its turn's checkpoint starts here, with the
    /// transcript's length before it (where a conversation rewind cuts the file).
    pub(super) fn begin_checkpoint(&self, prompt: &str) {
        let path = self.conversation.transcript_path();
        self.agent.checkpoints.follow(path.as_deref());
        let Some(path) = path else { return };
        // The writer hands every record to the kernel at once, so the file's length is the transcript's.
        let offset = std::fs::metadata(&path).map(|meta| meta.len()).unwrap_or(0);
        self.agent.checkpoints.begin_turn(prompt, offset);
    }

    /// Answer `Op::ListCheckpoints`.
    pub(super) async fn list_checkpoints(&self) {
        self.agent.checkpoints.follow(self.conversation.transcript_path().as_deref());
        let root = self.agent.project_root().to_path_buf();
        let turns = self
            .agent
            .checkpoints
            .with(|checkpoints| checkpoints.turns().iter().map(|turn| turn_view(turn, &root)).collect())
            .unwrap_or_default();
        self.sink.emit(AgentEvent::Checkpoints(turns)).await;
    }

    /// Answer `Op::Rewind`: files first (they are what the user most wants back), then the conversation.
    pub(super) async fn rewind(&mut self, turn: u32, scope: RestoreScope) {
        self.agent.checkpoints.follow(self.conversation.transcript_path().as_deref());
        let Some(checkpoint) = self.agent.checkpoints.with(|checkpoints| checkpoints.turn(turn).cloned())
        else {
            self.notice("Rewind needs a saved session: this one is not saved.").await;
            return;
        };
        let Some(checkpoint) = checkpoint else {
            self.notice(&format!("There is no turn {turn} to rewind to in this session.")).await;
            return;
        };
        let root = self.agent.project_root().to_path_buf();
        let mut report =
            RewindReport { turn, scope, restored: Vec::new(), skipped: Vec::new(), prompt: None };
        if scope.restores_code() {
            let restored = self.agent.checkpoints.with(|checkpoints| checkpoints.restore_code(turn));
            match restored {
                Some(Ok(restore)) => {
                    if let Some(error) = &restore.log_error {
                        self.notice(&format!(
                            "The files were rewound, but the checkpoint log could not record it: {error}"
                        ))
                        .await;
                    }
                    fill_code_report(&mut report, restore, &root);
                }
                Some(Err(error)) => {
                    self.notice(&format!("Cannot rewind the files: {error}")).await;
                    return;
                }
                None => {
                    self.notice("Rewind needs a saved session: this one is not saved.").await;
                    return;
                }
            }
        }
        if scope.restores_conversation() {
            if let Err(error) = self.rewind_conversation(&checkpoint).await {
                self.notice(&format!("Cannot rewind the conversation: {error}")).await;
                // Files may already be back: the front-end still needs to hear which.
                if scope.restores_code() {
                    self.sink.emit(AgentEvent::Rewound(report)).await;
                }
                return;
            }
            if let Some(Err(error)) = self.agent.checkpoints.with(|checkpoints| checkpoints.drop_from(turn)) {
                tracing::warn!(%error, "cannot record the rewind in the checkpoint log");
            }
            report.prompt = Some(checkpoint.prompt.clone());
        }
        self.sink.emit(AgentEvent::Rewound(report)).await;
    }

    /// Cut the transcript where the turn began and reload the conversation from it.
    async fn rewind_conversation(&mut self, checkpoint: &TurnCheckpoint) -> Result<(), String> {
        let path = self.conversation.transcript_path().ok_or("this session is not saved")?;
        // The old writer must be closed before the file is cut, or it could write past the cut.
        let previous = std::mem::take(&mut self.conversation);
        drop(previous);
        let cut = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_len(checkpoint.transcript_offset));
        let loaded = cut
            .map_err(|error| error.to_string())
            .and_then(|()| claurst_session::transcript::load(&path).map_err(|error| error.to_string()));
        let mut loaded = match loaded {
            Ok(loaded) => loaded,
            Err(error) => {
                self.reattach(&path);
                return Err(error);
            }
        };
        let items = crate::store::history_items(std::mem::take(&mut loaded.entries));
        match TranscriptWriter::append_to(&loaded) {
            Ok(writer) => self.conversation = Conversation::rewound(loaded, Transcript::new(writer)),
            Err(error) => {
                // The file is already cut: keep the cut conversation in memory rather than an empty one,
                // and say plainly that it is no longer saved.
                self.conversation = Conversation::resumed(loaded, None);
                self.notice(&format!(
                    "The conversation was rewound, but its transcript cannot be written any more ({error}); \
                     this session goes on unsaved."
                ))
                .await;
            }
        }
        self.queued.clear();
        let calls = self.agent.describe_history(&items);
        let session_id = self.agent.session_id();
        self.sink.emit(AgentEvent::HistoryLoaded { session_id, items, calls }).await;
        self.agent.report_usage(&self.conversation, &Usage::default(), &self.sink).await;
        Ok(())
    }

    /// After a failed cut, go on writing the transcript as it is.
    fn reattach(&mut self, path: &Path) {
        if let Ok(loaded) = claurst_session::transcript::load(path)
            && let Ok(writer) = TranscriptWriter::append_to(&loaded)
        {
            self.conversation = Conversation::rewound(loaded, Transcript::new(writer));
        }
    }
}

fn fill_code_report(report: &mut RewindReport, restore: CodeRestore, root: &Path) {
    report.restored = restore.restored.iter().map(|path| shown(path, root)).collect();
    report.skipped = restore
        .skipped
        .into_iter()
        .map(|skipped| SkippedFileView {
            path: shown(&skipped.path, root),
            reason: match skipped.reason {
                SkipReason::ChangedOutside => {
                    "changed outside Claurst since it wrote it; kept as it is".into()
                }
                SkipReason::EditedBetweenTurns => "changed outside Claurst between turns; restoring it \
                                                   would undo those edits, so it is kept as it is"
                    .into(),
                SkipReason::Failed(message) => message,
            },
        })
        .collect();
}

fn turn_view(turn: &TurnCheckpoint, root: &Path) -> TurnView {
    let format = format_description!("[month repr:short] [day] [hour]:[minute]");
    TurnView {
        turn: turn.turn,
        prompt: turn.prompt.clone(),
        time: turn.timestamp.format(format).unwrap_or_default(),
        files: turn.files.iter().map(|path| shown(path, root)).collect(),
    }
}

/// A path relative to the project root when inside it.
fn shown(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}
