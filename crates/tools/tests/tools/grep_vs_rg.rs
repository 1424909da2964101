//! `grep` checked against ripgrep on one fixture tree: same files, same lines, for every output mode and
//! filter.
//!
//! What `rg` printed for each case is recorded in `rg_expected.json` beside this file, so the check runs on a
//! machine without ripgrep. When `rg` is on PATH, each case is also compared with it live. To record the
//! expectations again (after adding a case, or to follow a new ripgrep), install ripgrep and run
//! `cargo test -p claurst-tools --test tools grep_vs_rg::record_rg_expectations -- --ignored`.

use crate::Project;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// One comparison: the grep tool's input and the `rg` arguments that should find the same.
struct Case {
    input: &'static str,
    rg: &'static [&'static str],
}

const fn case(input: &'static str, rg: &'static [&'static str]) -> Case {
    Case { input, rg }
}

const FILES_AND_COUNTS: &[Case] = &[
    case(r#"{"pattern": "TODO"}"#, &["-l", "TODO"]),
    case(r#"{"pattern": "fn \\w+", "output_mode": "count"}"#, &["-c", "fn \\w+"]),
    case(r#"{"pattern": "error", "-i": true, "output_mode": "count"}"#, &["-c", "-i", "error"]),
    case(r#"{"pattern": "^pub (fn|mod)"}"#, &["-l", "^pub (fn|mod)"]),
];

const CONTENT: &[Case] = &[
    case(r#"{"pattern": "error", "output_mode": "content"}"#, &["-n", "error"]),
    case(r#"{"pattern": "error", "output_mode": "content", "-i": true}"#, &["-n", "-i", "error"]),
    case(r#"{"pattern": "TODO", "output_mode": "content", "-n": false}"#, &["--no-line-number", "TODO"]),
    case(r#"{"pattern": "TODO", "output_mode": "content", "path": "src"}"#, &["-n", "TODO", "src"]),
];

const CONTEXT: &[Case] = &[
    case(r#"{"pattern": "TODO", "output_mode": "content", "-C": 1}"#, &["-n", "-C", "1", "TODO"]),
    case(r#"{"pattern": "TODO", "output_mode": "content", "-A": 2}"#, &["-n", "-A", "2", "TODO"]),
    case(r#"{"pattern": "TODO", "output_mode": "content", "-B": 3}"#, &["-n", "-B", "3", "TODO"]),
    case(
        r#"{"pattern": "TODO", "output_mode": "content", "-B": 1, "-A": 2}"#,
        &["-n", "-B", "1", "-A", "2", "TODO"],
    ),
];

const FILTERS: &[Case] = &[
    case(r#"{"pattern": "TODO", "glob": "*.rs"}"#, &["-l", "--glob", "*.rs", "TODO"]),
    case(r#"{"pattern": "TODO", "glob": "*.{js,ts}"}"#, &["-l", "--glob", "*.{js,ts}", "TODO"]),
    case(r#"{"pattern": "TODO", "glob": "!*.md"}"#, &["-l", "--glob", "!*.md", "TODO"]),
    case(r#"{"pattern": "TODO", "type": "py"}"#, &["-l", "--type", "py", "TODO"]),
    case(
        r#"{"pattern": "error", "type": "rust", "output_mode": "content", "-i": true}"#,
        &["-n", "-i", "--type", "rust", "error"],
    ),
    case(r#"{"pattern": "TODO", "type": "md", "output_mode": "count"}"#, &["-c", "--type", "md", "TODO"]),
];

const MULTILINE: &[Case] = &[
    case(
        r#"{"pattern": "fn main\\(\\) \\{\\n\\s+let", "multiline": true, "output_mode": "content"}"#,
        &["-n", "-U", "--multiline-dotall", "fn main\\(\\) \\{\\n\\s+let"],
    ),
    case(
        r#"{"pattern": "TODO.*?\\}", "multiline": true}"#,
        &["-l", "-U", "--multiline-dotall", "TODO.*?\\}"],
    ),
];

const ALL: &[&[Case]] = &[FILES_AND_COUNTS, CONTENT, CONTEXT, FILTERS, MULTILINE];

fn fixture() -> Project {
    let project = Project::new();
    // An empty .git makes the fixture a repository, so `rg` honours the .gitignore as the tool always does.
    std::fs::create_dir(project.path(".git")).unwrap();
    project.write(".gitignore", "target/\n*.log\nignored_dir/\n");
    project.write(
        "src/main.rs",
        "// TODO: split main\nfn main() {\n    let result = run();\n    if let Err(error) = result {\n        eprintln!(\"Error: {error}\");\n    }\n}\n\nfn run() -> Result<(), String> {\n    Ok(())\n}\n",
    );
    project.write(
        "src/lib.rs",
        "pub mod util;\n\n/// An ERROR type.\npub struct Error;\n\n// todo lower case\n// TODO: document\npub fn parse() {}\n",
    );
    project.write(
        "src/util/mod.rs",
        "pub mod helpers;\n\npub fn helper() -> u32 {\n    // TODO one\n    1\n}\n\n\n\n\npub fn other() {\n    // TODO two\n}\n",
    );
    project.write("src/util/helpers.rs", "fn private() {}\nfn error_case() {}\n");
    project.write(
        "py/app.py",
        "def main():\n    # TODO: handle error\n    raise ValueError('error')\n\nclass Error(Exception):\n    pass\n",
    );
    project.write("py/test_app.py", "def test_main():\n    assert True  # TODO\n");
    project.write("web/index.js", "function main() {\n  // TODO\n  throw new Error('x');\n}\n");
    project.write("web/app.ts", "export const error: string = 'TODO';\n");
    project.write("web/style.css", "body { color: red; } /* TODO */\n");
    project.write("docs/README.md", "# Title\n\nTODO: write the docs.\nAn error section.\n");
    project.write("docs/deep/a/b/guide.md", "Nested TODO here\nfn in markdown\n");
    project.write("target/debug/gen.rs", "// TODO generated\nfn generated() {}\n");
    project.write("ignored_dir/x.rs", "// TODO ignored\n");
    project.write("app.log", "TODO error in log\n");
    project.write(".hidden/secret.rs", "// TODO hidden\nfn hidden() {}\n");
    project.write(".env", "TODO=1\n");
    project.write("bin/data.bin", b"TODO\0\x01\x02binary error\n");
    project
}

/// Where `rg`'s recorded output lives.
fn expectations_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tools/rg_expected.json")
}

/// The key of a case in the recording: its `rg` arguments, one per line.
fn key(case: &Case) -> String {
    case.rg.join("\n")
}

fn recorded() -> BTreeMap<String, String> {
    let path = expectations_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let file: Value = serde_json::from_str(&text).unwrap();
    serde_json::from_value(file["cases"].clone()).unwrap()
}

/// `rg` with `args` in the fixture, or `None` when ripgrep is not installed.
fn live_rg(project: &Project, args: &[&str]) -> Option<String> {
    let output = Command::new("rg")
        .args(["--no-heading", "--color", "never"])
        .args(args)
        .current_dir(project.root())
        .env_remove("RIPGREP_CONFIG_PATH")
        .output()
        .ok()?;
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "rg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

fn sorted(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

async fn check(cases: &[Case]) {
    let project = fixture();
    let recorded = recorded();
    for case in cases {
        let input: Value = serde_json::from_str(case.input).unwrap();
        let ours = project.ok("grep", input.clone()).await;
        let ours = if ours == "No matches found." { String::new() } else { ours };
        let expected = recorded.get(&key(case)).unwrap_or_else(|| {
            panic!(
                "rg {:?} has no recorded output: record the expectations again (see the module doc)",
                case.rg
            )
        });
        assert!(!expected.trim().is_empty(), "rg {:?} found nothing: the case checks nothing", case.rg);
        assert_eq!(sorted(&ours), sorted(expected), "grep {input} differs from rg {:?} (recorded)", case.rg);
        if let Some(live) = live_rg(&project, case.rg) {
            assert_eq!(sorted(&ours), sorted(&live), "grep {input} differs from rg {:?} (live)", case.rg);
        }
    }
}

#[tokio::test]
async fn files_with_matches_and_count_match_rg() {
    check(FILES_AND_COUNTS).await;
}

#[tokio::test]
async fn content_matches_rg() {
    check(CONTENT).await;
}

#[tokio::test]
async fn context_lines_match_rg() {
    check(CONTEXT).await;
}

#[tokio::test]
async fn glob_and_type_filters_match_rg() {
    check(FILTERS).await;
}

#[tokio::test]
async fn multiline_matches_rg() {
    check(MULTILINE).await;
}

/// Every case is recorded: a case added without recording fails here as well as in its own test.
#[test]
fn every_case_is_recorded() {
    let recorded = recorded();
    for case in ALL.iter().flat_map(|cases| cases.iter()) {
        assert!(recorded.contains_key(&key(case)), "rg {:?} is not recorded", case.rg);
    }
}

/// Runs ripgrep on every case and writes `rg_expected.json`. Needs `rg` on PATH; run it by hand (module doc).
#[test]
#[ignore = "writes the recorded expectations; needs ripgrep"]
fn record_rg_expectations() {
    let project = fixture();
    let mut cases = BTreeMap::new();
    for case in ALL.iter().flat_map(|cases| cases.iter()) {
        let output =
            live_rg(&project, case.rg).unwrap_or_else(|| panic!("ripgrep (`rg`) must be on PATH to record"));
        cases.insert(key(case), output);
    }
    let version = Command::new("rg").arg("--version").output().unwrap();
    let version = String::from_utf8_lossy(&version.stdout).lines().next().unwrap_or_default().to_string();
    let file = json!({"recorded_with": version, "cases": cases});
    std::fs::write(expectations_path(), serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
}
