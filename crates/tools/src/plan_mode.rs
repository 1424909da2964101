//! `exit_plan_mode` and `enter_plan_mode`: the model hands its plan to the user, or proposes to plan first.
//!
//! Both only check their input; the agent loop knows the permission mode and asks the user (see
//! `ToolUpdate::ExitPlanMode` and `ToolUpdate::EnterPlanMode`).

use crate::tool::{Tool, ToolOutcome, ToolResult, ToolUpdate};
use async_trait::async_trait;
use serde_json::{Value, json};

/// The tools' names.
pub const EXIT_PLAN_MODE: &str = "exit_plan_mode";
pub const ENTER_PLAN_MODE: &str = "enter_plan_mode";

/// What a call says when no agent loop runs it.
const NO_SESSION: &str = "Plan mode can only change inside a Claurst agent session; none was started.";

#[derive(Default)]
pub struct ExitPlanModeTool;

impl ExitPlanModeTool {
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl Tool for ExitPlanModeTool {
    fn name(&self) -> &str {
        EXIT_PLAN_MODE
    }

    fn description(&self) -> &str {
        "In plan mode, when your plan is ready, present it to the user with this tool. They approve it (and \
         you leave plan mode to carry it out) or ask you to keep planning, with feedback. Use it only when the \
         task needs code changes; not for research or questions. The plan is Markdown: concise, with the \
         steps and the files they touch. Outside plan mode the call fails."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "plan": {"type": "string", "description": "The plan to show the user, in Markdown"}
            },
            "required": ["plan"]
        })
    }

    fn title(&self) -> String {
        "plan".to_string()
    }

    /// Presenting a plan changes nothing, so plan mode allows it; leaving plan mode is the user's choice.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let plan = input.get("plan").and_then(Value::as_str).map(str::trim).unwrap_or_default();
        if plan.is_empty() {
            return ToolResult::error("exit_plan_mode needs `plan`: the plan to show the user, in Markdown.")
                .into();
        }
        ToolOutcome {
            update: Some(ToolUpdate::ExitPlanMode { plan: plan.to_string() }),
            ..ToolResult::error(NO_SESSION).into()
        }
    }
}

#[derive(Default)]
pub struct EnterPlanModeTool;

impl EnterPlanModeTool {
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl Tool for EnterPlanModeTool {
    fn name(&self) -> &str {
        ENTER_PLAN_MODE
    }

    fn description(&self) -> &str {
        "Propose to switch to plan mode before a large or risky task (many files, an unclear approach): in \
         plan mode you explore read-only and present a plan with exit_plan_mode before changing anything. The \
         user confirms or declines; if they decline, go ahead without it."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "reason": {"type": "string", "description": "Why planning first helps, in one sentence"}
            }
        })
    }

    fn title(&self) -> String {
        "plan mode".to_string()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "reason")
    }

    /// Proposing changes nothing; the switch happens only when the user confirms.
    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let reason = match input.get("reason") {
            None | Some(Value::Null) => "",
            Some(Value::String(reason)) => reason.trim(),
            Some(_) => return ToolResult::error("`reason` must be a string.").into(),
        };
        ToolOutcome {
            update: Some(ToolUpdate::EnterPlanMode { reason: reason.to_string() }),
            ..ToolResult::error(NO_SESSION).into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_plan_must_not_be_empty() {
        let outcome = ExitPlanModeTool::new().run(json!({"plan": "  "})).await;
        assert!(outcome.result.is_error && outcome.result.output.contains("needs `plan`"));
        assert!(outcome.update.is_none());
        let outcome = ExitPlanModeTool::new().run(json!({"plan": "1. Do it"})).await;
        assert_eq!(outcome.update, Some(ToolUpdate::ExitPlanMode { plan: "1. Do it".into() }));
    }

    #[tokio::test]
    async fn a_reason_is_optional_but_must_be_text() {
        let outcome = EnterPlanModeTool::new().run(json!({})).await;
        assert_eq!(outcome.update, Some(ToolUpdate::EnterPlanMode { reason: String::new() }));
        let outcome = EnterPlanModeTool::new().run(json!({"reason": 3})).await;
        assert!(outcome.result.is_error && outcome.update.is_none());
    }
}
