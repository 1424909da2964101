//! `grep` checked against the `rg` binary on one fixture tree: same files, same lines, for every output
//! mode and filter. CI installs ripgrep; without it these tests fail rather than pass vacuously.

use crate::Project;
use serde_json::{Value, json};
use std::process::Command;

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

/// `rg` with `args` in the fixture, or a failure saying how to install it.
fn rg(project: &Project, args: &[&str]) -> String {
    let output = Command::new("rg")
        .args(["--no-heading", "--color", "never"])
        .args(args)
        .current_dir(project.root())
        .env_remove("RIPGREP_CONFIG_PATH")
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "ripgrep (`rg`) must be on PATH to check the grep tool against it ({error}); install it \
                 (Debian/Ubuntu: apt-get install ripgrep)"
            )
        });
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "rg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn sorted(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

async fn compare(project: &Project, input: Value, rg_args: &[&str]) {
    let ours = project.ok("grep", input.clone()).await;
    let ours = if ours == "No matches found." { String::new() } else { ours };
    let theirs = rg(project, rg_args);
    assert!(!theirs.trim().is_empty(), "rg {rg_args:?} found nothing: the case checks nothing");
    assert_eq!(sorted(&ours), sorted(&theirs), "grep {input} differs from rg {rg_args:?}");
}

#[tokio::test]
async fn files_with_matches_and_count_match_rg() {
    let project = fixture();
    compare(&project, json!({"pattern": "TODO"}), &["-l", "TODO"]).await;
    compare(&project, json!({"pattern": "fn \\w+", "output_mode": "count"}), &["-c", "fn \\w+"]).await;
    compare(
        &project,
        json!({"pattern": "error", "-i": true, "output_mode": "count"}),
        &["-c", "-i", "error"],
    )
    .await;
    compare(&project, json!({"pattern": "^pub (fn|mod)"}), &["-l", "^pub (fn|mod)"]).await;
}

#[tokio::test]
async fn content_matches_rg() {
    let project = fixture();
    compare(&project, json!({"pattern": "error", "output_mode": "content"}), &["-n", "error"]).await;
    compare(
        &project,
        json!({"pattern": "error", "output_mode": "content", "-i": true}),
        &["-n", "-i", "error"],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO", "output_mode": "content", "-n": false}),
        &["--no-line-number", "TODO"],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO", "output_mode": "content", "path": "src"}),
        &["-n", "TODO", "src"],
    )
    .await;
}

#[tokio::test]
async fn context_lines_match_rg() {
    let project = fixture();
    compare(
        &project,
        json!({"pattern": "TODO", "output_mode": "content", "-C": 1}),
        &["-n", "-C", "1", "TODO"],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO", "output_mode": "content", "-A": 2}),
        &["-n", "-A", "2", "TODO"],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO", "output_mode": "content", "-B": 3}),
        &["-n", "-B", "3", "TODO"],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO", "output_mode": "content", "-B": 1, "-A": 2}),
        &["-n", "-B", "1", "-A", "2", "TODO"],
    )
    .await;
}

#[tokio::test]
async fn glob_and_type_filters_match_rg() {
    let project = fixture();
    compare(&project, json!({"pattern": "TODO", "glob": "*.rs"}), &["-l", "--glob", "*.rs", "TODO"]).await;
    compare(
        &project,
        json!({"pattern": "TODO", "glob": "*.{js,ts}"}),
        &["-l", "--glob", "*.{js,ts}", "TODO"],
    )
    .await;
    compare(&project, json!({"pattern": "TODO", "glob": "!*.md"}), &["-l", "--glob", "!*.md", "TODO"]).await;
    compare(&project, json!({"pattern": "TODO", "type": "py"}), &["-l", "--type", "py", "TODO"]).await;
    compare(
        &project,
        json!({"pattern": "error", "type": "rust", "output_mode": "content", "-i": true}),
        &["-n", "-i", "--type", "rust", "error"],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO", "type": "md", "output_mode": "count"}),
        &["-c", "--type", "md", "TODO"],
    )
    .await;
}

#[tokio::test]
async fn multiline_matches_rg() {
    let project = fixture();
    let pattern = "fn main\\(\\) \\{\\n\\s+let";
    compare(
        &project,
        json!({"pattern": pattern, "multiline": true, "output_mode": "content"}),
        &["-n", "-U", "--multiline-dotall", pattern],
    )
    .await;
    compare(
        &project,
        json!({"pattern": "TODO.*?\\}", "multiline": true}),
        &["-l", "-U", "--multiline-dotall", "TODO.*?\\}"],
    )
    .await;
}
