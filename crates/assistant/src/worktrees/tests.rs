use super::*;

/// A repository with one commit, in a temp dir.
fn repo() -> (tempfile::TempDir, Repository) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.email", "t@example.com"],
        &["config", "user.name", "T"],
        &["config", "commit.gpgsign", "false"],
    ] {
        git(&root, args).unwrap();
    }
    std::fs::write(root.join("README"), "hi\n").unwrap();
    git(&root, &["add", "README"]).unwrap();
    git(&root, &["commit", "-q", "-m", "first"]).unwrap();
    (dir, Repository::discover(&root).unwrap())
}

#[test]
fn creates_a_worktree_on_its_own_branch_hidden_from_status() {
    let (_dir, repo) = repo();
    let tree = repo.create_or_reuse("fix").unwrap();
    assert!(!tree.reused);
    assert_eq!(tree.path, repo.root().join(".claurst/worktrees/fix"));
    assert_eq!(tree.branch, "claurst/fix");
    assert!(tree.path.join("README").is_file());
    assert_eq!(git(&tree.path, &["branch", "--show-current"]).unwrap().trim(), "claurst/fix");
    assert_eq!(git(repo.root(), &["status", "--porcelain"]).unwrap(), "", "the worktree dir is excluded");
    // Discovered from inside the worktree, the repository is still the main checkout.
    assert_eq!(Repository::discover(&tree.path).unwrap(), repo);
}

#[test]
fn an_existing_worktree_is_reused_and_a_stranger_refused() {
    let (_dir, repo) = repo();
    repo.create_or_reuse("again").unwrap();
    std::fs::write(repo.worktree_path("again").join("work.txt"), "x").unwrap();
    let tree = repo.create_or_reuse("again").unwrap();
    assert!(tree.reused);
    assert!(tree.path.join("work.txt").is_file(), "reuse keeps the work");
    std::fs::create_dir_all(repo.worktree_path("stranger")).unwrap();
    assert!(matches!(repo.create_or_reuse("stranger"), Err(WorktreeError::NotOurs(_))));
    assert!(matches!(repo.create_or_reuse("../x"), Err(WorktreeError::InvalidName(_))));
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = Repository::discover(dir.path()).unwrap_err();
    assert!(matches!(error, WorktreeError::NotARepository(_)));
    assert!(error.to_string().contains("not inside a git repository"));
}

#[test]
fn lists_state_and_cleans_only_clean_merged_ones() {
    let (_dir, repo) = repo();
    let clean = repo.create_or_reuse("clean").unwrap();
    let dirty = repo.create_or_reuse("dirty").unwrap();
    let ahead = repo.create_or_reuse("ahead").unwrap();
    let current = repo.create_or_reuse("current").unwrap();
    std::fs::write(dirty.path.join("new.txt"), "x").unwrap();
    std::fs::write(ahead.path.join("more.txt"), "x").unwrap();
    git(&ahead.path, &["add", "more.txt"]).unwrap();
    git(&ahead.path, &["commit", "-q", "-m", "more"]).unwrap();

    let listed = repo.list().unwrap();
    let names: Vec<_> = listed.iter().map(|tree| tree.name.as_str()).collect();
    assert_eq!(names, ["ahead", "clean", "current", "dirty"]);
    assert!(listed[3].dirty);
    assert_eq!(listed[0].unmerged_commits, 1);
    let text = describe_list(&listed, &current.path);
    assert!(text.contains("current (current)  claurst/current  clean"), "{text}");
    assert!(text.contains("dirty  claurst/dirty  dirty"), "{text}");
    assert!(text.contains("ahead  claurst/ahead  clean, 1 unmerged commit"), "{text}");

    let report = repo.clean(std::slice::from_ref(&current.path)).unwrap();
    assert_eq!(report.removed.len(), 1);
    assert_eq!(report.removed[0].name, "clean");
    assert!(!clean.path.exists());
    assert!(git(repo.root(), &["show-ref", "--verify", "--quiet", "refs/heads/claurst/clean"]).is_err());
    let text = report.describe();
    assert!(text.contains("Removed clean and branch claurst/clean."), "{text}");
    assert!(text.contains("Kept current: this session runs in it."), "{text}");
    assert!(text.contains("Kept dirty: it has uncommitted changes."), "{text}");
    assert!(text.contains("Kept ahead: its branch has 1 unmerged commit."), "{text}");
    assert_eq!(repo.list().unwrap().len(), 3);
}

#[test]
fn cleaning_keeps_a_branch_the_user_checked_out_in_a_worktree() {
    let (_dir, repo) = repo();
    let tree = repo.create_or_reuse("borrowed").unwrap();
    git(&tree.path, &["switch", "-q", "-c", "feature"]).unwrap();
    let report = repo.clean(&[repo.root().to_path_buf()]).unwrap();
    assert_eq!(report.removed.len(), 1);
    assert!(!tree.path.exists());
    git(repo.root(), &["show-ref", "--verify", "--quiet", "refs/heads/feature"])
        .expect("the user's branch stays");
    assert!(report.describe().contains("Removed borrowed."), "{}", report.describe());
}

#[test]
fn a_kept_branch_is_checked_out_again() {
    let (_dir, repo) = repo();
    let tree = repo.create_or_reuse("back").unwrap();
    git(repo.root(), &["worktree", "remove", &tree.path.to_string_lossy()]).unwrap();
    let again = repo.create_or_reuse("back").unwrap();
    assert!(!again.reused);
    assert_eq!(git(&again.path, &["branch", "--show-current"]).unwrap().trim(), "claurst/back");
}

#[test]
fn an_empty_repository_cannot_make_a_worktree() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]).unwrap();
    let repo = Repository::discover(dir.path()).unwrap();
    assert!(matches!(repo.create_or_reuse("x"), Err(WorktreeError::NoCommit)));
}

#[test]
fn porcelain_parsing_keeps_paths_and_branches() {
    let text = "worktree /r\nHEAD abc\nbranch refs/heads/main\n\nworktree /r/.claurst/worktrees/a\nHEAD def\ndetached\n";
    assert_eq!(
        parse_porcelain(text),
        [(PathBuf::from("/r"), Some("main".to_string())), (PathBuf::from("/r/.claurst/worktrees/a"), None)]
    );
}

#[test]
fn commits_on_a_detached_head_count_as_unmerged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    git(&root, &["init", "-q"]).unwrap();
    std::fs::write(root.join("a.txt"), "a\n").unwrap();
    git(&root, &["add", "."]).unwrap();
    git(&root, &["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "a"]).unwrap();
    let repo = Repository::discover(&root).unwrap();
    let tree = repo.create_or_reuse("loose").unwrap();
    git(&tree.path, &["checkout", "-q", "--detach"]).unwrap();
    std::fs::write(tree.path.join("b.txt"), "b\n").unwrap();
    git(&tree.path, &["add", "."]).unwrap();
    git(&tree.path, &["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "b"]).unwrap();
    let state = repo.state_of(&tree.path).unwrap().unwrap();
    assert_eq!((state.branch, state.dirty, state.unmerged_commits), (None, false, 1));
    let report = repo.clean(&[]).unwrap();
    assert!(report.removed.is_empty(), "a worktree holding the only copy of a commit is kept");
}
