use super::*;
use std::path::Path;

fn tool(dir: &Path, timeout: Duration) -> BashTool {
    BashTool::new(Arc::new(ToolContext::new(dir, dir.join(".session"), timeout)))
}

async fn run(tool: &BashTool, input: Value) -> ToolResult {
    tool.execute(input).await
}

#[tokio::test]
async fn returns_merged_output_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let bash = tool(dir.path(), Duration::from_secs(10));
    let ok = run(&bash, json!({"command": "echo out; echo err >&2"})).await;
    assert!(!ok.is_error, "{}", ok.output);
    assert_eq!(ok.output, "out\nerr");

    let failed = run(&bash, json!({"command": "echo nope; exit 3"})).await;
    assert!(failed.is_error);
    assert_eq!(failed.output, "nope\n[exit code 3]");

    let silent = run(&bash, json!({"command": "true"})).await;
    assert!(!silent.is_error && silent.output.contains("no output"));
}

#[tokio::test]
async fn runs_in_the_project_and_keeps_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let bash = tool(dir.path(), Duration::from_secs(10));
    let here = run(&bash, json!({"command": "pwd -P"})).await;
    assert_eq!(here.output, dir.path().canonicalize().unwrap().display().to_string());
    run(&bash, json!({"command": "cd sub"})).await;
    let there = run(&bash, json!({"command": "pwd -P"})).await;
    assert_eq!(there.output, dir.path().join("sub").canonicalize().unwrap().display().to_string());
}

#[tokio::test]
async fn timeout_kills_the_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("survived");
    let bash = tool(dir.path(), Duration::from_secs(1));
    // A grandchild that would write the marker after the timeout if it were not killed with the group.
    let command = format!("(sleep 2; touch {}) & echo started; sleep 30", marker.display());
    let started = std::time::Instant::now();
    let result = run(&bash, json!({"command": command})).await;
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(result.is_error);
    assert!(result.output.starts_with("started"), "{}", result.output);
    assert!(result.output.contains("bash execution exceeded 1s timeout"), "{}", result.output);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(!marker.exists(), "the background child outlived the timeout");
}

#[tokio::test]
async fn per_call_timeout_overrides_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let bash = tool(dir.path(), Duration::from_secs(30));
    let result = run(&bash, json!({"command": "sleep 5", "timeout": 300})).await;
    assert!(result.output.contains("exceeded 300ms timeout"), "{}", result.output);
}

#[tokio::test]
async fn dropping_the_call_kills_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("survived");
    let bash = tool(dir.path(), Duration::from_secs(30));
    let command = format!("sleep 1; touch {}", marker.display());
    let call = bash.execute(json!({"command": command}));
    // Interrupt the call after it started, as the agent does on Esc.
    assert!(tokio::time::timeout(Duration::from_millis(300), call).await.is_err());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!marker.exists(), "the command kept running after the call was dropped");
}

#[tokio::test]
async fn huge_output_is_saved_and_previewed() {
    let dir = tempfile::tempdir().unwrap();
    let bash = tool(dir.path(), Duration::from_secs(10));
    let result = run(&bash, json!({"command": "seq 1 20000"})).await;
    assert!(!result.is_error);
    assert!(result.output.len() < MAX_OUTPUT_CHARS + 1000, "{}", result.output.len());
    assert!(result.output.starts_with("1\n2\n3\n"));
    assert!(
        result.output.contains("20000\n\nThe full output"),
        "{}",
        &result.output[result.output.len() - 300..]
    );
    let saved = result.output.rsplit("saved to ").next().unwrap().split(';').next().unwrap();
    let full = std::fs::read_to_string(saved).unwrap();
    assert_eq!(full.lines().count(), 20000);
    assert!(Path::new(saved).starts_with(dir.path().join(".session")));
}

#[tokio::test]
async fn commands_cannot_read_stdin_and_bad_input_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let bash = tool(dir.path(), Duration::from_secs(5));
    let result = run(&bash, json!({"command": "cat; echo done"})).await;
    assert_eq!(result.output, "done");
    let empty = run(&bash, json!({"command": "  "})).await;
    assert!(empty.is_error && empty.output.contains("empty"));
    let wrong = run(&bash, json!({"cmd": "ls"})).await;
    assert!(wrong.is_error && wrong.output.contains("invalid input"));
}

#[test]
fn read_only_commands_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let bash = tool(dir.path(), Duration::from_secs(1));
    assert!(bash.is_read_only(&json!({"command": "ls -la && git status"})));
    assert!(!bash.is_read_only(&json!({"command": "ls && rm -rf target"})));
    assert!(!bash.is_read_only(&json!({"command": "echo hi > file.txt"})));
    assert!(!bash.is_read_only(&json!({})));
}
