//! The real binary driven over stdin/stdout with JSON lines (`--input-format stream-json`), as a program
//! (an Agent SDK) drives it: write a message, read lines as they come, wait for the one you need.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a test waits for a line it expects before it fails (generous: CI machines are slow).
const LINE_WAIT: Duration = Duration::from_secs(30);

/// A running `claurst` speaking JSON lines.
pub struct JsonLinesSession {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<Value>,
    /// Every line read so far, in order.
    pub seen: Vec<Value>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl JsonLinesSession {
    /// Start `command` (its flags already set) with piped stdio.
    pub fn start(command: &mut Command) -> Self {
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().expect("the claurst binary should start");
        let stdout = child.stdout.take().expect("stdout was piped");
        let mut stderr = child.stderr.take().expect("stderr was piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value = serde_json::from_str(&line)
                    .unwrap_or_else(|error| panic!("stdout line is not JSON ({error}): {line}"));
                if sender.send(value).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            text
        });
        let stdin = child.stdin.take();
        Self { child, stdin, lines, seen: Vec::new(), stderr: Some(stderr) }
    }

    /// Write one message as a line.
    pub fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin is still open");
        writeln!(stdin, "{message}").expect("claurst reads its stdin");
        stdin.flush().expect("claurst reads its stdin");
    }

    /// A user message with this text, as the SDKs send it.
    pub fn send_prompt(&mut self, text: &str) {
        self.send(&serde_json::json!({
            "type": "user",
            "message": {"role": "user", "content": text},
            "parent_tool_use_id": null,
            "session_id": "",
        }));
    }

    /// The process id, to send it a signal.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Close stdin (the program has nothing more to say).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The next line; panics (showing what was seen) if none comes in time.
    pub fn next_line(&mut self) -> Value {
        match self.lines.recv_timeout(LINE_WAIT) {
            Ok(line) => {
                self.seen.push(line.clone());
                line
            }
            Err(_) => {
                panic!("no line from claurst within {LINE_WAIT:?}; seen so far:\n{}", self.transcript())
            }
        }
    }

    /// Read lines until one satisfies `wanted`, and return it.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + LINE_WAIT;
        while Instant::now() < deadline {
            let line = self.next_line();
            if wanted(&line) {
                return line;
            }
        }
        panic!("no wanted line within {LINE_WAIT:?}; seen:\n{}", self.transcript())
    }

    /// Read lines until one of `type` (and `subtype`, when given).
    pub fn wait_for_type(&mut self, kind: &str, subtype: Option<&str>) -> Value {
        self.wait_for(|line| line["type"] == kind && subtype.is_none_or(|subtype| line["subtype"] == subtype))
    }

    /// Read lines until the answer to control request `request_id`.
    pub fn wait_for_response(&mut self, request_id: &str) -> Value {
        self.wait_for(|line| {
            line["type"] == "control_response" && line["response"]["request_id"] == request_id
        })
    }

    /// Close stdin, wait for the process to end, and return its status, the remaining lines and stderr.
    pub fn finish(mut self) -> (ExitStatus, Vec<Value>, String) {
        self.close_stdin();
        let status = self.child.wait().expect("waiting for claurst");
        let mut rest = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            rest.push(line);
        }
        let stderr = self.stderr.take().and_then(|reader| reader.join().ok()).unwrap_or_default();
        (status, rest, stderr)
    }

    /// Every line seen so far, one per line, for failure messages.
    pub fn transcript(&self) -> String {
        self.seen.iter().map(Value::to_string).collect::<Vec<_>>().join("\n")
    }
}

impl Drop for JsonLinesSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
