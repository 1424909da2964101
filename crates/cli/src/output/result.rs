//! The `result` object: the one object of `--output-format json`, the last line of each turn in stream-json.

use super::StreamState;
use claurst_protocol::{RunOutcome, RunSummary};
use serde_json::{Value, json};

/// The result of a run, as a JSON object, without a printer's state (`session_id` and `uuid` are added by
/// the printer; `stop_reason` and `api_error_status` are then null).
pub fn result_object(summary: &RunSummary) -> Value {
    let (subtype, terminal_reason) = match &summary.outcome {
        RunOutcome::Success => ("success", "completed"),
        RunOutcome::MaxTurns => ("error_max_turns", "max_turns"),
        RunOutcome::MaxBudget => ("error_max_budget_usd", "max_budget_usd"),
        RunOutcome::Interrupted => ("error_during_execution", "interrupted"),
        RunOutcome::Error(_) => ("error_during_execution", "error"),
    };
    let mut result = json!({
        "type": "result",
        "subtype": subtype,
        "is_error": !summary.outcome.is_success(),
        "api_error_status": null,
        "duration_ms": summary.duration_ms,
        "duration_api_ms": summary.duration_api_ms,
        "num_turns": summary.num_turns,
        "result": summary.final_text,
        "stop_reason": null,
        "session_id": summary.session_id,
        "total_cost_usd": without_negative_zero(summary.total_cost_usd),
        "usage": summary.usage,
        "modelUsage": model_usage(summary),
        "permission_denials": summary.permission_denials,
        "terminal_reason": terminal_reason,
    });
    // Claude Code always reports the server-side searches, none included.
    result["usage"]["server_tool_use"] = json!(summary.usage.server_tool_use);
    if let Some(message) = error_message(summary) {
        // `error` is Claurst's older single field; `errors` is the list Claude Code prints.
        result["error"] = json!(message);
        result["errors"] = json!([message]);
    }
    result
}

/// The result line of a run, with what the printer learnt during it.
pub(super) fn result_line(summary: &RunSummary, state: &StreamState) -> Value {
    let mut result = result_object(summary);
    if let Some(reason) = &state.last_stop_reason {
        result["stop_reason"] = reason.clone();
    }
    if !summary.outcome.is_success() {
        result["api_error_status"] = json!(state.last_error_status);
    }
    result
}

/// What went wrong, for a run that did not succeed.
fn error_message(summary: &RunSummary) -> Option<String> {
    match &summary.outcome {
        RunOutcome::Success => None,
        RunOutcome::Error(message) => Some(message.clone()),
        RunOutcome::Interrupted => Some("interrupted".into()),
        RunOutcome::MaxTurns => Some(format!("Reached the maximum number of turns ({})", summary.num_turns)),
        RunOutcome::MaxBudget => Some(format!(
            "Reached the maximum budget (--max-budget-usd): the session cost ${:.4}",
            summary.total_cost_usd
        )),
    }
}

/// A sum of nothing can come out as -0.0, which JSON prints as `-0.0`: scripts compare it with 0.
fn without_negative_zero(value: f64) -> f64 {
    if value == 0.0 { 0.0 } else { value }
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
            "webSearchRequests": usage.server_tool_use.web_search_requests,
            "costUSD": without_negative_zero(entry.cost_usd),
        });
        (entry.model.clone(), value)
    });
    Value::Object(entries.collect())
}
