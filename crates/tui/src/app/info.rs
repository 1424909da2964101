//! The informational commands answered by the interface itself: `/release-notes`, `/export`, `/add-dir`'s
//! argument check and `/bug`'s recent events.

use super::{App, Effect};
use crate::transcript::{Cell, NoticeKind, ToolStatus};
use claurst_protocol::Op;
use std::fmt::Write as _;

/// The changelog, built in.
const CHANGELOG: &str = include_str!("../../../../CHANGELOG.md");
/// `/release-notes`: the changelog's section for this version.
pub(crate) static RELEASE_NOTES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| release_notes(CHANGELOG, env!("CARGO_PKG_VERSION")));
/// Characters of a tool's result kept in an export.
const EXPORTED_RESULT_CHARS: usize = 2_000;
/// Warnings and errors `/bug` reports, the latest.
const BUG_RECENT_EVENTS: usize = 20;

/// The `## VERSION` section of `changelog`, heading included; the whole text when there is none.
fn release_notes(changelog: &str, version: &str) -> String {
    let heading = format!("## {version}");
    let Some(start) = changelog.find(&heading) else { return changelog.to_string() };
    let rest = &changelog[start..];
    let end = rest[heading.len()..].find("\n## ").map_or(rest.len(), |index| index + heading.len());
    format!("Claurst {}", rest[3..end].trim_end())
}

impl App {
    pub(crate) fn export_command(&mut self, file: Option<String>) -> Vec<Effect> {
        let markdown = self.conversation_markdown();
        let Some(file) = file else {
            self.flash("Copied the conversation as Markdown");
            return vec![Effect::Clipboard(markdown)];
        };
        let path = self.project_root.join(&file);
        match std::fs::write(&path, markdown) {
            Ok(()) => {
                self.notice(NoticeKind::Success, format!("Exported the conversation to {}", path.display()))
            }
            Err(error) => self.notice(NoticeKind::Error, format!("Cannot write {}: {error}", path.display())),
        }
        Vec::new()
    }

    pub(crate) fn add_dir_command(&mut self, path: Option<String>) -> Vec<Effect> {
        match path {
            Some(path) => vec![Effect::Send(Op::AddDirectory(path.into()))],
            None => {
                self.notice(NoticeKind::Warning, "Type the directory to add: /add-dir <path>");
                Vec::new()
            }
        }
    }

    pub(crate) fn bug_command(&mut self, option: Option<&str>) -> Vec<Effect> {
        let include_conversation = match option {
            None => false,
            Some(word) if word.eq_ignore_ascii_case("conversation") => true,
            Some(other) => {
                let text =
                    format!("/bug takes no argument but `conversation` (to include it), not `{other}`.");
                self.notice(NoticeKind::Warning, text);
                return Vec::new();
            }
        };
        let recent: Vec<String> = self
            .transcript
            .cells()
            .filter_map(|cell| match cell {
                Cell::Notice { kind: kind @ (NoticeKind::Warning | NoticeKind::Error), text } => {
                    Some(format!("{kind:?}: {text}"))
                }
                _ => None,
            })
            .collect();
        let recent = recent[recent.len().saturating_sub(BUG_RECENT_EVENTS)..].to_vec();
        let terminal = (self.viewport.0, self.viewport.1);
        vec![Effect::Send(Op::WriteBugReport { terminal, recent, include_conversation })]
    }

    /// The transcript as Markdown: prompts, replies, tool calls with their key argument, and results cut to
    /// a readable length. Notices and thinking are left out: they are not the conversation.
    pub(crate) fn conversation_markdown(&self) -> String {
        let mut text = String::from("# Claurst conversation\n");
        for cell in self.transcript.cells() {
            match cell {
                Cell::User { text: prompt } => {
                    let _ = write!(text, "\n## User\n\n{prompt}\n");
                }
                Cell::Assistant { markdown, .. } => {
                    let _ = write!(text, "\n## Claurst\n\n{markdown}\n");
                }
                Cell::Tool(tool) => {
                    let argument = &tool.call.key_argument;
                    let _ = write!(text, "\n**Tool** `{}`", tool.call.display_title());
                    if !argument.is_empty() {
                        let _ = write!(text, " `{argument}`");
                    }
                    text.push('\n');
                    match &tool.status {
                        ToolStatus::Done { output, is_error, .. } => {
                            let label = if *is_error { "Error" } else { "Result" };
                            let _ = write!(text, "\n{label}:\n\n```\n{}\n```\n", truncated(output));
                        }
                        ToolStatus::Denied { reason } => {
                            let _ = write!(text, "\nDenied: {reason}\n");
                        }
                        _ => {}
                    }
                }
                Cell::Compacted { summary } => {
                    let _ = write!(text, "\n## Summary of earlier turns\n\n{summary}\n");
                }
                _ => {}
            }
        }
        text
    }
}

