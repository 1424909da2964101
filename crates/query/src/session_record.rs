//! Session records: what a session did and learned, appended to `sessions/YYYY-MM-DD.log` at its end for the
//! next dream to gather. The model writes the record from [`session_record_prompt`]; when it cannot be reached,
//! [`fallback_session_record`] writes a plain deterministic one, so a session is never lost.

use claurst_protocol::{ContentBlock, Message, Role};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Characters of transcript put in the record prompt: its start and end, the middle elided.
const TRANSCRIPT_BUDGET: usize = 16_000;
/// Characters of the first prompt kept in a fallback record.
const PROMPT_EXCERPT: usize = 300;

/// What is known about a finished session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionSummary {
    pub session_id: String,
    pub project: Option<PathBuf>,
    pub started_at: OffsetDateTime,
    pub ended_at: OffsetDateTime,
    pub first_prompt: Option<String>,
    /// User prompts, not counting tool results.
    pub prompt_count: usize,
    /// Paths given to tools (`path` / `file_path` inputs), in first-use order, without repeats.
    pub files_touched: Vec<String>,
    /// Calls per tool name.
    pub tool_counts: BTreeMap<String, u32>,
    /// The conversation as plain text (`User:` / `Assistant:` / `[tool …]` lines).
    pub transcript: String,
}

impl SessionSummary {
    /// Everything derivable from the conversation itself.
    pub fn from_messages(
        session_id: impl Into<String>,
        project: Option<PathBuf>,
        started_at: OffsetDateTime,
        ended_at: OffsetDateTime,
        messages: &[Message],
    ) -> Self {
        let mut summary = Self {
            session_id: session_id.into(),
            project,
            started_at,
            ended_at,
            first_prompt: None,
            prompt_count: 0,
            files_touched: Vec::new(),
            tool_counts: BTreeMap::new(),
            transcript: String::new(),
        };
        for message in messages {
            summary.add(message);
        }
        summary
    }

    fn add(&mut self, message: &Message) {
        if message.role == Role::User && !message.is_tool_results() {
            self.prompt_count += 1;
            let text = message.text();
            if self.first_prompt.is_none() && !text.trim().is_empty() {
                self.first_prompt = Some(text.trim().to_string());
            }
        }
        for block in &message.content {
            match block {
                ContentBlock::Text { text, .. } if !text.trim().is_empty() => {
                    let speaker = match message.role {
                        Role::User => "User",
                        Role::Assistant => "Assistant",
                    };
                    let _ = writeln!(self.transcript, "{speaker}: {}", text.trim());
                }
                ContentBlock::ToolUse { name, input, .. } => {
                    *self.tool_counts.entry(name.clone()).or_default() += 1;
                    let path =
                        ["path", "file_path"].iter().find_map(|key| input.get(*key).and_then(|v| v.as_str()));
                    if let Some(path) = path
                        && !self.files_touched.iter().any(|seen| seen == path)
                    {
                        self.files_touched.push(path.to_string());
                    }
                    let _ = writeln!(
                        self.transcript,
                        "[tool {name}{}]",
                        path.map(|p| format!(" {p}")).unwrap_or_default()
                    );
                }
                _ => {}
            }
        }
    }
}

/// The request for the model's record of the session. Its reply is appended to the session log as is.
pub fn session_record_prompt(summary: &SessionSummary) -> String {
    let mut prompt = String::from(
        "The session below has ended. Write its record for Claurst's long-term memory: a few short Markdown \
         bullet points (at most 15 lines) saying what the user worked on and what came of it, then anything \
         worth remembering in later sessions — the user's preferences and conventions, facts about the project \
         and environment, decisions and their reasons, problems and how they were fixed. Write absolute dates, \
         not relative ones. Leave out secrets (keys, passwords, tokens) and anything trivial. Reply with the \
         record only.\n\n",
    );
    let _ = writeln!(prompt, "Session: {}", summary.session_id);
    if let Some(project) = &summary.project {
        let _ = writeln!(prompt, "Project: {}", project.display());
    }
    let _ = writeln!(prompt, "Started: {}\nEnded: {}\n", stamp(summary.started_at), stamp(summary.ended_at));
    prompt.push_str("<transcript>\n");
    prompt.push_str(&excerpt(&summary.transcript, TRANSCRIPT_BUDGET));
    prompt.push_str("\n</transcript>");
    prompt
}

