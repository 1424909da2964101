//! The decision table, end to end: (rules, mode, tool call) → verdict, on a real temporary project with a
//! symlink that escapes it; and "allow and remember" carrying over to a new engine.

use claurst_permissions::{
    Access, Effect, Grant, PermissionEngine, PermissionError, PermissionPolicy, RuleList, RuleSet, Verdict,
};
use claurst_protocol::PermissionMode::{self, AcceptEdits, BypassPermissions, Default, DontAsk, Plan};
use std::fs;
use std::path::{Path, PathBuf};

/// A project with `src/main.rs`, `secrets/key`, `config/.env` and `link -> ../outside`, next to an
/// `outside` directory, an additional directory `extra` and a home directory `home`.
struct Fixture {
    _dir: tempfile::TempDir,
    base: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let (dir, base) = super::temp_tree(&[
            "proj/src/main.rs",
            "proj/secrets/key",
            "proj/config/.env",
            "outside/secret.txt",
            "extra/notes.md",
            "home/.ssh/id_ed25519",
        ]);
        std::os::unix::fs::symlink("../outside", base.join("proj/link")).unwrap();
        Fixture { _dir: dir, base }
    }

    fn project(&self) -> PathBuf {
        self.base.join("proj")
    }

    /// Replaces `{outside}`, `{extra}` and `{home}` with real absolute paths.
    fn expand(&self, text: &str) -> String {
        let path = |name: &str| self.base.join(name).display().to_string();
        text.replace("{outside}", &path("outside"))
            .replace("{extra}", &path("extra"))
            .replace("{home}", &path("home"))
    }

    fn engine(&self, mode: PermissionMode, allow: &[&str], ask: &[&str], deny: &[&str]) -> PermissionEngine {
        let expand = |rules: &[&str]| rules.iter().map(|r| self.expand(r)).collect::<Vec<_>>();
        let rules = RuleSet::parse(&expand(allow), &expand(ask), &expand(deny)).unwrap();
        PermissionEngine::new(PermissionPolicy {
            mode,
            rules,
            project_root: self.project(),
            additional_dirs: vec![PathBuf::from("../extra")],
            home_dir: Some(self.base.join("home")),
            ..PermissionPolicy::default()
        })
        .unwrap()
    }
}

#[derive(Debug, Clone, Copy)]
enum Call {
    Sh(&'static str),
    Read(&'static str, &'static str),
    Edit(&'static str, &'static str),
    Fetch(&'static str),
    Other(&'static str, Effect),
    /// An MCP server's tool, and whether the server says it only reads.
    Mcp(&'static str, bool),
}

#[derive(Debug, Clone, Copy)]
enum Expect {
    Allow,
    /// The suggested rule, in config syntax.
    Ask(&'static str),
    /// A fragment of the reason.
    Deny(&'static str),
}

use Call::{Edit, Fetch, Mcp, Other, Read, Sh};
use Expect::{Allow, Ask, Deny};

struct Row {
    mode: PermissionMode,
    allow: &'static [&'static str],
    ask: &'static [&'static str],
    deny: &'static [&'static str],
    call: Call,
    expect: Expect,
}

const fn row(mode: PermissionMode, allow: &'static [&'static str], call: Call, expect: Expect) -> Row {
    Row { mode, allow, ask: &[], deny: &[], call, expect }
}

const fn ruled(
    mode: PermissionMode,
    (allow, ask, deny): (&'static [&'static str], &'static [&'static str], &'static [&'static str]),
    call: Call,
    expect: Expect,
) -> Row {
    Row { mode, allow, ask, deny, call, expect }
}

const OUTSIDE: &str = "{outside}/secret.txt";
const PLAN: &str = "Plan mode is read-only";
const DONT_ASK: &str = "dontAsk mode denies instead of asking";