/// A tool result cut at [`EXPORTED_RESULT_CHARS`], saying how much was left out.
fn truncated(output: &str) -> String {
    let count = output.chars().count();
    if count <= EXPORTED_RESULT_CHARS {
        return output.trim_end().to_string();
    }
    let kept: String = output.chars().take(EXPORTED_RESULT_CHARS).collect();
    format!("{}\n… ({} more characters)", kept.trim_end(), count - EXPORTED_RESULT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_notes_are_the_running_versions_section() {
        let changelog = "# Changelog\n\n## 0.2.0\n\n- new\n\n## 0.1.0\n\n- first\n";
        assert_eq!(release_notes(changelog, "0.1.0"), "Claurst 0.1.0\n\n- first");
        assert_eq!(release_notes(changelog, "0.2.0"), "Claurst 0.2.0\n\n- new");
        assert!(RELEASE_NOTES.starts_with(&format!("Claurst {}", env!("CARGO_PKG_VERSION"))));
    }

    fn app() -> App {
        let options = crate::TuiOptions::default();
        App::new(
            &options,
            crate::theme::Theme::monochrome(),
            crate::completion::FileIndex::from_files(Vec::new()),
        )
    }

    /// No command of the registry may be left out of the `/` menu or `/help` (as `/memory` and `/dream`
    /// once seemed to be): both are read from the one list, whatever is added to it.
    #[test]
    fn every_registered_command_is_in_the_menu_and_in_help() {
        let mut app = app();
        app.composer.set_text("/");
        app.refresh_popup();
        let menu: Vec<String> = app
            .popup
            .as_ref()
            .map(|popup| popup.items.iter().map(|item| item.label.clone()).collect())
            .unwrap_or_default();
        app.composer.clear();
        app.run_command("/help");
        let Some(Cell::Notice { text: help, .. }) = app.transcript.cells().last() else { panic!("no /help") };
        let help = help.clone();
        assert!(!app.commands.is_empty());
        for command in &app.commands {
            let name = format!("/{}", command.name);
            assert!(menu.contains(&name), "{name} is missing from the / menu: {menu:?}");
            assert!(
                help.lines().any(|line| line.trim_start().starts_with(&format!("{name} "))),
                "{name} is missing from /help"
            );
        }
        for name in
            ["/memory", "/dream", "/context", "/doctor", "/export", "/add-dir", "/release-notes", "/bug"]
        {
            assert!(menu.contains(&name.to_string()), "{name}");
        }
    }

    #[test]
    fn export_without_a_file_goes_to_the_clipboard_and_with_one_to_the_file() {
        let mut app = app();
        app.transcript.push(Cell::User { text: "hello".into() });
        app.transcript.push(Cell::Assistant { markdown: "hi **there**".into(), streaming: false });
        let effects = app.run_command("/export");
        let [Effect::Clipboard(markdown)] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(markdown, "# Claurst conversation\n\n## User\n\nhello\n\n## Claurst\n\nhi **there**\n");
        let dir = tempfile::tempdir().unwrap();
        app.project_root = dir.path().to_path_buf();
        assert!(app.run_command("/export out.md").is_empty());
        assert_eq!(std::fs::read_to_string(dir.path().join("out.md")).unwrap(), *markdown);
    }

    #[test]
    fn bug_sends_recent_warnings_and_asks_before_including_the_conversation() {
        let mut app = app();
        app.notice(NoticeKind::Error, "the API failed");
        app.notice(NoticeKind::Info, "not an error");
        let effects = app.run_command("/bug");
        let [Effect::Send(Op::WriteBugReport { recent, include_conversation: false, .. })] =
            effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(recent, &["Error: the API failed".to_string()]);
        let effects = app.run_command("/bug conversation");
        assert!(matches!(
            effects.as_slice(),
            [Effect::Send(Op::WriteBugReport { include_conversation: true, .. })]
        ));
        assert!(app.run_command("/bug everything").is_empty());
    }

    #[test]
    fn long_results_are_cut_with_a_count() {
        let long = "x".repeat(EXPORTED_RESULT_CHARS + 5);
        assert!(truncated(&long).ends_with("(5 more characters)"));
        assert_eq!(truncated("short\n"), "short");
    }
}
