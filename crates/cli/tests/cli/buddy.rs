//! The companion in the real binary (feature `buddy`): the pane, its blinking, `/buddy`, and the name the
//! model gives it.
//!
//! The naming request waits for a quiet moment (no run, no key for a few seconds), so a test that chats
//! right after start-up keeps its scripted replies; tests here that want the generated name script it
//! first and wait.

use crate::BIN;
use claurst_test_support::{
    CapturedRequest, MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys,
};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
/// A quiet moment, the request and the next blink.
const NAMING_WAIT: Duration = Duration::from_secs(20);

/// `claurst` at 120×30 with `config` as `~/.claurst/config.toml`.
fn start(project: &TempProject, api: &MockApi, config: &str) -> PtySession {
    project.write_home(".claurst/config.toml", config);
    let session = PtySession::spawn(claurst_pty_command(Path::new(BIN), project, Some(api)), 30, 120);
    session.wait_for("ctx 0%", WAIT);
    session
}

const ALICE: &str = "[buddy]\nuser_id = \"alice\"\n";

fn naming_requests(api: &MockApi) -> usize {
    let system = |request: &CapturedRequest| request.body["system"].to_string();
    api.requests().iter().filter(|request| system(request).contains("companion creatures")).count()
}

#[test]
fn the_pane_shows_the_buddy_which_blinks_and_loves_petting() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, ALICE);
    // Alice's companion is Piperfen, a Pebblecrab with `^` eyes.
    let first = session.wait_for("Piperfen", WAIT);
    assert!(first.contains("(_\\.-'''-./_)"), "{first}");
    let blink = session.wait_until("the buddy to blink without any input", WAIT, |screen| screen != first);
    assert!(blink.contains("Piperfen"), "{blink}");

    // Nothing is scripted for the naming request: the mock answers 500, and the fallback name stays.
    api.wait_for_requests(1, NAMING_WAIT);
    assert_eq!(naming_requests(&api), 1);
    std::thread::sleep(Duration::from_millis(500));
    assert!(session.screen().contains("Piperfen"));
    assert!(!session.screen().contains("mock script exhausted"), "offline naming is never shown as an error");

    session.type_text("/buddy pet");
    session.send(keys::ENTER);
    let petted = session.wait_for("♥", WAIT);
    assert!(petted.contains("Piperfen"), "{petted}");
}

#[test]
fn the_model_names_the_buddy_once_and_it_is_remembered() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("Name: Captain Pinch\nPersonality: Guards your semicolons.")));
    let mut session = start(&project, &api, ALICE);
    session.wait_for("Piperfen", WAIT);
    session.wait_for("Captain Pinch", NAMING_WAIT);
    let stored = std::fs::read_to_string(project.home().join(".claurst/buddy.json")).unwrap();
    assert!(stored.contains("\"name\": \"Captain Pinch\""), "{stored}");
    assert_eq!(naming_requests(&api), 1);
    let prompt = api.requests()[0].body["messages"][0]["content"][0]["text"].to_string();
    assert!(prompt.contains("Common Pebblecrab"), "{prompt}");
    assert!(api.requests()[0].body.get("tools").is_none(), "naming offers no tools");

    session.type_text("/buddy");
    session.send(keys::ENTER);
    let card = session.wait_for("Guards your semicolons.", WAIT);
    assert!(card.contains("Hatched "), "{card}");
}

#[test]
fn switched_off_in_the_config_there_is_no_buddy() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, "[buddy]\nenabled = false\nuser_id = \"alice\"\n");
    session.type_text("/b");
    let screen = session.wait_for("› /b", WAIT);
    assert!(!screen.contains("/buddy"), "no /buddy in the menu: {screen}");
    assert!(!screen.contains("Piperfen"), "{screen}");
    assert!(!project.home().join(".claurst/buddy.json").exists(), "nothing is written when switched off");
}
