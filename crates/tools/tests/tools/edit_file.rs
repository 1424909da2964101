//! `edit_file`: exact, unique replacements in files the model has read.

use crate::Project;
use serde_json::json;

const SOURCE: &str = "fn main() {\n    let x = 1;\n    println!(\"{x}\");\n    let y = 1;\n}\n";

fn read_and_edit(old: &str, new: &str) -> serde_json::Value {
    json!({"path": "src/main.rs", "old_string": old, "new_string": new})
}

async fn project_with_source() -> Project {
    let project = Project::new();
    project.write("src/main.rs", SOURCE);
    project.ok("read_file", json!({"path": "src/main.rs"})).await;
    project
}

#[tokio::test]
async fn replaces_one_match_and_returns_a_diff() {
    let project = project_with_source().await;
    let diff = project.ok("edit_file", read_and_edit("let x = 1;", "let x = 2;")).await;
    assert!(diff.starts_with("Edited src/main.rs (1 place changed)."), "{diff}");
    assert!(diff.contains("--- src/main.rs\n+++ src/main.rs\n@@ -1,5 +1,5 @@"), "{diff}");
    assert!(diff.contains("\n-    let x = 1;\n+    let x = 2;\n"), "{diff}");
    assert_eq!(project.read("src/main.rs"), SOURCE.replace("x = 1", "x = 2"));
    // The tool's own write is the version the model knows now.
    project.ok("edit_file", read_and_edit("let y = 1;", "let y = 3;")).await;
}

#[tokio::test]
async fn ambiguous_matches_are_counted_unless_replace_all() {
    let project = project_with_source().await;
    let ambiguous = project.err("edit_file", read_and_edit("= 1;", "= 9;")).await;
    assert!(ambiguous.contains("matches 2 places in src/main.rs"), "{ambiguous}");
    assert!(ambiguous.contains("replace_all"), "{ambiguous}");
    assert_eq!(project.read("src/main.rs"), SOURCE);

    let all = project
        .ok(
            "edit_file",
            json!({"path": "src/main.rs", "old_string": "= 1;", "new_string": "= 9;", "replace_all": true}),
        )
        .await;
    assert!(all.contains("(2 places changed)"), "{all}");
    assert_eq!(project.read("src/main.rs").matches("= 9;").count(), 2);
}

#[tokio::test]
async fn missing_text_and_no_op_edits_are_refused() {
    let project = project_with_source().await;
    let missing = project.err("edit_file", read_and_edit("let z", "let w")).await;
    assert!(missing.contains("was not found in src/main.rs"), "{missing}");
    assert!(missing.contains("Read the file again with read_file"), "{missing}");
    let same = project.err("edit_file", read_and_edit("let x", "let x")).await;
    assert!(same.contains("identical"), "{same}");
    let empty = project.err("edit_file", read_and_edit("", "x")).await;
    assert!(empty.contains("old_string is empty"), "{empty}");
    assert_eq!(project.read("src/main.rs"), SOURCE);
}

#[tokio::test]
async fn unread_and_stale_files_are_refused() {
    let project = Project::new();
    project.write("src/main.rs", SOURCE);
    let unread = project.err("edit_file", read_and_edit("let x", "let q")).await;
    assert!(unread.contains("has not been read in this session"), "{unread}");

    project.ok("read_file", json!({"path": "src/main.rs"})).await;
    project.write("src/main.rs", SOURCE.replace("y", "why"));
    let stale = project.err("edit_file", read_and_edit("let x", "let q")).await;
    assert!(stale.contains("changed on disk since you last read it"), "{stale}");
    assert!(stale.contains("Read it again with read_file"), "{stale}");
    assert_eq!(project.read("src/main.rs"), SOURCE.replace("y", "why"));

    let absent =
        project.err("edit_file", json!({"path": "nope.rs", "old_string": "a", "new_string": "b"})).await;
    assert!(absent.contains("nope.rs does not exist") && absent.contains("write_file"), "{absent}");
}

#[tokio::test]
async fn keeps_crlf_line_endings() {
    let project = Project::new();
    project.write("win.txt", "first\r\nsecond\r\nthird\r\n");
    project.ok("read_file", json!({"path": "win.txt"})).await;
    project
        .ok(
            "edit_file",
            json!({"path": "win.txt", "old_string": "first\nsecond", "new_string": "1st\n2nd\nextra"}),
        )
        .await;
    assert_eq!(project.read("win.txt"), "1st\r\n2nd\r\nextra\r\nthird\r\n");
}

#[tokio::test]
async fn binary_files_and_directories_are_refused() {
    let project = Project::new();
    project.write("blob.bin", [0u8, 159, 146, 150, b'a']);
    project.call("read_file", json!({"path": "blob.bin"})).await;
    let binary =
        project.err("edit_file", json!({"path": "blob.bin", "old_string": "a", "new_string": "b"})).await;
    assert!(binary.contains("binary"), "{binary}");
    std::fs::create_dir(project.path("dir")).unwrap();
    let dir = project.err("edit_file", json!({"path": "dir", "old_string": "a", "new_string": "b"})).await;
    assert!(dir.contains("is a directory"), "{dir}");
}
