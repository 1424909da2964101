//! JSON shapes of headless output, matching what CI tooling built for Claude Code reads.

use claurst_protocol::{AgentEvent, RunOutcome, RunSummary};
use serde_json::{Value, json};

/// The final `result` object (`--output-format json`, and the last line of `stream-json`).
pub fn result_object(summary: &RunSummary) -> Value {
    let (subtype, is_error) = match &summary.outcome {
        RunOutcome::Success => ("success", false),
        RunOutcome::MaxTurns => ("error_max_turns", true),
        RunOutcome::Interrupted | RunOutcome::Error(_) => ("error_during_execution", true),
    };
    let mut result = json!({
        "type": "result",
        "subtype": subtype,
        "is_error": is_error,
        "duration_ms": summary.duration_ms,
        "duration_api_ms": summary.duration_api_ms,
        "num_turns": summary.num_turns,
        "result": summary.final_text,
        "session_id": summary.session_id,
        "total_cost_usd": summary.total_cost_usd,
        "usage": summary.usage,
        "permission_denials": summary.permission_denials,
        "modelUsage": model_usage(summary),
    });
    match &summary.outcome {
        RunOutcome::Error(message) => result["error"] = json!(message),
        RunOutcome::Interrupted => result["error"] = json!("interrupted"),
        _ => {}
    }
    result
}

/// Tokens and cost per model, keyed by model id.
fn model_usage(summary: &RunSummary) -> Value {
    let entries = summary.model_usage.iter().map(|entry| {
        let usage = &entry.usage;
        let value = json!({
            "inputTokens": usage.input_tokens,
            "outputTokens": usage.output_tokens,
            "cacheReadInputTokens": usage.cache_read_input_tokens,
            "cacheCreationInputTokens": usage.cache_creation_input_tokens,
            "costUSD": entry.cost_usd,
        });
        (entry.model.clone(), value)
    });
    Value::Object(entries.collect())
}

/// The `stream-json` line for an event, if it has one.
pub fn stream_line(event: &AgentEvent, session_id: &str) -> Option<Value> {
    match event {
        AgentEvent::SessionStarted(info) => Some(json!({
            "type": "system",
            "subtype": "init",
            "session_id": info.session_id,
            "cwd": info.cwd,
            "model": info.model,
            "tools": info.tools,
            "mcp_servers": info
                .mcp_servers
                .iter()
                .map(|server| json!({"name": server.name, "status": server.status.label()}))
                .collect::<Vec<_>>(),
            "permissionMode": info.permission_mode,
            "agents": info.agents.iter().map(|agent| agent.name.as_str()).collect::<Vec<_>>(),
        })),
        AgentEvent::RunFinished(summary) => Some(result_object(summary)),
        event => message_line(event, session_id, None),
    }
}

/// The `assistant` or `user` line of a conversation's message. A sub-agent's messages carry the id of the
/// `agent` call that started it as `parent_tool_use_id` (`null` for the main conversation's), and nothing
/// else of a sub-agent is printed: its run's end is not a result of the session.
fn message_line(event: &AgentEvent, session_id: &str, parent: Option<&str>) -> Option<Value> {
    let (kind, message) = match event {
        AgentEvent::AssistantMessage { message } => ("assistant", message),
        AgentEvent::ToolResults { message } => ("user", message),
        AgentEvent::Subagent { parent_id, event } => return message_line(event, session_id, Some(parent_id)),
        _ => return None,
    };
    Some(json!({"type": kind, "message": message, "parent_tool_use_id": parent, "session_id": session_id}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::{DenialRecord, ModelUsage, Usage};

    #[test]
    fn result_object_has_the_fields_ci_tools_read() {
        let summary = RunSummary {
            outcome: RunOutcome::MaxTurns,
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
        };
        let value = result_object(&summary);
        assert_eq!(value["type"], "result");
        assert_eq!(value["subtype"], "error_max_turns");
        assert_eq!(value["is_error"], true);
        assert_eq!(value["num_turns"], 2);
        assert_eq!(value["usage"]["output_tokens"], 4);
        assert_eq!(value["permission_denials"][0]["tool_name"], "bash");
        assert_eq!(value["permission_denials"][0]["tool_input"]["command"], "rm -rf /");
        assert_eq!(value["modelUsage"]["claude-sonnet-4-5"]["outputTokens"], 4);
        assert_eq!(value["modelUsage"]["claude-sonnet-4-5"]["costUSD"], 0.5);
    }
}
