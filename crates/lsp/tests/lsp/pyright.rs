use claurst_config::LspConfig;
use claurst_lsp::{DiagnosticsAfterEdit, LspManager, LspTool};
use claurst_test_support::lsp_servers;
use claurst_tools::{EditObserver, Tool, ToolContext};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const LIB: &str = "def greet(name: str) -> str:\n    return \"hello \" + name\n\n\nclass Greeter:\n    def hello(self) -> str:\n        return greet(\"you\")\n";
const MAIN: &str = "from lib import greet\n\ncount: int = greet(\"x\")\nprint(greet(\"y\"))\n";

/// pyright as the python server of a manager for `root`.
fn manager(root: &Path) -> Arc<LspManager> {
    let pyright = lsp_servers::install().unwrap_or_else(|error| panic!("{error}"));
    let mut config = LspConfig::default();
    let python = config.servers.iter_mut().find(|s| s.language == "python").unwrap();
    python.command = pyright.command();
    Arc::new(LspManager::new(root, config))
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.py"), LIB).unwrap();
    std::fs::write(dir.path().join("main.py"), MAIN).unwrap();
    dir
}

fn tool(root: &Path, manager: &Arc<LspManager>) -> LspTool {
    let context = Arc::new(ToolContext::new(root, root.join(".session"), Duration::from_secs(5)));
    LspTool::new(context, Arc::clone(manager))
}

fn process_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ")
}

#[tokio::test(flavor = "multi_thread")]
async fn diagnostics_name_the_type_error_with_project_relative_positions() {
    let dir = project();
    let manager = manager(dir.path());
    let result =
        tool(dir.path(), &manager).execute(json!({"operation": "diagnostics", "file_path": "main.py"})).await;
    assert!(!result.is_error, "{}", result.output);
    let mut lines = result.output.lines();
    assert_eq!(lines.next(), Some("1 diagnostic in main.py (1 error):"), "{}", result.output);
    let error = lines.next().unwrap();
    assert!(
        error.starts_with("main.py:3:14: error: Type \"str\" is not assignable to declared type \"int\""),
        "{error}"
    );
    assert!(error.ends_with("[reportAssignmentType]"), "{error}");
    let clean =
        tool(dir.path(), &manager).execute(json!({"operation": "diagnostics", "file_path": "lib.py"})).await;
    assert_eq!(clean.output, "No diagnostics in lib.py.");
    assert_eq!(manager.starts(), 1, "one server serves both files");
    // With the server running, a call only reads its file: judged as `read_file` would be.
    let lsp = tool(dir.path(), &manager);
    let read = lsp.access(&json!({"operation": "diagnostics", "file_path": "lib.py"}));
    assert_eq!(read, claurst_permissions::Access::Read { path: dir.path().join("lib.py") });
    manager.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn definition_references_hover_and_symbols() {
    let dir = project();
    let manager = manager(dir.path());
    let lsp = tool(dir.path(), &manager);
    let call = |operation: &str, file: &str, line: u32, character: u32| json!({"operation": operation, "file_path": file, "line": line, "character": character});

    let definition = lsp.execute(call("definition", "main.py", 4, 7)).await;
    assert_eq!(definition.output, "1 definition:\nlib.py:1:5: def greet(name: str) -> str:");

    let references = lsp.execute(call("references", "lib.py", 1, 5)).await;
    assert!(!references.is_error, "{}", references.output);
    let lines: Vec<&str> = references.output.lines().collect();
    assert_eq!(lines[0], "5 references:", "{}", references.output);
    for expected in [
        "lib.py:1:5: def greet(name: str) -> str:",
        "lib.py:7:16: return greet(\"you\")",
        "main.py:1:17: from lib import greet",
        "main.py:3:14: count: int = greet(\"x\")",
        "main.py:4:7: print(greet(\"y\"))",
    ] {
        assert!(lines.contains(&expected), "{expected} missing from\n{}", references.output);
    }

    let hover = lsp.execute(call("hover", "main.py", 4, 7)).await;
    assert!(hover.output.contains("(function) def greet(name: str) -> str"), "{}", hover.output);

    let symbols = lsp.execute(json!({"operation": "document_symbols", "file_path": "lib.py"})).await;
    let outline: Vec<&str> = symbols.output.lines().collect();
    assert_eq!(outline[0], "4 symbols in lib.py:", "{}", symbols.output);
    assert!(outline.contains(&"function greet (1:5)"), "{}", symbols.output);
    assert!(outline.contains(&"class Greeter (5:7)"), "{}", symbols.output);
    assert!(outline.contains(&"  method hello (6:9)"), "{}", symbols.output);

    let no_position = lsp.execute(json!({"operation": "hover", "file_path": "main.py"})).await;
    assert!(no_position.is_error && no_position.output.contains("needs `line` and `character`"));
    manager.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_is_followed_by_the_new_diagnostics() {
    let dir = project();
    let manager = manager(dir.path());
    let observer = DiagnosticsAfterEdit::new(Arc::clone(&manager));
    let lib = dir.path().join("lib.py");
    assert_eq!(
        observer.after_edit(&lib).await.unwrap(),
        "Diagnostics from the python language server after this change:\nNo diagnostics in lib.py."
    );
    std::fs::write(&lib, LIB.replace("return \"hello \" + name", "return 42")).unwrap();
    let note = observer.after_edit(&lib).await.unwrap();
    assert!(
        note.contains("lib.py:2:12: error: Type \"Literal[42]\" is not assignable to return type \"str\""),
        "{note}"
    );
    assert_eq!(observer.after_edit(&dir.path().join("notes.txt")).await, None, "no server, nothing to add");
    manager.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_the_manager_leaves_no_server_running() {
    let dir = project();
    let manager = manager(dir.path());
    tool(dir.path(), &manager).execute(json!({"operation": "document_symbols", "file_path": "lib.py"})).await;
    let pids = manager.pids();
    assert_eq!(pids.len(), 1);
    assert!(process_exists(pids[0]));
    drop(manager);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while process_exists(pids[0]) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!process_exists(pids[0]), "the server outlived its manager");
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_stops_the_server_politely() {
    let dir = project();
    let manager = manager(dir.path());
    tool(dir.path(), &manager).execute(json!({"operation": "diagnostics", "file_path": "lib.py"})).await;
    let pid = manager.pids()[0];
    manager.shutdown().await;
    assert!(manager.pids().is_empty());
    assert!(!process_exists(pid), "the server is still running after shutdown");
}
