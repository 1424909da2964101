//! An image from the system clipboard, read through whichever clipboard program the system has: terminals
//! paste only text, so Ctrl+V asks the clipboard itself.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a clipboard program may take before the paste is given up.
const CLIPBOARD_TIMEOUT: Duration = Duration::from_secs(3);

/// What the clipboard held.
#[derive(Debug, PartialEq, Eq)]
pub enum ClipboardImage {
    /// PNG bytes.
    Image(Vec<u8>),
    /// The clipboard holds no image (or the program failed).
    NoImage,
    /// No clipboard program was found: what to install.
    NoTool(&'static str),
}

/// The clipboard's image as PNG, through `pngpaste` on macOS, `wl-paste` under Wayland or `xclip` under X11.
pub fn read_clipboard_image() -> ClipboardImage {
    let candidates: &[(&str, &[&str], bool)] = &[
        ("pngpaste", &["-"], cfg!(target_os = "macos")),
        ("wl-paste", &["--no-newline", "--type", "image/png"], std::env::var_os("WAYLAND_DISPLAY").is_some()),
        (
            "xclip",
            &["-selection", "clipboard", "-t", "image/png", "-o"],
            std::env::var_os("DISPLAY").is_some(),
        ),
    ];
    let found = candidates.iter().find(|(program, _, applies)| *applies && find_program(program).is_some());
    let Some((program, args, _)) = found else {
        return ClipboardImage::NoTool(install_hint());
    };
    match run(program, args) {
        Some(bytes) if bytes.starts_with(b"\x89PNG") => ClipboardImage::Image(bytes),
        _ => ClipboardImage::NoImage,
    }
}

fn install_hint() -> &'static str {
    if cfg!(target_os = "macos") {
        "install pngpaste (brew install pngpaste) to paste images from the clipboard"
    } else {
        "install wl-clipboard (Wayland) or xclip (X11) to paste images from the clipboard"
    }
}

/// `program` on `PATH`.
fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// The program's stdout when it succeeds within the timeout.
fn run(program: &str, args: &[&str]) -> Option<Vec<u8>> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    // Read on a thread: a large image fills the pipe before the program exits.
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < CLIPBOARD_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    let bytes = reader.join().ok()?.ok()?;
    status.success().then_some(bytes)
}
