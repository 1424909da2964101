//! `todo_write`: the task list comes back as an update for the front-ends.

use crate::Project;
use claurst_protocol::{TodoItem, TodoStatus};
use claurst_tools::ToolUpdate;
use serde_json::json;

#[tokio::test]
async fn returns_the_list_as_an_update() {
    let project = Project::new();
    let outcome = project
        .run(
            "todo_write",
            json!({"todos": [
                {"content": "Read the code", "status": "completed"},
                {"content": " Write the fix ", "status": "in_progress", "activeForm": "Writing the fix"},
                {"content": "Run the tests", "status": "pending"}
            ]}),
        )
        .await;
    assert!(!outcome.result.is_error, "{}", outcome.result.output);
    assert_eq!(outcome.result.output, "Task list updated: 3 tasks (1 completed, 1 in progress, 1 pending).");
    let Some(ToolUpdate::Todos(todos)) = outcome.update else {
        panic!("no task list update: {:?}", outcome.update)
    };
    assert_eq!(todos[1], TodoItem { content: "Write the fix".into(), status: TodoStatus::InProgress });
    assert_eq!(todos.len(), 3);
}

#[tokio::test]
async fn bad_lists_are_refused_without_an_update() {
    let project = Project::new();
    let status = project.run("todo_write", json!({"todos": [{"content": "x", "status": "doing"}]})).await;
    assert!(
        status.result.is_error && status.result.output.contains("in_progress"),
        "{}",
        status.result.output
    );
    assert!(status.update.is_none());
    let empty = project.run("todo_write", json!({"todos": [{"content": " ", "status": "pending"}]})).await;
    assert!(empty.result.output.contains("task 1 has empty content"), "{}", empty.result.output);
    let cleared = project.run("todo_write", json!({"todos": []})).await;
    assert_eq!(cleared.update, Some(ToolUpdate::Todos(Vec::new())));
}
