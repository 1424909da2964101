//! `enter_worktree` and `exit_worktree`: the model moves the session into a git worktree of its own, on its
//! own branch, so that its changes stay apart from the user's checkout, and moves it back.
//!
//! Both only check their input; the agent loop owns the session's working directory, its permissions and its
//! sandbox, and does the move (see `ToolUpdate::EnterWorktree` and `ToolUpdate::ExitWorktree`).

use crate::tool::{Tool, ToolOutcome, ToolResult, ToolUpdate};
use async_trait::async_trait;
use claurst_permissions::{Access, Effect};
use serde_json::{Value, json};

/// The tools' names.
pub const ENTER_WORKTREE: &str = "enter_worktree";
pub const EXIT_WORKTREE: &str = "exit_worktree";

/// What a call says when no agent loop runs it.
const NO_SESSION: &str = "Only a Claurst agent session can move into a worktree; none was started.";

#[derive(Default)]
pub struct EnterWorktreeTool;

impl EnterWorktreeTool {
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl Tool for EnterWorktreeTool {
    fn name(&self) -> &str {
        ENTER_WORKTREE
    }

    fn description(&self) -> &str {
        "Create a git worktree of this repository (under .claurst/worktrees/<name>, on a new branch \
         claurst/<name> from HEAD) and move the session into it: from then on relative paths, file tools and \
         shell commands work there, and the user's checkout is left untouched. Use it only when the user asks \
         to work in a worktree or in isolation from their checkout. An existing Claurst worktree of that name \
         is taken up again. Leave it with exit_worktree."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "name": {
                    "type": "string",
                    "description": "The worktree's name: letters, digits, `-`, `_` and `.`; a made-up one when absent"
                }
            }
        })
    }

    fn title(&self) -> String {
        "worktree".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "name")
    }

    /// It creates a branch and a checkout and moves every later call: the user approves it (an allow rule
    /// `enter_worktree` can), and plan mode refuses it.
    fn access(&self, _input: &Value) -> Access {
        Access::Other { effect: Effect::Mutating }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let name = match input.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) if name.trim().is_empty() => None,
            Some(Value::String(name)) => Some(name.trim().to_string()),
            Some(_) => return ToolResult::error("`name` must be a string.").into(),
        };
        ToolOutcome {
            update: Some(ToolUpdate::EnterWorktree { name }),
            ..ToolResult::error(NO_SESSION).into()
        }
    }
}

#[derive(Default)]
pub struct ExitWorktreeTool;

impl ExitWorktreeTool {
    pub fn new() -> Self {
        Self
    }
}

/// What becomes of the worktree the session leaves.
fn wants_removal(input: &Value) -> Result<bool, ToolResult> {
    match input.get("action").and_then(Value::as_str) {
        Some("keep") => Ok(false),
        Some("remove") => Ok(true),
        _ => Err(ToolResult::error(
            "exit_worktree needs `action`: \"keep\" (the worktree and its branch stay) or \"remove\" (both are \
             deleted).",
        )),
    }
}

#[async_trait]
impl Tool for ExitWorktreeTool {
    fn name(&self) -> &str {
        EXIT_WORKTREE
    }

    fn description(&self) -> &str {
        "Leave the worktree entered with enter_worktree and move the session back to where it was. `action`: \
         \"keep\" leaves the worktree and its branch for the user to review or merge; \"remove\" deletes both, \
         and is refused while the worktree has uncommitted changes or commits its branch alone holds, unless \
         `discard_changes` is true (only when the user agreed to lose them)."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "action": {"type": "string", "enum": ["keep", "remove"]},
                "discard_changes": {
                    "type": "boolean",
                    "description": "With remove: delete even uncommitted changes and unmerged commits"
                }
            },
            "required": ["action"]
        })
    }

    fn title(&self) -> String {
        "worktree".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "action")
    }

    /// Keeping the worktree only moves the session back; removing it deletes files and a branch, which the
    /// user approves.
    fn access(&self, input: &Value) -> Access {
        let effect = if wants_removal(input) == Ok(false) { Effect::ReadOnly } else { Effect::Mutating };
        Access::Other { effect }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let remove = match wants_removal(&input) {
            Ok(remove) => remove,
            Err(error) => return error.into(),
        };
        let discard_changes = match input.get("discard_changes") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(discard)) => *discard,
            Some(_) => return ToolResult::error("`discard_changes` must be true or false.").into(),
        };
        ToolOutcome {
            update: Some(ToolUpdate::ExitWorktree { remove, discard_changes }),
            ..ToolResult::error(NO_SESSION).into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn enter_passes_the_trimmed_name_or_none() {
        let outcome = EnterWorktreeTool.run(json!({"name": " fix-1 "})).await;
        assert_eq!(outcome.update, Some(ToolUpdate::EnterWorktree { name: Some("fix-1".into()) }));
        let outcome = EnterWorktreeTool.run(json!({})).await;
        assert_eq!(outcome.update, Some(ToolUpdate::EnterWorktree { name: None }));
        let outcome = EnterWorktreeTool.run(json!({"name": 3})).await;
        assert!(outcome.result.is_error && outcome.update.is_none());
    }

    #[tokio::test]
    async fn exit_needs_an_action_and_a_boolean_discard() {
        let outcome = ExitWorktreeTool.run(json!({"action": "remove", "discard_changes": true})).await;
        assert_eq!(outcome.update, Some(ToolUpdate::ExitWorktree { remove: true, discard_changes: true }));
        let outcome = ExitWorktreeTool.run(json!({"action": "keep"})).await;
        assert_eq!(outcome.update, Some(ToolUpdate::ExitWorktree { remove: false, discard_changes: false }));
        for bad in
            [json!({}), json!({"action": "drop"}), json!({"action": "remove", "discard_changes": "yes"})]
        {
            let outcome = ExitWorktreeTool.run(bad).await;
            assert!(outcome.result.is_error && outcome.update.is_none());
        }
    }

    #[test]
    fn only_removal_asks() {
        let keep = ExitWorktreeTool.access(&json!({"action": "keep"}));
        assert_eq!(keep, Access::Other { effect: Effect::ReadOnly });
        for input in [json!({"action": "remove"}), json!({})] {
            assert_eq!(ExitWorktreeTool.access(&input), Access::Other { effect: Effect::Mutating });
        }
        assert_eq!(EnterWorktreeTool.access(&json!({})), Access::Other { effect: Effect::Mutating });
    }
}
