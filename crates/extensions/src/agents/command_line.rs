//! `--agents JSON`: definitions given on the command line for one session, in Claude Code's shape
//! `{"NAME": {"description": "…", "prompt": "…", "tools": ["Read"], "model": "sonnet"}}`.

use super::{AgentDefinition, AgentSource, claurst_tools, model_problem, name_problem};
use serde_json::{Map, Value};

/// The keys one agent may have. `color` is Claude Code's display colour, accepted and unused.
const KEYS: &[&str] = &["description", "prompt", "tools", "model", "color"];

const SHAPE: &str = r#"{"NAME": {"description": "when to use it", "prompt": "its system prompt"}}"#;

/// The definitions in `json`, or a message naming the agent and key at fault (and the shape expected).
/// Every mistake is an error, unknown keys included: a flag is retyped at once, unlike a file found later.
pub fn parse_command_line(json: &str) -> Result<Vec<AgentDefinition>, String> {
    let value: Value = serde_json::from_str(json)
        .map_err(|error| format!("--agents: this is not valid JSON ({error}); expected {SHAPE}"))?;
    let Value::Object(agents) = value else {
        return Err(format!("--agents: expected a JSON object of agents by name, such as {SHAPE}"));
    };
    agents.iter().map(|(name, fields)| read_agent(name, fields)).collect()
}

fn read_agent(name: &str, fields: &Value) -> Result<AgentDefinition, String> {
    let at = format!("--agents: agent `{name}`");
    if let Some(problem) = name_problem(name) {
        return Err(format!("{at}: {problem}"));
    }
    let Value::Object(fields) = fields else {
        return Err(format!("{at} must be an object with `description` and `prompt`, as in {SHAPE}"));
    };
    if let Some(unknown) = fields.keys().find(|key| !KEYS.contains(&key.as_str())) {
        return Err(format!("{at}: unknown key `{unknown}` (known: {})", KEYS.join(", ")));
    }
    let description = text(fields, "description", &at)?
        .ok_or_else(|| format!("{at}: `description` is missing; say when the model should use it"))?;
    let prompt = text(fields, "prompt", &at)?
        .ok_or_else(|| format!("{at}: `prompt` (its system prompt) is missing"))?;
    let model = text(fields, "model", &at)?;
    if let Some(problem) = model.as_deref().and_then(model_problem) {
        return Err(format!("{at}: `model`: {problem}"));
    }
    Ok(AgentDefinition {
        name: name.to_string(),
        description,
        tools: tools(fields, &at)?,
        model,
        system_prompt: prompt,
        read_only: false,
        source: AgentSource::CommandLine,
        path: None,
    })
}

/// The string at `key` (trimmed), `None` when absent or blank.
fn text(fields: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.trim().to_string()).filter(|text| !text.is_empty())),
        Some(other) => Err(format!("{at}: `{key}` must be a string, found {other}")),
    }
}

/// `tools` as a list of names (or one comma-separated string, as in a file); absent offers every tool.
fn tools(fields: &Map<String, Value>, at: &str) -> Result<Option<Vec<String>>, String> {
    let expected = || format!("{at}: `tools` must be a list of tool names such as [\"Read\", \"Grep\"]");
    match fields.get("tools") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(list)) => Ok(Some(claurst_tools(crate::frontmatter::split_list(list)))),
        Some(Value::Array(items)) => {
            let names = items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(expected)?;
            Ok(Some(claurst_tools(names)))
        }
        Some(_) => Err(expected()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn claude_codes_shape_gives_command_line_definitions() {
        let agents = parse_command_line(
            r#"{"reviewer": {"description": "Reviews code", "prompt": "You review.", "tools": ["Read", "Grep"],
                "model": "sonnet"},
                "writer": {"description": "Writes", "prompt": "You write.", "tools": "Read, Write"}}"#,
        )
        .unwrap();
        assert_eq!(agents.len(), 2);
        let reviewer = agents.iter().find(|agent| agent.name == "reviewer").unwrap();
        assert_eq!(reviewer.tools.as_deref().unwrap(), ["read_file", "grep"]);
        assert_eq!(reviewer.model.as_deref(), Some("sonnet"));
        assert_eq!(reviewer.system_prompt, "You review.");
        assert_eq!(reviewer.source, AgentSource::CommandLine);
        assert_eq!(reviewer.view().scope, "command line");
        let writer = agents.iter().find(|agent| agent.name == "writer").unwrap();
        assert_eq!(writer.tools.as_deref().unwrap(), ["read_file", "write_file"]);
        assert_eq!(writer.model, None);
        assert!(parse_command_line("{}").unwrap().is_empty());
    }

    #[test]
    fn every_mistake_names_the_agent_and_the_key() {
        let cases = [
            ("{bad json", "not valid JSON"),
            ("[1]", "expected a JSON object"),
            (r#"{"Big Name": {"description": "d", "prompt": "p"}}"#, "agent `Big Name`: the name"),
            (r#"{"x": "just text"}"#, "agent `x` must be an object"),
            (r#"{"x": {"prompt": "p"}}"#, "agent `x`: `description` is missing"),
            (r#"{"x": {"description": "d", "prompt": " "}}"#, "agent `x`: `prompt`"),
            (r#"{"x": {"description": "d", "prompt": "p", "tools": [1]}}"#, "agent `x`: `tools` must be"),
            (r#"{"x": {"description": 3, "prompt": "p"}}"#, "agent `x`: `description` must be a string"),
            (r#"{"x": {"description": "d", "prompt": "p", "model": "a b"}}"#, "agent `x`: `model`"),
            (
                r#"{"x": {"description": "d", "prompt": "p", "systemPrompt": "s"}}"#,
                "unknown key `systemPrompt`",
            ),
        ];
        for (json, expected) in cases {
            let error = parse_command_line(json).unwrap_err();
            assert!(error.starts_with("--agents") && error.contains(expected), "{json}: {error}");
        }
    }
}
