//! `search_files`: glob search, newest first, capped.

use crate::Project;
use serde_json::json;
use std::time::{Duration, SystemTime};

fn touch(project: &Project, relative: &str, seconds_ago: u64) {
    let path = project.write(relative, "");
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago)).unwrap();
}

fn fixture() -> Project {
    let project = Project::new();
    project.write(".gitignore", "target/\n");
    touch(&project, "src/lib.rs", 300);
    touch(&project, "src/tools/mod.rs", 100);
    touch(&project, "src/tools/grep.rs", 200);
    touch(&project, "build.rs", 10);
    touch(&project, "target/gen.rs", 0);
    touch(&project, ".hidden/secret.rs", 0);
    touch(&project, "README.md", 0);
    project
}

#[tokio::test]
async fn finds_files_newest_first_skipping_ignored_and_hidden() {
    let project = fixture();
    let found = project.ok("search_files", json!({"pattern": "**/*.rs"})).await;
    assert_eq!(found, "build.rs\nsrc/tools/mod.rs\nsrc/tools/grep.rs\nsrc/lib.rs");
    let by_name = project.ok("search_files", json!({"pattern": "*.rs"})).await;
    assert_eq!(by_name, found, "a pattern without / matches names at any depth");
    let nested = project.ok("search_files", json!({"pattern": "src/**/mod.rs"})).await;
    assert_eq!(nested, "src/tools/mod.rs");
    let top = project.ok("search_files", json!({"pattern": "src/*.rs"})).await;
    assert_eq!(top, "src/lib.rs");
    let under = project.ok("search_files", json!({"pattern": "*.rs", "path": "src/tools"})).await;
    assert_eq!(under, "src/tools/mod.rs\nsrc/tools/grep.rs");
}

#[tokio::test]
async fn results_are_capped_with_a_note() {
    let project = Project::new();
    for n in 0..150 {
        project.write(&format!("d{}/f{n}.txt", n % 7), "");
    }
    let found = project.ok("search_files", json!({"pattern": "**/*.txt"})).await;
    assert_eq!(found.lines().count(), 101);
    assert!(found.ends_with("[showing 100 of 150 matching files, most recently modified first; use a more specific pattern or path to see the others]"), "{found}");
}

#[tokio::test]
async fn symlinked_directories_are_not_followed() {
    let project = fixture();
    std::os::unix::fs::symlink(project.path("src"), project.path("alias")).unwrap();
    std::os::unix::fs::symlink(project.root(), project.path("src/loop")).unwrap();
    let found = project.ok("search_files", json!({"pattern": "**/lib.rs"})).await;
    assert_eq!(found, "src/lib.rs");
}

#[tokio::test]
async fn no_match_and_bad_input() {
    let project = fixture();
    let none = project.ok("search_files", json!({"pattern": "*.py"})).await;
    assert_eq!(none, "No files match `*.py` in the project.");
    let bad = project.err("search_files", json!({"pattern": "src/[x"})).await;
    assert!(bad.contains("not a valid glob"), "{bad}");
    let file = project.err("search_files", json!({"pattern": "*", "path": "build.rs"})).await;
    assert!(file.contains("is not a directory"), "{file}");
}
