//! Atomic writes: a writer killed with SIGKILL at any instant leaves the old or a new content, never a torn
//! or empty file.
//!
//! The test re-runs this test binary as a child with `CLAURST_TEST_WRITER` set, selecting `writer_loop`,
//! which writes large contents through the same helper the file tools use, forever, announcing each write
//! on stdout. The parent kills it at several points (some mid-write, as each write takes a while) and checks
//! the file every time.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const WRITER_ENV: &str = "CLAURST_TEST_WRITER";
/// Large enough that a write takes many system calls, so a kill often lands inside one.
const CONTENT_LEN: usize = 8 * 1024 * 1024;

fn content(generation: u8) -> Vec<u8> {
    vec![b'a' + generation % 26; CONTENT_LEN]
}

/// The child's side: does nothing in a normal test run.
#[test]
fn writer_loop() {
    let Ok(path) = std::env::var(WRITER_ENV) else { return };
    let path = Path::new(&path);
    for generation in 1u8.. {
        claurst_tools::write_atomically(path, &content(generation)).unwrap();
        println!("wrote {generation}");
    }
}

fn is_whole(bytes: &[u8]) -> bool {
    bytes == b"old" || (bytes.len() == CONTENT_LEN && bytes.iter().all(|&byte| byte == bytes[0]))
}

#[test]
fn a_killed_writer_leaves_old_or_new_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, "old").unwrap();
    let exe = std::env::current_exe().unwrap();
    // Kill at spread instants: before the first write completes, then at growing offsets after a write was
    // announced, which lands inside the next write (each takes milliseconds) in many of the rounds.
    for round in 0..24u64 {
        let mut child = Command::new(&exe)
            .args(["atomic_write::writer_loop", "--exact", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        if round > 0 {
            // The test harness prints its own lines too; wait for the writer's.
            while !lines.next().unwrap().unwrap().starts_with("wrote ") {}
            std::thread::sleep(Duration::from_micros(round * 300));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(is_whole(&bytes), "round {round}: a torn file of {} bytes", bytes.len());
    }
}
