//! The session store, instructions and compaction, through the public API and real files.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod compaction;
mod instructions;
mod listing;
mod subagents;
mod torn;
mod transcript;

use claurst_protocol::{ContentBlock, Message, Role};
use claurst_session::{SessionMeta, TranscriptRecord, TranscriptWriter};
use serde_json::json;
use std::path::{Path, PathBuf};

/// A history written in a small language, one word per message:
/// `p` a prompt, `a` an assistant reply, `a:1,2` an assistant message calling tools `1` and `2`,
/// `r:1,2` the results of tools `1` and `2`, `rp:1` a result merged with a new prompt (after an interrupt).
pub fn history(spec: &str) -> Vec<Message> {
    spec.split_whitespace()
        .enumerate()
        .map(|(index, word)| {
            let (kind, ids) = word.split_once(':').unwrap_or((word, ""));
            let ids: Vec<&str> = ids.split(',').filter(|id| !id.is_empty()).collect();
            match kind {
                "p" => Message::user(format!("prompt {index}")),
                "a" if ids.is_empty() => Message::assistant(format!("reply {index}")),
                "a" => Message {
                    role: Role::Assistant,
                    content: ids
                        .iter()
                        .map(|id| ContentBlock::ToolUse {
                            id: format!("t{id}"),
                            name: "bash".into(),
                            input: json!({"command": "ls"}),
                        })
                        .collect(),
                },
                "r" | "rp" => {
                    let mut content: Vec<ContentBlock> = ids
                        .iter()
                        .map(|id| ContentBlock::tool_result(format!("t{id}"), "ok", false))
                        .collect();
                    if kind == "rp" {
                        content.push(ContentBlock::text(format!("prompt {index}")));
                    }
                    Message { role: Role::User, content }
                }
                other => panic!("unknown history word `{other}`"),
            }
        })
        .collect()
}

/// Check what the Messages API requires of a history: it starts with a user message, roles alternate, every
/// `tool_use` is answered in the next message and every `tool_result` answers the previous message.
pub fn validate_history(messages: &[Message]) -> Result<(), String> {
    if messages.first().is_some_and(|m| m.role != Role::User) {
        return Err("the history does not start with a user message".into());
    }
    for (index, pair) in messages.windows(2).enumerate() {
        if pair[0].role == pair[1].role {
            return Err(format!("messages {index} and {} have the same role", index + 1));
        }
    }
    for (index, message) in messages.iter().enumerate() {
        let asked: Vec<&str> = index
            .checked_sub(1)
            .map(|previous| messages[previous].tool_uses().map(|(id, _, _)| id).collect())
            .unwrap_or_default();
        for block in &message.content {
            if let ContentBlock::ToolResult { tool_use_id, .. } = block
                && !asked.contains(&tool_use_id.as_str())
            {
                return Err(format!(
                    "message {index} answers {tool_use_id}, which the previous one did not call"
                ));
            }
        }
        for (id, _, _) in message.tool_uses() {
            let answered = messages.get(index + 1).is_some_and(|next| {
                next.content.iter().any(
                    |block| matches!(block, ContentBlock::ToolResult { tool_use_id, .. } if tool_use_id == id),
                )
            });
            if !answered && index + 1 < messages.len() {
                return Err(format!("tool call {id} of message {index} is not answered"));
            }
        }
    }
    Ok(())
}

/// A projects directory and a project root inside a temporary directory.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("project")).unwrap();
        Self { dir }
    }

    pub fn projects(&self) -> PathBuf {
        self.dir.path().join("projects")
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    pub fn meta(&self, session_id: &str) -> SessionMeta {
        let mut meta = SessionMeta::new(self.root(), self.root(), "claude-sonnet-4-5");
        meta.session_id = session_id.into();
        meta
    }

    /// A new session holding `prompts`, each answered, returning its file.
    pub fn session(&self, session_id: &str, prompts: &[&str]) -> PathBuf {
        let mut writer = TranscriptWriter::create(&self.projects(), &self.meta(session_id)).unwrap();
        for prompt in prompts {
            writer.append(&TranscriptRecord::User { message: Message::user(*prompt) }).unwrap();
            writer
                .append(&TranscriptRecord::Assistant {
                    message: Message::assistant("done"),
                    stop_reason: None,
                })
                .unwrap();
        }
        writer.path().to_path_buf()
    }
}

/// The lines of a file.
pub fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect()
}
