//! The memory tools: what they save and show, and that nothing outside the memory directory is reachable.

use claurst_permissions::{Access, Effect, PermissionEngine, PermissionPolicy, RuleSet, Verdict};
use claurst_protocol::PermissionMode;
use claurst_query::{
    DreamLock, MEMORY_ALLOW_RULES, MEMORY_TOOL_NAMES, MemoryRole, MemoryStore, memory_tools,
};
use claurst_tools::{Tool, ToolResult};
use serde_json::{Value, json};
use std::path::Path;

struct Memory {
    _dir: tempfile::TempDir,
    outside: std::path::PathBuf,
    store: MemoryStore,
    tools: Vec<Box<dyn Tool>>,
}

impl Memory {
    fn new(role: MemoryRole) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = MemoryStore::open(dir.path().join("memory")).unwrap();
        let outside = dir.path().canonicalize().unwrap();
        let tools = memory_tools(&store, role);
        Self { _dir: dir, outside, store, tools }
    }

    fn tool(&self, name: &str) -> &dyn Tool {
        self.tools.iter().find(|t| t.name() == name).unwrap().as_ref()
    }

    async fn call(&self, name: &str, input: Value) -> ToolResult {
        self.tool(name).execute(input).await
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.store.root().join(relative)).unwrap()
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_tools_are_named_as_documented() {
    let memory = Memory::new(MemoryRole::Session);
    let names: Vec<&str> = memory.tools.iter().map(|t| t.name()).collect();
    assert_eq!(names, MEMORY_TOOL_NAMES);
}

#[tokio::test]
async fn saving_a_memory_confirms_it_and_reading_returns_it() {
    let memory = Memory::new(MemoryRole::Session);
    let saved = memory
        .call("memory_write", json!({"path": "topics/preferences.md", "content": "# Preferences\n- tabs\n"}))
        .await;
    assert_eq!(saved, ToolResult::ok("Saved to memory: topics/preferences.md (2 lines)"));
    assert_eq!(memory.read("topics/preferences.md"), "# Preferences\n- tabs\n");
    let read = memory.call("memory_read", json!({"path": "topics/preferences.md"})).await;
    assert_eq!(read, ToolResult::ok("# Preferences\n- tabs\n"));

    let appended = memory
        .call("memory_append", json!({"path": "topics/preferences.md", "content": "- short commits"}))
        .await;
    assert_eq!(appended.output, "Saved to memory: topics/preferences.md (appended 1 lines)");
    assert_eq!(memory.read("topics/preferences.md"), "# Preferences\n- tabs\n- short commits\n");
    memory.call("memory_append", json!({"path": "MEMORY.md", "content": "- a"})).await;
    memory.call("memory_append", json!({"path": "MEMORY.md", "content": "- b\n"})).await;
    assert_eq!(memory.read("MEMORY.md"), "- a\n- b\n");

    let listed = memory.call("memory_list", json!({})).await;
    assert!(
        listed.output.contains("MEMORY.md") && listed.output.contains("topics/preferences.md"),
        "{}",
        listed.output
    );

    let missing = memory.call("memory_read", json!({"path": "topics/none.md"})).await;
    assert!(missing.is_error && missing.output.contains("memory_list"), "{}", missing.output);
    let bad = memory.call("memory_write", json!({"file": "x"})).await;
    assert!(bad.is_error && bad.output.contains("invalid input"), "{}", bad.output);
}

#[tokio::test]
async fn writes_outside_the_memory_directory_are_refused() {
    let memory = Memory::new(MemoryRole::Dream);
    let outside_file = memory.outside.join("outside.md");
    std::fs::write(&outside_file, "untouched").unwrap();
    std::fs::create_dir_all(memory.store.root().join("topics")).unwrap();
    std::os::unix::fs::symlink(&outside_file, memory.store.root().join("topics/link.md")).unwrap();
    std::os::unix::fs::symlink(&memory.outside, memory.store.root().join("topics/out")).unwrap();
    let absolute = memory.outside.join("absolute.md").display().to_string();
    let attempts = [
        ("../escape.md", "outside the memory directory"),
        (absolute.as_str(), "outside the memory directory"),
        ("topics/link.md", "symbolic link"),
        ("topics/out/x.md", "symbolic link"),
        ("topics/../../escape.md", "outside the memory directory"),
        (".dream-state.json", "bookkeeping"),
        ("sessions/2026-04-01.log", "append-only"),
        ("notes.txt", "only `MEMORY.md` and topic files"),
    ];
    for (path, why) in attempts {
        for tool in ["memory_write", "memory_append"] {
            let result = memory.call(tool, json!({"path": path, "content": "x"})).await;
            assert!(result.is_error, "{tool} {path}: {}", result.output);
            assert!(result.output.contains(why), "{tool} {path}: {}", result.output);
        }
    }
    let read = memory.call("memory_read", json!({"path": "topics/link.md"})).await;
    assert!(read.is_error && !read.output.contains("untouched"), "{}", read.output);
    let read = memory.call("memory_read", json!({"path": "../outside.md"})).await;
    assert!(read.is_error, "{}", read.output);
    assert_eq!(std::fs::read_to_string(&outside_file).unwrap(), "untouched");
    assert_eq!(entries(&memory.outside), ["memory", "outside.md"]);
    assert!(!memory.store.root().join("sessions").exists());
}

