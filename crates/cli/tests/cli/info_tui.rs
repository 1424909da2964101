//! The first screen and the informational commands, through the real binary in a pseudo-terminal.

use crate::BIN;
use claurst_test_support::{MockApi, PtySession, Reply, TempProject, Turn, claurst_pty_command, keys};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::tui::start;

const WAIT: Duration = Duration::from_secs(10);
/// The shortcut sheet's last line (the welcome's tips mention the shortcuts too).
const SHEET: &str = "esc closes · any other key";

fn run(session: &mut PtySession, line: &str) {
    session.type_text(line);
    session.send(keys::ENTER);
}

#[test]
fn the_welcome_is_shown_at_start_and_scrolls_away() {
    let project = TempProject::new();
    let api = MockApi::start();
    let long: Vec<String> = (1..=40).map(|n| format!("line {n} of the answer\n")).collect();
    api.push(Reply::stream(Turn::text_only(&long.join("\n"))));
    let mut session = start(&project, &api, 24, 80);
    let screen = session.wait_for("Welcome to Claurst", WAIT);
    assert!(screen.contains("/init") && screen.contains("/help"), "the tips are shown: {screen}");
    assert!(screen.contains("claude-"), "the model is named: {screen}");
    run(&mut session, "write a long answer");
    let screen = session.wait_for("line 40 of the answer", WAIT);
    assert!(!screen.contains("Welcome to Claurst"), "the welcome scrolled away: {screen}");
}

#[test]
fn question_mark_opens_the_shortcut_sheet_on_an_empty_prompt_only() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 30, 100);
    session.send("?");
    let screen = session.wait_for(SHEET, WAIT);
    assert!(screen.contains("ctrl+r") && screen.contains("shift+tab"), "{screen}");
    session.send(keys::ESC);
    session.wait_until("the sheet to close", WAIT, |screen| !screen.contains(SHEET));
    session.send("?");
    session.wait_for(SHEET, WAIT);
    // Any other key closes the sheet and is typed.
    session.send("w");
    let screen = session.wait_until("the sheet to close", WAIT, |screen| !screen.contains(SHEET));
    assert!(screen.contains("› w"), "{screen}");
    // On a non-empty prompt `?` is a character.
    session.send("?");
    session.wait_for("› w?", WAIT);
    assert!(!session.screen().contains(SHEET));
}

#[test]
fn init_shows_what_happens_not_the_prompt() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("I studied the project.")));
    let mut session = start(&project, &api, 30, 100);
    run(&mut session, "/init");
    let screen = session.wait_for("I studied the project.", WAIT);
    assert!(screen.contains("Analysing the project…"), "{screen}");
    assert!(!screen.contains("Study this project"), "the instructions stay out of the transcript: {screen}");
    let sent =
        api.requests()[0].body["messages"][0]["content"][0]["text"].as_str().unwrap_or_default().to_string();
    assert!(sent.starts_with("Study this project"), "the model still gets them: {sent}");
}

#[test]
fn the_picker_leaves_out_the_session_just_started() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 24, 80);
    run(&mut session, "/resume");
    session.wait_for("There are no saved sessions", WAIT);
    let transcripts = crate::sessions::transcripts(&project).len();
    assert_eq!(transcripts, 1, "the new session is saved, but has nothing to resume");
}

