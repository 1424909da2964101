use claurst_test_support::TempProject;

#[test]
fn files_are_written_under_project_and_home() {
    let temp = TempProject::new();
    let written = temp.write("src/deep/lib.rs", "fn main() {}\n");
    assert_eq!(written, temp.project().join("src/deep/lib.rs"));
    assert_eq!(temp.read("src/deep/lib.rs"), "fn main() {}\n");

    let settings = temp.write_home(".claude/settings.json", "{}");
    assert!(settings.starts_with(temp.home()));
    assert_eq!(std::fs::read_to_string(settings).unwrap(), "{}");
    assert_ne!(temp.home(), temp.project());
}

#[test]
fn git_init_makes_a_repository_that_can_commit() {
    let temp = TempProject::new();
    temp.git_init();
    temp.write("README.md", "hello\n");
    temp.git(&["add", "README.md"]);
    temp.git(&["commit", "-q", "-m", "first"]);
    assert_eq!(temp.git(&["log", "--format=%s"]).trim(), "first");
}

#[test]
fn the_directories_go_away_on_drop() {
    let temp = TempProject::new();
    let root = temp.root().to_path_buf();
    drop(temp);
    assert!(!root.exists());
}