#[rustfmt::skip]
const ROWS: &[Row] = &[
    // Read-only shell commands need no rule; everything else asks, suggesting a prefix rule.
    row(Default, &[], Sh("ls -la src"), Allow),
    row(Default, &[], Sh("git status && git diff --stat | head -n 20"), Allow),
    row(Default, &[], Sh("grep -rn TODO src 2>/dev/null; echo done"), Allow),
    row(Default, &[], Sh("cargo test --all"), Ask("bash(cargo test:*)")),
    row(Default, &[], Sh("npm run test:unit"), Ask("bash(npm run test:unit:*)")),
    row(Default, &[], Sh("sed -i s/a/b/ src/main.rs"), Ask("bash(sed:*)")),
    row(Default, &[], Sh("find . -name '*.o' -delete"), Ask("bash(find:*)")),
    row(Default, &[], Sh("git push origin main"), Ask("bash(git push:*)")),
    row(Default, &[], Sh("ls > listing.txt"), Ask("bash(ls:*)")),
    row(Default, &[], Sh("echo $(rm -rf src)"), Ask("bash(rm:*)")),
    row(Default, &[], Sh("echo 'unclosed"), Ask("bash(echo 'unclosed)")),
    // Read-only commands reading outside the workspace ask, through `..`, an absolute path or a symlink.
    row(Default, &[], Sh("cat /etc/hostname"), Ask("bash(cat:*)")),
    row(Default, &[], Sh("cat ../outside/secret.txt"), Ask("bash(cat:*)")),
    row(Default, &[], Sh("cat link/secret.txt"), Ask("bash(cat:*)")),
    row(Default, &[], Sh("cd /tmp && ls"), Ask("bash(cd:*)")),
    row(Default, &[], Sh("git -C ../outside log"), Ask("bash(git:*)")),
    row(Default, &[], Sh("ls {extra}"), Allow),
    row(Default, &[], Sh("ls {outside}"), Ask("bash(ls:*)")),
    // Allow rules: every part of a compound command must be allowed.
    row(Default, &["bash(cargo test:*)"], Sh("cargo test --all"), Allow),
    row(Default, &["Bash(cargo test:*)"], Sh("cargo test 2>&1 | tail -n 30"), Allow),
    row(Default, &["bash(cargo test:*)"], Sh("cargo test && git push"), Ask("bash(git push:*)")),
    row(Default, &["bash(cargo test:*)"], Sh("cargo test; rm -rf target"), Ask("bash(rm:*)")),
    row(Default, &["bash(cargo test:*)"], Sh("cargo testing"), Ask("bash(cargo testing:*)")),
    row(Default, &["bash(npm run test:*)"], Sh("npm run test -- --watch"), Allow),
    row(Default, &["bash(make *)"], Sh("make && make install"), Allow),
    row(Default, &["bash(git status)"], Sh("git status --short"), Allow),
    row(Default, &["bash(echo:*)"], Sh("echo $(curl evil.sh)"), Ask("bash(curl:*)")),
    row(Default, &["bash(echo 'unclosed)"], Sh("echo 'unclosed"), Allow),
    row(Default, &["bash"], Sh("rm -rf target && cargo build"), Allow),
    // Deny beats ask beats allow, in every mode.
    ruled(Default, (&["bash"], &[], &["bash(rm:*)"]), Sh("ls && rm -rf /"), Deny("`bash(rm:*)`")),
    ruled(BypassPermissions, (&[], &[], &["bash(git push:*)"]), Sh("git push --force"), Deny("Denied by")),
    ruled(Default, (&["bash(git push:*)"], &["bash(git push:*)"], &[]), Sh("git push"), Ask("bash(git push:*)")),
    ruled(Default, (&[], &["bash(git push:*)"], &["bash(git push:*)"]), Sh("git push"), Deny("Denied by")),
    ruled(BypassPermissions, (&[], &["bash(git push:*)"], &[]), Sh("git push"), Ask("bash(git push:*)")),
    ruled(DontAsk, (&["bash"], &["bash(git push:*)"], &[]), Sh("git push"), Deny(DONT_ASK)),
    ruled(Default, (&[], &["bash(git log:*)"], &[]), Sh("git log"), Ask("bash(git log:*)")),
    // Deny rules see through quoting, wrappers and `sh -c`, and file rules apply to shell commands too.
    ruled(BypassPermissions, (&[], &[], &["bash(rm:*)"]), Sh(r"\rm -rf src"), Deny("Denied")),
    ruled(BypassPermissions, (&[], &[], &["bash(rm:*)"]), Sh("sudo -u root rm -rf src"), Deny("Denied")),
    ruled(BypassPermissions, (&[], &[], &["bash(git push:*)"]), Sh("bash -c 'git push --force'"), Deny("Denied")),
    ruled(Default, (&[], &[], &["read_file(./secrets/**)"]), Sh("cat secrets/key"), Deny("Denied")),
    ruled(Default, (&[], &[], &["read_file(./secrets/**)"]), Sh("cp secrets/key /tmp/k"), Deny("Denied")),
    ruled(AcceptEdits, (&[], &[], &["edit_file(src/**)"]), Sh("echo x > src/main.rs"), Deny("Denied")),
    ruled(Default, (&[], &["edit_file(./**)"], &[]), Sh("sed -i s/a/b/ src/main.rs"), Ask("bash(sed:*)")),
    ruled(Default, (&[], &[], &["read_file(./secrets/**)"]), Sh("git log secrets"), Allow),
    // Reads: free inside the project and additional directories, asked outside.
    row(Default, &[], Read("read_file", "src/main.rs"), Allow),
    row(Default, &[], Read("list_dir", "."), Allow),
    row(Default, &[], Read("read_file", "{extra}/notes.md"), Allow),
    row(Default, &[], Read("read_file", OUTSIDE), Ask("read_file(/{outside}/**)")),
    row(Default, &[], Read("read_file", "src/../../outside/secret.txt"), Ask("read_file(/{outside}/**)")),
    row(Default, &[], Read("grep", "link/secret.txt"), Ask("read_file(/{outside}/**)")),
    row(Default, &["read_file(/{outside}/**)"], Read("read_file", OUTSIDE), Allow),
    row(Default, &["read_file(link/**)"], Read("read_file", "link/secret.txt"), Ask("read_file(/{outside}/**)")),
    ruled(Default, (&[], &[], &["read_file(./secrets/**)"]), Read("read_file", "secrets/key"), Deny("read_file(./secrets/**)")),
    ruled(Default, (&[], &[], &["read_file(./secrets/**)"]), Read("grep", "secrets"), Deny("Denied")),
    ruled(Default, (&[], &[], &["read_file(.env)"]), Read("read_file", "config/.env"), Deny("Denied")),
    ruled(BypassPermissions, (&[], &[], &["read_file(~/.ssh/**)"]), Read("read_file", "{home}/.ssh/id_ed25519"), Deny("Denied")),
    ruled(Default, (&[], &[], &["read_file(/{outside}/**)"]), Read("read_file", "link/secret.txt"), Deny("Denied")),
    // Edits: asked by default, free in acceptEdits inside the workspace, always asked outside it.
    row(Default, &[], Edit("edit_file", "src/main.rs"), Ask("edit_file(src/**)")),
    row(Default, &[], Edit("write_file", "README.md"), Ask("edit_file(./**)")),
    row(Default, &["edit_file(src/**)"], Edit("multi_edit", "src/main.rs"), Allow),
    row(Default, &["write_file(src/**)"], Edit("edit_file", "src/main.rs"), Ask("edit_file(src/**)")),
    row(Default, &["edit_file(/{outside}/**)"], Edit("write_file", OUTSIDE), Ask("edit_file(/{outside}/**)")),
    row(AcceptEdits, &[], Edit("edit_file", "src/main.rs"), Allow),
    row(AcceptEdits, &[], Edit("write_file", "{extra}/notes.md"), Allow),
    row(AcceptEdits, &[], Edit("write_file", "../outside/new.txt"), Ask("edit_file(/{outside}/**)")),
    row(AcceptEdits, &[], Edit("write_file", "link/new.txt"), Ask("edit_file(/{outside}/**)")),
    row(AcceptEdits, &[], Sh("rm -rf src"), Ask("bash(rm:*)")),
    row(BypassPermissions, &[], Edit("write_file", OUTSIDE), Allow),
    ruled(BypassPermissions, (&[], &[], &["edit_file(src/**)"]), Edit("multi_edit", "src/main.rs"), Deny("Denied")),
    row(DontAsk, &[], Edit("write_file", OUTSIDE), Deny("outside the project")),
    row(DontAsk, &[], Edit("edit_file", "src/main.rs"), Deny(DONT_ASK)),
    row(DontAsk, &["edit_file(src/**)"], Edit("edit_file", "src/main.rs"), Allow),
    // Plan mode refuses whatever mutates, even when a rule allows it, and behaves like default otherwise.
    row(Plan, &[], Sh("git log --oneline | head"), Allow),
    row(Plan, &["bash(cargo test:*)"], Sh("cargo test"), Deny(PLAN)),
    row(Plan, &["edit_file"], Edit("edit_file", "src/main.rs"), Deny(PLAN)),
    row(Plan, &[], Read("read_file", "src/main.rs"), Allow),
    row(Plan, &[], Read("read_file", OUTSIDE), Ask("read_file(/{outside}/**)")),
    row(Plan, &[], Fetch("https://docs.rs/globset"), Ask("web_fetch(domain:docs.rs)")),
    row(Plan, &[], Other("kill_shell", Effect::Mutating), Deny(PLAN)),
    ruled(Plan, (&[], &["bash(git push:*)"], &[]), Sh("git push"), Deny(PLAN)),
    // dontAsk denies what no rule allows; read-only calls still pass.
    row(DontAsk, &[], Sh("cargo test"), Deny("such as `bash(cargo test:*)`")),
    row(DontAsk, &["bash(cargo test:*)"], Sh("cargo test -p x"), Allow),
    row(DontAsk, &[], Sh("ls"), Allow),
    row(DontAsk, &[], Read("read_file", OUTSIDE), Deny(DONT_ASK)),
    // Bypass allows everything that no deny or ask rule catches.
    row(BypassPermissions, &[], Sh("rm -rf / --no-preserve-root"), Allow),
    row(BypassPermissions, &[], Fetch("https://example.org"), Allow),
    // Fetches: domain rules cover subdomains, not look-alikes; unreadable hosts are caught by denies.
    row(Default, &[], Fetch("https://docs.rs/globset"), Ask("web_fetch(domain:docs.rs)")),
    row(Default, &["web_fetch(domain:rust-lang.org)"], Fetch("https://doc.rust-lang.org/std"), Allow),
    row(Default, &["web_fetch(domain:rust-lang.org)"], Fetch("https://evilrust-lang.org/"), Ask("web_fetch(domain:evilrust-lang.org)")),
    row(Default, &["web_fetch(domain:rust-lang.org)"], Fetch(r"https://evil.com\@rust-lang.org/"), Ask("web_fetch(domain:evil.com)")),
    ruled(BypassPermissions, (&[], &[], &["web_fetch(domain:evil.com)"]), Fetch("https://api.evil.com/x"), Deny("Denied")),
    ruled(BypassPermissions, (&[], &[], &["web_fetch(domain:evil.com)"]), Fetch("https://ev%69l.com/"), Deny("Denied")),
    // Other tools: read-only ones run, mutating ones need a bare rule.
    row(Default, &[], Other("bash_output", Effect::ReadOnly), Allow),
    row(Default, &[], Other("kill_shell", Effect::Mutating), Ask("kill_shell")),
    row(Default, &["Kill_Shell"], Other("kill_shell", Effect::Mutating), Allow),
    row(DontAsk, &[], Other("kill_shell", Effect::Mutating), Deny(DONT_ASK)),
    ruled(BypassPermissions, (&[], &[], &["kill_shell"]), Other("kill_shell", Effect::Mutating), Deny("Denied")),
    // MCP tools ask unless a rule allows them, whatever the server claims; a read-only hint only keeps
    // them usable in plan mode. Rules name one tool, a server (`mcp__db`) or a prefix (`mcp__db__*`).
    row(Default, &[], Mcp("mcp__db__query", true), Ask("mcp__db__query")),
    row(Default, &[], Mcp("mcp__db__drop", false), Ask("mcp__db__drop")),
    row(Plan, &[], Mcp("mcp__db__drop", false), Deny(PLAN)),
    row(Plan, &[], Mcp("mcp__db__query", true), Ask("mcp__db__query")),
    row(Default, &["mcp__db__query"], Mcp("mcp__db__query", false), Allow),
    row(Default, &["mcp__db__*"], Mcp("mcp__db__drop", false), Allow),
    row(Default, &["mcp__db"], Mcp("mcp__db__drop", false), Allow),
    row(Default, &["mcp__db"], Mcp("mcp__dbx__drop", false), Ask("mcp__dbx__drop")),
    row(Default, &["mcp__db__*"], Mcp("mcp__dbx__drop", false), Ask("mcp__dbx__drop")),
    row(Default, &["mcp__db__query"], Mcp("mcp__db__query_all", false), Ask("mcp__db__query_all")),
    ruled(Default, (&["mcp__db"], &[], &["mcp__db__drop"]), Mcp("mcp__db__drop", true), Deny("Denied")),
    ruled(BypassPermissions, (&[], &[], &["mcp__db__*"]), Mcp("mcp__db__query", true), Deny("Denied")),
    ruled(AcceptEdits, (&[], &[], &["mcp__db"]), Mcp("mcp__db__query", true), Deny("Denied")),
    row(BypassPermissions, &[], Mcp("mcp__db__drop", false), Allow),
    row(DontAsk, &[], Mcp("mcp__db__query", true), Deny(DONT_ASK)),
];

