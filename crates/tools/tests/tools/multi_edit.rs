//! `multi_edit`: ordered edits, all or none.

use crate::Project;
use serde_json::json;

const CONFIG: &str = "name = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

#[tokio::test]
async fn applies_edits_in_order_with_one_diff() {
    let project = Project::new();
    project.write("Cargo.toml", CONFIG);
    project.ok("read_file", json!({"path": "Cargo.toml"})).await;
    let result = project
        .ok(
            "multi_edit",
            json!({"path": "Cargo.toml", "edits": [
                {"old_string": "0.1.0", "new_string": "0.2.0"},
                // Matches only the text the first edit produced.
                {"old_string": "version = \"0.2.0\"", "new_string": "version = \"0.3.0\""},
                {"old_string": "\"", "new_string": "'", "replace_all": true}
            ]}),
        )
        .await;
    assert!(result.starts_with("Edited Cargo.toml (3 edits, 8 places changed)."), "{result}");
    assert_eq!(result.matches("@@").count(), 2, "one hunk: {result}");
    assert_eq!(project.read("Cargo.toml"), "name = 'demo'\nversion = '0.3.0'\nedition = '2021'\n");
}

#[tokio::test]
async fn a_failing_edit_leaves_the_file_untouched() {
    let project = Project::new();
    project.write("Cargo.toml", CONFIG);
    project.ok("read_file", json!({"path": "Cargo.toml"})).await;
    let before = std::fs::read(project.path("Cargo.toml")).unwrap();
    let failed = project
        .err(
            "multi_edit",
            json!({"path": "Cargo.toml", "edits": [
                {"old_string": "demo", "new_string": "renamed"},
                {"old_string": "\"", "new_string": "'"},
                {"old_string": "2021", "new_string": "2024"}
            ]}),
        )
        .await;
    assert!(failed.contains("edit 2 of 3 (index 1) failed"), "{failed}");
    assert!(failed.contains("matches 6 places"), "{failed}");
    assert!(failed.contains("Cargo.toml is unchanged"), "{failed}");
    assert_eq!(std::fs::read(project.path("Cargo.toml")).unwrap(), before);

    let missing = project
        .err(
            "multi_edit",
            json!({"path": "Cargo.toml", "edits": [
                {"old_string": "demo", "new_string": "x"},
                {"old_string": "demo", "new_string": "y"}
            ]}),
        )
        .await;
    assert!(missing.contains("edit 2 of 2 (index 1) failed: old_string was not found"), "{missing}");
    assert_eq!(std::fs::read(project.path("Cargo.toml")).unwrap(), before);

    let none = project.err("multi_edit", json!({"path": "Cargo.toml", "edits": []})).await;
    assert!(none.contains("`edits` is empty"), "{none}");
}

#[tokio::test]
async fn needs_a_current_read_like_edit_file() {
    let project = Project::new();
    project.write("Cargo.toml", CONFIG);
    let unread = project
        .err(
            "multi_edit",
            json!({"path": "Cargo.toml", "edits": [{"old_string": "demo", "new_string": "x"}]}),
        )
        .await;
    assert!(unread.contains("has not been read"), "{unread}");
}
