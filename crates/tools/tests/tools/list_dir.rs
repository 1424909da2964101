//! `list_dir`: an indented tree, gitignore-aware, capped.

use crate::Project;
use serde_json::json;

fn fixture() -> Project {
    let project = Project::new();
    project.write(".gitignore", "target/\n*.log\n");
    project.write("Cargo.toml", "");
    project.write("src/lib.rs", "");
    project.write("src/bash/capture.rs", "");
    project.write("src/a.rs", "");
    project.write("target/debug/out", "");
    project.write("run.log", "");
    project.write(".github/ci.yml", "");
    project.write(".git/HEAD", "");
    project
}

#[tokio::test]
async fn lists_a_tree_directories_first() {
    let project = fixture();
    let listing = project.ok("list_dir", json!({})).await;
    let expected = format!(
        "{}/\n  .github/\n    ci.yml\n  src/\n    bash/\n      capture.rs\n    a.rs\n    lib.rs\n  .gitignore\n  Cargo.toml",
        project.root().display()
    );
    assert_eq!(listing, expected);

    let sub = project.ok("list_dir", json!({"path": "src"})).await;
    assert!(sub.starts_with(&format!("{}/\n  bash/\n", project.path("src").display())), "{sub}");
}

#[tokio::test]
async fn ignore_patterns_leave_out_more() {
    let project = fixture();
    let listing = project.ok("list_dir", json!({"ignore": ["bash/", "*.toml", ".github"]})).await;
    assert!(
        !listing.contains("bash") && !listing.contains("Cargo.toml") && !listing.contains("ci.yml"),
        "{listing}"
    );
    assert!(listing.contains("lib.rs"), "{listing}");
    let bad = project.err("list_dir", json!({"ignore": ["a[b"]})).await;
    assert!(bad.contains("not a valid glob"), "{bad}");
}

#[tokio::test]
async fn symlinked_directories_are_shown_not_followed() {
    let project = fixture();
    std::os::unix::fs::symlink(project.path("src"), project.path("link")).unwrap();
    // A loop would hang or explode a tool that followed links.
    std::os::unix::fs::symlink(project.root(), project.path("src/up")).unwrap();
    let listing = project.ok("list_dir", json!({})).await;
    assert!(listing.contains(&format!("\n  link -> {}", project.path("src").display())), "{listing}");
    assert_eq!(listing.matches("capture.rs").count(), 1, "{listing}");
}

#[tokio::test]
async fn long_listings_keep_the_shallowest_entries() {
    let project = Project::new();
    project.write("top.txt", "");
    for n in 0..1200 {
        project.write(&format!("deep/many/f{n:04}.txt"), "");
    }
    let listing = project.ok("list_dir", json!({})).await;
    assert!(
        listing.ends_with(
            "[showing 1000 of 1203 entries; list a subdirectory or pass ignore patterns to see more]"
        ),
        "{}",
        &listing[listing.len() - 200..]
    );
    assert!(listing.contains("\n  top.txt\n"), "the top level is always shown");
    assert!(listing.contains("f0000.txt") && !listing.contains("f1199.txt"));
}

#[tokio::test]
async fn files_and_missing_paths_are_refused() {
    let project = fixture();
    let file = project.err("list_dir", json!({"path": "Cargo.toml"})).await;
    assert!(file.contains("is not a directory"), "{file}");
    let missing = project.err("list_dir", json!({"path": "nope"})).await;
    assert!(missing.contains("does not exist"), "{missing}");
    std::fs::create_dir(project.path("empty")).unwrap();
    let empty = project.ok("list_dir", json!({"path": "empty"})).await;
    assert!(empty.contains("(empty"), "{empty}");
}
