//! What each tool tells the permission engine and the approval prompt.

use crate::Project;
use claurst_permissions::{Access, Effect};
use claurst_protocol::ApprovalDetail;
use serde_json::{Value, json};

#[test]
fn read_only_tools_and_their_access() {
    let project = Project::new();
    let check = |tool: &str, input: Value, read_only: bool, access: Access| {
        let tool_ref = project.tools.get(tool).unwrap();
        assert_eq!(tool_ref.is_read_only(&input), read_only, "{tool} is_read_only");
        assert_eq!(tool_ref.access(&input), access, "{tool} access");
    };
    let at = |relative: &str| project.path(relative);
    check("write_file", json!({"path": "a.txt", "content": ""}), false, Access::Edit { path: at("a.txt") });
    check("edit_file", json!({"path": "src/../b.rs"}), false, Access::Edit { path: at("b.rs") });
    check("multi_edit", json!({"path": "/etc/hosts"}), false, Access::Edit { path: "/etc/hosts".into() });
    check("list_dir", json!({}), true, Access::Read { path: project.root().to_path_buf() });
    check("search_files", json!({"pattern": "*", "path": "src"}), true, Access::Read { path: at("src") });
    check("grep", json!({"pattern": "x", "path": "docs"}), true, Access::Read { path: at("docs") });
    check(
        "web_fetch",
        json!({"url": "https://docs.rs/x"}),
        true,
        Access::Fetch { url: "https://docs.rs/x".into() },
    );
    check("todo_write", json!({"todos": []}), true, Access::Other { effect: Effect::ReadOnly });
    check("bash_output", json!({"bash_id": "bash_1"}), true, Access::Other { effect: Effect::ReadOnly });
    check("kill_shell", json!({"shell_id": "bash_1"}), false, Access::Other { effect: Effect::Mutating });
}

#[tokio::test]
async fn edits_are_shown_as_diffs_without_writing() {
    let project = Project::new();
    project.write("a.txt", "one\ntwo\n");
    let detail = |tool: &str, input: Value| {
        let tool = project.tools.get(tool).unwrap();
        async move { tool.approval_detail(&input).await }
    };
    let edit = detail("edit_file", json!({"path": "a.txt", "old_string": "two", "new_string": "2"})).await;
    assert_eq!(
        edit,
        ApprovalDetail::Diff {
            path: "a.txt".into(),
            diff: "--- a.txt\n+++ a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n".into()
        }
    );
    let multi =
        detail("multi_edit", json!({"path": "a.txt", "edits": [{"old_string": "one", "new_string": "1"}]}))
            .await;
    assert!(matches!(&multi, ApprovalDetail::Diff { diff, .. } if diff.contains("-one\n+1\n")), "{multi:?}");
    let created = detail("write_file", json!({"path": "new.txt", "content": "hi\n"})).await;
    assert!(
        matches!(&created, ApprovalDetail::Diff { diff, .. } if diff.starts_with("--- /dev/null\n+++ new.txt\n")),
        "{created:?}"
    );
    assert_eq!(project.read("a.txt"), "one\ntwo\n", "showing a diff writes nothing");
    assert!(!project.path("new.txt").exists());

    // An edit that cannot apply shows the raw input instead.
    let input = json!({"path": "a.txt", "old_string": "zzz", "new_string": "y"});
    assert_eq!(detail("edit_file", input.clone()).await, ApprovalDetail::Input { input });
    let fetch = detail("web_fetch", json!({"url": "https://example.com"})).await;
    assert_eq!(fetch, ApprovalDetail::Fetch { url: "https://example.com".into() });
}

#[test]
fn bash_reports_the_shell_directory() {
    let project = Project::new();
    let bash = project.tools.get("bash").unwrap();
    let command = json!({"command": "cat x"});
    let root = project.root().to_path_buf();
    assert_eq!(bash.access(&command), Access::Shell { command: "cat x".into(), cwd: root.clone() });
    std::fs::create_dir_all(project.path("sub")).unwrap();
    project.context.set_cwd(project.path("sub"));
    assert_eq!(bash.access(&command), Access::Shell { command: "cat x".into(), cwd: project.path("sub") });
}

#[tokio::test]
async fn walking_tools_skip_what_the_read_filter_denies() {
    use claurst_tools::{ReadFilter, ToolContext, ToolRegistry};
    use std::sync::Arc;
    let project = Project::new();
    project.write("src/lib.rs", "needle\n");
    project.write("secrets/key.txt", "needle\n");
    let secrets = project.path("secrets");
    let filter = ReadFilter::new(move |path| path.starts_with(&secrets));
    let context =
        ToolContext::new(project.root(), project.path(".session"), std::time::Duration::from_secs(5))
            .with_read_filter(filter);
    let tools = ToolRegistry::standard(Arc::new(context));
    for (tool, input) in [
        ("grep", json!({"pattern": "needle", "output_mode": "files_with_matches"})),
        ("search_files", json!({"pattern": "**/*.txt"})),
        ("list_dir", json!({})),
    ] {
        let result = tools.get(tool).unwrap().run(input.clone()).await.result;
        assert!(
            !result.output.contains("secrets") && !result.output.contains("key.txt"),
            "{tool}: {}",
            result.output
        );
    }
    let unfiltered =
        project.ok("grep", json!({"pattern": "needle", "output_mode": "files_with_matches"})).await;
    assert!(unfiltered.contains("key.txt"), "{unfiltered}");
}
