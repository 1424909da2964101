//! Driving the real `claurst` binary in a pseudo-terminal: type keys, read the screen as a terminal would
//! show it (through a vt100 emulator), resize, and check what the program left behind.

use crate::api::MockApi;
use crate::project::TempProject;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Keys as a terminal sends them (legacy encodings, which every terminal understands).
pub mod keys {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const TAB: &str = "\t";
    pub const SHIFT_TAB: &str = "\x1b[Z";
    pub const BACKSPACE: &str = "\x7f";
    pub const CTRL_C: &str = "\x03";
    pub const CTRL_D: &str = "\x04";
    pub const CTRL_J: &str = "\n";
    pub const CTRL_O: &str = "\x0f";
    pub const CTRL_R: &str = "\x12";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const PAGE_UP: &str = "\x1b[5~";
    pub const PAGE_DOWN: &str = "\x1b[6~";
}

struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// The screen as of the last complete frame: a program drawing with synchronized updates
    /// (`CSI ?2026h` … `CSI ?2026l`) is only looked at between frames, as a real terminal shows it.
    stable: String,
    in_update: bool,
}

const BEGIN_UPDATE: &[u8] = b"\x1b[?2026h";
const END_UPDATE: &[u8] = b"\x1b[?2026l";

impl Shared {
    fn take(&mut self, bytes: &[u8]) {
        // Scan from a little before the new bytes, in case a marker was split across reads.
        let scan_from = self.raw.len().saturating_sub(BEGIN_UPDATE.len() - 1);
        self.raw.extend_from_slice(bytes);
        self.parser.process(bytes);
        let window = &self.raw[scan_from..];
        let last = |marker: &[u8]| window.windows(marker.len()).rposition(|w| w == marker);
        match (last(BEGIN_UPDATE), last(END_UPDATE)) {
            (Some(begin), Some(end)) => self.in_update = begin > end,
            (Some(_), None) => self.in_update = true,
            (None, Some(_)) => self.in_update = false,
            (None, None) => {}
        }
        if !self.in_update {
            self.stable = self.parser.screen().contents();
        }
    }
}

pub struct PtySession {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    shared: Arc<(Mutex<Shared>, Condvar)>,
}

/// A command for `claurst` in `project` (HOME in the project's temporary home), pointed at `api`.
pub fn claurst_pty_command(binary: &Path, project: &TempProject, api: Option<&MockApi>) -> CommandBuilder {
    let mut command = CommandBuilder::new(binary);
    command.env_clear();
    command.cwd(project.project());
    command.env("HOME", project.home());
    command.env("TERM", "xterm-256color");
    for name in ["PATH", "LANG", "LLVM_PROFILE_FILE"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    if let Some(api) = api {
        command.env("ANTHROPIC_API_KEY", "sk-ant-test");
        command.env("ANTHROPIC_BASE_URL", api.url());
    }
    command
}

impl PtySession {
    /// Start `command` in a `rows` × `cols` terminal.
    pub fn spawn(command: CommandBuilder, rows: u16, cols: u16) -> PtySession {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("opening a pseudo-terminal");
        let child = pair.slave.spawn_command(command).expect("starting the program in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let shared = Arc::new((
            Mutex::new(Shared {
                parser: vt100::Parser::new(rows, cols, 0),
                raw: Vec::new(),
                stable: String::new(),
                in_update: false,
            }),
            Condvar::new(),
        ));
        let sink = Arc::clone(&shared);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let (state, changed) = &*sink;
                // A test that failed while holding the screen poisoned it: nobody is reading any more.
                let Ok(mut shared) = state.lock() else { break };
                shared.take(&buffer[..read]);
                changed.notify_all();
            }
        });
        PtySession { master: pair.master, writer, child, shared }
    }

    /// Type `text` (use `keys::*` for special keys).
    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("writing to the pty");
        self.writer.flush().expect("flushing the pty");
    }

    /// Type `text` one character at a time, as a person would (so it is not taken for a paste).
    pub fn type_text(&mut self, text: &str) {
        for character in text.chars() {
            self.send(&character.to_string());
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The screen's text, rows joined with newlines, as of the last complete frame.
    pub fn screen(&self) -> String {
        self.shared.0.lock().unwrap().stable.clone()
    }

    /// Every byte the program wrote so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.shared.0.lock().unwrap().raw.clone()
    }

    /// Whether the program is on the alternate screen.
    pub fn on_alternate_screen(&self) -> bool {
        self.shared.0.lock().unwrap().parser.screen().alternate_screen()
    }

    /// The cursor's (row, column).
    pub fn cursor(&self) -> (u16, u16) {
        self.shared.0.lock().unwrap().parser.screen().cursor_position()
    }

    /// Wait until the screen shows `needle`; panics with the screen when it does not within `timeout`.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        self.wait_until(&format!("the screen to show {needle:?}"), timeout, |screen| screen.contains(needle))
    }

    /// Wait until `ready(screen)`; panics with the screen when it is not within `timeout`. `ready` runs while
    /// the screen is locked: it must not call this session's methods.
    pub fn wait_until(&self, what: &str, timeout: Duration, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        let (state, changed) = &*self.shared;
        let mut shared = state.lock().unwrap();
        loop {
            let screen = shared.stable.clone();
            if ready(&screen) {
                return screen;
            }
            let now = Instant::now();
            if now > deadline {
                panic!("timed out after {timeout:?} waiting for {what}; the screen shows:\n{screen}");
            }
            // Woken by every chunk of output; the timeout also covers changes made by resizing.
            let wait = (deadline - now).min(Duration::from_millis(50));
            shared = changed.wait_timeout(shared, wait).unwrap().0;
        }
    }

    /// Wait until the bytes the program wrote contain `needle` (escape sequences that leave no trace on the
    /// screen: notifications, mode switches); panics when they do not within `timeout`.
    pub fn wait_for_raw(&self, needle: &[u8], timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let (state, changed) = &*self.shared;
        let mut shared = state.lock().unwrap();
        while !shared.raw.windows(needle.len()).any(|window| window == needle) {
            let now = Instant::now();
            if now > deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {:?} in the output",
                    String::from_utf8_lossy(needle)
                );
            }
            let wait = (deadline - now).min(Duration::from_millis(50));
            shared = changed.wait_timeout(shared, wait).unwrap().0;
        }
    }

    /// Resize the terminal, as a window resize would.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let mut shared = self.shared.0.lock().unwrap();
        shared.parser.screen_mut().set_size(rows, cols);
        shared.stable = shared.parser.screen().contents();
        drop(shared);
        self.master
            .resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("resizing the pty");
    }

    /// Wait for the program to exit; returns its exit code. Panics after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> u32 {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("polling the child") {
                // Let the reader thread take in the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the program did not exit within {timeout:?}; the screen shows:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The process id, for reading /proc in benchmarks.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }
}

impl Drop for PtySession {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