/// A record written without the model: deterministic, from the summary's facts alone.
pub fn fallback_session_record(summary: &SessionSummary) -> String {
    let mut out = String::from("(Recorded without the model, which could not be reached.)\n");
    let _ = writeln!(out, "- Session {}", summary.session_id);
    if let Some(project) = &summary.project {
        let _ = writeln!(out, "- Project: {}", project.display());
    }
    let _ = writeln!(out, "- From {} to {}", stamp(summary.started_at), stamp(summary.ended_at));
    if let Some(prompt) = &summary.first_prompt {
        let line = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            out,
            "- First request ({} in all): {}",
            summary.prompt_count,
            excerpt(&line, PROMPT_EXCERPT)
        );
    }
    if !summary.tool_counts.is_empty() {
        let counts: Vec<String> =
            summary.tool_counts.iter().map(|(name, count)| format!("{name} ×{count}")).collect();
        let _ = writeln!(out, "- Tools: {}", counts.join(", "));
    }
    if !summary.files_touched.is_empty() {
        let _ = writeln!(out, "- Files: {}", summary.files_touched.join(", "));
    }
    out
}

fn stamp(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0).unwrap_or(at).format(&Rfc3339).unwrap_or_default()
}

/// `text` if it fits in `budget` characters, else its start and end with the middle marked as elided.
fn excerpt(text: &str, budget: usize) -> String {
    let count = text.chars().count();
    if count <= budget {
        return text.to_string();
    }
    let half = budget / 2;
    let head: String = text.chars().take(half).collect();
    let tail: String = text.chars().skip(count - half).collect();
    format!("{head}\n[… {} characters elided …]\n{tail}", count - 2 * half)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn summary() -> SessionSummary {
        let messages = vec![
            Message::user("Fix the  flaky test\nin ci"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::text("Looking."),
                    ContentBlock::ToolUse {
                        id: "t1".into(),
                        name: "read_file".into(),
                        input: json!({"path": "src/lib.rs"}),
                    },
                    ContentBlock::ToolUse {
                        id: "t2".into(),
                        name: "bash".into(),
                        input: json!({"command": "cargo test"}),
                    },
                ],
            },
            Message { role: Role::User, content: vec![ContentBlock::tool_result("t1", "…", false)] },
            Message::assistant("Fixed."),
        ];
        SessionSummary::from_messages(
            "s-1",
            Some("/work/p".into()),
            datetime!(2026-04-01 09:00 UTC),
            datetime!(2026-04-01 09:30 UTC),
            &messages,
        )
    }

    #[test]
    fn the_fallback_record_is_deterministic_and_complete() {
        let record = fallback_session_record(&summary());
        assert_eq!(record, fallback_session_record(&summary()));
        assert_eq!(
            record,
            "(Recorded without the model, which could not be reached.)\n\
             - Session s-1\n\
             - Project: /work/p\n\
             - From 2026-04-01T09:00:00Z to 2026-04-01T09:30:00Z\n\
             - First request (1 in all): Fix the flaky test in ci\n\
             - Tools: bash ×1, read_file ×1\n\
             - Files: src/lib.rs\n"
        );
    }

    #[test]
    fn the_prompt_carries_the_transcript_within_budget() {
        let mut long = summary();
        long.transcript = "x".repeat(TRANSCRIPT_BUDGET * 2);
        let prompt = session_record_prompt(&long);
        assert!(prompt.contains("characters elided"));
        assert!(prompt.len() < TRANSCRIPT_BUDGET + 2_000);
        let prompt = session_record_prompt(&summary());
        assert!(prompt.contains("User: Fix the  flaky test"), "{prompt}");
        assert!(prompt.contains("[tool read_file src/lib.rs]"), "{prompt}");
        assert!(prompt.contains("Assistant: Fixed."), "{prompt}");
    }
}
