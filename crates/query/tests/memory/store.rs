//! The memory directory: the index in the system prompt, the listing and the session logs.

use claurst_query::{EntryKind, INDEX_LINE_LIMIT, MemoryStore, PromptLoad, format_listing};
use time::macros::{date, datetime};

#[test]
fn opening_creates_only_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path().join("a/memory")).unwrap();
    assert!(store.root().is_dir());
    assert_eq!(std::fs::read_dir(store.root()).unwrap().count(), 0);
    assert_eq!(store.index_for_prompt(), None, "no index yet");
    assert!(store.list().unwrap().is_empty());
}

#[test]
fn the_index_is_loaded_with_a_header_and_cut_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path()).unwrap();
    std::fs::write(store.index_path(), "  \n").unwrap();
    assert_eq!(store.index_for_prompt(), None, "a blank index adds nothing");

    std::fs::write(store.index_path(), "- prefers tabs\n- see topics/rust.md\n").unwrap();
    let section = store.index_for_prompt().unwrap();
    assert!(section.starts_with("# Memory\n"), "{section}");
    assert!(section.contains("memory_read"), "{section}");
    assert!(section.contains("<memory-index>\n- prefers tabs\n- see topics/rust.md\n</memory-index>"));
    assert!(!section.contains("only the first"));

    let long: String = (1..=INDEX_LINE_LIMIT + 50).map(|n| format!("line {n}\n")).collect();
    std::fs::write(store.index_path(), long).unwrap();
    let section = store.index_for_prompt().unwrap();
    assert!(section.contains(&format!("line {INDEX_LINE_LIMIT}\n</memory-index>")));
    assert!(!section.contains(&format!("line {}", INDEX_LINE_LIMIT + 1)));
    assert!(section.contains("MEMORY.md has 250 lines; only the first 200 are loaded"), "{section}");
}

#[test]
fn a_symlinked_index_is_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path().join("memory")).unwrap();
    std::fs::write(dir.path().join("secret"), "outside").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret"), store.index_path()).unwrap();
    assert_eq!(store.index_for_prompt(), None);
}

#[test]
fn the_listing_says_what_is_loaded_and_what_exists() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path()).unwrap();
    let root = store.root();
    let long: String = (0..INDEX_LINE_LIMIT + 1).map(|_| "x\n").collect();
    std::fs::write(root.join("MEMORY.md"), &long).unwrap();
    std::fs::create_dir_all(root.join("topics")).unwrap();
    std::fs::write(root.join("topics/rust.md"), "# Rust\nedition 2024\n").unwrap();
    std::fs::write(root.join("topics/a.md"), "a\n").unwrap();
    store.append_session_record(datetime!(2026-04-01 10:00 UTC), "did things").unwrap();
    std::fs::write(root.join(".dream.lock"), "{}").unwrap();

    let entries = store.list().unwrap();
    let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["MEMORY.md", "topics/a.md", "topics/rust.md", "sessions/2026-04-01.log"]);
    assert_eq!(entries[0].kind, EntryKind::Index);
    assert_eq!(entries[0].load, PromptLoad::Truncated { shown: 200, total: 201 });
    assert_eq!(entries[2].kind, EntryKind::Topic);
    assert_eq!((entries[2].bytes, entries[2].lines), (20, 2));
    assert_eq!(entries[2].load, PromptLoad::OnRequest);
    assert_eq!(entries[3].kind, EntryKind::SessionLog);

    let shown = format_listing(root, &entries);
    assert!(shown.contains("loaded into every session (first 200 of 201 lines)"), "{shown}");
    assert!(shown.contains("topics/rust.md"), "{shown}");
    assert!(!shown.contains(".dream.lock"), "{shown}");
    let empty = format_listing(root, &[]);
    assert!(empty.contains("Nothing remembered yet"), "{empty}");
}

#[test]
fn session_records_are_appended_to_the_day_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::open(dir.path()).unwrap();
    let first =
        store.append_session_record(datetime!(2026-04-01 09:15:30.5 UTC), "- fixed the build\n").unwrap();
    let second = store.append_session_record(datetime!(2026-04-01 18:00 UTC), "- wrote docs").unwrap();
    assert_eq!(first, second);
    assert_eq!(first, store.root().join("sessions/2026-04-01.log"));
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "## Session ended 2026-04-01T09:15:30Z\n\n- fixed the build\n\n\
         ## Session ended 2026-04-01T18:00:00Z\n\n- wrote docs\n\n"
    );
    store.append_session_record(datetime!(2026-04-03 08:00 UTC), "later").unwrap();
    std::fs::write(store.root().join("sessions/notes.txt"), "not a log").unwrap();
    assert_eq!(
        store.session_logs_since(None).unwrap(),
        ["sessions/2026-04-01.log", "sessions/2026-04-03.log"]
    );
    assert_eq!(store.session_logs_since(Some(date!(2026 - 04 - 02))).unwrap(), ["sessions/2026-04-03.log"]);
}
