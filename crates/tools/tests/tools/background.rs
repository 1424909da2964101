//! `bash` with `run_in_background`, `bash_output` and `kill_shell`.

use crate::Project;
use serde_json::json;
use std::time::{Duration, Instant};

/// Read a shell until its status line contains `status`, returning everything read on the way.
async fn read_until(project: &Project, id: &str, status: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut all = String::new();
    loop {
        let read = project.ok("bash_output", json!({"bash_id": id})).await;
        all.push_str(&read);
        all.push('\n');
        if read.lines().next().unwrap().contains(status) {
            return all;
        }
        assert!(Instant::now() < deadline, "{id} never reached `{status}`:\n{all}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn shell_id(started: &str) -> String {
    let id = started.split("id ").nth(1).unwrap().split('.').next().unwrap();
    id.to_string()
}

#[tokio::test]
async fn returns_at_once_and_reads_only_new_output() {
    let project = Project::new();
    let began = Instant::now();
    let started = project
        .ok("bash", json!({"command": "echo one; sleep 0.5; echo two; exit 3", "run_in_background": true}))
        .await;
    assert!(began.elapsed() < Duration::from_millis(400), "took {:?}", began.elapsed());
    assert_eq!(shell_id(&started), "bash_1", "{started}");

    let first = read_until(&project, "bash_1", "running").await;
    assert!(first.contains("bash_1: running."), "{first}");
    let all = read_until(&project, "bash_1", "exited").await;
    assert!(all.contains("bash_1: exited with code 3."), "{all}");
    let everything = format!("{first}{all}");
    let lines = |text: &str| everything.lines().filter(|line| *line == text).count();
    assert_eq!(lines("one"), 1, "output is returned once:\n{everything}");
    assert_eq!(lines("two"), 1, "{everything}");

    let again = project.ok("bash_output", json!({"bash_id": "bash_1"})).await;
    assert!(again.contains("(no new output since the last read)"), "{again}");
    let second = project.ok("bash", json!({"command": "true", "run_in_background": true})).await;
    assert_eq!(shell_id(&second), "bash_2");
}

#[tokio::test]
async fn kill_shell_kills_the_whole_group() {
    let project = Project::new();
    let marker = project.path("survived");
    let command = format!("(sleep 1; touch {}) & echo started; sleep 30", marker.display());
    project.ok("bash", json!({"command": command, "run_in_background": true})).await;
    read_until(&project, "bash_1", "running").await;
    let killed = project.ok("kill_shell", json!({"shell_id": "bash_1"})).await;
    assert!(killed.starts_with("Killed bash_1"), "{killed}");
    let status = project.ok("bash_output", json!({"bash_id": "bash_1"})).await;
    assert!(status.starts_with("bash_1: killed."), "{status}");
    let twice = project.ok("kill_shell", json!({"shell_id": "bash_1"})).await;
    assert!(twice.contains("had already been killed"), "{twice}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!marker.exists(), "a process of the killed shell survived");
}

#[tokio::test]
async fn ending_the_session_kills_background_shells() {
    let project = Project::new();
    let marker = project.path("survived");
    let command = format!("sleep 1; touch {}", marker.display());
    project.ok("bash", json!({"command": command, "run_in_background": true})).await;
    let Project { dir, context, tools } = project;
    drop(tools);
    drop(context);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!dir.path().join("survived").exists(), "the shell outlived its session");
}

#[tokio::test]
async fn starts_in_the_shell_directory_and_leaves_foreground_bash_alone() {
    let project = Project::new();
    std::fs::create_dir(project.path("sub")).unwrap();
    project.ok("bash", json!({"command": "cd sub"})).await;
    project.ok("bash", json!({"command": "pwd -P; cd /", "run_in_background": true})).await;
    let read = read_until(&project, "bash_1", "exited").await;
    assert!(read.contains(&format!("{}\n", project.path("sub").display())), "{read}");
    let here = project.ok("bash", json!({"command": "pwd -P"})).await;
    assert_eq!(here, project.path("sub").display().to_string());
}

#[tokio::test]
async fn unknown_shells_are_explained() {
    let project = Project::new();
    let none = project.err("bash_output", json!({"bash_id": "bash_9"})).await;
    assert!(none.contains("no background shells have been started"), "{none}");
    project.ok("bash", json!({"command": "true", "run_in_background": true})).await;
    let wrong = project.err("kill_shell", json!({"shell_id": "bash_9"})).await;
    assert!(wrong.contains("are: bash_1"), "{wrong}");
    let bad = project.err("kill_shell", json!({"id": "bash_1"})).await;
    assert!(bad.contains("invalid input"), "{bad}");
}