fn access(fixture: &Fixture, call: Call) -> (&'static str, Access) {
    let path = |p: &str| PathBuf::from(fixture.expand(p));
    match call {
        Sh(command) => ("bash", Access::Shell { command: fixture.expand(command), cwd: fixture.project() }),
        Read(tool, p) => (tool, Access::Read { path: path(p) }),
        Edit(tool, p) => (tool, Access::Edit { path: path(p) }),
        Fetch(url) => ("web_fetch", Access::Fetch { url: url.to_string() }),
        Other(tool, effect) => (tool, Access::Other { effect }),
        Mcp(tool, read_only_hint) => (tool, Access::External { read_only_hint }),
    }
}

#[test]
fn decision_table() {
    let fixture = Fixture::new();
    let mut failures = Vec::new();
    for (index, row) in ROWS.iter().enumerate() {
        let engine = fixture.engine(row.mode, row.allow, row.ask, row.deny);
        let (tool, access) = access(&fixture, row.call);
        let verdict = engine.evaluate(tool, &access);
        let ok = match (&row.expect, &verdict) {
            (Allow, Verdict::Allow(_)) => true,
            (Ask(rule), Verdict::Ask { suggested_rule }) => {
                suggested_rule.to_string() == fixture.expand(rule)
            }
            (Deny(fragment), Verdict::Deny { reason }) => reason.contains(&fixture.expand(fragment)),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "row {index}: {:?} {:?} expected {:?}, got {verdict:?}",
                row.mode, row.call, row.expect
            ));
        }
    }
    assert!(ROWS.len() >= 40);
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        ROWS.len(),
        failures.join("\n")
    );
}

