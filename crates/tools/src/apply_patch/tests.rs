use super::*;
use std::path::Path;
use std::time::Duration;

fn tool(root: &Path) -> ApplyPatchTool {
    ApplyPatchTool::new(Arc::new(ToolContext::new(root, root.join(".session"), Duration::from_secs(5))))
}

async fn run(root: &Path, patch: &str) -> ToolResult {
    tool(root).execute(json!({ "input": patch })).await
}

fn read(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join(name)).unwrap()
}

#[tokio::test]
async fn adds_updates_deletes_and_moves_in_one_call() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("keep.txt"), "one\ntwo\nthree\n").unwrap();
    std::fs::write(root.join("old.txt"), "bye\n").unwrap();
    std::fs::write(root.join("from.rs"), "fn a() {}\n").unwrap();
    let patch = "*** Begin Patch\n*** Add File: sub/new.txt\n+fresh\n*** Update File: keep.txt\n@@\n one\n-two\n+2\n \
                 three\n*** Delete File: old.txt\n*** Update File: from.rs\n*** Move to: to.rs\n@@\n-fn a() {}\n+fn b() {}\n\
                 *** End Patch";
    let result = run(root, patch).await;
    assert!(!result.is_error, "{}", result.output);
    assert!(result.output.starts_with(
        "Applied the patch to 4 files:\nA sub/new.txt\nM keep.txt\nD old.txt\nR from.rs -> to.rs"
    ));
    assert_eq!(read(root, "sub/new.txt"), "fresh\n");
    assert_eq!(read(root, "keep.txt"), "one\n2\nthree\n");
    assert!(!root.join("old.txt").exists() && !root.join("from.rs").exists());
    assert_eq!(read(root, "to.rs"), "fn b() {}\n");
}

#[tokio::test]
async fn a_patch_failing_in_its_second_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "alpha\n").unwrap();
    std::fs::write(root.join("b.txt"), "beta\n").unwrap();
    let patch = "*** Begin Patch\n*** Update File: a.txt\n-alpha\n+ALPHA\n*** Add File: c.txt\n+new\n\
                 *** Update File: b.txt\n-gamma\n+GAMMA\n*** End Patch";
    let result = run(root, patch).await;
    assert!(result.is_error);
    assert!(
        result.output.contains("b.txt: hunk 1 does not apply")
            && result.output.contains("No file was changed")
    );
    assert_eq!(read(root, "a.txt"), "alpha\n");
    assert_eq!(read(root, "b.txt"), "beta\n");
    assert!(!root.join("c.txt").exists());
}

#[tokio::test]
async fn refuses_missing_files_existing_adds_taken_move_targets_and_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "a\n").unwrap();
    std::fs::write(root.join("b.txt"), "b\n").unwrap();
    let cases = [
        ("*** Update File: nope.txt\n-a\n+b\n", "nope.txt does not exist"),
        ("*** Delete File: nope.txt\n", "nope.txt does not exist"),
        ("*** Add File: a.txt\n+x\n", "a.txt already exists"),
        ("*** Update File: a.txt\n*** Move to: b.txt\n-a\n+c\n", "b.txt already exists"),
        ("*** Delete File: a.txt\n*** Delete File: a.txt\n", "touches a.txt twice"),
    ];
    for (body, expected) in cases {
        let result = run(root, &format!("*** Begin Patch\n{body}*** End Patch")).await;
        assert!(result.is_error && result.output.contains(expected), "{body}: {}", result.output);
    }
    assert_eq!((read(root, "a.txt"), read(root, "b.txt")), ("a\n".into(), "b\n".into()));
}

#[tokio::test]
async fn the_approval_shows_one_diff_of_every_file_and_access_names_every_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "a\n").unwrap();
    let input = json!({"input": "*** Begin Patch\n*** Update File: a.txt\n*** Move to: ../b.txt\n-a\n+b\n\
                                 *** Add File: c.txt\n+c\n*** End Patch"});
    let tool = tool(root);
    let ApprovalDetail::Diff { path, diff } = tool.approval_detail(&input).await else { panic!() };
    assert_eq!(path, format!("{}, c.txt", root.parent().unwrap().join("b.txt").display()));
    assert!(
        diff.contains("--- a.txt\n")
            && diff.contains("-a\n+b\n")
            && diff.contains("--- /dev/null\n+++ c.txt\n")
    );
    let Access::Edits { paths } = tool.access(&input) else { panic!() };
    assert_eq!(paths, [root.join("a.txt"), root.parent().unwrap().join("b.txt"), root.join("c.txt")]);
    assert_eq!(tool.access(&json!({"input": "garbage"})), Access::Edits { paths: Vec::new() });
    assert_eq!(tool.key_argument(&input).as_deref(), Some("a.txt (+1 more)"));
}

#[tokio::test]
async fn a_file_the_rules_forbid_to_read_is_neither_shown_nor_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".env"), "API_KEY=hunter2\n").unwrap();
    let denied = root.join(".env");
    let context = ToolContext::new(root, root.join(".session"), Duration::from_secs(5))
        .with_read_filter(crate::context::ReadFilter::new(move |path| path == denied.as_path()));
    let tool = ApplyPatchTool::new(Arc::new(context));
    for body in ["*** Delete File: .env\n", "*** Update File: .env\n@@\n+EXTRA=1\n API_KEY=hunter2\n"] {
        let result = tool.execute(json!({ "input": format!("*** Begin Patch\n{body}*** End Patch") })).await;
        assert!(result.is_error && result.output.contains("forbids reading it"), "{}", result.output);
        assert!(!result.output.contains("hunter2"), "{}", result.output);
    }
    assert_eq!(read(root, ".env"), "API_KEY=hunter2\n");
}

#[cfg(unix)]
#[tokio::test]
async fn a_moved_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("build.sh"), "echo old\n").unwrap();
    std::fs::set_permissions(root.join("build.sh"), std::fs::Permissions::from_mode(0o750)).unwrap();
    let patch = "*** Begin Patch\n*** Update File: build.sh\n*** Move to: scripts/build.sh\n@@\n-echo old\n+echo new\n\
                 *** End Patch";
    let result = run(root, patch).await;
    assert!(!result.is_error, "{}", result.output);
    let moved = root.join("scripts/build.sh");
    assert_eq!(read(root, "scripts/build.sh"), "echo new\n");
    assert_eq!(std::fs::metadata(moved).unwrap().permissions().mode() & 0o777, 0o750);
}
