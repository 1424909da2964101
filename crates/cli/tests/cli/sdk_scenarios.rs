//! The scenarios both official Agent SDKs run against the real binary (`sdk/scenarios.py`,
//! `sdk/scenarios.mjs`): the mock's script and the checks, written once; `sdk_python` and `sdk_node` run each
//! with their SDK. A script prints one JSON summary of what its SDK parsed and what its callbacks saw; the
//! checks read that summary, the requests the mock received, and the files commands left.

use crate::{BIN, tool_result_text};
use claurst_test_support::agent_sdks::{self, ScriptRun};
use claurst_test_support::{MockApi, Reply, SseEvent, TempProject, Turn, isolated_command, sse_bytes};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one scenario may take before it is killed: generous, for a CI machine that is also compiling.
const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy)]
pub enum Sdk {
    Python,
    TypeScript,
}

impl Sdk {
    /// The command that runs `scenario` with this SDK against the binary under test.
    fn command(self, project: &TempProject, api: &MockApi, scenario: &str) -> std::process::Command {
        let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/sdk");
        match self {
            Sdk::Python => {
                let sdk = agent_sdks::install_python().unwrap_or_else(|error| panic!("{error}"));
                let mut command = isolated_command(&sdk.python(), project, Some(api));
                command.arg(scripts.join("scenarios.py")).arg(BIN).arg(scenario);
                command
            }
            Sdk::TypeScript => {
                let sdk = agent_sdks::install_typescript().unwrap_or_else(|error| panic!("{error}"));
                let mut command = isolated_command(Path::new("node"), project, Some(api));
                command.arg(scripts.join("scenarios.mjs")).arg(BIN).arg(scenario).arg(sdk.node_modules());
                command
            }
        }
    }

    /// Where this SDK is installed.
    pub fn install_dir(self) -> PathBuf {
        let [python, typescript] = agent_sdks::install_dirs();
        match self {
            Sdk::Python => python,
            Sdk::TypeScript => typescript,
        }
    }
}

/// One scenario's world: the project the binary runs in, the mock model, and (after [`Scenario::run`]) the
/// summary the script printed.
struct Scenario {
    project: TempProject,
    api: MockApi,
    summary: Value,
    script: Option<ScriptRun>,
}

impl Scenario {
    fn new() -> Self {
        Self { project: TempProject::new(), api: MockApi::start(), summary: Value::Null, script: None }
    }

    fn run(mut self, sdk: Sdk, scenario: &str) -> Self {
        let run =
            agent_sdks::run_script(&mut sdk.command(&self.project, &self.api, scenario), SCENARIO_LIMIT);
        let stdout = String::from_utf8_lossy(&run.output.stdout);
        self.summary = stdout
            .lines()
            .next_back()
            .and_then(|line| serde_json::from_str(line).ok())
            .unwrap_or(Value::Null);
        self.script = Some(run);
        assert!(self.summary.is_object(), "the script printed no summary\n{}", self.describe());
        assert!(self.summary["error"].is_null(), "the SDK reported an error\n{}", self.describe());
        self
    }

    /// Everything a failed check should show: the summary, the script's output, the requests.
    fn describe(&self) -> String {
        let mut text =
            format!("summary: {}\n", serde_json::to_string_pretty(&self.summary).unwrap_or_default());
        if let Some(run) = &self.script {
            text.push_str(&format!(
                "timed out: {}\nstatus: {:?}\n--- script stdout ---\n{}\n--- script stderr ---\n{}\n",
                run.timed_out,
                run.output.status.code(),
                String::from_utf8_lossy(&run.output.stdout),
                String::from_utf8_lossy(&run.output.stderr)
            ));
        }
        for (index, request) in self.api.requests().iter().enumerate() {
            text.push_str(&format!("--- request {index} ---\n{}\n", request.body["messages"]));
        }
        text
    }

    fn results(&self) -> &Vec<Value> {
        self.summary["results"].as_array().expect("the summary lists results")
    }

    fn result_texts(&self) -> Vec<&str> {
        self.results().iter().map(|result| result["result"].as_str().unwrap_or_default()).collect()
    }

    /// The text of the tool results the model received in request `index`.
    fn tool_results_sent(&self, index: usize) -> String {
        let requests = self.api.requests();
        requests.get(index).map(|request| tool_result_text(&request.body)).unwrap_or_default()
    }

    fn exists(&self, file: &str) -> bool {
        self.project.project().join(file).exists()
    }
}

fn bash(id: &str, command: &str) -> Reply {
    Reply::stream(Turn::new().tool_use(id, "bash", json!({ "command": command })))
}