#[test]
fn remembered_rule_is_honoured_by_the_next_engine() {
    let fixture = Fixture::new();
    let call = Access::Shell { command: "cargo test --all".into(), cwd: fixture.project() };
    let mut engine = fixture.engine(Default, &[], &[], &[]);
    let Verdict::Ask { suggested_rule } = engine.evaluate("bash", &call) else { panic!("expected Ask") };
    assert_eq!(suggested_rule.to_string(), "bash(cargo test:*)");

    let path = engine.remember(suggested_rule.clone()).unwrap();
    assert_eq!(path, fixture.project().join(".claurst/permissions.local.toml"));
    assert_eq!(engine.evaluate("bash", &call), Verdict::Allow(Grant::Approved), "honoured at once");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Rules you approved"), "{text}");
    assert!(text.contains("allow = [\"bash(cargo test:*)\"]"), "{text}");

    engine.remember(suggested_rule).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "remembering twice changes nothing");

    let next_session = fixture.engine(Default, &[], &[], &[]);
    assert_eq!(next_session.evaluate("bash", &call), Verdict::Allow(Grant::Approved));
    assert!(next_session.rules().allow.iter().any(|rule| rule.to_string() == "bash(cargo test:*)"));
}

#[test]
fn broken_remembered_file_is_reported() {
    let fixture = Fixture::new();
    let path = fixture.project().join(".claurst/permissions.local.toml");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "allow = [\"bash(\"]\n").unwrap();
    let policy = PermissionPolicy { project_root: fixture.project(), ..PermissionPolicy::default() };
    let error = PermissionEngine::new(policy).unwrap_err();
    assert!(matches!(error, PermissionError::RememberedRule { line: 1, .. }), "{error}");
    assert!(error.to_string().contains("permissions.local.toml:1"), "{error}");
}

