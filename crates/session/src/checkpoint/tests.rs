use super::*;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    store: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    std::fs::create_dir_all(&root).unwrap();
    let store = dir.path().join("session/checkpoints");
    Fixture { root, store, _dir: dir }
}

/// A tool's write, as the agent brackets it.
fn tool_writes(checkpoints: &mut Checkpoints, path: &Path, content: &str) {
    checkpoints.before_change(path).unwrap();
    std::fs::write(path, content).unwrap();
    checkpoints.after_change(path).unwrap();
}

fn blob_count(store: &Path) -> usize {
    std::fs::read_dir(store.join("blobs")).map(|dir| dir.count()).unwrap_or(0)
}

#[test]
fn identical_contents_share_one_blob_and_a_turn_saves_a_file_once() {
    let f = fixture();
    let (a, b) = (f.root.join("a.txt"), f.root.join("b.txt"));
    std::fs::write(&a, "same").unwrap();
    std::fs::write(&b, "same").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("edit both", 0).unwrap();
    tool_writes(&mut checkpoints, &a, "one");
    tool_writes(&mut checkpoints, &a, "two");
    tool_writes(&mut checkpoints, &b, "three");
    assert_eq!(blob_count(&f.store), 1, "the two files held the same bytes");
    let records = read_manifest(&f.store.join("turns.jsonl")).unwrap();
    let befores = records.iter().filter(|r| matches!(r, ManifestRecord::Before { .. })).count();
    assert_eq!(befores, 2, "a file is saved once per turn: {records:?}");
    assert_eq!(checkpoints.turns()[0].files, vec![a.clone(), b.clone()]);

    checkpoints.restore_code(1).unwrap();
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "same");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "same");
}

#[test]
fn a_file_created_in_a_turn_is_deleted_by_rewinding_it_and_earlier_state_is_kept() {
    let f = fixture();
    let (old, new) = (f.root.join("old.rs"), f.root.join("dir/new.rs"));
    std::fs::write(&old, "v0").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("first", 0).unwrap();
    tool_writes(&mut checkpoints, &old, "v1");
    checkpoints.begin_turn("second", 100).unwrap();
    tool_writes(&mut checkpoints, &old, "v2");
    std::fs::create_dir_all(new.parent().unwrap()).unwrap();
    tool_writes(&mut checkpoints, &new, "fresh");

    let report = checkpoints.restore_code(2).unwrap();
    assert_eq!(report.restored, vec![old.clone(), new.clone()]);
    assert!(report.skipped.is_empty());
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "v1");
    assert!(!new.exists(), "the file did not exist before turn 2");

    let report = checkpoints.restore_code(1).unwrap();
    assert_eq!(report.restored, vec![old.clone(), new.clone()]);
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "v0");
}

#[test]
fn files_changed_outside_claurst_are_skipped_and_reported() {
    let f = fixture();
    let path = f.root.join("main.rs");
    std::fs::write(&path, "v0").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("change it", 0).unwrap();
    tool_writes(&mut checkpoints, &path, "v1");
    std::fs::write(&path, "the user's edit").unwrap();

    let report = checkpoints.restore_code(1).unwrap();
    assert!(report.restored.is_empty());
    assert_eq!(report.skipped, vec![SkippedFile { path: path.clone(), reason: SkipReason::ChangedOutside }]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the user's edit");
}

#[test]
fn a_missing_or_damaged_blob_is_a_clear_error_and_other_files_still_restore() {
    let f = fixture();
    let (a, b) = (f.root.join("a"), f.root.join("b"));
    std::fs::write(&a, "alpha").unwrap();
    std::fs::write(&b, "beta").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("t", 0).unwrap();
    tool_writes(&mut checkpoints, &a, "A");
    tool_writes(&mut checkpoints, &b, "B");
    let blobs = f.store.join("blobs");
    std::fs::remove_file(blobs.join(content_hash(b"alpha"))).unwrap();
    std::fs::write(blobs.join(content_hash(b"beta")), "bet").unwrap();

    let report = checkpoints.restore_code(1).unwrap();
    assert!(report.restored.is_empty());
    let reasons: Vec<String> = report
        .skipped
        .iter()
        .map(|skipped| match &skipped.reason {
            SkipReason::Failed(message) => message.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert!(reasons[0].contains("is missing"), "{reasons:?}");
    assert!(reasons[1].contains("is damaged"), "{reasons:?}");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "A", "nothing was written from a missing copy");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "B", "nothing was written from a damaged copy");
}

#[test]
fn reopening_reads_the_log_and_a_torn_last_record_is_skipped() {
    let f = fixture();
    let path = f.root.join("x");
    std::fs::write(&path, "0").unwrap();
    {
        let mut checkpoints = Checkpoints::open(&f.store).unwrap();
        checkpoints.begin_turn("one", 0).unwrap();
        tool_writes(&mut checkpoints, &path, "1");
        checkpoints.begin_turn("two", 50).unwrap();
    }
    let log = f.store.join("turns.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"kind\":\"before\",\"tu");
    std::fs::write(&log, text).unwrap();

    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    let turns: Vec<_> = checkpoints.turns().iter().map(|t| (t.turn, t.prompt.clone())).collect();
    assert_eq!(turns, vec![(1, "one".to_string()), (2, "two".to_string())]);
    assert_eq!(checkpoints.turn(2).unwrap().transcript_offset, 50);
    assert_eq!(checkpoints.begin_turn("three", 90).unwrap(), 3);
    drop(checkpoints);
    let reread = Checkpoints::open(&f.store).unwrap();
    assert_eq!(reread.turns().len(), 3, "the record after the torn one starts on its own line");
}

#[test]
fn dropped_turns_leave_the_list_but_their_changes_still_restore() {
    let f = fixture();
    let path = f.root.join("x");
    std::fs::write(&path, "0").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("one", 0).unwrap();
    checkpoints.begin_turn("two", 10).unwrap();
    tool_writes(&mut checkpoints, &path, "2");
    checkpoints.drop_from(2).unwrap();
    assert_eq!(checkpoints.turns().len(), 1);
    assert_eq!(checkpoints.begin_turn("again", 10).unwrap(), 3, "turn numbers are never reused");
    checkpoints.restore_code(1).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "0");
    assert!(matches!(checkpoints.restore_code(2), Err(CheckpointError::UnknownTurn { turn: 2 })));
}

