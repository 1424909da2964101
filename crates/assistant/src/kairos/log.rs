//! The daily log: one append-only file per UTC day (`YYYY-MM-DD.log`), one timestamped entry per line.
//!
//! Entries are only ever appended (the file is opened in append mode for each entry, never truncated or
//! rewritten). A crash can leave a torn last line; reading skips any line without its newline or that does not
//! parse. The next append first closes a torn line with a `\t(torn)` mark (an entry's own text never holds a
//! tab), so the fragment stays skipped for good and never glues onto a good entry.

use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// What an entry records; its name is the entry's second field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// KAIROS started in a session.
    Start,
    /// KAIROS stopped (session end, SIGTERM).
    Stop,
    /// A tick called the model; the text lists what changed.
    Tick,
    /// What a tick's run did (the model's last words, one line).
    Action,
    /// A due tick made no model call for a reason worth keeping (a cap, a pause).
    Skip,
    /// What a tick cost, in US dollars: today's spend is the sum of these.
    Spend,
    Deferred,
    DeferredFinished,
    /// A file pushed to the user (`send_user_file`).
    FileSent,
    Paused,
    Resumed,
}

impl LogKind {
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Start => "start",
            LogKind::Stop => "stop",
            LogKind::Tick => "tick",
            LogKind::Action => "action",
            LogKind::Skip => "skip",
            LogKind::Spend => "spend",
            LogKind::Deferred => "deferred",
            LogKind::DeferredFinished => "deferred-finished",
            LogKind::FileSent => "file-sent",
            LogKind::Paused => "paused",
            LogKind::Resumed => "resumed",
        }
    }
}

/// The longest entry text kept, in characters.
const MAX_ENTRY_CHARS: usize = 1000;

/// One parsed line of a day's log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// RFC 3339 UTC.
    pub at: String,
    pub kind: String,
    pub text: String,
}

/// A project's daily logs, in its KAIROS folder.
#[derive(Debug, Clone)]
pub struct DailyLog {
    dir: PathBuf,
}

impl DailyLog {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder holding the logs (the project's KAIROS folder).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `YYYY-MM-DD` of `now` (UTC).
    pub fn day_of(now: OffsetDateTime) -> String {
        let format = format_description!("[year]-[month]-[day]");
        now.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
    }

    pub fn path_for(&self, day: &str) -> PathBuf {
        self.dir.join(format!("{day}.log"))
    }

    pub fn today_path(&self) -> PathBuf {
        self.path_for(&Self::day_of(OffsetDateTime::now_utc()))
    }

    /// Append an entry stamped now to today's log.
    pub fn append(&self, kind: LogKind, text: &str) -> std::io::Result<()> {
        self.append_at(OffsetDateTime::now_utc(), kind, text)
    }

    /// Append an entry stamped `now` to the log of `now`'s day.
    pub fn append_at(&self, now: OffsetDateTime, kind: LogKind, text: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path_for(&Self::day_of(now));
        let mut file = OpenOptions::new().create(true).append(true).read(true).open(&path)?;
        let stamp = now.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default();
        // A line is one entry: newlines and tabs inside the text would split or shift it.
        // And one entry is bounded: a model's message or a command's summary cannot grow the day's log much.
        let mut text: String = text
            .chars()
            .take(MAX_ENTRY_CHARS)
            .map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c })
            .collect();
        if text.chars().count() == MAX_ENTRY_CHARS {
            text.push('…');
        }
        let mut line = String::with_capacity(stamp.len() + text.len() + 24);
        if ends_torn(&mut file)? {
            line.push_str(TORN_MARK);
        }
        line.push_str(&stamp);
        line.push('\t');
        line.push_str(kind.name());
        line.push('\t');
        line.push_str(&text);
        line.push('\n');
        // One write call: appends of one process never interleave inside a line.
        file.write_all(line.as_bytes())
    }

    /// The entries of `day` (`YYYY-MM-DD`), skipping a torn or unreadable line; none when there is no log.
    pub fn entries(&self, day: &str) -> Vec<LogEntry> {
        let Ok(text) = std::fs::read_to_string(self.path_for(day)) else { return Vec::new() };
        parse(&text)
    }

    /// The day's log as text for a reader: its whole entries, one per line.
    pub fn read_day(&self, day: &str) -> String {
        self.entries(day)
            .iter()
            .map(|entry| format!("{}  {:<17} {}\n", entry.at, entry.kind, entry.text))
            .collect()
    }

    /// What ticks spent on `day` (the sum of its `spend` entries): after a restart the cap still holds.
    pub fn spent_on(&self, day: &str) -> f64 {
        self.entries(day)
            .iter()
            .filter(|entry| entry.kind == LogKind::Spend.name())
            .filter_map(|entry| entry.text.split_whitespace().next()?.parse::<f64>().ok())
            .filter(|amount| amount.is_finite() && *amount >= 0.0)
            .sum()
    }
}

/// Closes a line a crash cut short: the fourth field makes it unreadable as an entry.
const TORN_MARK: &str = "\t(torn)\n";

/// Whether the file ends without a newline (a crash cut its last entry short).
fn ends_torn(file: &mut std::fs::File) -> std::io::Result<bool> {
    let length = file.metadata()?.len();
    if length == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(length - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// The complete, well-formed lines of a log.
fn parse(text: &str) -> Vec<LogEntry> {
    // The piece after the last newline is an entry a crash cut short (or nothing).
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let at = fields.next()?;
            let kind = fields.next()?;
            let text = fields.next()?;
            if text.contains('\t') {
                return None;
            }
            OffsetDateTime::parse(at, &Rfc3339).ok()?;
            Some(LogEntry { at: at.to_string(), kind: kind.to_string(), text: text.to_string() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_torn_last_line_is_skipped_and_the_next_entry_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let log = DailyLog::new(dir.path());
        let now = OffsetDateTime::now_utc();
        log.append_at(now, LogKind::Spend, "0.25").unwrap();
        let path = log.path_for(&DailyLog::day_of(now));
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"2026-01-01T00:00:00Z\tspend\t9").unwrap();
        assert_eq!(log.entries(&DailyLog::day_of(now)).len(), 1);
        log.append_at(now, LogKind::Spend, "0.5").unwrap();
        let day = DailyLog::day_of(now);
        let entries = log.entries(&day);
        assert_eq!(entries.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), ["0.25", "0.5"]);
        assert_eq!(log.spent_on(&day), 0.75);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("spend\t9\t(torn)\n"), "{text}");
    }

    #[test]
    fn newlines_in_an_entry_stay_on_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = DailyLog::new(dir.path());
        let now = OffsetDateTime::now_utc();
        log.append_at(now, LogKind::Action, "one\ntwo\tthree").unwrap();
        let entries = log.entries(&DailyLog::day_of(now));
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].text, "one two three");
    }
}