#[test]
fn invalid_config_rules_name_their_list() {
    let error = RuleSet::parse(&["bash"], &[], &["todo_write(x)"]).unwrap_err();
    assert!(matches!(error, PermissionError::InvalidRule { list: RuleList::Deny, .. }));
    assert!(error.to_string().starts_with("invalid permission rule in the `deny` list"), "{error}");
}

#[test]
fn mode_can_change() {
    let fixture = Fixture::new();
    let mut engine = fixture.engine(Default, &[], &[], &[]);
    let edit = Access::Edit { path: Path::new("src/main.rs").into() };
    assert!(matches!(engine.evaluate("edit_file", &edit), Verdict::Ask { .. }));
    engine.set_mode(AcceptEdits);
    assert_eq!(engine.mode(), AcceptEdits);
    assert_eq!(engine.evaluate("edit_file", &edit), Verdict::Allow(Grant::Approved));
}

#[test]
fn grants_are_the_narrowest_that_explain_the_decision() {
    let fixture = Fixture::new();
    let shell = |command: &str| Access::Shell { command: command.into(), cwd: fixture.project() };
    let engine = fixture.engine(Default, &["bash(cargo test:*)", "bash(git status)"], &[], &[]);
    assert_eq!(engine.evaluate("bash", &shell("ls src")), Verdict::Allow(Grant::ReadOnly));
    assert_eq!(
        engine.evaluate("bash", &shell("git status")),
        Verdict::Allow(Grant::ReadOnly),
        "read-only wins"
    );
    assert_eq!(engine.evaluate("bash", &shell("cargo test && ls")), Verdict::Allow(Grant::Approved));
    let read = Access::Read { path: PathBuf::from("src/main.rs") };
    assert_eq!(engine.evaluate("read_file", &read), Verdict::Allow(Grant::ReadOnly));
    let bypass = fixture.engine(BypassPermissions, &[], &[], &[]);
    assert_eq!(bypass.evaluate("bash", &shell("ls src")), Verdict::Allow(Grant::Approved));
}

