//! What the hooks of one event decided, from their exit codes and output, as Claude Code defines it:
//! exit 0 goes on (stdout is context where the event takes it), exit 2 blocks (stderr is the reason), other
//! codes are errors shown to the user; JSON on stdout gives finer control.

use super::process::HookExit;
use claurst_protocol::{HookEvent, HookReport, HookReportKind};
use serde_json::Value;

/// A PreToolUse hook's say on a tool call's permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookPermission {
    /// Run it without asking, unless a deny rule forbids it: a hook never overrides a deny rule.
    Allow { reason: String },
    /// Refuse it; the model is told `reason`.
    Deny { reason: String },
    /// Ask the user even when a rule would allow it.
    Ask { reason: String },
}

/// Something the user should see about a hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookMessage {
    pub event: HookEvent,
    pub command: String,
    pub kind: HookMessageKind,
    pub text: String,
}

/// What a [`HookMessage`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookMessageKind {
    /// The hook failed, timed out or could not start; what it guarded went on.
    Error,
    /// The hook blocked something (the text is its reason).
    Blocked,
    /// `systemMessage`: a note for the user.
    Note,
    /// Plain output of a hook that ended well, for verbose views and logs.
    Output,
}

/// What every hook of one event decided together. Blocking and denying win over allowing; contexts and
/// messages are kept in the order the hooks were configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HookOutcome {
    /// `continue: false`: the agent stops after this event, and the user is told the reason (`stopReason`).
    pub stop: Option<String>,
    /// Exit 2 or `decision: "block"`: the reason (for the model, or the user for UserPromptSubmit).
    pub block: Option<String>,
    /// PreToolUse only.
    pub permission: Option<HookPermission>,
    /// PreToolUse `updatedInput`: replaces the call's input before the permission engine judges it.
    pub updated_input: Option<Value>,
    /// Text to add to what the model sees (stdout of UserPromptSubmit and SessionStart, `additionalContext`).
    pub context: Vec<String>,
    pub messages: Vec<HookMessage>,
}

impl HookOutcome {
    /// Fold one hook's exit into the outcome.
    pub(crate) fn absorb(&mut self, event: HookEvent, command: &str, exit: HookExit) {
        let message = |kind, text: String| HookMessage { event, command: command.to_string(), kind, text };
        match exit {
            HookExit::NotStarted(reason) => self.messages.push(message(HookMessageKind::Error, reason)),
            HookExit::TimedOut(after) => self.messages.push(message(
                HookMessageKind::Error,
                format!("timed out after {} s and was killed", after.as_secs_f64()),
            )),
            HookExit::Exited { code: Some(0), stdout, .. } => self.absorb_success(event, command, &stdout),
            HookExit::Exited { code: Some(2), stderr, .. } => {
                let reason = match stderr.trim() {
                    "" => format!("blocked by the hook `{command}`"),
                    reason => reason.to_string(),
                };
                self.messages.push(message(HookMessageKind::Blocked, reason.clone()));
                self.add_block(reason);
            }
            HookExit::Exited { code, stderr, .. } => {
                let status =
                    code.map_or("was killed by a signal".to_string(), |code| format!("exited with {code}"));
                let detail = match stderr.trim() {
                    "" => String::new(),
                    text => format!(": {text}"),
                };
                self.messages.push(message(HookMessageKind::Error, format!("{status}{detail}")));
            }
        }
    }

    fn absorb_success(&mut self, event: HookEvent, command: &str, stdout: &str) {
        let trimmed = stdout.trim();
        let json = trimmed.starts_with('{').then(|| serde_json::from_str::<Value>(trimmed).ok()).flatten();
        let Some(Value::Object(fields)) = json else {
            if trimmed.is_empty() {
                return;
            }
            if matches!(event, HookEvent::UserPromptSubmit | HookEvent::SessionStart) {
                self.context.push(trimmed.to_string());
            } else {
                self.messages.push(HookMessage {
                    event,
                    command: command.to_string(),
                    kind: HookMessageKind::Output,
                    text: trimmed.to_string(),
                });
            }
            return;
        };
        self.absorb_json(event, command, &fields);
    }

    /// Fold the answer of a hook the front-end's program runs (an Agent SDK's hook callback), named `source`
    /// in messages: an object means what the same JSON printed by a hook command means; an error is a
    /// failed hook, and what it guarded goes on.
    pub fn absorb_answer(&mut self, event: HookEvent, source: &str, answer: Result<Value, String>) {
        match answer {
            Ok(Value::Object(fields)) => self.absorb_json(event, source, &fields),
            // No answer (`null`) lets the event go on, as a hook that printed nothing.
            Ok(Value::Null) => {}
            Ok(other) => self.messages.push(HookMessage {
                event,
                command: source.to_string(),
                kind: HookMessageKind::Error,
                text: format!("answered {other}, which is not a JSON object"),
            }),
            Err(reason) => self.messages.push(HookMessage {
                event,
                command: source.to_string(),
                kind: HookMessageKind::Error,
                text: reason,
            }),
        }
    }

