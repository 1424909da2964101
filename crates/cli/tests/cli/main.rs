//! End-to-end tests of the real `claurst` binary against the scripted Messages API server.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod attacks;
#[cfg(feature = "buddy")]
mod buddy;
mod config_errors;
mod headless;
mod memory;
mod output_formats;
mod sandbox;
mod sessions;
mod tui;
mod ultraplan;

use claurst_test_support::{MockApi, TempProject, claurst_command, run_with_stdin};
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
