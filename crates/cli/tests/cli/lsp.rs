//! The real binary with a real language server (pyright from npm): the model's `lsp` call is answered from
//! the server and the answer reaches the next request; an edit with `[lsp] diagnostics_after_edit` returns
//! the error it introduced; a server that is not installed is a tool error saying how to configure one; the
//! TUI shows the call by its title and key argument; nothing is left running when the session ends.

use crate::{claurst, run, tool_results};
use claurst_test_support::lsp_servers;
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe, keys};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// Long enough for a language server's first start on a busy machine.
const WAIT: Duration = Duration::from_secs(30);

const MAIN: &str =
    "def greet(name: str) -> str:\n    return \"hello \" + name\n\ncount: int = greet(\"x\")\n";

/// A project with a type error in main.py, and a user configuration pointing the python server at `command`
/// and allowing the `lsp` tool (starting a server asks otherwise).
fn project(command: &[String], after_edit: bool) -> TempProject {
    let project = TempProject::new();
    project.write("main.py", MAIN);
    let command = command.iter().map(|part| format!("{part:?}")).collect::<Vec<_>>().join(", ");
    project.write_home(
        ".claurst/config.toml",
        format!(
            "[tools]\nallow = [\"lsp\"]\n\n[lsp]\ndiagnostics_after_edit = {after_edit}\n\n\
             [lsp.python]\ncommand = [{command}]\n"
        ),
    );
    project
}

fn pyright() -> Vec<String> {
    lsp_servers::install().unwrap_or_else(|error| panic!("{error}")).command()
}

fn run_prompt(project: &TempProject, api: &MockApi) {
    let output =
        run(claurst(project, api).args(["-p", "check the code", "--permission-mode", "acceptEdits"]));
    assert!(output.status.success(), "{}", describe(&output));
}

/// Processes whose working directory is `dir`: a language server started for the project.
fn processes_in(dir: &Path) -> Vec<String> {
    let dir = dir.canonicalize().unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let cwd = std::fs::read_link(entry.path().join("cwd"));
        if cwd.is_ok_and(|cwd| cwd == dir) {
            found.push(
                std::fs::read_to_string(entry.path().join("cmdline")).unwrap_or_default().replace('\0', " "),
            );
        }
    }
    found
}