fn text(answer: &str) -> Reply {
    Reply::stream(Turn::text_only(answer))
}

/// `query()` with a one-shot prompt: the model runs a command and then answers; the SDK parses every line.
pub fn tool_session(sdk: Sdk) {
    let scenario = Scenario::new();
    scenario.api.push(bash("t1", "echo sdk-greeting"));
    scenario.api.push(text("The greeting was printed."));
    let scenario = scenario.run(sdk, "tool_session");
    let why = scenario.describe();
    assert_eq!(scenario.result_texts(), ["The greeting was printed."], "{why}");
    let result = &scenario.results()[0];
    assert_eq!(result["subtype"], "success", "{why}");
    assert_eq!(scenario.summary["tool_uses"][0]["name"], "bash", "{why}");
    assert!(
        scenario.summary["tool_results"][0].as_str().unwrap_or_default().contains("sdk-greeting"),
        "{why}"
    );
    assert!(scenario.tool_results_sent(1).contains("sdk-greeting"), "{why}");
    let init = &scenario.summary["init"];
    assert_eq!(init["session_id"], result["session_id"], "{why}");
    assert!(init["model"].is_string(), "{why}");
}

/// Two turns in one session: the second request carries the first question and answer.
pub fn two_turns(sdk: Sdk) {
    let scenario = Scenario::new();
    scenario.api.push(text("first answer"));
    scenario.api.push(text("second answer"));
    let scenario = scenario.run(sdk, "two_turns");
    let why = scenario.describe();
    assert_eq!(scenario.result_texts(), ["first answer", "second answer"], "{why}");
    let results = scenario.results();
    assert_eq!(results[0]["session_id"], results[1]["session_id"], "{why}");
    let requests = scenario.api.requests();
    assert_eq!(requests.len(), 2, "{why}");
    let history = requests[1].body["messages"].to_string();
    assert!(history.contains("first question") && history.contains("first answer"), "{why}");
    assert!(history.contains("second question"), "{why}");
}

