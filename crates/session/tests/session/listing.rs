//! Listing, searching and finding a project's sessions.

use crate::Sandbox;
use claurst_session::SessionError;
use claurst_session::transcript::{filter_sessions, find_session, latest_session, list_sessions};
use std::path::Path;
use std::time::{Duration, SystemTime};

fn touch(path: &Path, seconds_ago: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago)).unwrap();
}

/// Three sessions written 30, 10 and 20 seconds ago.
fn three_sessions(sandbox: &Sandbox) {
    let old = sandbox.session("aaaa-1111", &["Refactor   the\nlexer", "and the parser"]);
    let new = sandbox.session("aaaa-2222", &["Write the DOCS"]);
    let middle = sandbox.session("bbbb-3333", &[]);
    touch(&old, 30);
    touch(&new, 10);
    touch(&middle, 20);
}

#[test]
fn sessions_are_listed_newest_first_with_their_facts() {
    let sandbox = Sandbox::new();
    three_sessions(&sandbox);
    let dir = claurst_session::project_sessions_dir(&sandbox.projects(), &sandbox.root());
    std::fs::write(dir.join("notes.txt"), "not a session").unwrap();
    let sessions = list_sessions(&sandbox.projects(), &sandbox.root()).unwrap();
    let ids: Vec<&str> = sessions.iter().map(|s| s.session_id.as_str()).collect();
    assert_eq!(ids, ["aaaa-2222", "bbbb-3333", "aaaa-1111"]);
    let old = &sessions[2];
    assert_eq!(old.first_prompt, "Refactor the lexer", "whitespace collapsed");
    assert_eq!(old.message_count, 4);
    assert_eq!(old.model, "claude-sonnet-4-5");
    assert_eq!(old.size_bytes, std::fs::metadata(&old.path).unwrap().len());
    assert_eq!(sessions[1].first_prompt, "");
    assert_eq!(sessions[1].message_count, 0);
}

#[test]
fn other_projects_and_broken_files_are_not_listed() {
    let sandbox = Sandbox::new();
    three_sessions(&sandbox);
    let dir = claurst_session::project_sessions_dir(&sandbox.projects(), &sandbox.root());
    std::fs::write(dir.join("broken.jsonl"), "garbage\n").unwrap();
    let other = sandbox.dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    assert_eq!(list_sessions(&sandbox.projects(), &sandbox.root()).unwrap().len(), 3);
    assert_eq!(list_sessions(&sandbox.projects(), &other).unwrap(), []);
    assert_eq!(latest_session(&sandbox.projects(), &other).unwrap(), None);
}

#[test]
fn long_first_prompts_are_cut() {
    let sandbox = Sandbox::new();
    let long = "é".repeat(300);
    sandbox.session("long", &[&long]);
    let sessions = list_sessions(&sandbox.projects(), &sandbox.root()).unwrap();
    assert_eq!(sessions[0].first_prompt.chars().count(), 201);
    assert!(sessions[0].first_prompt.ends_with("é…"));
}

#[test]
fn continue_picks_the_latest_session() {
    let sandbox = Sandbox::new();
    three_sessions(&sandbox);
    let latest = latest_session(&sandbox.projects(), &sandbox.root()).unwrap().unwrap();
    assert_eq!(latest.session_id, "aaaa-2222");
    assert_eq!(latest.first_prompt, "Write the DOCS");
}

#[test]
fn search_matches_ids_and_prompts_ignoring_case() {
    let sandbox = Sandbox::new();
    three_sessions(&sandbox);
    let sessions = list_sessions(&sandbox.projects(), &sandbox.root()).unwrap();
    let ids = |query: &str| -> Vec<String> {
        filter_sessions(&sessions, query).into_iter().map(|s| s.session_id.clone()).collect()
    };
    assert_eq!(ids(""), ["aaaa-2222", "bbbb-3333", "aaaa-1111"]);
    assert_eq!(ids("docs"), ["aaaa-2222"]);
    assert_eq!(ids("LEXER"), ["aaaa-1111"]);
    assert_eq!(ids("aaaa"), ["aaaa-2222", "aaaa-1111"]);
    assert_eq!(ids("aaaa refactor"), ["aaaa-1111"], "every word must match");
    assert_eq!(ids("bbbb-3"), ["bbbb-3333"]);
    assert!(ids("nothing like it").is_empty());
}

#[test]
fn sessions_are_found_by_id_or_unique_prefix() {
    let sandbox = Sandbox::new();
    three_sessions(&sandbox);
    let (projects, root) = (sandbox.projects(), sandbox.root());
    assert_eq!(find_session(&projects, &root, "aaaa-1111").unwrap().session_id, "aaaa-1111");
    assert_eq!(find_session(&projects, &root, "bb").unwrap().session_id, "bbbb-3333");
    assert_eq!(find_session(&projects, &root, "AAAA-2").unwrap().session_id, "aaaa-2222");

    let ambiguous = find_session(&projects, &root, "aaaa").unwrap_err();
    assert!(matches!(ambiguous, SessionError::AmbiguousSession { count: 2, .. }), "{ambiguous}");
    assert!(ambiguous.to_string().contains("aaaa-1111, aaaa-2222"), "{ambiguous}");

    for missing in ["cccc", "", "../x"] {
        let error = find_session(&projects, &root, missing).unwrap_err();
        assert!(matches!(error, SessionError::SessionNotFound { .. }), "{error}");
        assert!(error.to_string().contains("claurst --resume"), "{error}");
    }
}
