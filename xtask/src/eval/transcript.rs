//! What a run's `--output-format stream-json` lines say: the tool calls, grouped by the message that made
//! them, the final answer, and the result line's counts.

use serde_json::Value;

/// One tool call the model made.
#[derive(Debug, Clone)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub input: Value,
}

/// A run's transcript, from its stream-json output.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    /// The main conversation's tool calls, one entry per assistant message (sub-agents' left out).
    pub calls_by_message: Vec<Vec<ToolCall>>,
    /// The result line, when the run got that far.
    pub result: Option<Value>,
}

impl Transcript {
    /// Parses stdout line by line; lines that are not JSON objects are skipped.
    pub fn parse(stdout: &str) -> Transcript {
        let mut transcript = Transcript::default();
        for line in stdout.lines() {
            let Ok(value) = serde_json::from_str::<Value>(line) else { continue };
            match value["type"].as_str() {
                Some("assistant") if value["parent_tool_use_id"].is_null() => {
                    transcript.calls_by_message.push(tool_calls(&value["message"]["content"]));
                }
                Some("result") => transcript.result = Some(value),
                _ => {}
            }
        }
        transcript
    }

    pub fn calls(&self) -> impl Iterator<Item = &ToolCall> {
        self.calls_by_message.iter().flatten()
    }

    fn result_field(&self, field: &str) -> Option<&Value> {
        self.result.as_ref().map(|result| &result[field])
    }

    /// `subtype` of the result line, or "no result" when the run died before it.
    pub fn outcome(&self) -> String {
        self.result_field("subtype").and_then(Value::as_str).unwrap_or("no result").to_owned()
    }

    pub fn answer(&self) -> String {
        self.result_field("result").and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    pub fn turns(&self) -> u64 {
        self.result_field("num_turns").and_then(Value::as_u64).unwrap_or(0)
    }

    /// Input (cache reads and writes included) and output tokens.
    pub fn tokens(&self) -> (u64, u64) {
        let usage = self.result_field("usage").cloned().unwrap_or(Value::Null);
        let count = |field: &str| usage[field].as_u64().unwrap_or(0);
        let input =
            count("input_tokens") + count("cache_creation_input_tokens") + count("cache_read_input_tokens");
        (input, count("output_tokens"))
    }

    pub fn cost_usd(&self) -> f64 {
        let cost = self.result_field("total_cost_usd").and_then(Value::as_f64).unwrap_or(0.0);
        // A run that cost nothing can report -0.0, which would print as "$-0.0000".
        if cost == 0.0 { 0.0 } else { cost }
    }

    /// The ids of the calls the permission engine refused.
    pub fn denied_ids(&self) -> Vec<String> {
        let denials = self.result_field("permission_denials").and_then(Value::as_array);
        denials
            .into_iter()
            .flatten()
            .filter_map(|denial| denial["tool_use_id"].as_str().map(str::to_owned))
            .collect()
    }
}

fn tool_calls(content: &Value) -> Vec<ToolCall> {
    let blocks = content.as_array().map(Vec::as_slice).unwrap_or_default();
    blocks
        .iter()
        .filter(|block| block["type"] == "tool_use")
        .map(|block| ToolCall {
            id: block["id"].as_str().unwrap_or_default().to_owned(),
            name: block["name"].as_str().unwrap_or_default().to_owned(),
            input: block["input"].clone(),
        })
        .collect()
}