#[test]
fn the_models_lsp_call_brings_the_servers_diagnostics_to_the_next_request() {
    let project = project(&pyright(), false);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "l1",
        "lsp",
        json!({"operation": "diagnostics", "file_path": "main.py"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use(
        "l2",
        "lsp",
        json!({"operation": "definition", "file_path": "main.py", "line": 4, "character": 14}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    run_prompt(&project, &api);
    let requests = api.requests();
    let tools: Vec<&str> =
        requests[0].body["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(tools.contains(&"lsp"), "{tools:?}");
    let diagnostics = tool_results(&requests[1].body);
    assert!(!diagnostics[0].1, "{diagnostics:?}");
    assert!(
        diagnostics[0].0.starts_with("1 diagnostic in main.py (1 error):\nmain.py:4:14: error: Type \"str\""),
        "{diagnostics:?}"
    );
    let definition = tool_results(&requests[2].body);
    assert_eq!(definition[0].0, "1 definition:\nmain.py:1:5: def greet(name: str) -> str:");
    assert_eq!(
        processes_in(&project.path(".")),
        Vec::<String>::new(),
        "the language server outlived the session"
    );
}

#[test]
fn an_edit_returns_the_error_it_introduced_when_diagnostics_after_edit_is_on() {
    let project = project(&pyright(), true);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("r1", "read_file", json!({"path": "main.py"}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "e1",
        "edit_file",
        json!({"path": "main.py", "old_string": "return \"hello \" + name", "new_string": "return len(name)"}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    run_prompt(&project, &api);
    let edited = tool_results(&api.requests()[2].body);
    let (text, is_error) = &edited[0];
    assert!(!is_error && text.starts_with("Edited main.py"), "{text}");
    assert!(text.contains("Diagnostics from the python language server after this change:\n2 diagnostics in main.py (2 errors):"), "{text}");
    assert!(
        text.contains("main.py:2:12: error: Type \"int\" is not assignable to return type \"str\""),
        "{text}"
    );
}

#[test]
fn a_server_that_is_not_installed_is_a_tool_error_saying_how_to_configure_one() {
    let project = project(&["claurst-no-such-language-server".to_string(), "--stdio".to_string()], true);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "l1",
        "lsp",
        json!({"operation": "hover", "file_path": "main.py", "line": 1, "character": 5}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    run_prompt(&project, &api);
    let result = tool_results(&api.requests()[1].body);
    assert!(result[0].1, "{result:?}");
    assert!(
        result[0].0.contains(
            "the python language server `claurst-no-such-language-server --stdio` is not installed"
        ),
        "{result:?}"
    );
    assert!(result[0].0.contains("[lsp.python] command = [\"/path/to/server\", \"--stdio\"]"), "{result:?}");
}

#[test]
fn the_tui_shows_an_lsp_call_by_its_title_and_key_argument() {
    let project = project(&pyright(), false);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "l1",
        "lsp",
        json!({"operation": "diagnostics", "file_path": "main.py"}),
    )));
    api.push(Reply::stream(Turn::text_only("checked")));
    let mut session = crate::tui::start(&project, &api, 24, 100);
    session.type_text("check main.py");
    session.send(keys::ENTER);
    let screen = session.wait_for("checked", WAIT);
    assert!(screen.contains("LSP(diagnostics main.py)"), "{screen}");
    assert!(screen.contains("1 diagnostic in main.py (1 error)"), "{screen}");
}

#[test]
fn a_bad_lsp_setting_names_the_file_key_and_line() {
    let project = TempProject::new();
    let file = project
        .write_home(".claurst/config.toml", "[lsp]\n\n[lsp.python]\ncommand = \"pyright-langserver\"\n");
    let api = MockApi::start();
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let error = crate::stderr(&output);
    assert!(error.contains(&format!("{}:4", file.display())), "{error}");
    assert!(error.contains("lsp.python.command") && error.contains("a non-empty list of strings"), "{error}");
}

#[test]
fn a_project_file_cannot_choose_the_server_command() {
    let project = project(&pyright(), false);
    project.write(".claurst.toml", "[lsp.python]\ncommand = [\"claurst-no-such-language-server\"]\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "l1",
        "lsp",
        json!({"operation": "diagnostics", "file_path": "main.py"}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "check", "--permission-mode", "acceptEdits"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(
        crate::stderr(&output).contains("`lsp.python.command` is read from ~/.claurst/config.toml only"),
        "{}",
        describe(&output)
    );
    let result = tool_results(&api.requests()[1].body);
    assert!(!result[0].1 && result[0].0.contains("main.py:4:14: error"), "{result:?}");
}

#[test]
fn starting_a_language_server_needs_the_users_approval() {
    // The "server" would leave a marker: a server runs the project's code, outside the sandbox.
    let project = TempProject::new();
    project.write("main.py", MAIN);
    let marker = project.path("server-ran");
    project.write_home(
        ".claurst/config.toml",
        format!("[lsp.python]\ncommand = [\"sh\", \"-c\", \"touch {}\"]\n", marker.display()),
    );
    // A cloned repository cannot switch diagnostics after edits on either (it would start servers).
    project.write(".claurst.toml", "[lsp]\ndiagnostics_after_edit = true\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use(
        "l1",
        "lsp",
        json!({"operation": "diagnostics", "file_path": "main.py"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use("r1", "read_file", json!({"path": "main.py"}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "e1",
        "edit_file",
        json!({"path": "main.py", "old_string": "count", "new_string": "total"}),
    )));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "check", "--permission-mode", "acceptEdits"]));
    assert!(output.status.success(), "{}", describe(&output));
    let refused = tool_results(&api.requests()[1].body);
    assert!(refused[0].1 && refused[0].0.contains("approval"), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("diagnostics_after_edit"),
        "{}",
        describe(&output)
    );
    assert!(project.read("main.py").contains("total"), "the edit itself ran");
    assert!(!marker.exists(), "no language server may start without the user's approval");
}
