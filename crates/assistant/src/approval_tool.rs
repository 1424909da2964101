//! `--permission-prompt-tool NAME`: a tool (an MCP server's, usually) answers the calls that need approval,
//! in place of a user, as Claude Code's permission prompt tools do.

use crate::agent::Agent;
use claurst_protocol::{Decision, ToolCallView};
use claurst_tools::ToolSet;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

impl Agent {
    /// Ask `approver` about `call`: it gets `{tool_name, input, tool_use_id}`, and its text result is read as a
    /// permission answer (JSON). `None` when the run was interrupted meanwhile, or when the answer asked to
    /// stop the turn (the run is then cancelled). A missing tool, a failed call or an answer that is not JSON
    /// refuses the call, and the model is told why.
    pub(crate) async fn ask_approval_tool(
        &self,
        approver: &str,
        tools: &ToolSet,
        call: &ToolCallView,
        cancel: &CancellationToken,
    ) -> Option<Decision> {
        let Some(tool) = tools.get(approver).cloned() else {
            return Some(Decision::DenyWithFeedback(format!(
                "No approval was given: the permission prompt tool `{approver}` is not available (is its MCP \
                 server running?)."
            )));
        };
        let request = json!({"tool_name": call.name, "input": call.input, "tool_use_id": call.id});
        let outcome = tokio::select! {
            biased;
            _ = cancel.cancelled() => return None,
            outcome = tool.run(request) => outcome,
        };
        if outcome.result.is_error {
            return Some(Decision::DenyWithFeedback(format!(
                "No approval was given: the permission prompt tool `{approver}` failed: {}",
                outcome.result.output
            )));
        }
        let Ok(answer) = serde_json::from_str::<Value>(outcome.result.output.trim()) else {
            return Some(Decision::DenyWithFeedback(format!(
                "No approval was given: the permission prompt tool `{approver}` answered with something that is \
                 not JSON: {}",
                outcome.result.output
            )));
        };
        let (decision, stop) = Decision::from_permission_answer(&answer, &call.input);
        if stop {
            cancel.cancel();
            return None;
        }
        Some(decision)
    }
}
