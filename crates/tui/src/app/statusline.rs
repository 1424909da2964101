//! `/statusline`: a command of the user's whose first line of output is shown in place of the status line's
//! model, context, cost and directory. It is given a JSON description of the session on stdin and runs again
//! only when that description changes (the event loop spaces runs out and runs nothing while idle).

use super::{App, Effect};
use crate::transcript::NoticeKind;
use claurst_protocol::{Op, UserSetting};

/// The command, and where its runs stand.
#[derive(Debug, Default)]
pub(crate) struct StatusLine {
    command: Option<String>,
    /// The description last given to the command: an unchanged one is not run again.
    last_input: Option<String>,
    running: bool,
    /// A failure is told once, not on every run.
    error_shown: bool,
    /// Bumped when the command changes, so a result of the previous one is ignored.
    generation: u64,
}

/// A run for the event loop to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLineRun {
    pub command: String,
    /// The session as JSON, for the command's stdin.
    pub input: String,
    pub generation: u64,
}

impl StatusLine {
    pub(crate) fn new(command: Option<String>) -> Self {
        Self { command, ..Self::default() }
    }

    pub(crate) fn command(&self) -> Option<&str> {
        self.command.as_deref()
    }
}

impl App {
    /// `/statusline`: show the setting; `/statusline off` removes it; `/statusline COMMAND` sets it. Both
    /// changes are saved to the user's config by the session.
    pub(crate) fn statusline_command(&mut self, argument: Option<String>) -> Vec<Effect> {
        let Some(argument) = argument else {
            let current = match &self.statusline.command {
                Some(command) => format!("Status line command: {command}"),
                None => "No status line command is set.".to_string(),
            };
            self.notice(
                NoticeKind::Info,
                format!(
                    "{current}\n  /statusline <command> sets it: the command gets the session as JSON on stdin \
                     (session_id, model, cwd, cost, context) and its first line of output is the status line.\n  \
                     /statusline off removes it. Saved as [ui] statusline in ~/.claurst/config.toml."
                ),
            );
            return Vec::new();
        };
        let command = Some(argument).filter(|argument| argument != "off");
        self.statusline = StatusLine {
            command: command.clone(),
            generation: self.statusline.generation + 1,
            ..StatusLine::default()
        };
        self.status.custom = None;
        vec![Effect::Send(Op::SaveUserSetting(UserSetting::StatusLine(command)))]
    }

    /// The session as the status line command reads it.
    fn statusline_input(&self) -> String {
        let status = &self.status;
        serde_json::json!({
            "session_id": status.session_id,
            "model": { "id": status.model, "display_name": status.model },
            "cwd": self.project_root.display().to_string(),
            "workspace": { "current_dir": self.project_root.display().to_string() },
            "cost": { "total_cost_usd": status.cost_usd, "price_unknown": status.price_unknown },
            "context": {
                "used_percent": status.context_percent(),
                "tokens": status.context_tokens,
                "window": status.context_window,
            },
            "permission_mode": status.mode.as_str(),
            "output_style": { "name": self.output_style },
        })
        .to_string()
    }

    /// Whether the command should run again: it is set, not running, and the session changed since.
    pub fn statusline_due(&self) -> bool {
        self.statusline.command.is_some()
            && !self.statusline.running
            && self.statusline.last_input.as_deref() != Some(self.statusline_input().as_str())
    }

    /// The run to start now, when one is due.
    pub fn start_statusline(&mut self) -> Option<StatusLineRun> {
        if !self.statusline_due() {
            return None;
        }
        let input = self.statusline_input();
        let command = self.statusline.command.clone()?;
        self.statusline.running = true;
        self.statusline.last_input = Some(input.clone());
        Some(StatusLineRun { command, input, generation: self.statusline.generation })
    }

    /// A run ended with its first line of output, or why it failed.
    pub fn statusline_finished(&mut self, generation: u64, result: Result<String, String>) {
        if generation != self.statusline.generation {
            return;
        }
        self.statusline.running = false;
        match result {
            Ok(line) => self.status.custom = Some(line).filter(|line| !line.trim().is_empty()),
            Err(error) if !self.statusline.error_shown => {
                self.statusline.error_shown = true;
                self.notice(NoticeKind::Warning, format!("The status line command failed: {error}"));
            }
            Err(_) => {}
        }
    }
}
