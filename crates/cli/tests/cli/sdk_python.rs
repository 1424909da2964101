//! The real binary as the executable of the official Python Agent SDK (`claude-agent-sdk` from PyPI, through
//! `sdk/scenarios.py`): each scenario of `sdk_scenarios`, through that SDK.

use crate::sdk_scenarios::{self as scenario, Sdk};

const SDK: Sdk = Sdk::Python;

#[test]
fn the_sdk_is_installed_without_claude_code() {
    scenario::installed_without_claude_code(SDK);
}

#[test]
fn query_runs_a_tool_session() {
    scenario::tool_session(SDK);
}

#[test]
fn a_second_turn_carries_the_first() {
    scenario::two_turns(SDK);
}

#[test]
fn can_use_tool_allows_one_command_and_denies_another() {
    scenario::can_use_tool(SDK);
}

#[test]
fn interrupt_ends_a_streaming_turn_and_the_session_goes_on() {
    scenario::interrupt(SDK);
}

#[test]
fn set_permission_mode_lets_a_refused_command_run() {
    scenario::set_permission_mode(SDK);
}

#[test]
fn a_pre_tool_use_hook_callback_denies_a_command() {
    scenario::hook(SDK);
}

#[test]
fn the_model_calls_an_in_process_sdk_mcp_server_tool() {
    scenario::sdk_mcp(SDK);
}
