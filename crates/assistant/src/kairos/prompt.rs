//! The `<tick>` prompt: what the model is sent when a tick acts.

use super::changes::Pending;

/// Lines of `git status --short` a tick carries.
pub const STATUS_LINES: usize = 30;

/// The prompt of tick `number`, sent at `now` (RFC 3339), `since` after the last tick that acted (none for the
/// first), carrying `changes` and, when files or HEAD changed, `git status`.
pub fn tick_prompt(
    number: u64,
    now: &str,
    since: Option<u64>,
    changes: &Pending,
    status: Option<&str>,
) -> String {
    let mut text = format!("<tick number=\"{number}\" time=\"{now}\"");
    if let Some(seconds) = since {
        text.push_str(&format!(" since_last_tick_secs=\"{seconds}\""));
    }
    text.push_str(">\n");
    if !changes.files.is_empty() || changes.more_files {
        text.push_str("<files_changed>\n");
        for path in &changes.files {
            text.push_str(path);
            text.push('\n');
        }
        if changes.more_files {
            text.push_str("(and more not listed)\n");
        }
        text.push_str("</files_changed>\n");
    }
    section(&mut text, "git", &changes.git);
    if let Some(status) = status {
        text.push_str(&format!("<git_status>\n{status}\n</git_status>\n"));
    }
    section(&mut text, "commands_finished", &changes.commands);
    section(&mut text, "deferred_results", &changes.deferred);
    section(&mut text, "watched", &changes.watched);
    text.push_str("</tick>\n\n");
    text.push_str(
        "This is a KAIROS tick: you are running in the background beside the user, who is not waiting for you. \
         Look at what changed and act only when acting is cheap, safe and useful (a failing test to look at, \
         a file that needs a follow-up). Otherwise reply with one short line saying nothing needs doing. Keep \
         replies brief; long tool calls move to the background and their results arrive with a later tick.",
    );
    text
}

fn section(text: &mut String, name: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    text.push_str(&format!("<{name}>\n"));
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(&format!("</{name}>\n"));
}