#[test]
fn read_only_shell_asks_when_it_cannot_be_sandboxed() {
    let fixture = Fixture::new();
    let shell = |command: &str| Access::Shell { command: command.into(), cwd: fixture.project() };
    let policy = |auto_approve_read_only_shell| PermissionPolicy {
        project_root: fixture.project(),
        auto_approve_read_only_shell,
        ..PermissionPolicy::default()
    };
    assert!(PermissionPolicy::default().auto_approve_read_only_shell, "on unless turned off");
    let sandboxed = PermissionEngine::new(policy(true)).unwrap();
    assert_eq!(sandboxed.evaluate("bash", &shell("ls src")), Verdict::Allow(Grant::ReadOnly));
    let unsandboxed = PermissionEngine::new(policy(false)).unwrap();
    assert!(matches!(unsandboxed.evaluate("bash", &shell("ls src")), Verdict::Ask { .. }));
    let read = Access::Read { path: PathBuf::from("src/main.rs") };
    assert_eq!(unsandboxed.evaluate("read_file", &read), Verdict::Allow(Grant::ReadOnly), "tools still read");
}

#[test]
fn readable_directories_are_read_but_not_written() {
    let fixture = Fixture::new();
    let output = fixture.base.join("outside");
    let engine = PermissionEngine::new(PermissionPolicy {
        project_root: fixture.project(),
        readable_dirs: vec![output.clone()],
        ..PermissionPolicy::default()
    })
    .unwrap();
    let read = Access::Read { path: output.join("secret.txt") };
    assert_eq!(engine.evaluate("read_file", &read), Verdict::Allow(Grant::ReadOnly));
    let grep = Access::Shell { command: format!("grep x {}", output.display()), cwd: fixture.project() };
    assert_eq!(engine.evaluate("bash", &grep), Verdict::Allow(Grant::ReadOnly));
    let write = Access::Edit { path: output.join("secret.txt") };
    assert!(matches!(engine.evaluate("write_file", &write), Verdict::Ask { .. }));
}

#[test]
fn read_deny_rules_answer_for_walking_tools() {
    let fixture = Fixture::new();
    let engine = fixture.engine(Default, &[], &[], &["read_file(secrets/**)", "edit_file(src/**)"]);
    assert!(engine.denies_read(&fixture.project().join("secrets")));
    assert!(engine.denies_read(&fixture.project().join("secrets/key")));
    assert!(engine.denies_read(Path::new("secrets/key")), "relative to the project");
    assert!(!engine.denies_read(&fixture.project().join("src/main.rs")), "an edit rule is not a read rule");
    assert!(!engine.denies_read(&fixture.project().join("config/.env")));
    let no_read_rules = fixture.engine(Default, &[], &[], &["edit_file(secrets/**)"]);
    assert!(!no_read_rules.denies_read(&fixture.project().join("secrets/key")));
}

#[test]
fn remembering_still_writes_the_protected_rules_file() {
    let fixture = Fixture::new();
    let mut engine = fixture.engine(Default, &[], &[], &[]);
    let path = engine.remember("bash(cargo test:*)".parse().unwrap()).unwrap();
    assert!(path.ends_with(".claurst/permissions.local.toml") && path.exists());
    let edit = Access::Edit { path: path.clone() };
    assert!(
        matches!(engine.evaluate("write_file", &edit), Verdict::Ask { .. }),
        "the model may not write it"
    );
}

