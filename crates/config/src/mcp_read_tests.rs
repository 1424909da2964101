//! Reading MCP servers from every place, through `load` and `mcp_servers` as the binary does.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::mcp::McpTransport;
use crate::{ConfigError, Overrides, load};
use std::path::Path;
use std::time::Duration;

struct Setup {
    home: tempfile::TempDir,
    project: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let setup = Self { home: tempfile::tempdir().unwrap(), project: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(setup.home.path().join(".claurst")).unwrap();
        std::fs::write(setup.project.path().join(".claurst.toml"), "").unwrap();
        setup
    }

    fn user(&self, text: &str) -> &Self {
        std::fs::write(self.home.path().join(".claurst/config.toml"), text).unwrap();
        self
    }

    fn project_file(&self, name: &str, text: &str) -> &Self {
        std::fs::write(self.project.path().join(name), text).unwrap();
        self
    }

    fn env(&self) -> Environment {
        let home = self.home.path().to_str().unwrap();
        Environment::from_pairs([("HOME", home), ("TOKEN", "s3cret")])
    }

    fn load(&self) -> Result<LoadedConfig, ConfigError> {
        load(self.project.path(), &self.env(), &Overrides::default())
    }

    fn servers(&self, flags: &McpFlags) -> McpServerSet {
        mcp_servers(&self.load().unwrap(), flags, &self.env()).unwrap()
    }
}

const USER: &str = r#"
[mcp_servers.github]
command = "gh-mcp"
args = ["--stdio"]
env = { GH_TOKEN = "${TOKEN}" }
startup_timeout_secs = 5
disabled_tools = ["delete_repo"]

[mcp_servers.docs]
url = "https://docs.example/mcp"
headers = { Authorization = "Bearer $TOKEN" }
enabled = false
"#;

#[test]
fn toml_entries_are_read_with_their_scope() {
    let setup = Setup::new();
    setup.user(USER).project_file(
        ".claurst.toml",
        "[mcp_servers.lint]\ntype = \"sse\"\nurl = \"http://127.0.0.1:9/sse\"\n",
    );
    let set = setup.servers(&McpFlags::default());
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    let names: Vec<_> = set.servers.iter().map(|server| (server.name.as_str(), server.scope)).collect();
    assert_eq!(names, [("docs", McpScope::User), ("github", McpScope::User), ("lint", McpScope::Project)]);
    let github = set.get("github").unwrap();
    assert_eq!(
        github.transport,
        McpTransport::Stdio {
            command: "gh-mcp".into(),
            args: vec!["--stdio".into()],
            env: [("GH_TOKEN".to_string(), "s3cret".to_string())].into(),
            cwd: None,
        }
    );
    assert_eq!(github.startup_timeout, Duration::from_secs(5));
    assert!(!github.offers_tool("delete_repo") && github.offers_tool("list_issues"));
    let docs = set.get("docs").unwrap();
    assert!(!docs.enabled);
    let McpTransport::Http { headers, .. } = &docs.transport else { panic!("{docs:?}") };
    assert_eq!(headers["Authorization"], "Bearer s3cret");
    assert!(matches!(set.get("lint").unwrap().transport, McpTransport::Sse { .. }));
}

#[test]
fn wrong_types_name_the_file_key_and_fix() {
    let setup = Setup::new();
    setup.user("[mcp_servers.db]\ncommand = \"db\"\nargs = \"--fast\"\n");
    let error = setup.load().unwrap_err().to_string();
    assert!(error.contains("config.toml:3: key `mcp_servers.db.args` must be a list of strings"), "{error}");

    setup.user("[mcp_servers.db]\ncommand = \"db\"\nurl = \"http://x\"\n");
    let error = setup.load().unwrap_err().to_string();
    assert!(error.contains("mcp_servers.db.url"), "{error}");

    setup.user("[mcp_servers.db]\nargs = []\n");
    let error = setup.load().unwrap_err().to_string();
    assert!(error.contains("config.toml:1: key `mcp_servers.db`") && error.contains("command"), "{error}");

    setup.user("[mcp_servers.\"a b\"]\ncommand = \"x\"\n");
    assert!(setup.load().unwrap_err().to_string().contains("letters, digits"));
}

#[test]
fn unknown_keys_are_warnings() {
    let setup = Setup::new();
    setup.user("[mcp_servers.db]\ncommand = \"db\"\ncomand = \"typo\"\n");
    let loaded = setup.load().unwrap();
    assert!(loaded.warnings.iter().any(|w| w.contains("config.toml:3: unknown key `mcp_servers.db.comand`")));
}

const MCP_JSON: &str = r#"{
  "mcpServers": {
    "github": {"command": "${BIN:-npx}", "args": ["-y", "gh", "$TOKEN"], "env": {"T": "${TOKEN}"}},
    "remote": {"type": "http", "url": "https://${HOST:-api.example}/mcp", "headers": {"X-Key": "${TOKEN}"}},
    "old": {"type": "sse", "url": "http://127.0.0.1:1/sse", "extra": 1}
  }
}"#;

