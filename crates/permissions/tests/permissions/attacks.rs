//! The attack corpus (`tests/attacks/*.toml`, described in its README) against the engine, on a real
//! temporary project with symlinks, a `.git` directory and a fake home. Every failing case is listed.

use claurst_permissions::{Access, Grant, PermissionEngine, PermissionPolicy, RuleSet, Verdict};
use claurst_protocol::PermissionMode;
use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct CorpusFile {
    class: String,
    mode: Option<String>,
    expect: Option<String>,
    cases: Vec<Case>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Case {
    command: Option<String>,
    tool: Option<String>,
    path: Option<String>,
    mode: Option<String>,
    expect: Option<String>,
    why: Option<String>,
    cwd: Option<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    ask: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    git_config: Option<String>,
    home_gitconfig: Option<String>,
}

/// The project the corpus is played against (see the corpus README for its layout).
struct Playground {
    _dir: tempfile::TempDir,
    base: PathBuf,
}

impl Playground {
    fn new() -> Playground {
        let (dir, base) = super::temp_tree(&[
            "proj/src/main.rs",
            "proj/README.md",
            "proj/secrets/key",
            "proj/.git/HEAD",
            "outside/secret.txt",
            "home/.ssh/id_rsa",
        ]);
        fs::create_dir_all(base.join("proj/sub")).unwrap();
        fs::create_dir_all(base.join("proj/docs")).unwrap();
        let link = |target: &str, at: &str| std::os::unix::fs::symlink(target, base.join(at)).unwrap();
        link("../../outside", "proj/docs/out");
        link("../outside", "proj/link");
        link("/etc/passwd", "proj/escape");
        link(".git", "proj/gitlink");
        Playground { _dir: dir, base }
    }

    fn project(&self) -> PathBuf {
        self.base.join("proj")
    }

    fn expand(&self, text: &str) -> String {
        text.replace("{outside}", &self.base.join("outside").display().to_string())
            .replace("{home}", &self.base.join("home").display().to_string())
    }

    fn engine(&self, mode: PermissionMode, case: &Case) -> PermissionEngine {
        let expand = |rules: &[String]| rules.iter().map(|r| self.expand(r)).collect::<Vec<_>>();
        let rules = RuleSet::parse(&expand(&case.allow), &expand(&case.ask), &expand(&case.deny)).unwrap();
        PermissionEngine::new(PermissionPolicy {
            mode,
            rules,
            project_root: self.project(),
            home_dir: Some(self.base.join("home")),
            ..PermissionPolicy::default()
        })
        .unwrap()
    }

    /// Writes (or clears) the case's git config files.
    fn configure_git(&self, case: &Case) {
        write_or_remove(&self.project().join(".git/config"), case.git_config.as_deref());
        write_or_remove(&self.base.join("home/.gitconfig"), case.home_gitconfig.as_deref());
    }

    fn access(&self, case: &Case) -> (String, Access) {
        if let Some(command) = &case.command {
            let cwd = case
                .cwd
                .as_deref()
                .map_or_else(|| self.project(), |cwd| self.project().join(self.expand(cwd)));
            return ("bash".into(), Access::Shell { command: self.expand(command), cwd });
        }
        let tool = case.tool.clone().expect("a case names a command or a tool");
        let path = PathBuf::from(self.expand(case.path.as_deref().expect("a tool case names a path")));
        let access = match tool.as_str() {
            "edit_file" | "write_file" | "multi_edit" => Access::Edit { path },
            _ => Access::Read { path },
        };
        (tool, access)
    }
}

fn write_or_remove(path: &Path, content: Option<&str>) {
    match content {
        Some(content) => fs::write(path, content).unwrap(),
        None => {
            let _ = fs::remove_file(path);
        }
    }
}

fn mode(name: &str) -> PermissionMode {
    match name {
        "default" => PermissionMode::Default,
        "acceptEdits" => PermissionMode::AcceptEdits,
        "plan" => PermissionMode::Plan,
        "dontAsk" => PermissionMode::DontAsk,
        "bypassPermissions" => PermissionMode::BypassPermissions,
        other => panic!("unknown mode `{other}` in the corpus"),
    }
}

fn meets(expect: &str, verdict: &Verdict) -> bool {
    match (expect, verdict) {
        ("ask", Verdict::Ask { .. }) | ("deny", Verdict::Deny { .. }) => true,
        ("refused", Verdict::Ask { .. } | Verdict::Deny { .. }) => true,
        ("read-only", Verdict::Allow(Grant::ReadOnly)) | ("approved", Verdict::Allow(Grant::Approved)) => {
            true
        }
        ("ask" | "deny" | "refused" | "read-only" | "approved", _) => false,
        (other, _) => panic!("unknown expectation `{other}` in the corpus"),
    }
}

/// Every corpus file, in name order.
fn corpus() -> Vec<(String, CorpusFile)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            let file: CorpusFile =
                toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path.file_name().unwrap().to_string_lossy().into_owned(), file)
        })
        .collect()
}

#[test]
fn every_attack_asks_or_is_refused() {
    let playground = Playground::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, file) in corpus() {
        for case in &file.cases {
            total += 1;
            let expect =
                case.expect.as_deref().or(file.expect.as_deref()).expect("every case has an expectation");
            if matches!(expect, "read-only" | "approved") {
                assert!(case.why.is_some(), "{name}: an allowed case must say why it is harmless");
            }
            let mode = mode(case.mode.as_deref().or(file.mode.as_deref()).unwrap_or("default"));
            playground.configure_git(case);
            let (tool, access) = playground.access(case);
            let verdict = playground.engine(mode, case).evaluate(&tool, &access);
            if !meets(expect, &verdict) {
                failures.push(format!(
                    "[{}] {name}: {tool} {access:?} in {mode:?}: expected {expect}, got {verdict:?}",
                    file.class
                ));
            }
        }
    }
    assert!(total >= 250, "the corpus has only {total} cases");
    assert!(failures.is_empty(), "{} of {total} cases failed:\n{}", failures.len(), failures.join("\n"));
}
