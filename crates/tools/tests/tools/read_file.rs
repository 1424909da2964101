//! `read_file` on files that are not what they seem: special files, and files far larger than memory.

use crate::Project;
use serde_json::json;
use std::time::Duration;

/// A sparse file of a terabyte: nothing close to it fits in memory, so only a bounded read can answer.
const HUGE: u64 = 1 << 40;

/// A read that hangs (opening a FIFO waits for a writer) is a failure, not a stuck test run.
async fn read_within_a_minute(project: &Project, path: &str) -> claurst_tools::ToolResult {
    tokio::time::timeout(Duration::from_secs(60), project.call("read_file", json!({"path": path})))
        .await
        .unwrap_or_else(|_| panic!("read_file {path} hung"))
}

#[tokio::test]
async fn special_files_are_refused_without_being_opened() {
    let project = Project::new();
    let fifo = project.path("pipe");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let refused = read_within_a_minute(&project, "pipe").await;
    assert!(refused.is_error, "{}", refused.output);
    assert!(refused.output.contains("is a named pipe (FIFO), not a regular file"), "{}", refused.output);

    let _listener = std::os::unix::net::UnixListener::bind(project.path("sock")).unwrap();
    let socket = read_within_a_minute(&project, "sock").await;
    assert!(socket.is_error && socket.output.contains("is a socket"), "{}", socket.output);

    let device = read_within_a_minute(&project, "/dev/zero").await;
    assert!(device.is_error && device.output.contains("is a character device"), "{}", device.output);
}

#[tokio::test]
async fn a_huge_sparse_binary_file_is_refused_after_a_bounded_sniff() {
    let project = Project::new();
    let file = std::fs::File::create(project.path("disk.img")).unwrap();
    file.set_len(HUGE).unwrap();
    let refused = read_within_a_minute(&project, "disk.img").await;
    assert!(refused.is_error, "{}", refused.output);
    assert!(
        refused.output.contains(&format!("looks like a binary file ({HUGE} bytes)")),
        "{}",
        refused.output
    );
}

#[tokio::test]
async fn a_huge_text_file_is_read_only_as_far_as_the_lines_asked_for() {
    let project = Project::new();
    let head: String = (1..=3000).map(|n| format!("line {n}\n")).collect();
    let path = project.write("huge.log", head);
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(HUGE).unwrap();

    let first = project.ok("read_file", json!({"path": "huge.log"})).await;
    assert!(first.starts_with("1\tline 1\n"), "{}", &first[..100]);
    assert!(first.contains("2000\tline 2000\n") && !first.contains("2001\t"));
    assert!(first.contains(&format!("a file of {HUGE} bytes, too large to read whole")), "{first}");
    assert!(first.contains("offset 2001"));

    let middle = project.ok("read_file", json!({"path": "huge.log", "offset": 2999, "limit": 2})).await;
    assert!(middle.starts_with("2999\tline 2999\n3000\tline 3000\n"), "{middle}");

    // Read in part only, so it is not recorded: an edit is refused rather than made blind.
    let edit = project
        .err("edit_file", json!({"path": "huge.log", "old_string": "line 1\n", "new_string": "x"}))
        .await;
    assert!(edit.contains("has not been read"), "{edit}");
}
