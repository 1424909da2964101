//! The settings panels (`/model`, `/permissions`, `/config`), `/vim` and `/statusline` in the real binary,
//! driven through a pseudo-terminal against the mock model server.

use crate::BIN;
use claurst_test_support::{CapturedRequest, MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn start(project: &TempProject, api: &MockApi) -> PtySession {
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), 30, 100);
    session.wait_for("ctx 0%", WAIT);
    session
}

/// The requests for a model's reply (not the model listings).
fn message_requests(api: &MockApi) -> Vec<CapturedRequest> {
    api.requests().into_iter().filter(|request| request.method == "POST").collect()
}

#[test]
fn the_model_picker_offers_the_endpoints_models_and_switches_the_next_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.set_models(&["claude-sonnet-4-5", "claude-endpoint-special"]);
    api.push(Reply::stream(Turn::text_only("answered by the special model")));
    let mut session = start(&project, &api);
    // Enter runs the command the `/` menu selected: `/model` itself.
    session.type_text("/model");
    session.send(keys::ENTER);
    session.wait_for("claude-endpoint-special", WAIT);
    session.type_text("special");
    session.send(keys::ENTER);
    session.wait_for("Model set to claude-endpoint-special", WAIT);
    session.type_text("hi");
    session.send(keys::ENTER);
    session.wait_for("answered by the special model", WAIT);
    assert_eq!(message_requests(&api)[0].body["model"], "claude-endpoint-special");
}
