//! `todo_write`: the model's task list, replaced whole on every call and shown by the front-ends.

use crate::input;
use crate::tool::{Tool, ToolOutcome, ToolResult, ToolUpdate};
use async_trait::async_trait;
use claurst_protocol::{TodoItem, TodoStatus};
use serde::Deserialize;
use serde_json::{Value, json};

/// Items a list may hold; a longer list is a plan, not a task list.
pub const MAX_TODOS: usize = 100;

#[derive(Default)]
pub struct TodoWriteTool;

impl TodoWriteTool {
    pub fn new() -> Self {
        Self
    }
}

#[derive(Deserialize)]
struct TodoInput {
    todos: Vec<TodoEntry>,
}

/// One item as the model sends it; fields beyond these (ids, priorities) are accepted and ignored.
#[derive(Deserialize)]
struct TodoEntry {
    content: String,
    status: TodoStatus,
}

#[async_trait]
impl Tool for TodoWriteTool {
    fn name(&self) -> &str {
        "todo_write"
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        let count = input.get("todos").and_then(Value::as_array).map_or(0, Vec::len);
        Some(format!("{count} tasks"))
    }

    fn description(&self) -> &str {
        "Replace your task list for this session; the user sees it. Use it for work of three steps or more: \
         write the steps as pending, mark one in_progress before you start it, and mark it completed as soon \
         as it is done (not in batches). Keep exactly one task in_progress while working. Each call sends the \
         whole list; an empty list clears it."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "todos": {
                    "type": "array",
                    "description": "The complete, updated task list",
                    "items": {
                        "type": "object",
                        "properties": {
                            "content": {"type": "string", "minLength": 1, "description": "What the task is, in the imperative (\"Run the tests\")"},
                            "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]}
                        },
                        "required": ["content", "status"]
                    }
                }
            },
            "required": ["todos"],
            "additionalProperties": false
        })
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, input: Value) -> ToolResult {
        self.run(input).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        let request: TodoInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error.into(),
        };
        match validate(request.todos) {
            Ok(todos) => ToolOutcome {
                result: ToolResult::ok(summary(&todos)),
                extra_content: Vec::new(),
                update: Some(ToolUpdate::Todos(todos)),
                sandbox_refusal: None,
            },
            Err(error) => error.into(),
        }
    }
}

fn validate(entries: Vec<TodoEntry>) -> Result<Vec<TodoItem>, ToolResult> {
    if entries.len() > MAX_TODOS {
        return Err(ToolResult::error(format!(
            "todo_write: {} tasks is more than the {MAX_TODOS} a list may hold. Group them into fewer, larger \
             tasks.",
            entries.len()
        )));
    }
    if let Some(index) = entries.iter().position(|entry| entry.content.trim().is_empty()) {
        return Err(ToolResult::error(format!(
            "todo_write: task {} has empty content. Describe every task, then call todo_write again.",
            index + 1
        )));
    }
    Ok(entries
        .into_iter()
        .map(|entry| TodoItem { content: entry.content.trim().to_string(), status: entry.status })
        .collect())
}

/// `Task list updated: 5 tasks (2 completed, 1 in progress, 2 pending).`, with a reminder when more than one
/// task is in progress (accepted, since the list is still useful, but against the convention).
fn summary(todos: &[TodoItem]) -> String {
    if todos.is_empty() {
        return "Task list cleared.".to_string();
    }
    let count = |status| todos.iter().filter(|todo| todo.status == status).count();
    let (done, doing, pending) =
        (count(TodoStatus::Completed), count(TodoStatus::InProgress), count(TodoStatus::Pending));
    let plural = if todos.len() == 1 { "" } else { "s" };
    let mut text = format!(
        "Task list updated: {} task{plural} ({done} completed, {doing} in progress, {pending} pending).",
        todos.len()
    );
    if doing > 1 {
        text.push_str(&format!(
            " Note: {doing} tasks are in progress; keep exactly one in_progress at a time, finishing it before \
             starting the next."
        ));
    } else if doing == 0 && pending > 0 {
        text.push_str(" Mark the task you start next as in_progress.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(content: &str, status: TodoStatus) -> TodoItem {
        TodoItem { content: content.into(), status }
    }

    #[test]
    fn summarises_and_warns_about_parallel_work() {
        let todos = [
            item("a", TodoStatus::Completed),
            item("b", TodoStatus::InProgress),
            item("c", TodoStatus::Pending),
        ];
        assert_eq!(summary(&todos), "Task list updated: 3 tasks (1 completed, 1 in progress, 1 pending).");
        let busy = [item("a", TodoStatus::InProgress), item("b", TodoStatus::InProgress)];
        assert!(summary(&busy).contains("2 tasks are in progress"));
        assert_eq!(summary(&[]), "Task list cleared.");
    }
}
