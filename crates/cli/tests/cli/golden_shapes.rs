//! The shapes of `--output-format stream-json` lines (field names and JSON types), compared with recorded
//! expectations: Claurst's own (`golden/stream_json_shapes.json`, so that any change of shape is seen and
//! re-recorded on purpose with `CLAURST_BLESS=1`) and Claude Code's for the same scenario
//! (`golden/claude_code_shapes.json`), whose every field Claurst must print with the same type, except the
//! few listed in `DELIBERATELY_OMITTED`.
//!
//! A line reduces to the set of its paths (`message.content[].type`) and the JSON types seen at each; lines of
//! one kind (`system/init`, `assistant`, `user`, `result`) merge. `claude_code_shapes.json` was reduced so
//! from Claude Code 2.1.197's recording of this scenario (a bash command, a file read, an answer); to
//! reduce a new recording, run with `CLAURST_BLESS=1 CLAUDE_CODE_RECORDING=/path/to/stdout`.

use crate::{claurst, run, stdout};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Line kind → path → the JSON types seen there.
type Shapes = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Claude Code's fields that Claurst does not print, and why.
const DELIBERATELY_OMITTED: &[(&str, &str, &str)] = &[
    ("system/init", "analytics_disabled", "Claurst has no analytics to disable"),
    ("system/init", "product_feedback_disabled", "Claurst asks for no product feedback"),
    ("system/init", "memory_paths.auto", "Claurst's memory directory is not Claude Code's auto memory"),
    ("system/init", "memory_paths", "idem"),
    ("system/init", "fast_mode_state", "Claurst has no fast mode"),
    ("assistant", "message.context_management", "Claurst does not use the API's context management"),
    ("assistant", "request_id", "the API's request id is not kept"),
    ("user", "tool_use_result.type", "a file read's result is its text, not Claude Code's file record"),
    ("user", "tool_use_result.file.filePath", "idem"),
    ("user", "tool_use_result.file.content", "idem"),
    ("user", "tool_use_result.file.numLines", "idem"),
    ("user", "tool_use_result.file.startLine", "idem"),
    ("user", "tool_use_result.file.totalLines", "idem"),
    ("user", "tool_use_result.file", "idem"),
    ("result", "ttft_ms", "time to first token is not measured"),
    ("result", "ttft_stream_ms", "idem"),
    ("result", "time_to_request_ms", "idem"),
    ("result", "fast_mode_state", "Claurst has no fast mode"),
    ("result", "usage.service_tier", "Claurst's usage keeps the token counts and server tool calls"),
    ("result", "usage.cache_creation.ephemeral_1h_input_tokens", "idem"),
    ("result", "usage.cache_creation.ephemeral_5m_input_tokens", "idem"),
    ("result", "usage.cache_creation", "idem"),
    ("result", "usage.inference_geo", "idem"),
    ("result", "usage.iterations", "idem"),
    ("result", "usage.speed", "idem"),
    ("result", "modelUsage.<model>.contextWindow", "per-model usage keeps tokens, searches and cost"),
    ("result", "modelUsage.<model>.maxOutputTokens", "idem"),
];

/// Tool inputs are each tool's own: Claurst's tools have their own names and parameters.
fn is_tool_input(path: &str) -> bool {
    path.starts_with("message.content[].input.")
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cli/golden").join(name)
}

fn blessing() -> bool {
    std::env::var_os("CLAURST_BLESS").is_some()
}

