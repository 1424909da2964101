//! `claurst mcp add|add-json|list|get|remove|approve|reset-project-choices` through the real binary, with a
//! temporary HOME: what each writes, that the user's comments survive, and that mistakes are refused.

use crate::{BIN, run, stderr, stdout};
use claurst_test_support::{TempProject, claurst_command, describe};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn project() -> TempProject {
    let project = TempProject::new();
    project.git_init();
    project
}

fn mcp(project: &TempProject, args: &[&str]) -> Output {
    let mut command = claurst_command(Path::new(BIN), project, None);
    command.arg("mcp").args(args).env("TOKEN", "s3cret-value");
    run(&mut command)
}

fn ok(project: &TempProject, args: &[&str]) -> String {
    let output = mcp(project, args);
    assert!(output.status.success(), "claurst mcp {args:?} failed:\n{}", describe(&output));
    stdout(&output)
}

fn fails(project: &TempProject, args: &[&str]) -> String {
    let output = mcp(project, args);
    assert!(!output.status.success(), "claurst mcp {args:?} should fail:\n{}", describe(&output));
    stderr(&output)
}

fn user_config(project: &TempProject) -> String {
    std::fs::read_to_string(project.home().join(".claurst/config.toml")).unwrap()
}

fn mcp_json(project: &TempProject) -> Value {
    serde_json::from_str(&project.read(".mcp.json")).unwrap()
}

const SETTINGS: &str = "# my settings, keep me\n[api]\nmodel = \"claude-x\" # pinned on purpose\n\n[tools]\nallow = [\"Bash(git *)\"]\n";

#[test]
fn add_and_remove_in_user_scope_keep_the_users_file() {
    let project = project();
    project.write_home(".claurst/config.toml", SETTINGS);
    ok(&project, &["add", "-e", "API_KEY=${TOKEN}", "db", "--", "npx", "-y", "db-server", "--port", "5"]);
    ok(&project, &["add", "web", "https://example.com/mcp", "-H", "Authorization: Bearer ${TOKEN}"]);
    let text = user_config(&project);
    assert!(text.starts_with(SETTINGS), "the user's text moved or changed:\n{text}");
    assert!(
        text.contains(
            "[mcp_servers.db]\ncommand = \"npx\"\nargs = [\"-y\", \"db-server\", \"--port\", \"5\"]\nenv = { API_KEY = \"${TOKEN}\" }\n"
        ),
        "{text}"
    );
    assert!(text.contains("[mcp_servers.web]\nurl = \"https://example.com/mcp\"\n"), "{text}");

    // The same name again is refused, and the file is untouched.
    let error = fails(&project, &["add", "db", "other-command"]);
    assert!(error.contains("already defined") && error.contains("claurst mcp remove db"), "{error}");
    assert_eq!(user_config(&project), text);

    let listed = ok(&project, &["list"]);
    assert!(listed.contains("db") && listed.contains("npx -y db-server --port 5"), "{listed}");
    assert!(listed.contains("https://example.com/mcp") && listed.contains("not checked"), "{listed}");

    let shown = ok(&project, &["get", "web"]);
    assert!(shown.contains("Header:") && shown.contains("Bearer ${TOKEN}"), "{shown}");
    assert!(!shown.contains("s3cret-value"), "a secret was shown:\n{shown}");

    ok(&project, &["remove", "db"]);
    ok(&project, &["remove", "web"]);
    assert_eq!(user_config(&project), SETTINGS);
    let error = fails(&project, &["remove", "db"]);
    assert!(error.contains("no MCP server named `db`"), "{error}");
}

#[test]
fn literal_secrets_are_masked_in_get() {
    let project = project();
    ok(&project, &["add", "-e", "API_KEY=literal-secret", "db", "db-server"]);
    let shown = ok(&project, &["get", "db"]);
    assert!(shown.contains("API_KEY=****") && !shown.contains("literal-secret"), "{shown}");
    let error = fails(&project, &["get", "nope"]);
    assert!(error.contains("no MCP server named `nope`"), "{error}");
}

#[test]
fn project_scope_writes_mcp_json_and_remove_asks_which_scope() {
    let project = project();
    ok(&project, &["add", "--scope", "project", "lint", "--", "lint-mcp", "--fast"]);
    ok(
        &project,
        &["add-json", "--scope", "project", "remote", r#"{"type":"sse","url":"http://127.0.0.1:9/sse"}"#],
    );
    let json = mcp_json(&project);
    assert_eq!(json["mcpServers"]["lint"]["command"], "lint-mcp");
    assert_eq!(json["mcpServers"]["lint"]["args"][0], "--fast");
    assert_eq!(json["mcpServers"]["remote"]["type"], "sse");

    // The user typed it, so it is approved here; a change to it must be approved again.
    let listed = ok(&project, &["list"]);
    assert!(listed.contains("project (.mcp.json)") && listed.contains("approved"), "{listed}");
    let edited = project.read(".mcp.json").replace("--fast", "--evil");
    project.write(".mcp.json", edited);
    assert!(ok(&project, &["list"]).contains("needs approval"));
    ok(&project, &["approve", "lint"]);
    assert!(!ok(&project, &["list"]).contains("needs approval"));
    assert!(ok(&project, &["reset-project-choices"]).contains("Forgot 2"));
    assert!(ok(&project, &["list"]).contains("needs approval"));

    ok(&project, &["add-json", "lint", r#"{"command":"my-lint"}"#]);
    let listed = ok(&project, &["list"]);
    assert!(listed.contains("overridden"), "the project's definition wins over the user's:\n{listed}");
    let error = fails(&project, &["remove", "lint"]);
    assert!(error.contains("several scopes") && error.contains("--scope"), "{error}");
    ok(&project, &["remove", "lint", "--scope", "project"]);
    assert!(mcp_json(&project)["mcpServers"].get("lint").is_none());
    assert!(user_config(&project).contains("[mcp_servers.lint]"));
    let error = fails(&project, &["approve", "lint"]);
    assert!(error.contains("needs no approval"), "{error}");
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let project = project();
    let error = fails(&project, &["add", "bad name", "x"]);
    assert!(error.contains("letters, digits"), "{error}");
    let error = fails(&project, &["add", "-e", "NOEQUALS", "db", "x"]);
    assert!(error.contains("KEY=VALUE"), "{error}");
    let error = fails(&project, &["add-json", "db", "{not json"]);
    assert!(error.contains("not valid JSON"), "{error}");
    let error = fails(&project, &["add-json", "db", r#"{"type":"http"}"#]);
    assert!(error.contains("url"), "{error}");
    let error = fails(&project, &["add-json", "calc", r#"{"type":"sdk","name":"calc"}"#]);
    assert!(error.contains("in-process SDK server"), "{error}");
    assert!(!project.home().join(".claurst/config.toml").exists(), "nothing is written after a refusal");

    // A broken config file is reported, never overwritten.
    project.write_home(".claurst/config.toml", "[api\nmodel = 1\n");
    let error = fails(&project, &["add", "db", "x"]);
    assert!(error.contains("config.toml"), "{error}");
    assert_eq!(user_config(&project), "[api\nmodel = 1\n");
}
