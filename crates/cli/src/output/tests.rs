use super::result::result_object;
use super::*;
use claurst_protocol::{
    ContentBlock, DenialRecord, Message, ModelUsage, ReplyInfo, Role, RunOutcome, RunSummary, StopReason,
    ToolCallView, Usage,
};
use serde_json::json;

fn summary(outcome: RunOutcome) -> RunSummary {
    RunSummary {
        outcome,
        final_text: "partial".into(),
        num_turns: 2,
        duration_ms: 10,
        duration_api_ms: 7,
        total_cost_usd: 0.5,
        usage: Usage { input_tokens: 3, output_tokens: 4, ..Usage::default() },
        session_id: "s1".into(),
        permission_denials: vec![DenialRecord {
            tool_name: "bash".into(),
            tool_use_id: "t1".into(),
            tool_input: json!({"command": "rm -rf /"}),
        }],
        model_usage: vec![ModelUsage {
            model: "claude-sonnet-4-5".into(),
            usage: Usage { input_tokens: 3, output_tokens: 4, ..Usage::default() },
            cost_usd: 0.5,
        }],
    }
}

#[test]
fn result_object_has_the_fields_ci_tools_read() {
    let value = result_object(&summary(RunOutcome::MaxTurns));
    assert_eq!(value["type"], "result");
    assert_eq!(value["subtype"], "error_max_turns");
    assert_eq!(value["is_error"], true);
    assert_eq!(value["num_turns"], 2);
    assert_eq!(value["usage"]["output_tokens"], 4);
    assert_eq!(value["permission_denials"][0]["tool_name"], "bash");
    assert_eq!(value["permission_denials"][0]["tool_input"]["command"], "rm -rf /");
    assert_eq!(value["modelUsage"]["claude-sonnet-4-5"]["outputTokens"], 4);
    assert_eq!(value["modelUsage"]["claude-sonnet-4-5"]["costUSD"], 0.5);
    assert_eq!(value["errors"][0], "Reached the maximum number of turns (2)");
}

#[test]
fn every_failure_is_an_error_result_with_errors() {
    for (outcome, subtype) in [
        (RunOutcome::Error("boom".into()), "error_during_execution"),
        (RunOutcome::Interrupted, "error_during_execution"),
        (RunOutcome::MaxBudget, "error_max_budget_usd"),
    ] {
        let value = result_object(&summary(outcome));
        assert_eq!(value["subtype"], subtype);
        assert_eq!(value["is_error"], true);
        assert_eq!(value["errors"].as_array().map(Vec::len), Some(1), "{value}");
    }
    let success = result_object(&summary(RunOutcome::Success));
    assert!(success.get("errors").is_none() && success["is_error"] == false);
}

#[test]
fn a_cost_of_negative_zero_prints_as_zero() {
    let mut run = summary(RunOutcome::Success);
    run.total_cost_usd = -0.0;
    let text = result_object(&run).to_string();
    assert!(text.contains("\"total_cost_usd\":0.0"), "{text}");
}

