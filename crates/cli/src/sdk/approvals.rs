//! `--permission-prompt-tool stdio`: each call that needs approval is put to the driving program as a
//! `can_use_tool` request; its answer is the decision, and it may rewrite the call's input.

use super::ControlPeer;
use claurst_protocol::{
    ApprovalDetail, ApprovalRequest, Decision, Op, PlanChoice, PlanRequest, QuestionReply, QuestionRequest,
    ToolCallView,
};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Ask the program about `request` and pass its decision on. A failed request refuses the call.
pub async fn ask(peer: Arc<ControlPeer>, request: ApprovalRequest, ops: mpsc::Sender<Op>) {
    let (decision, interrupt) = decide(&peer, &request.call, blocked_path(&request)).await;
    request.responder.respond(decision);
    if interrupt {
        let _ = ops.send(Op::Interrupt).await;
    }
}

/// Put the model's questions to the program as a `can_use_tool` request about the call: an allow whose
/// `updatedInput` carries `answers` (question text → answer) answers them.
pub async fn ask_questions(peer: Arc<ControlPeer>, request: QuestionRequest, ops: mpsc::Sender<Op>) {
    let (decision, interrupt) = decide(&peer, &request.call, Value::Null).await;
    request.responder.respond(QuestionReply::from_decision(decision, &request.questions));
    if interrupt {
        let _ = ops.send(Op::Interrupt).await;
    }
}

/// Put the plan to the program as a `can_use_tool` request about the `exit_plan_mode` call: allow approves
/// (the program sets the mode it wants with `set_permission_mode`), deny keeps planning with its message.
pub async fn review_plan(peer: Arc<ControlPeer>, request: PlanRequest, ops: mpsc::Sender<Op>) {
    let (decision, interrupt) = decide(&peer, &request.call, Value::Null).await;
    request.responder.respond(PlanChoice::from_decision(decision));
    if interrupt {
        let _ = ops.send(Op::Interrupt).await;
    }
}

/// The program's decision about `call`, and whether it asked to stop the turn. A failed request refuses.
async fn decide(peer: &ControlPeer, call: &ToolCallView, blocked_path: Value) -> (Decision, bool) {
    match peer.request(can_use_tool(call, blocked_path)).await {
        Ok(answer) => Decision::from_permission_answer(&answer, &call.input),
        Err(problem) => (Decision::DenyWithFeedback(format!("No approval was given: {problem}.")), false),
    }
}

/// For a command the sandbox stopped, the path it was stopped at.
fn blocked_path(request: &ApprovalRequest) -> Value {
    match &request.detail {
        ApprovalDetail::OutsideSandbox { path, .. } => Value::String(path.clone()),
        _ => Value::Null,
    }
}

/// The request: the tool as the model called it, its input, and, for a command the sandbox stopped, the
/// path it was stopped at (the question is then whether to run it again outside the sandbox).
fn can_use_tool(call: &ToolCallView, blocked_path: Value) -> Value {
    json!({
        "subtype": "can_use_tool",
        "tool_name": call.name,
        "input": call.input,
        "tool_use_id": call.id,
        "permission_suggestions": [],
        "blocked_path": blocked_path,
    })
}
