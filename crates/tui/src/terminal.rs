//! Taking over the terminal (raw mode, alternate screen, paste, mouse and focus reporting) and giving it back: on exit, on error, on panic, on SIGTERM and SIGHUP.

use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange,
    KeyboardEnhancementFlags, PopKeyboardEnhancementFlags, PushKeyboardEnhancementFlags,
};
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use std::io::Write;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Mouse reporting of button presses and the wheel only (SGR encoding). Motion tracking is deliberately not
/// enabled: it would wake the app on every mouse move.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// While alive, the terminal is in raw mode on the alternate screen. Dropping it restores the terminal.
pub struct TerminalGuard(());

impl TerminalGuard {
    pub fn enter() -> std::io::Result<Self> {
        install_panic_hook();
        resume()?;
        Ok(Self(()))
    }
}

/// Hand the terminal to another program (an editor) for a while; `resume` takes it back.
pub fn suspend() {
    restore();
}

/// Take the terminal: raw mode, alternate screen, paste and mouse reporting.
pub fn resume() -> std::io::Result<()> {
    {
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut stdout = std::io::stdout();
        execute!(stdout, EnterAlternateScreen, Clear(ClearType::All), EnableBracketedPaste)?;
        // Focus reports tell whether the user is looking: notifications are for when they are not.
        execute!(stdout, EnableFocusChange)?;
        // Terminals without the keyboard protocol ignore this; with it, Shift+Enter is told apart from Enter.
        // It is pushed without querying support first: a query would delay the first frame.
        execute!(stdout, PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES))?;
        stdout.write_all(MOUSE_ON.as_bytes())?;
        stdout.flush()?;
        Ok(())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Give the terminal back. Safe to call more than once and from the panic hook.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(MOUSE_OFF.as_bytes());
    let _ = execute!(
        stdout,
        PopKeyboardEnhancementFlags,
        DisableFocusChange,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Restore the terminal before the panic message prints, so it is readable and the shell works afterwards.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
