//! `write_file`: creating, overwriting only what was read, recording what it wrote.

use crate::Project;
use serde_json::json;

#[tokio::test]
async fn creates_files_and_their_directories() {
    let project = Project::new();
    let created = project.ok("write_file", json!({"path": "a/b/new.txt", "content": "one\ntwo\n"})).await;
    assert_eq!(created, "Created a/b/new.txt (2 lines).");
    assert_eq!(project.read("a/b/new.txt"), "one\ntwo\n");
    // What was written counts as read: an edit can follow at once.
    let edited =
        project.ok("edit_file", json!({"path": "a/b/new.txt", "old_string": "two", "new_string": "2"})).await;
    assert!(edited.contains("+2"), "{edited}");
}

#[tokio::test]
async fn overwriting_requires_a_current_read() {
    let project = Project::new();
    project.write("notes.md", "original\n");
    let unread = project.err("write_file", json!({"path": "notes.md", "content": "new"})).await;
    assert!(unread.contains("has not been read in this session"), "{unread}");
    assert!(unread.contains("read_file"), "{unread}");
    assert_eq!(project.read("notes.md"), "original\n");

    project.ok("read_file", json!({"path": "notes.md"})).await;
    project.write("notes.md", "changed by the user\n");
    let stale = project.err("write_file", json!({"path": "notes.md", "content": "new"})).await;
    assert!(stale.contains("has changed on disk since you last read it"), "{stale}");
    assert_eq!(project.read("notes.md"), "changed by the user\n");

    project.ok("read_file", json!({"path": "notes.md"})).await;
    let overwrote =
        project.ok("write_file", json!({"path": project.path("notes.md"), "content": "new"})).await;
    assert_eq!(overwrote, "Overwrote notes.md (1 line).");
    assert_eq!(project.read("notes.md"), "new");
    // Writing again needs no new read: the tool knows what it wrote.
    project.ok("write_file", json!({"path": "notes.md", "content": "newer"})).await;
}

#[tokio::test]
async fn bad_targets_are_explained() {
    let project = Project::new();
    std::fs::create_dir(project.path("dir")).unwrap();
    let dir = project.err("write_file", json!({"path": "dir", "content": "x"})).await;
    assert!(dir.contains("is a directory"), "{dir}");
    let empty = project.err("write_file", json!({"path": " ", "content": "x"})).await;
    assert!(empty.contains("path is empty"), "{empty}");
    let missing = project.err("write_file", json!({"path": "x"})).await;
    assert!(missing.contains("invalid input") && missing.contains("content"), "{missing}");
}
