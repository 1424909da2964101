//! Read-only calls run in parallel; mutating calls run alone and in order.

use crate::config;
use async_trait::async_trait;
use claurst_assistant::{Agent, AgentConfig, Message};
use claurst_test_support::{MockApi, Reply, TempProject, Turn};
use claurst_tools::{Tool, ToolResult};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A tool that sleeps and records when each call started and ended.
struct Sleeper {
    name: &'static str,
    read_only: bool,
    log: Arc<Mutex<Vec<(String, Instant, Instant)>>>,
}

#[async_trait]
impl Tool for Sleeper {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "sleeps"
    }
    fn input_schema(&self) -> Value {
        json!({"type": "object"})
    }
    fn is_read_only(&self, _input: &Value) -> bool {
        self.read_only
    }
    async fn execute(&self, input: Value) -> ToolResult {
        let start = Instant::now();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let label = input["label"].as_str().unwrap_or_default().to_string();
        self.log.lock().unwrap().push((label.clone(), start, Instant::now()));
        ToolResult::ok(label)
    }
}

fn overlapping(a: &(String, Instant, Instant), b: &(String, Instant, Instant)) -> bool {
    a.1 < b.2 && b.1 < a.2
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_calls_overlap_and_mutating_calls_do_not() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new()
            .tool_use("r1", "look", json!({"label": "r1"}))
            .tool_use("r2", "look", json!({"label": "r2"}))
            .tool_use("w1", "change", json!({"label": "w1"}))
            .tool_use("w2", "change", json!({"label": "w2"})),
    ));
    api.push(Reply::stream(Turn::text_only("done")));
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut agent = Agent::try_new(AgentConfig {
        permission_mode: claurst_protocol::PermissionMode::BypassPermissions,
        ..config(&project, &api)
    })
    .unwrap();
    agent.register_tool(Box::new(Sleeper { name: "look", read_only: true, log: log.clone() }));
    agent.register_tool(Box::new(Sleeper { name: "change", read_only: false, log: log.clone() }));
    agent.run(vec![Message::user("go")]).await.unwrap();

    let log = log.lock().unwrap().clone();
    let find = |label: &str| log.iter().find(|entry| entry.0 == label).unwrap().clone();
    assert!(overlapping(&find("r1"), &find("r2")), "read-only calls should run together");
    assert!(!overlapping(&find("w1"), &find("w2")), "mutating calls must run one at a time");
    assert!(find("w1").2 <= find("w2").1, "mutating calls keep the model's order");
    assert!(find("r2").2 <= find("w1").1, "a mutating call waits for the reads before it");

    // Results come back in the order of the calls.
    let results = api.requests()[1].body["messages"][2]["content"].clone();
    let ids: Vec<&str> =
        results.as_array().unwrap().iter().map(|r| r["tool_use_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["r1", "r2", "w1", "w2"]);
}
