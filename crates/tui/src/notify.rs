//! Getting the user's attention through the terminal when Claurst needs them and they may be looking
//! elsewhere: a desktop notification (OSC 9), the bell, or nothing.

use std::time::Duration;

/// How long a run must last before its end is worth a notification, unless configured.
pub const DEFAULT_LONG_RUN: Duration = Duration::from_secs(10);

/// How a notification reaches the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotifyChannel {
    /// `ESC ] 9 ; message BEL`: a desktop notification in terminals that know it (iTerm2, WezTerm, Ghostty,
    /// Windows Terminal, kitty…).
    Osc9,
    /// The terminal bell (`BEL`), which every terminal knows.
    #[default]
    Bell,
    Off,
}

/// What the interface is told about notifications at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotifySettings {
    pub channel: NotifyChannel,
    /// A run at least this long notifies when it ends (unless the terminal is known to have focus).
    pub long_run: Duration,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self { channel: NotifyChannel::Bell, long_run: DEFAULT_LONG_RUN }
    }
}

impl NotifySettings {
    /// From `[ui] notifications` (`auto`, `osc9`, `bell`, `off`; empty is `auto`) and `notify_after_secs`.
    /// `auto` uses OSC 9 where `TERM_PROGRAM` names a terminal known to show it, else the bell.
    pub fn from_config(mode: &str, after_secs: Option<u64>, term_program: Option<&str>) -> Self {
        let channel = match mode {
            "osc9" => NotifyChannel::Osc9,
            "bell" => NotifyChannel::Bell,
            "off" => NotifyChannel::Off,
            _ => auto_channel(term_program),
        };
        let long_run = after_secs.map_or(DEFAULT_LONG_RUN, Duration::from_secs);
        Self { channel, long_run }
    }

    /// The bytes to write for `message`, or `None` when notifications are off.
    pub fn sequence(&self, message: &str) -> Option<String> {
        match self.channel {
            // Control characters would end the sequence early or confuse the terminal.
            NotifyChannel::Osc9 => {
                Some(format!("\x1b]9;{}\x07", message.replace(|c: char| c.is_control(), " ")))
            }
            NotifyChannel::Bell => Some("\x07".to_string()),
            NotifyChannel::Off => None,
        }
    }
}

fn auto_channel(term_program: Option<&str>) -> NotifyChannel {
    const SHOWS_OSC9: [&str; 5] = ["iTerm.app", "WezTerm", "ghostty", "WarpTerminal", "vscode"];
    match term_program {
        Some(program) if SHOWS_OSC9.iter().any(|known| known.eq_ignore_ascii_case(program)) => {
            NotifyChannel::Osc9
        }
        _ => NotifyChannel::Bell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_map_to_channels_and_auto_looks_at_the_terminal() {
        assert_eq!(NotifySettings::from_config("osc9", None, None).channel, NotifyChannel::Osc9);
        assert_eq!(NotifySettings::from_config("off", None, None).channel, NotifyChannel::Off);
        assert_eq!(NotifySettings::from_config("", None, Some("iTerm.app")).channel, NotifyChannel::Osc9);
        assert_eq!(NotifySettings::from_config("auto", None, Some("xterm")).channel, NotifyChannel::Bell);
        assert_eq!(NotifySettings::from_config("bell", Some(3), None).long_run, Duration::from_secs(3));
    }

    #[test]
    fn sequences_are_osc9_or_bell() {
        let osc9 = NotifySettings { channel: NotifyChannel::Osc9, long_run: DEFAULT_LONG_RUN };
        assert_eq!(osc9.sequence("done\nnow").as_deref(), Some("\x1b]9;done now\x07"));
        assert_eq!(NotifySettings::default().sequence("x").as_deref(), Some("\x07"));
        let off = NotifySettings { channel: NotifyChannel::Off, long_run: DEFAULT_LONG_RUN };
        assert_eq!(off.sequence("x"), None);
    }
}