#[test]
fn mcp_json_is_read_and_expanded_and_project_wins_over_user() {
    let setup = Setup::new();
    setup.user(USER).project_file(".mcp.json", MCP_JSON);
    let set = setup.servers(&McpFlags::default());
    let github = set.get("github").unwrap();
    assert_eq!(github.scope, McpScope::ProjectJson);
    let McpTransport::Stdio { command, args, env, .. } = &github.transport else { panic!("{github:?}") };
    assert_eq!(command, "npx");
    // A bare `$` stays literal in JSON, as in Claude Code.
    assert_eq!(args, &["-y", "gh", "$TOKEN"]);
    assert_eq!(env["T"], "s3cret");
    let McpTransport::Http { url, headers } = &set.get("remote").unwrap().transport else { panic!() };
    assert_eq!((url.as_str(), headers["X-Key"].as_str()), ("https://api.example/mcp", "s3cret"));
    // Users are shown what was written, never a replaced value.
    assert_eq!(github.shown_target(), "${BIN:-npx} -y gh $TOKEN");
    assert_eq!(set.get("remote").unwrap().shown_target(), "https://${HOST:-api.example}/mcp");
    assert_eq!(
        set.overridden.iter().map(|s| (s.name.as_str(), s.scope)).collect::<Vec<_>>(),
        [("github", McpScope::User)]
    );
    assert!(set.warnings.iter().any(|w| w.contains("mcpServers.old.extra")), "{:?}", set.warnings);
}

#[test]
fn flags_win_and_strict_keeps_only_them() {
    let setup = Setup::new();
    setup.user(USER).project_file(".mcp.json", MCP_JSON);
    let file = setup.project.path().join("extra.json");
    std::fs::write(&file, r#"{"mcpServers": {"docs": {"command": "local-docs"}}}"#).unwrap();
    let flags = McpFlags {
        configs: vec![
            "extra.json".into(),
            r#"{"mcpServers": {"inline": {"url": "http://127.0.0.1:2/mcp"}}}"#.into(),
        ],
        strict: false,
        cwd: setup.project.path().to_path_buf(),
    };
    let set = setup.servers(&flags);
    assert_eq!(set.get("docs").unwrap().scope, McpScope::Flag);
    assert_eq!(set.get("docs").unwrap().source.as_deref(), Some(file.as_path()));
    assert_eq!(set.get("inline").unwrap().source, None);
    assert_eq!(set.servers.len(), 5);

    let set = setup.servers(&McpFlags { strict: true, ..flags });
    let names: Vec<_> = set.servers.iter().map(|server| server.name.as_str()).collect();
    assert_eq!(names, ["docs", "inline"]);
}

#[test]
fn bad_flag_values_are_errors() {
    let mut warnings = Vec::new();
    let error =
        mcp_json::read_flag_value("{not json", Path::new("/"), &mut warnings).unwrap_err().to_string();
    assert!(error.contains("--mcp-config") && error.contains("not valid JSON"), "{error}");
    let error =
        mcp_json::read_flag_value("missing.json", Path::new("/nonexistent"), &mut warnings).unwrap_err();
    assert!(error.to_string().contains("/nonexistent/missing.json"), "{error}");
    let error =
        mcp_json::read_flag_value(r#"{"mcpServers": {"x": {"args": []}}}"#, Path::new("/"), &mut warnings)
            .unwrap_err()
            .to_string();
    assert!(error.contains("mcpServers.x") && error.contains("command"), "{error}");
}

#[test]
fn an_sdk_entry_names_a_server_the_driving_program_serves() {
    let mut warnings = Vec::new();
    let value = r#"{"mcpServers": {"calc": {"type": "sdk", "name": "calc"}}}"#;
    let servers = mcp_json::read_flag_value(value, Path::new("/"), &mut warnings).unwrap();
    assert_eq!(servers[0].name, "calc");
    assert_eq!(servers[0].transport, McpTransport::Sdk);
    assert!(warnings.is_empty(), "the repeated name is expected: {warnings:?}");
}

#[test]
fn fingerprint_is_of_the_definition_as_written() {
    let setup = Setup::new();
    setup.project_file(".mcp.json", r#"{"mcpServers": {"a": {"command": "x", "env": {"K": "${TOKEN}"}}}}"#);
    let before = setup.servers(&McpFlags::default()).get("a").unwrap().fingerprint.clone();
    // Same definition, other spelling and another value of the variable: same fingerprint.
    let home = setup.home.path().to_str().unwrap();
    let other_env = Environment::from_pairs([("HOME", home), ("TOKEN", "changed")]);
    setup.project_file(
        ".mcp.json",
        "{\"mcpServers\":{\"a\":{\"env\":{\"K\":\"${TOKEN}\"},\"type\":\"stdio\",\"command\":\"x\"}}}",
    );
    let again = mcp_servers(&setup.load().unwrap(), &McpFlags::default(), &other_env).unwrap();
    assert_eq!(again.get("a").unwrap().fingerprint, before);
    // The same server in TOML is the same definition.
    setup.project_file(".mcp.json", "{}");
    setup.project_file(".claurst.toml", "[mcp_servers.a]\ncommand = \"x\"\nenv = { K = \"${TOKEN}\" }\n");
    assert_eq!(setup.servers(&McpFlags::default()).get("a").unwrap().fingerprint, before);
    setup.project_file(".claurst.toml", "[mcp_servers.a]\ncommand = \"x\"\nargs = [\"--evil\"]\n");
    assert_ne!(setup.servers(&McpFlags::default()).get("a").unwrap().fingerprint, before);
}

#[test]
fn add_json_entry() {
    let mut warnings = Vec::new();
    let server =
        read_mcp_json_entry("w", r#"{"type":"http","url":"https://x"}"#, McpScope::User, &mut warnings)
            .unwrap();
    assert!(matches!(server.transport, McpTransport::Http { .. }));
    assert!(read_mcp_json_entry("w", r#"{"type":"ws","url":"x"}"#, McpScope::User, &mut warnings).is_err());
    assert!(read_mcp_json_entry("bad name", r#"{"command":"x"}"#, McpScope::User, &mut warnings).is_err());
}