#[test]
fn the_symlink_walk_budget_is_per_command_line() {
    let fixture = Fixture::new();
    let wide = fixture.project().join("wide");
    fs::create_dir(&wide).unwrap();
    // Over half the budget (10 000 entries): one walk fits, two do not.
    for index in 0..6_000 {
        fs::write(wide.join(index.to_string()), "").unwrap();
    }
    let engine = fixture.engine(Default, &[], &[], &[]);
    let verdict = |command: &str| {
        engine.evaluate("bash", &Access::Shell { command: command.into(), cwd: fixture.project() })
    };
    assert_eq!(verdict("grep -R x wide"), Verdict::Allow(Grant::ReadOnly));
    assert!(matches!(verdict("grep -R x wide wide"), Verdict::Ask { .. }), "a repeated operand");
    assert!(matches!(verdict("grep -R x wide; grep -R x wide"), Verdict::Ask { .. }), "a repeated part");
}

#[test]
fn wildcards_only_name_an_mcp_server_s_tools() {
    for wide in ["*", "mcp__*", "mcp___*", "bash*", "mcp__db_*"] {
        assert!(wide.parse::<claurst_permissions::Rule>().is_err(), "{wide} must be refused");
    }
    for narrow in ["mcp__db__*", "mcp__db", "mcp__db__query"] {
        assert!(narrow.parse::<claurst_permissions::Rule>().is_ok(), "{narrow} must parse");
    }
}

#[test]
fn a_bare_deny_rule_hides_the_tool_and_a_narrower_one_does_not() {
    let fx = Fixture::new();
    let engine = fx.engine(Default, &[], &[], &["Bash", "mcp__github", "WebFetch(domain:example.com)"]);
    assert!(engine.hides_tool("bash"), "Claude Code's `Bash` names the bash tool");
    assert!(engine.hides_tool("mcp__github__create_issue"), "a server's name covers each of its tools");
    assert!(!engine.hides_tool("mcp__gitlab__x"));
    assert!(!engine.hides_tool("web_fetch"), "a rule with a domain leaves other calls possible");
    assert!(!engine.hides_tool("bash_output"));
    let engine = fx.engine(Default, &[], &[], &["Read"]);
    assert!(engine.hides_tool("read_file") && !engine.hides_tool("grep"));
}

#[test]
fn a_multi_file_edit_is_only_as_allowed_as_its_least_allowed_path() {
    let fixture = Fixture::new();
    let project = fixture.project();
    let edits = |paths: &[PathBuf]| Access::Edits { paths: paths.to_vec() };
    let inside = [project.join("src/a.rs"), project.join("src/b.rs")];
    let escaping = [project.join("src/a.rs"), fixture.base.join("outside/marker.txt")];
    let accept = fixture.engine(AcceptEdits, &[], &[], &[]);
    assert_eq!(accept.evaluate("apply_patch", &edits(&inside)), Verdict::Allow(Grant::Approved));
    assert!(matches!(accept.evaluate("apply_patch", &edits(&escaping)), Verdict::Ask { .. }));
    let dont_ask = fixture.engine(DontAsk, &["edit_file(src/**)"], &[], &[]);
    assert_eq!(dont_ask.evaluate("apply_patch", &edits(&inside)), Verdict::Allow(Grant::Approved));
    assert!(matches!(dont_ask.evaluate("apply_patch", &edits(&escaping)), Verdict::Deny { .. }));
    let denied = fixture.engine(BypassPermissions, &[], &[], &["edit_file(src/b.rs)"]);
    assert!(matches!(denied.evaluate("apply_patch", &edits(&inside)), Verdict::Deny { .. }));
    let plan = fixture.engine(Plan, &[], &[], &[]);
    assert!(matches!(plan.evaluate("apply_patch", &edits(&inside)), Verdict::Deny { .. }));
    let protected = [project.join("src/a.rs"), project.join(".git/config")];
    assert!(matches!(accept.evaluate("apply_patch", &edits(&protected)), Verdict::Ask { .. }));
    assert_eq!(plan.evaluate("apply_patch", &edits(&[])), Verdict::Allow(Grant::ReadOnly), "touches nothing");
}
