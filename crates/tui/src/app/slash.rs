//! Running slash commands.

use super::{App, Effect};
use crate::commands::{self, Command};
use crate::transcript::NoticeKind;
use claurst_protocol::{McpRequest, Op, ReportKind};

/// Keys listed by `/help`.
const KEYS: &str = "Keys:
  enter send · shift+enter, ctrl+j or \\+enter new line · ↑/↓ history · ctrl+r search history
  esc or ctrl+c interrupt a run · esc esc (idle, empty prompt) rewind · ctrl+c clear input (twice: quit)
  ctrl+d quit · shift+tab permission mode · ctrl+o details · pgup/pgdn, wheel, home/end scroll
  ↑ on an empty prompt: edit the last queued message · / commands · @ files · ! shell command
  approvals: y yes · a always · n/esc no (ends the turn) · tab no, with a note (goes on) · pgup/pgdn preview
  · ctrl+o whole preview
  questions: ↑/↓ or 1–9 choose · space tick (several) · tab next question · esc decline
  plan review: 1 approve, accept edits · 2 approve, ask first · 3 keep planning (type feedback) · pgup/pgdn
  ? on an empty prompt: every shortcut";

impl App {
    pub(crate) fn run_command(&mut self, line: &str) -> Vec<Effect> {
        let command = match commands::parse(line, &self.commands) {
            Ok(command) => command,
            Err(message) => {
                self.notice(NoticeKind::Error, message);
                return Vec::new();
            }
        };
        match command {
            Command::Help => {
                let mut text = String::from("Commands:\n");
                for command in &self.commands {
                    let name = format!("/{} {}", command.name, command.arguments);
                    let mut detail = command.description.to_string();
                    let origin = command.origin();
                    if !origin.is_empty() {
                        detail.push_str(&format!(" ({origin})"));
                    }
                    text.push_str(&format!("  {:<18} {detail}\n", name.trim_end()));
                }
                text.push_str(KEYS);
                self.notice(NoticeKind::Info, text);
            }
            Command::Clear => return vec![Effect::Send(Op::ClearConversation)],
            Command::Model(Some(model)) => return vec![Effect::Send(Op::SetModel(model))],
            Command::Model(None) => return self.open_model_picker(),
            Command::Cost => return vec![Effect::Send(Op::Report(ReportKind::Cost))],
            Command::Compact(instructions) => return vec![Effect::Send(Op::Compact { instructions })],
            Command::Resume(Some(id)) => return vec![Effect::Send(Op::ResumeSession { session_id: id })],
            Command::Resume(None) => return vec![Effect::Send(Op::ListSessions)],
            Command::Rewind => return self.ask_for_checkpoints(),
            Command::Init => return vec![Effect::Send(Op::InitProject)],
            Command::EditInstructions => {
                return vec![Effect::EditFile(self.project_root.join("CLAURST.md"))];
            }
            Command::Status => self.notice(NoticeKind::Info, self.status_report()),
            Command::Permissions => return self.open_permissions_panel(),
            Command::Config => return self.open_config_panel(),
            Command::Copy => {
                if self.last_reply.is_empty() {
                    self.notice(NoticeKind::Warning, "There is no reply to copy yet.");
                } else {
                    self.flash(format!(
                        "Copied the last reply ({} characters)",
                        self.last_reply.chars().count()
                    ));
                    return vec![Effect::Clipboard(self.last_reply.clone())];
                }
            }
            Command::Mcp => self.open_mcp_panel(),
            Command::Hooks => return vec![Effect::Send(Op::Report(ReportKind::Hooks))],
            Command::McpPrompt { server, prompt, arguments } => {
                return vec![Effect::Send(Op::Mcp(McpRequest::RunPrompt { server, prompt, arguments }))];
            }
            Command::Extension { name, arguments } => {
                return vec![Effect::Send(Op::RunCommand { name, arguments })];
            }
            Command::Skills => return vec![Effect::Send(Op::Report(ReportKind::Skills))],
            Command::Agents => self.open_agents_panel(),
            Command::NewAgent(description) => return self.draft_agent(description),
            Command::OutputStyle(name) => return self.output_style_command(name),
            Command::Vim => return self.toggle_vim(),
            Command::StatusLine(argument) => return self.statusline_command(argument),
            Command::Theme(name) => return self.theme_command(name),
            Command::Memory => return vec![Effect::Send(Op::Report(ReportKind::Memory))],
            Command::Dream => return vec![Effect::Send(Op::Report(ReportKind::Dream))],
            Command::Context => return vec![Effect::Send(Op::Report(ReportKind::Context))],
            Command::Doctor => return vec![Effect::Send(Op::Report(ReportKind::Doctor))],
            Command::Export(file) => return self.export_command(file),
            Command::AddDir(path) => return self.add_dir_command(path),
            Command::Worktrees(argument) => return self.worktrees_command(argument.as_deref()),
            Command::ReleaseNotes => self.notice(NoticeKind::Info, crate::app::info::RELEASE_NOTES.as_str()),
            Command::Bug(option) => return self.bug_command(option.as_deref()),
            #[cfg(feature = "buddy")]
            Command::Buddy(option) => return self.buddy_command(option.as_deref()),
            #[cfg(feature = "proactive")]
            Command::Kairos(argument) => return self.kairos_command(argument.as_deref()),
            Command::Exit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
        }
        Vec::new()
    }

    fn status_report(&self) -> String {
        let status = &self.status;
        format!(
            "Session {}\n  model: {}\n  permission mode: {}\n  context: {} of {} tokens ({}%)\n  cost: {}\n  directory: {}{}",
            status.session_id,
            status.model,
            status.mode,
            status.context_tokens,
            status.context_window,
            status.context_percent(),
            status.cost_text(),
            status.cwd,
            status.branch.as_deref().map(|b| format!(" (branch {b})")).unwrap_or_default()
        )
    }
}
