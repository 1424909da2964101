//! Sub-agents in the real TUI: the `agent` call's cell shows what the sub-agent is for, then its report, and
//! the main reply follows.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

#[test]
fn an_explore_sub_agent_shows_as_one_cell_with_its_report() {
    let project = TempProject::new();
    project.write("src/config.rs", "pub fn load() {}\n");
    let api = MockApi::start();
    let task = json!({
        "description": "Find config loader",
        "prompt": "SCOUT: find where the config is read",
        "agent_type": "explore",
    });
    api.push(Reply::stream(Turn::new().tool_use("call-a", "agent", task)));
    // The sub-agent's first reply waits a little, so its cell is seen while it works.
    let read = Turn::new().tool_use("inner-1", "read_file", json!({"path": "src/config.rs"}));
    api.push_for("SCOUT", Reply::stream(read).delay_before_headers(Duration::from_millis(500)));
    api.push_for("SCOUT", Reply::stream(Turn::text_only("The loader is load() in src/config.rs.")));
    api.push(Reply::stream(Turn::text_only("Config is loaded by load().")));

    let mut session = PtySession::spawn(claurst_pty_command(Path::new(BIN), &project, Some(&api)), 30, 100);
    session.wait_for("ctx 0%", WAIT);
    session.type_text("where is the config read?");
    session.wait_for("where is the config read?", WAIT);
    session.send(keys::ENTER);
    let running = session.wait_for("explore · Find config loader", WAIT);
    assert!(!running.contains("agent(explore"), "shown as a sub-agent, not a plain call: {running}");
    let done = session.wait_for("Config is loaded by load().", WAIT);
    assert!(done.contains("The loader is load() in src/config.rs."), "the report is in the cell: {done}");
    assert!(done.contains("✓ explore · Find config loader"), "{done}");
    assert!(done.contains("1 tool call"), "{done}");
    let last = api.requests().pop().unwrap().body.to_string();
    assert!(last.contains("The loader is load()"), "the main model got the report: {last}");
    assert!(!last.contains("inner-1"), "and not the sub-agent's own turns");
}
