//! `grep`'s own behaviour: sorting, limits, binary files, errors.

use crate::Project;
use serde_json::json;

#[tokio::test]
async fn results_are_sorted_by_path_and_limited() {
    let project = Project::new();
    for name in ["e", "b", "d", "a", "c"] {
        project.write(&format!("{name}/file.txt"), "needle\nneedle\n");
    }
    let all = project.ok("grep", json!({"pattern": "needle"})).await;
    assert_eq!(all, "a/file.txt\nb/file.txt\nc/file.txt\nd/file.txt\ne/file.txt");
    let two = project.ok("grep", json!({"pattern": "needle", "head_limit": 2})).await;
    assert_eq!(two, "a/file.txt\nb/file.txt\n[showing 2 of 5 files; raise head_limit to see more]");
    let counted =
        project.ok("grep", json!({"pattern": "needle", "output_mode": "count", "head_limit": 1})).await;
    assert!(counted.starts_with("a/file.txt:2\n[showing 1 of 5 files"), "{counted}");
    let lines =
        project.ok("grep", json!({"pattern": "needle", "output_mode": "content", "head_limit": 3})).await;
    assert_eq!(
        lines,
        "a/file.txt:1:needle\na/file.txt:2:needle\nb/file.txt:1:needle\n[showing 3 of 10 lines; raise head_limit to see more]"
    );
}

#[tokio::test]
async fn huge_output_is_cut_with_a_note() {
    let project = Project::new();
    let body: String = (0..5000).map(|n| format!("match line number {n}\n")).collect();
    project.write("big.txt", body);
    let result = project.ok("grep", json!({"pattern": "match", "output_mode": "content"})).await;
    assert!(result.len() < 31_000, "{}", result.len());
    let note = result.lines().last().unwrap();
    assert!(
        note.starts_with("[showing ")
            && note.contains(" of 5000 lines; the output is limited to 30000 characters"),
        "{note}"
    );
}

#[tokio::test]
async fn searches_single_files_and_skips_binaries() {
    let project = Project::new();
    project.write("one.txt", "alpha\nbeta\n");
    project.write("blob.bin", b"alpha\0beta");
    let file =
        project.ok("grep", json!({"pattern": "beta", "path": "one.txt", "output_mode": "content"})).await;
    assert_eq!(file, "one.txt:2:beta");
    let all = project.ok("grep", json!({"pattern": "alpha"})).await;
    assert_eq!(all, "one.txt");
    let none = project.ok("grep", json!({"pattern": "gamma"})).await;
    assert_eq!(none, "No matches found.");
}

#[tokio::test]
async fn long_lines_are_cut() {
    let project = Project::new();
    project.write("min.js", format!("{}needle{}\n", "x".repeat(3000), "y".repeat(3000)));
    let result = project.ok("grep", json!({"pattern": "needle", "output_mode": "content"})).await;
    assert!(result.ends_with(" … [line cut]"), "{}", &result[result.len() - 50..]);
    assert!(result.len() < 2100);
}

#[tokio::test]
async fn bad_input_is_explained() {
    let project = Project::new();
    let regex = project.err("grep", json!({"pattern": "(unclosed"})).await;
    assert!(regex.contains("not a valid regular expression"), "{regex}");
    let kind = project.err("grep", json!({"pattern": "x", "type": "klingon"})).await;
    assert!(kind.contains("unknown file type `klingon`"), "{kind}");
    let mode = project.err("grep", json!({"pattern": "x", "output_mode": "lines"})).await;
    assert!(mode.contains("invalid input") && mode.contains("files_with_matches"), "{mode}");
    let path = project.err("grep", json!({"pattern": "x", "path": "nowhere"})).await;
    assert!(path.contains("nowhere does not exist"), "{path}");
}