/// The program's `can_use_tool` callback allows one command and denies another, which never runs.
pub fn can_use_tool(sdk: Sdk) {
    let scenario = Scenario::new();
    scenario.api.push(bash("t1", "touch allowed.txt"));
    scenario.api.push(bash("t2", "touch denied.txt"));
    scenario.api.push(text("finished"));
    let scenario = scenario.run(sdk, "can_use_tool");
    let why = scenario.describe();
    assert_eq!(scenario.result_texts(), ["finished"], "{why}");
    let asked: Vec<&str> = scenario.summary["permission_requests"]
        .as_array()
        .map(|requests| requests.iter().filter_map(|request| request["command"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(asked, ["touch allowed.txt", "touch denied.txt"], "{why}");
    // The run is over: a denied command that ran would have left its file by now.
    assert!(scenario.exists("allowed.txt"), "{why}");
    assert!(!scenario.exists("denied.txt"), "{why}");
    assert!(scenario.tool_results_sent(2).contains("the program refused this command"), "{why}");
}

/// `interrupt()` while the model's reply streams ends that turn at once (the mock never finishes the reply),
/// and the session then answers another turn.
pub fn interrupt(sdk: Sdk) {
    let scenario = Scenario::new();
    let story = Turn::new().text("Once upon a time").text("THE END");
    scenario.api.push(Reply::stream(story.clone()).stall_after(bytes_through_first_text(&story)));
    scenario.api.push(text("still here"));
    let scenario = scenario.run(sdk, "interrupt");
    let why = scenario.describe();
    assert_eq!(scenario.summary["control_answers"], json!(["interrupt"]), "{why}");
    let results = scenario.results();
    assert_eq!(results.len(), 2, "{why}");
    assert_ne!(results[0]["subtype"], "success", "the interrupted turn did not finish: {why}");
    assert_eq!(results[1]["result"], "still here", "{why}");
    assert!(!scenario.summary["assistant_text"].to_string().contains("THE END"), "{why}");
}

/// How many bytes of `turn`'s stream reach the end of its first text delta: the mock sends those, then
/// holds the connection open without another byte.
fn bytes_through_first_text(turn: &Turn) -> usize {
    let events = turn.events();
    let first_delta = events
        .iter()
        .position(|event: &SseEvent| event.event == "content_block_delta")
        .expect("a text turn has a delta");
    sse_bytes(&events[..=first_delta]).len()
}

/// `set_permission_mode('bypassPermissions')` between turns: a command refused before runs after.
pub fn set_permission_mode(sdk: Sdk) {
    let scenario = Scenario::new();
    scenario.api.push(bash("t1", "touch before-mode.txt"));
    scenario.api.push(text("refused"));
    scenario.api.push(bash("t2", "touch after-mode.txt"));
    scenario.api.push(text("made"));
    let scenario = scenario.run(sdk, "set_permission_mode");
    let why = scenario.describe();
    assert_eq!(scenario.result_texts(), ["refused", "made"], "{why}");
    assert_eq!(scenario.summary["control_answers"], json!(["set_permission_mode"]), "{why}");
    assert!(!scenario.exists("before-mode.txt"), "{why}");
    assert!(scenario.exists("after-mode.txt"), "{why}");
}

/// A `PreToolUse` hook callback in the program denies a command that rules allow; it never runs.
pub fn hook(sdk: Sdk) {
    let scenario = Scenario::new();
    scenario.api.push(bash("t1", "touch hook-allowed.txt"));
    scenario.api.push(bash("t2", "touch hook-denied.txt"));
    scenario.api.push(text("done"));
    let scenario = scenario.run(sdk, "hook");
    let why = scenario.describe();
    assert_eq!(scenario.result_texts(), ["done"], "{why}");
    let calls = scenario.summary["hook_calls"].as_array().cloned().unwrap_or_default();
    let commands: Vec<&str> = calls.iter().filter_map(|call| call["command"].as_str()).collect();
    assert_eq!(commands, ["touch hook-allowed.txt", "touch hook-denied.txt"], "{why}");
    assert!(calls.iter().all(|call| call["event"] == "PreToolUse"), "{why}");
    assert!(scenario.exists("hook-allowed.txt"), "{why}");
    assert!(!scenario.exists("hook-denied.txt"), "{why}");
    assert!(scenario.tool_results_sent(2).contains("the program's hook refused this command"), "{why}");
}

/// The model calls a tool of an MCP server that lives inside the program (`create_sdk_mcp_server`).
pub fn sdk_mcp(sdk: Sdk) {
    let scenario = Scenario::new();
    scenario.api.push(Reply::stream(Turn::new().tool_use("t1", "mcp__calc__add", json!({"a": 2, "b": 3}))));
    scenario.api.push(text("It is 5."));
    let scenario = scenario.run(sdk, "sdk_mcp");
    let why = scenario.describe();
    assert_eq!(scenario.result_texts(), ["It is 5."], "{why}");
    assert_eq!(scenario.summary["mcp_calls"], json!([{"a": 2, "b": 3}]), "{why}");
    assert!(scenario.tool_results_sent(1).contains("the sum is 5"), "{why}");
}

/// The SDK was installed without the Claude Code executable it can carry, so no test can run it.
pub fn installed_without_claude_code(sdk: Sdk) {
    let installed = match sdk {
        Sdk::Python => agent_sdks::install_python().map(|_| ()),
        Sdk::TypeScript => agent_sdks::install_typescript().map(|_| ()),
    };
    installed.unwrap_or_else(|error| panic!("{error}"));
    let dir = sdk.install_dir();
    assert!(!agent_sdks::bundles_claude_code(&dir), "{} holds a Claude Code executable", dir.display());
}

/// The scenarios as tests of one SDK: `sdk_tests!(Sdk::Python)` in that SDK's test module.
macro_rules! sdk_tests {
    ($sdk:expr) => {
        #[test]
        fn the_sdk_is_installed_without_claude_code() {
            $crate::sdk_scenarios::installed_without_claude_code($sdk);
        }

        #[test]
        fn query_runs_a_tool_session() {
            $crate::sdk_scenarios::tool_session($sdk);
        }

        #[test]
        fn a_second_turn_carries_the_first() {
            $crate::sdk_scenarios::two_turns($sdk);
        }

        #[test]
        fn can_use_tool_allows_one_command_and_denies_another() {
            $crate::sdk_scenarios::can_use_tool($sdk);
        }

        #[test]
        fn interrupt_ends_a_streaming_turn_and_the_session_goes_on() {
            $crate::sdk_scenarios::interrupt($sdk);
        }

        #[test]
        fn set_permission_mode_lets_a_refused_command_run() {
            $crate::sdk_scenarios::set_permission_mode($sdk);
        }

        #[test]
        fn a_pre_tool_use_hook_callback_denies_a_command() {
            $crate::sdk_scenarios::hook($sdk);
        }

        #[test]
        fn the_model_calls_an_in_process_sdk_mcp_server_tool() {
            $crate::sdk_scenarios::sdk_mcp($sdk);
        }
    };
}
pub(crate) use sdk_tests;