#[test]
fn stream_json_lines_have_claude_codes_shapes() {
    let project = TempProject::new();
    project.write("notes.txt", "some notes: alpha beta\n");
    // A skill, so that the lists of commands and skills have an element to describe.
    project.write(
        ".claude/skills/changelog/SKILL.md",
        "---\nname: changelog\ndescription: Write changelog entries\n---\nRead CHANGES.md first.",
    );
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new()
            .text("I will check the environment first.")
            .tool_use("toolu_1", "bash", json!({"command": "echo claurst-probe-$((6*7))"}))
            .usage(100, 20),
    ));
    api.push(Reply::stream(
        Turn::new().tool_use("toolu_2", "read_file", json!({"path": "notes.txt"})).usage(100, 20),
    ));
    api.push(Reply::stream(Turn::text_only("All done: the probe printed its number.").usage(100, 20)));
    let output = run(claurst(&project, &api).args([
        "-p",
        "check the environment",
        "--output-format",
        "stream-json",
        "--verbose",
    ]));
    assert!(output.status.success(), "{}", describe(&output));
    let lines: Vec<Value> = stdout(&output).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let claurst = shapes_of(&lines);

    let recorded = golden("stream_json_shapes.json");
    if blessing() {
        std::fs::write(&recorded, serde_json::to_string_pretty(&claurst).unwrap() + "\n").unwrap();
    }
    let expected: Shapes = serde_json::from_str(&std::fs::read_to_string(&recorded).unwrap()).unwrap();
    assert_eq!(
        claurst,
        expected,
        "the shapes of stream-json lines changed; if on purpose, re-record with CLAURST_BLESS=1\n{}",
        stdout(&output)
    );

    let claude_code = claude_code_shapes();
    let mut missing = Vec::new();
    for (kind, paths) in &claude_code {
        let ours = claurst.get(kind);
        for (path, types) in paths {
            if is_tool_input(path) || DELIBERATELY_OMITTED.iter().any(|(k, p, _)| k == kind && p == path) {
                continue;
            }
            let Some(our_types) = ours.and_then(|ours| ours.get(path)) else {
                missing.push(format!("{kind}: {path} is missing"));
                continue;
            };
            // Claude Code prints null where a value is not known yet (a reply's stop reason); any type fits.
            for kind_of_value in types.iter().filter(|t| *t != "null") {
                if !our_types.contains(kind_of_value) {
                    missing.push(format!("{kind}: {path} is {our_types:?}, Claude Code's is {types:?}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "Claurst's lines lack Claude Code's fields:\n{}", missing.join("\n"));
}

/// Claude Code's shapes, from the file in the repository (re-reduced from a recording when blessing with
/// `CLAUDE_CODE_RECORDING`).
fn claude_code_shapes() -> Shapes {
    let recorded = golden("claude_code_shapes.json");
    if blessing()
        && let Some(recording) = std::env::var_os("CLAUDE_CODE_RECORDING")
    {
        let text = std::fs::read_to_string(recording).unwrap();
        let lines: Vec<Value> = text.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        std::fs::write(&recorded, serde_json::to_string_pretty(&shapes_of(&lines)).unwrap() + "\n").unwrap();
    }
    serde_json::from_str(&std::fs::read_to_string(recorded).unwrap()).unwrap()
}

/// The shapes of lines, merged by kind.
fn shapes_of(lines: &[Value]) -> Shapes {
    let mut shapes = Shapes::new();
    for line in lines {
        let kind = match (line["type"].as_str(), line["subtype"].as_str()) {
            (Some("system"), Some(subtype)) => format!("system/{subtype}"),
            (Some(kind), _) => kind.to_string(),
            _ => panic!("a line without a type: {line}"),
        };
        if let Value::Object(fields) = line {
            reduce_object(fields, "", shapes.entry(kind).or_default());
        }
    }
    shapes
}

fn reduce_object(fields: &Map<String, Value>, prefix: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
    for (key, value) in fields {
        // Per-model usage is keyed by the model's id: one path for every model.
        let key = if prefix == "modelUsage." { "<model>" } else { key.as_str() };
        reduce(value, &format!("{prefix}{key}"), out);
    }
}

fn reduce(value: &Value, path: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(items) => {
            items.iter().for_each(|item| reduce(item, &format!("{path}[]"), out));
            "array"
        }
        Value::Object(fields) => {
            reduce_object(fields, &format!("{path}."), out);
            "object"
        }
    };
    out.entry(path.to_string()).or_default().insert(kind.to_string());
}