#[test]
fn nothing_is_saved_outside_a_turn() {
    let f = fixture();
    let path = f.root.join("x");
    std::fs::write(&path, "0").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    tool_writes(&mut checkpoints, &path, "1");
    assert_eq!(blob_count(&f.store), 0);
    assert!(checkpoints.turns().is_empty());
}

#[test]
fn a_user_edit_between_turns_is_not_undone_by_rewinding_past_it() {
    let f = fixture();
    let path = f.root.join("a.rs");
    std::fs::write(&path, "v0").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("one", 0).unwrap();
    tool_writes(&mut checkpoints, &path, "model v1");
    std::fs::write(&path, "the user's fix").unwrap();
    checkpoints.begin_turn("two", 10).unwrap();
    tool_writes(&mut checkpoints, &path, "model v2");

    let report = checkpoints.restore_code(1).unwrap();
    assert!(report.restored.is_empty(), "{report:?}");
    assert_eq!(
        report.skipped,
        vec![SkippedFile { path: path.clone(), reason: SkipReason::EditedBetweenTurns }]
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "model v2", "nothing was overwritten");

    // Rewinding only the later turn goes back to the user's fix, which is what it found.
    let report = checkpoints.restore_code(2).unwrap();
    assert_eq!(report.restored, vec![path.clone()]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the user's fix");

    // The flag survives a reopen: it comes from the log.
    drop(checkpoints);
    let mut reopened = Checkpoints::open(&f.store).unwrap();
    let report = reopened.restore_code(1).unwrap();
    assert_eq!(report.skipped[0].reason, SkipReason::EditedBetweenTurns);
}

#[test]
fn a_file_over_the_size_cap_is_not_saved_and_a_rewind_says_so() {
    let f = fixture();
    let path = f.root.join("big.bin");
    let big = vec![b'x'; MAX_SAVED_FILE as usize + 1];
    std::fs::write(&path, &big).unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("touch it", 0).unwrap();
    tool_writes(&mut checkpoints, &path, "small now");
    assert_eq!(blob_count(&f.store), 0, "the large file was not copied");
    let records = read_manifest(&f.store.join("turns.jsonl")).unwrap();
    assert!(
        records.iter().any(
            |r| matches!(r, ManifestRecord::Before { not_saved: Some(why), .. } if why.contains("too large"))
        ),
        "{records:?}"
    );

    let report = checkpoints.restore_code(1).unwrap();
    assert!(report.restored.is_empty());
    match &report.skipped[..] {
        [SkippedFile { reason: SkipReason::Failed(message), .. }] => {
            assert!(message.contains("too large") && message.contains("cannot be restored"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "small now", "not deleted, not garbage");
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_directory_or_fifo_is_never_read() {
    let f = fixture();
    let dir_link = f.root.join("dir_link");
    std::os::unix::fs::symlink(&f.root, &dir_link).unwrap();
    let fifo = f.root.join("pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let fifo_link = f.root.join("pipe_link");
    std::os::unix::fs::symlink(&fifo, &fifo_link).unwrap();

    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("t", 0).unwrap();
    // Opening the FIFO would block this test forever: returning at all proves it was not opened.
    checkpoints.before_change(&fifo_link).unwrap();
    checkpoints.after_change(&fifo_link).unwrap();
    checkpoints.before_change(&dir_link).unwrap();
    let report = checkpoints.restore_code(1).unwrap();
    assert!(report.restored.is_empty());
    assert_eq!(report.skipped.len(), 2);
    for skipped in &report.skipped {
        assert!(
            matches!(&skipped.reason, SkipReason::Failed(message) if message.contains("not a regular file")),
            "{skipped:?}"
        );
    }
    assert!(dir_link.exists() && fifo.exists(), "nothing was deleted");
}

#[cfg(unix)]
#[test]
fn a_failed_restored_record_does_not_stop_the_other_files() {
    let f = fixture();
    let (a, b) = (f.root.join("a"), f.root.join("b"));
    std::fs::write(&a, "a0").unwrap();
    std::fs::write(&b, "b0").unwrap();
    let mut checkpoints = Checkpoints::open(&f.store).unwrap();
    checkpoints.begin_turn("t", 0).unwrap();
    tool_writes(&mut checkpoints, &a, "a1");
    tool_writes(&mut checkpoints, &b, "b1");
    // Swap the open log for a read-only handle so every append fails.
    let log = f.store.join("turns.jsonl");
    checkpoints.log.file = std::fs::File::open(&log).unwrap();

    let report = checkpoints.restore_code(1).unwrap();
    assert_eq!(report.restored, vec![a.clone(), b.clone()]);
    assert!(report.log_error.is_some(), "{report:?}");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "a0");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "b0");
}
