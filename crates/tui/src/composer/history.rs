//! Prompt history: Up/Down walk it, Ctrl+R searches it. Kept across sessions in a file of JSON lines.

use std::io::Write;
use std::path::PathBuf;

/// Entries kept in the history file.
const MAX_ENTRIES: usize = 1000;

#[derive(Debug, Default)]
pub struct History {
    entries: Vec<String>,
    /// Index into `entries` while walking, `None` when at the draft.
    position: Option<usize>,
    /// What the user was typing before walking the history.
    draft: String,
    file: Option<PathBuf>,
}

impl History {
    /// History loaded from `file` (missing or unreadable lines are skipped).
    pub fn load(file: Option<PathBuf>) -> Self {
        let entries = file
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .map(|text| text.lines().filter_map(|line| serde_json::from_str::<String>(line).ok()).collect())
            .unwrap_or_default();
        Self { entries, position: None, draft: String::new(), file }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Remember a sent prompt (consecutive duplicates are kept once).
    pub fn record(&mut self, prompt: &str) {
        self.position = None;
        if prompt.trim().is_empty() || self.entries.last().is_some_and(|last| last == prompt) {
            return;
        }
        self.entries.push(prompt.to_string());
        if let Some(path) = &self.file {
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path)
                && let Ok(line) = serde_json::to_string(prompt)
            {
                let _ = writeln!(file, "{line}");
            }
        }
        if self.entries.len() > MAX_ENTRIES * 2 {
            self.entries.drain(..self.entries.len() - MAX_ENTRIES);
        }
    }

    /// The entry before the current one (Up), saving `current` as the draft when leaving it.
    pub fn previous(&mut self, current: &str) -> Option<&str> {
        let next = match self.position {
            None => {
                self.draft = current.to_string();
                self.entries.len().checked_sub(1)?
            }
            Some(0) => 0,
            Some(index) => index - 1,
        };
        self.position = Some(next);
        self.entries.get(next).map(String::as_str)
    }

    /// The entry after the current one (Down), or the draft after the newest.
    pub fn next(&mut self) -> Option<&str> {
        let index = self.position?;
        if index + 1 < self.entries.len() {
            self.position = Some(index + 1);
            self.entries.get(index + 1).map(String::as_str)
        } else {
            self.position = None;
            Some(self.draft.as_str())
        }
    }

    /// Whether an entry, not the draft, is in the composer.
    pub fn is_walking(&self) -> bool {
        self.position.is_some()
    }

    pub fn reset_walk(&mut self) {
        self.position = None;
    }

    /// The newest entry containing `query` (case-insensitive) older than `before` (an index), for Ctrl+R.
    pub fn search(&self, query: &str, before: Option<usize>) -> Option<(usize, &str)> {
        let query = query.to_lowercase();
        let end = before.unwrap_or(self.entries.len()).min(self.entries.len());
        self.entries[..end]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, entry)| entry.to_lowercase().contains(&query))
            .map(|(index, entry)| (index, entry.as_str()))
    }
}
