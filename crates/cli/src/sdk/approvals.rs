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
        Ok(answer) => decision(&answer, &request.call.input),
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

/// `{"behavior": "allow", "updatedInput": …}` or `{"behavior": "deny", "message": …, "interrupt": bool}`,
/// and whether the program asked to stop the run.
fn decision(answer: &Value, input: &Value) -> (Decision, bool) {
    match answer.get("behavior").and_then(Value::as_str) {
        Some("allow") => match answer.get("updatedInput") {
            Some(updated) if updated.is_object() && updated != input => {
                (Decision::AllowWithInput(updated.clone()), false)
            }
            _ => (Decision::AllowOnce, false),
        },
        Some("deny") => {
            let message = answer.get("message").and_then(Value::as_str).unwrap_or_default();
            let interrupt = answer.get("interrupt").and_then(Value::as_bool).unwrap_or(false);
            let decision = if message.is_empty() {
                Decision::Deny
            } else {
                Decision::DenyWithFeedback(message.to_string())
            };
            (decision, interrupt)
        }
        _ => (
            Decision::DenyWithFeedback(format!(
                "The approver's answer was not understood (expected behavior allow or deny): {answer}"
            )),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_decisions() {
        let input = json!({"command": "ls"});
        assert_eq!(decision(&json!({"behavior": "allow"}), &input), (Decision::AllowOnce, false));
        assert_eq!(
            decision(&json!({"behavior": "allow", "updatedInput": {"command": "ls"}}), &input),
            (Decision::AllowOnce, false)
        );
        assert_eq!(
            decision(&json!({"behavior": "allow", "updatedInput": {"command": "ls -a"}}), &input),
            (Decision::AllowWithInput(json!({"command": "ls -a"})), false)
        );
        assert_eq!(
            decision(&json!({"behavior": "deny", "message": "not that", "interrupt": true}), &input),
            (Decision::DenyWithFeedback("not that".into()), true)
        );
        assert_eq!(decision(&json!({"behavior": "deny"}), &input), (Decision::Deny, false));
        assert!(
            matches!(decision(&json!({"x": 1}), &input).0, Decision::DenyWithFeedback(text) if text.contains("not understood"))
        );
    }
}