    /// What a hook's JSON output decides (`continue`, `decision`, `hookSpecificOutput`, …).
    fn absorb_json(&mut self, event: HookEvent, command: &str, fields: &serde_json::Map<String, Value>) {
        let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_string);
        if fields.get("continue") == Some(&Value::Bool(false)) {
            self.stop =
                Some(text("stopReason").unwrap_or_else(|| format!("stopped by the hook `{command}`")));
        }
        if let Some(note) = text("systemMessage") {
            self.messages.push(HookMessage {
                event,
                command: command.to_string(),
                kind: HookMessageKind::Note,
                text: note,
            });
        }
        let reason = text("reason").unwrap_or_else(|| format!("blocked by the hook `{command}`"));
        match text("decision").as_deref() {
            Some("block") => self.add_block(reason.clone()),
            // The older PreToolUse spelling of allow and deny.
            Some("approve") if event == HookEvent::PreToolUse => {
                self.add_permission(HookPermission::Allow { reason: reason.clone() })
            }
            _ => {}
        }
        let specific = fields.get("hookSpecificOutput").and_then(Value::as_object);
        if let Some(specific) = specific {
            let text = |key: &str| specific.get(key).and_then(Value::as_str).map(str::to_string);
            if let Some(context) = text("additionalContext") {
                self.context.push(context);
            }
            if event == HookEvent::PreToolUse {
                let reason = text("permissionDecisionReason").unwrap_or_default();
                match text("permissionDecision").as_deref() {
                    Some("allow") => self.add_permission(HookPermission::Allow { reason }),
                    Some("deny") => self.add_permission(HookPermission::Deny {
                        reason: if reason.is_empty() {
                            format!("denied by the hook `{command}`")
                        } else {
                            reason
                        },
                    }),
                    Some("ask") => self.add_permission(HookPermission::Ask { reason }),
                    _ => {}
                }
                if let Some(input) = specific.get("updatedInput").filter(|input| input.is_object()) {
                    self.updated_input = Some(input.clone());
                }
            }
        }
    }

    /// Add what other hooks of the same event decided, as if they had been folded in here after these.
    pub fn merge(&mut self, other: HookOutcome) {
        if self.stop.is_none() {
            self.stop = other.stop;
        }
        if let Some(reason) = other.block {
            self.add_block(reason);
        }
        if let Some(permission) = other.permission {
            self.add_permission(permission);
        }
        if other.updated_input.is_some() {
            self.updated_input = other.updated_input;
        }
        self.context.extend(other.context);
        self.messages.extend(other.messages);
    }

    /// The first block's reason is kept; several hooks blocking is one block.
    fn add_block(&mut self, reason: String) {
        match &mut self.block {
            Some(existing) => {
                existing.push('\n');
                existing.push_str(&reason);
            }
            None => self.block = Some(reason),
        }
    }

    /// Deny beats ask beats allow, whatever order the hooks finished in.
    fn add_permission(&mut self, permission: HookPermission) {
        let rank = |permission: &HookPermission| match permission {
            HookPermission::Allow { .. } => 0,
            HookPermission::Ask { .. } => 1,
            HookPermission::Deny { .. } => 2,
        };
        if self.permission.as_ref().is_none_or(|current| rank(&permission) > rank(current)) {
            self.permission = Some(permission);
        }
    }

    /// What a user should be shown: every message except plain output.
    pub fn user_messages(&self) -> impl Iterator<Item = &HookMessage> {
        self.messages.iter().filter(|message| message.kind != HookMessageKind::Output)
    }
}

impl HookMessage {
    /// The report front-ends show; `None` for plain output, which only verbose views and logs carry.
    pub fn report(&self) -> Option<HookReport> {
        let kind = match self.kind {
            HookMessageKind::Error => HookReportKind::Failed,
            HookMessageKind::Blocked => HookReportKind::Blocked,
            HookMessageKind::Note => HookReportKind::Note,
            HookMessageKind::Output => return None,
        };
        Some(HookReport { event: self.event, command: self.command.clone(), kind, text: self.text.clone() })
    }

    /// One line for logs and messages.
    pub fn describe(&self) -> String {
        match self.report() {
            Some(report) => report.describe(),
            None => format!("{} hook `{}` printed: {}", self.event, self.command, self.text),
        }
    }
}

#[cfg(test)]
#[path = "outcome_tests.rs"]
mod tests;
