//! `--permission-prompt-tool stdio`: each call that needs approval is put to the driving program as a
//! `can_use_tool` request; its answer is the decision, and it may rewrite the call's input.

use super::ControlPeer;
use claurst_protocol::{ApprovalDetail, ApprovalRequest, Decision, Op};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Ask the program about `request` and pass its decision on. A failed request refuses the call.
pub async fn ask(peer: Arc<ControlPeer>, request: ApprovalRequest, ops: mpsc::Sender<Op>) {
    let answer = peer.request(can_use_tool(&request)).await;
    let (decision, interrupt) = match answer {
        Ok(answer) => Decision::from_permission_answer(&answer, &request.call.input),
        Err(problem) => (Decision::DenyWithFeedback(format!("No approval was given: {problem}.")), false),
    };
    request.responder.respond(decision);
    if interrupt {
        let _ = ops.send(Op::Interrupt).await;
    }
}

/// The request: the tool as the model called it, its input, and, for a command the sandbox stopped, the
/// path it was stopped at (the question is then whether to run it again outside the sandbox).
fn can_use_tool(request: &ApprovalRequest) -> Value {
    let blocked_path = match &request.detail {
        ApprovalDetail::OutsideSandbox { path, .. } => Value::String(path.clone()),
        _ => Value::Null,
    };
    json!({
        "subtype": "can_use_tool",
        "tool_name": request.call.name,
        "input": request.call.input,
        "tool_use_id": request.call.id,
        "permission_suggestions": [],
        "blocked_path": blocked_path,
    })
}