#[tokio::test]
async fn deleting_is_for_topic_files_only() {
    let memory = Memory::new(MemoryRole::Session);
    memory.call("memory_write", json!({"path": "topics/old.md", "content": "x"})).await;
    memory.call("memory_write", json!({"path": "MEMORY.md", "content": "x"})).await;
    let deleted = memory.call("memory_delete", json!({"path": "topics/old.md"})).await;
    assert_eq!(deleted, ToolResult::ok("Deleted from memory: topics/old.md"));
    assert!(!memory.store.root().join("topics/old.md").exists());
    let index = memory.call("memory_delete", json!({"path": "MEMORY.md"})).await;
    assert!(index.is_error && index.output.contains("rewrite `MEMORY.md`"), "{}", index.output);
}

#[tokio::test]
async fn limits_are_explained() {
    let memory = Memory::new(MemoryRole::Session);
    let long: String = (0..250).map(|n| format!("- fact {n}\n")).collect();
    let saved = memory.call("memory_write", json!({"path": "MEMORY.md", "content": long})).await;
    assert!(!saved.is_error);
    assert!(saved.output.contains("only the first 200 are loaded"), "{}", saved.output);
    let huge = "x".repeat(claurst_query::MAX_WRITE_BYTES + 1);
    let refused = memory.call("memory_write", json!({"path": "topics/big.md", "content": huge})).await;
    assert!(refused.is_error && refused.output.contains("at most"), "{}", refused.output);
}

#[tokio::test]
async fn sessions_wait_for_a_running_dream_but_the_dream_writes() {
    let session = Memory::new(MemoryRole::Session);
    let guard = DreamLock::new(session.store.root()).acquire(time::OffsetDateTime::now_utc()).unwrap();
    let refused = session.call("memory_write", json!({"path": "topics/a.md", "content": "x"})).await;
    assert!(refused.is_error && refused.output.contains("being consolidated"), "{}", refused.output);
    let read = session.call("memory_list", json!({})).await;
    assert!(!read.is_error, "reading is fine during a dream");
    let dream = memory_tools(&session.store, MemoryRole::Dream);
    let write = dream.iter().find(|t| t.name() == "memory_write").unwrap();
    let saved = write.execute(json!({"path": "topics/a.md", "content": "x"})).await;
    assert!(!saved.is_error, "{}", saved.output);
    drop(guard);
    let saved = session.call("memory_write", json!({"path": "topics/a.md", "content": "y"})).await;
    assert!(!saved.is_error, "{}", saved.output);
}

#[test]
fn the_allow_rules_let_memory_changes_through_without_asking() {
    let memory = Memory::new(MemoryRole::Session);
    let write = memory.tool("memory_write").access(&json!({"path": "topics/a.md"}));
    let read = memory.tool("memory_read").access(&json!({"path": "MEMORY.md"}));
    assert_eq!(write, Access::Other { effect: Effect::Mutating });
    assert_eq!(read, Access::Other { effect: Effect::ReadOnly });
    let engine = |mode, allow: &[&str]| {
        PermissionEngine::new(PermissionPolicy {
            mode,
            rules: RuleSet::parse(allow, &[], &[]).unwrap(),
            project_root: memory.outside.clone(),
            ..PermissionPolicy::default()
        })
        .unwrap()
    };
    let allowed = engine(PermissionMode::DontAsk, &MEMORY_ALLOW_RULES);
    for name in MEMORY_TOOL_NAMES {
        let access = memory.tool(name).access(&json!({"path": "topics/a.md"}));
        assert!(matches!(allowed.evaluate(name, &access), Verdict::Allow(_)), "{name}");
    }
    let default = engine(PermissionMode::Default, &MEMORY_ALLOW_RULES);
    assert!(matches!(default.evaluate("memory_write", &write), Verdict::Allow(_)));
    let bare = engine(PermissionMode::DontAsk, &[]);
    assert!(matches!(bare.evaluate("memory_write", &write), Verdict::Deny { .. }));
    assert!(matches!(bare.evaluate("memory_read", &read), Verdict::Allow(_)));
    let plan = engine(PermissionMode::Plan, &MEMORY_ALLOW_RULES);
    assert!(matches!(plan.evaluate("memory_write", &write), Verdict::Deny { .. }));
}
