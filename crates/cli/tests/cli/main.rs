//! End-to-end tests of the real `claurst` binary against the scripted Messages API server.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod agents_tui;
mod attacks;
#[cfg(feature = "buddy")]
mod buddy;
mod claude_flags;
mod config_errors;
mod errors_as_results;
mod extensions;
mod golden_shapes;
mod headless;
mod hooks;
mod hooks_tui;
mod images;
mod info_tui;
mod interact;
#[cfg(feature = "proactive")]
mod kairos;
#[cfg(feature = "proactive")]
mod kairos_tui;
mod lsp;
mod mcp;
mod mcp_config;
mod mcp_real;
mod mcp_serve;
mod mcp_tui;
mod memory;
mod output_formats;
mod patch_tools;
mod permission_prompt_tool;
mod providers;
mod rewind;
mod sandbox;
mod sdk_bridges;
mod sdk_node;
mod sdk_python;
mod sdk_scenarios;
mod sessions;
mod settings_tui;
mod stream_input;
mod subagents;
mod tui;
mod tui_control;
mod tui_diffs;
mod ultraplan;
mod web_search;
mod worktree_tools;
mod worktrees;

use claurst_test_support::{MockApi, TempProject, claurst_command, run_with_stdin};
use serde_json::Value;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_claurst");

/// `claurst` in `project`, talking to `api`.
pub fn claurst(project: &TempProject, api: &MockApi) -> Command {
    claurst_command(std::path::Path::new(BIN), project, Some(api))
}

/// Run with nothing on stdin (stdin is a pipe, not a terminal, as in CI).
pub fn run(command: &mut Command) -> Output {
    run_with_stdin(command, None)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every tool_result block of a captured request's last message: (text, is_error).
pub fn tool_results(body: &Value) -> Vec<(String, bool)> {
    let last = body["messages"].as_array().unwrap().last().unwrap();
    last["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|block| block["type"] == "tool_result")
        .map(|block| {
            (block["content"][0]["text"].as_str().unwrap_or_default().to_string(), block["is_error"] == true)
        })
        .collect()
}

/// The text of every tool_result of a request's last message, joined.
pub fn tool_result_text(body: &Value) -> String {
    tool_results(body).into_iter().map(|(text, _)| text).collect()
}
