//! The moments at which user-configured hook commands run.

use serde::{Deserialize, Serialize};

/// An event hooks can be attached to, named as Claude Code names it (the names users write in config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HookEvent {
    /// Before a tool call is judged by the permission engine; may deny, allow, ask or rewrite it.
    PreToolUse,
    /// After a tool call ran; may add a note to the result the model sees.
    PostToolUse,
    /// When the user submits a prompt; may add context or drop the prompt.
    UserPromptSubmit,
    /// When the model ends its turn; may make the agent go on.
    Stop,
    /// When a sub-agent ends its turn.
    SubagentStop,
    /// When a session starts (or is resumed or cleared); may add context.
    SessionStart,
    /// When a session ends.
    SessionEnd,
    /// Before the conversation is compacted.
    PreCompact,
    /// When Claurst asks the user something (a tool call's approval).
    Notification,
}

impl HookEvent {
    /// Every event, in the order they are documented.
    pub const ALL: [HookEvent; 9] = [
        HookEvent::PreToolUse,
        HookEvent::PostToolUse,
        HookEvent::UserPromptSubmit,
        HookEvent::Stop,
        HookEvent::SubagentStop,
        HookEvent::SessionStart,
        HookEvent::SessionEnd,
        HookEvent::PreCompact,
        HookEvent::Notification,
    ];

    /// The name written in config files and sent to hooks as `hook_event_name`.
    pub fn name(self) -> &'static str {
        match self {
            HookEvent::PreToolUse => "PreToolUse",
            HookEvent::PostToolUse => "PostToolUse",
            HookEvent::UserPromptSubmit => "UserPromptSubmit",
            HookEvent::Stop => "Stop",
            HookEvent::SubagentStop => "SubagentStop",
            HookEvent::SessionStart => "SessionStart",
            HookEvent::SessionEnd => "SessionEnd",
            HookEvent::PreCompact => "PreCompact",
            HookEvent::Notification => "Notification",
        }
    }

    /// The event written `name`, exactly as Claude Code spells it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.name() == name)
    }
}

impl std::fmt::Display for HookEvent {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A hook the front-end's program answers itself (an Agent SDK's hook callback): when `event` fires and
/// `matcher` selects it (as a configured hook's matcher would), the agent calls the session's hook callbacks
/// with `callback_id` and applies the answer as a hook command's JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookCallbackRegistration {
    pub event: HookEvent,
    /// As a configured hook's matcher is written; empty selects everything.
    pub matcher: String,
    /// The program's name for the callback, sent back with each call.
    pub callback_id: String,
    /// How long one call may take; `None`: the default hook timeout.
    pub timeout_secs: Option<u64>,
}

/// A configured hook as front-ends list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookView {
    pub event: HookEvent,
    /// As written; empty selects everything.
    pub matcher: String,
    pub command: String,
    /// Where it is defined, as users read it (`project (.claude/settings.json)`).
    pub source: String,
    /// Whether it runs in this session (a project's hooks wait for approval).
    pub runs: bool,
}

impl HookView {
    /// One line: `PreToolUse [Bash] ./check.sh — project (.claurst.toml)`.
    pub fn describe(&self) -> String {
        let matcher = if self.matcher.is_empty() { "*" } else { self.matcher.as_str() };
        format!("{} [{matcher}] {} — {}", self.event, self.command, self.source)
    }
}

/// What a hook did that the user should know: it failed, blocked something, left a note, stopped the agent
/// or sent it back to work. Front-ends show it; nothing else depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookReport {
    pub event: HookEvent,
    /// The hook's command as configured (empty when the report is about the event's hooks together).
    pub command: String,
    pub kind: HookReportKind,
    pub text: String,
}

/// What a [`HookReport`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookReportKind {
    /// It exited with an error, timed out (and was killed) or could not start; what it guarded went on.
    Failed,
    /// It blocked a tool call, a prompt or a stop; `text` is its reason.
    Blocked,
    /// A message it left for the user (`systemMessage`).
    Note,
    /// It stopped the agent (`continue: false`); `text` is why.
    Stopped,
    /// A Stop hook sent the agent back to work; `text` is what it was told.
    Continued,
}

impl HookReport {
    /// One line: `PreToolUse hook `./check.sh` failed: timed out after 1 s and was killed`.
    pub fn describe(&self) -> String {
        let verb = match self.kind {
            HookReportKind::Failed => "failed",
            HookReportKind::Blocked => "blocked",
            HookReportKind::Note => "says",
            HookReportKind::Stopped => "stopped the agent",
            HookReportKind::Continued => "asked the agent to go on",
        };
        match self.command.as_str() {
            "" => format!("{} hook {verb}: {}", self.event, self.text),
            command => format!("{} hook `{command}` {verb}: {}", self.event, self.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for event in HookEvent::ALL {
            assert_eq!(HookEvent::from_name(event.name()), Some(event));
        }
        assert_eq!(HookEvent::from_name("pretooluse"), None);
    }
}