fn stamp(line: &Value) {
    assert_eq!(line["session_id"], "s1", "{line}");
    let uuid = line["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 36, "{line}");
}

#[test]
fn assistant_and_user_lines_carry_the_reply_and_tool_details() {
    let mut state = StreamState::new(StreamOptions::default());
    state.session_id = "s1".into();
    state.model = "claude-sonnet-4-5".into();
    let call = ToolCallView {
        family: claurst_protocol::ToolFamily::Shell,
        ..ToolCallView::new("t1", "bash", json!({"command": "echo hi"}))
    };
    assert!(stream_line(&AgentEvent::ToolCallRequested(call), &mut state).is_empty());
    let reply = ReplyInfo {
        id: "msg_1".into(),
        model: String::new(),
        stop_reason: Some(StopReason::ToolUse),
        stop_sequence: None,
        usage: Usage { input_tokens: 5, ..Usage::default() },
    };
    let message = Message {
        role: Role::Assistant,
        content: vec![ContentBlock::ToolUse { id: "t1".into(), name: "bash".into(), input: json!({}) }],
    };
    let lines = stream_line(&AgentEvent::AssistantMessage { message, reply }, &mut state);
    let assistant = &lines[0];
    stamp(assistant);
    assert_eq!(assistant["message"]["id"], "msg_1");
    assert_eq!(
        assistant["message"]["model"], "claude-sonnet-4-5",
        "the session's model when the reply names none"
    );
    assert_eq!(assistant["message"]["stop_reason"], "tool_use");
    assert_eq!(assistant["message"]["usage"]["input_tokens"], 5);
    assert_eq!(assistant["parent_tool_use_id"], Value::Null);

    let results = Message {
        role: Role::User,
        content: vec![
            ContentBlock::tool_result("t1", "hi", false),
            ContentBlock::tool_result("t2", "no such file", true),
        ],
    };
    let event = AgentEvent::Subagent {
        parent_id: "agent-call".into(),
        event: Box::new(AgentEvent::ToolResults { message: results }),
    };
    let lines = stream_line(&event, &mut state);
    assert_eq!(lines.len(), 2, "one user line per result");
    stamp(&lines[0]);
    assert_eq!(lines[0]["parent_tool_use_id"], "agent-call");
    assert_eq!(lines[0]["message"]["content"][0]["content"], "hi");
    assert_eq!(
        lines[0]["tool_use_result"],
        json!({"stdout": "hi", "stderr": "", "interrupted": false, "isImage": false, "noOutputExpected": false})
    );
    assert_eq!(lines[1]["tool_use_result"], "Error: no such file");
    assert_eq!(lines[1]["message"]["content"][0]["is_error"], true);
}

#[test]
fn retries_print_api_retry_lines_and_the_failed_result_names_the_status() {
    let mut state = StreamState::new(StreamOptions::default());
    state.session_id = "s1".into();
    let retry = AgentEvent::Retrying {
        attempt: 2,
        max_attempts: 5,
        delay_ms: 500,
        reason: "overloaded".into(),
        error_status: Some(529),
    };
    let line = &stream_line(&retry, &mut state)[0];
    stamp(line);
    assert_eq!((line["type"].as_str(), line["subtype"].as_str()), (Some("system"), Some("api_retry")));
    assert_eq!((line["attempt"].as_u64(), line["max_retries"].as_u64()), (Some(1), Some(4)));
    assert_eq!((line["retry_delay_ms"].as_u64(), line["error_status"].as_u64()), (Some(500), Some(529)));
    assert_eq!(line["error"], "overloaded");
    let finished = AgentEvent::RunFinished(summary(RunOutcome::Error("overloaded".into())));
    let result = &stream_line(&finished, &mut state)[0];
    assert_eq!(result["api_error_status"], 529);
    stamp(result);
}

#[test]
fn stream_events_print_only_when_asked() {
    let event = AgentEvent::ModelStreamEvent(claurst_protocol::StreamEvent::MessageStop);
    let mut quiet = StreamState::new(StreamOptions::default());
    assert!(stream_line(&event, &mut quiet).is_empty());
    let mut partial =
        StreamState::new(StreamOptions { include_partial_messages: true, ..Default::default() });
    let line = &stream_line(&event, &mut partial)[0];
    assert_eq!(line["type"], "stream_event");
    assert_eq!(line["event"], json!({"type": "message_stop"}));
    assert_eq!(line["parent_tool_use_id"], Value::Null);
}

#[test]
fn kairos_events_print_as_kairos_lines_with_their_fields() {
    let event = AgentEvent::Kairos(claurst_protocol::KairosEvent::TickStarted {
        number: 2,
        changes: vec!["1 file changed: a.rs".into()],
    });
    let mut state = StreamState::new(StreamOptions::default());
    let line = &stream_line(&event, &mut state)[0];
    assert_eq!(line["type"], "kairos");
    assert_eq!(line["kind"], "tick_started");
    assert_eq!(line["number"], 2);
    assert_eq!(line["changes"], json!(["1 file changed: a.rs"]));
    let mut results_only = StreamState::new(StreamOptions { result_only: true, ..Default::default() });
    assert!(stream_line(&event, &mut results_only).is_empty(), "`json` prints the result only");
}