#[test]
fn export_writes_the_conversation_as_markdown() {
    let project = TempProject::new();
    project.write("notes.txt", "alpha beta\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "read_file", json!({"path": "notes.txt"}))));
    api.push(Reply::stream(Turn::text_only("The notes say alpha beta.")));
    let mut session = start(&project, &api, 30, 100);
    run(&mut session, "what do the notes say?");
    session.wait_for("The notes say alpha beta.", WAIT);
    run(&mut session, "/export talk.md");
    session.wait_for("Exported the conversation to", WAIT);
    let markdown = project.read("talk.md");
    assert!(markdown.contains("## User\n\nwhat do the notes say?"), "{markdown}");
    assert!(markdown.contains("## Claurst\n\nThe notes say alpha beta."), "{markdown}");
    assert!(
        markdown.contains("notes.txt") && markdown.contains("alpha beta"),
        "the call and result: {markdown}"
    );
}

#[test]
fn an_added_directory_is_read_without_asking() {
    let project = TempProject::new();
    let shared = project.write_home("shared/facts.txt", "the shared fact\n");
    let shared_dir = shared.parent().unwrap().to_path_buf();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "read_file",
        json!({"path": shared.display().to_string()}),
    )));
    api.push(Reply::stream(Turn::text_only("Read the shared fact.")));
    let mut session = start(&project, &api, 30, 120);
    run(&mut session, &format!("/add-dir {}", project.home().join("missing").display()));
    session.wait_for("Cannot add", WAIT);
    run(&mut session, &format!("/add-dir {}", shared_dir.display()));
    session.wait_for("as a working directory", WAIT);
    run(&mut session, "read the shared file");
    let screen = session.wait_for("Read the shared fact.", WAIT);
    assert!(!screen.contains("Allow"), "no approval was asked: {screen}");
    let result = &api.requests()[1].body["messages"][2]["content"][0];
    assert_ne!(result["is_error"], true, "{result}");
    assert!(result.to_string().contains("the shared fact"), "{result}");
}

#[test]
fn bug_writes_a_report_without_the_api_key() {
    let project = TempProject::new();
    const SECRET: &str = "sk-ant-fake-secret-0123456789";
    project.write(".claurst.toml", format!("[api]\napi_key = \"{SECRET}\"\n"));
    let api = MockApi::start();
    let mut command = claurst_pty_command(Path::new(BIN), &project, Some(&api));
    command.env("ANTHROPIC_API_KEY", SECRET);
    command.env("GITHUB_TOKEN", "ghp-another-fake-token-42");
    let mut session = PtySession::spawn(command, 30, 120);
    session.wait_for("ctx 0%", WAIT);
    run(&mut session, "/bug");
    session.wait_for("Bug report written to", WAIT);
    let dir = project.home().join(".claurst/bug-reports");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|entry| entry.path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let report = std::fs::read_to_string(&files[0]).unwrap();
    assert!(report.contains("# Claurst bug report") && report.contains("terminal: "), "{report}");
    assert!(report.contains("[redacted]"), "{report}");
    assert!(!report.contains(SECRET) && !report.contains("ghp-another-fake-token-42"), "{report}");
    assert!(!report.contains("## Conversation"), "no conversation unless asked: {report}");
}

#[test]
fn context_shows_its_categories() {
    let project = TempProject::new();
    project.write("CLAURST.md", "Use tabs.\n");
    let api = MockApi::start();
    let mut session = start(&project, &api, 30, 100);
    run(&mut session, "/context");
    let screen = session.wait_for("Free space", WAIT);
    for category in
        ["System prompt", "System tools", "Memory files", "MCP tools", "Messages", "Autocompact buffer"]
    {
        assert!(screen.contains(category), "{category}: {screen}");
    }
    assert!(screen.contains("⛁") && screen.contains("⛶"), "the grid: {screen}");
}

#[test]
fn doctor_reports_the_installation() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, 40, 120);
    run(&mut session, "/doctor");
    let screen = session
        .wait_until("the report", WAIT, |screen| screen.contains("health check") && screen.contains("git:"));
    assert!(screen.contains("API key: OK, from the ANTHROPIC_API_KEY"), "{screen}");
    assert!(screen.contains("API: OK"), "the mock endpoint answered: {screen}");
    assert!(screen.contains("sandbox:") && screen.contains("config: OK"), "{screen}");
}

#[test]
fn help_opens_with_what_claurst_is_and_common_invocations() {
    let output = std::process::Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Claurst is a coding agent in your terminal"), "{text}");
    assert_eq!(lines[2], "Common invocations:", "{text}");
    for example in ["claurst ", "claurst \"fix the failing test\"", "claurst -p", "claurst -c", "claurst -r"]
    {
        assert!(lines[3..10].iter().any(|line| line.trim_start().starts_with(example)), "{example}: {text}");
    }
    let usage = lines.iter().position(|line| line.starts_with("Usage:")).unwrap();
    assert!(usage > 8, "the examples come before the flags: {text}");
}
